"""The documentation shows what numcheck does now: the README's worked example and the OpenAPI
example are the current output, and the schema names its operations."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.api import examples
from service.api.request import validate_request
from service.cli import render_text
from service.models import Report
from service.pipeline import check
from service.rules import RuleSet
from service.settings import Settings

STALE = f"out of date: run `{examples.REGENERATE}` and commit what it writes"


@pytest.fixture(scope="module")
def article_report(settings: Settings, rules: RuleSet, nlp: Any) -> Report:
    request = validate_request(examples.CHECK_EXAMPLES["article"]["value"], settings)
    return check(request.documents, rules, nlp)


def _block(markers: tuple[str, str]) -> str:
    readme = examples.README.read_text(encoding="utf-8")
    start, end = markers
    assert start in readme and end in readme, f"README.md lacks {start!r}"
    return readme.split(start + "\n", 1)[1].split(end, 1)[0]


def _without_version(report: dict[str, Any]) -> dict[str, Any]:
    return {**report, "meta": {k: v for k, v in report["meta"].items() if k not in ("numcheck", "rules_digest")}}


def test_the_example_report_is_the_current_report(article_report: Report) -> None:
    assert examples.SEED_ARTICLE.exists(), "the seed article is part of the checkout"
    current = article_report.model_dump(mode="json")
    assert _without_version(examples.example_report()) == _without_version(current), f"example_report.json {STALE}"


def test_the_readmes_worked_example_is_the_current_report(article_report: Report) -> None:
    expected = f"```json\n{examples.readme_report(article_report.model_dump(mode='json'))}\n```\n"
    assert _block(examples.README_MARKERS["json"]) == expected, f"README.md's worked example {STALE}"


def test_the_readmes_text_example_is_what_the_command_prints(
    settings: Settings, rules: RuleSet, nlp: Any
) -> None:
    document = {"id": "article", "source": examples.SEED_SOURCE, "text": examples.SEED_ARTICLE.read_text()}
    request = validate_request({"documents": [document]}, settings)
    expected = f"```text\n{render_text(check(request.documents, rules, nlp))}\n```\n"
    assert _block(examples.README_MARKERS["text"]) == expected, f"README.md's text example {STALE}"


def test_the_readme_shows_a_report_with_a_flag() -> None:
    shown = json.loads(_block(examples.README_MARKERS["json"]).removeprefix("```json\n").removesuffix("```\n"))
    assert shown["discrepancies"][0]["kind"] == "conflicting_accounts"


def test_the_schema_names_its_operations_and_shows_an_example_report(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operations = {
        (path, method): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert operations == {
        ("/v1/check", "post"): "check",
        ("/v1/rules", "get"): "rules",
        ("/healthz", "get"): "healthz",
        ("/healthz", "head"): "healthz_head",
        ("/readyz", "get"): "readyz",
        ("/readyz", "head"): "readyz_head",
        ("/version", "get"): "version",
        ("/v1/me", "get"): "me",
        ("/v1/stories", "get"): "stories",
        ("/v1/stories", "post"): "save_story",
        ("/v1/stories/{story_id}", "get"): "story",
        ("/v1/stories/{story_id}", "delete"): "delete_story",
        ("/v1/stories/{story_id}/versions", "post"): "recheck_story",
        ("/v1/stories/{story_id}/versions/{number}", "get"): "story_version",
        ("/v1/stories/{story_id}/flags/{flag_id}", "get"): "flag",
        ("/v1/stories/{story_id}/flags/{flag_id}", "patch"): "update_flag",
        ("/v1/stories/{story_id}/exports/{name}", "get"): "export_story",
    }
    ok = schema["paths"]["/v1/check"]["post"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": "#/components/schemas/Report"}
    # The schema leaves null fields out of examples: read back, it is the same report.
    assert Report.model_validate(ok["example"]) == Report.model_validate(examples.example_report())
