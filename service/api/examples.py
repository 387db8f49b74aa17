"""The worked example shown in the API docs: one article citing two conflicting counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# In a checkout the seed article sits beside the package; an installed package uses the short form.
SEED_ARTICLE = Path(__file__).resolve().parents[2] / "seeds" / "tass-kp-tajikistan-drills" / "article.txt"
SEED_SOURCE = "Khaama Press"
SHORT_TEXT = (
    "TASS said over 3,200 personnel took part. "
    "KP says at least 10,000 troops from Tajikistan and 400 from Russia participated."
)


def _article() -> str:
    try:
        text = SEED_ARTICLE.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return SHORT_TEXT
    return text or SHORT_TEXT


CHECK_EXAMPLES: dict[str, dict[str, Any]] = {
    "article": {
        "summary": "One article, two accounts of the same drill",
        "description": (
            "TASS puts the drill at over 3,200 personnel; Khaama Press at 10,000 troops from Tajikistan "
            "and 400 from Russia. numcheck sums the parts and flags the conflict."
        ),
        "value": {"documents": [{"id": "kp", "source": SEED_SOURCE, "text": _article()}]},
    },
    "two-outlets": {
        "summary": "Two documents from two outlets",
        "value": {
            "documents": [
                {"id": "tass", "source": "TASS", "text": "Over 3,200 personnel took part in the drills."},
                {
                    "id": "kp",
                    "source": "Khaama Press",
                    "text": "At least 10,000 troops from Tajikistan and 400 from Russia took part in the drills.",
                },
            ],
            "options": {"min_severity": "medium"},
        },
    },
}


# --- the example report, and the README's worked example ---------------------------------------------

EXAMPLE_REPORT = Path(__file__).resolve().parent / "example_report.json"
README = Path(__file__).resolve().parents[2] / "README.md"
REGENERATE = "python -m service.api.examples"
# The README's worked example stands between these lines.
README_MARKERS = {
    "json": ("<!-- worked example: report -->", "<!-- end of worked example: report -->"),
    "text": ("<!-- worked example: text -->", "<!-- end of worked example: text -->"),
}


def example_report() -> dict[str, Any]:
    """The report of the "article" example request as shipped (the OpenAPI docs show it)."""
    report: dict[str, Any] = json.loads(EXAMPLE_REPORT.read_text(encoding="utf-8"))
    return report


def _shown(value: Any) -> Any:
    """A report value without the fields that say nothing here (null, empty, false)."""
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items() if not (v is None or v is False or v == [])}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value


def readme_report(report: dict[str, Any]) -> str:
    """The report as the README shows it: one line per item, null and empty fields left out, the
    document's text cut, and no meta (its rules digest changes with every edit of the rules)."""
    shown = {key: value for key, value in report.items() if key != "meta"}
    shown["documents"] = [
        {**d, "text": f"{d['text'][:40]}… ({len(d['text']):,} characters)"} for d in report["documents"]
    ]
    lines = ["{"]
    for n, (key, value) in enumerate(shown.items()):
        comma = "," if n < len(shown) - 1 else ""
        if isinstance(value, list) and value:
            items = [json.dumps(_shown(item), ensure_ascii=False) for item in value]
            lines += [f'  "{key}": [', *(f"    {item}," for item in items[:-1]), f"    {items[-1]}", f"  ]{comma}"]
        else:
            lines.append(f'  "{key}": {json.dumps(_shown(value), ensure_ascii=False)}{comma}')
    return "\n".join([*lines, "}"])


def replace_between(text: str, markers: tuple[str, str], body: str, fence: str) -> str:
    start, end = markers
    head, found, rest = text.partition(start + "\n")
    _, found_end, tail = rest.partition(end)
    if not found or not found_end:
        raise ValueError(f"README.md lacks the lines {start!r} and {end!r}")
    return f"{head}{start}\n```{fence}\n{body}\n```\n{end}{tail}"


def _write() -> None:
    """Check the seed article as the "article" example asks and write the example report, and the
    README's worked example from it."""
    from ..cli import render_text
    from ..nlp import load_pipeline
    from ..pipeline import check
    from ..rules import load_rules
    from ..settings import get_settings
    from .request import to_documents, validate_request

    settings = get_settings()
    request = validate_request(CHECK_EXAMPLES["article"]["value"], settings)
    nlp = load_pipeline(settings.spacy_pipeline, settings.fast_components)
    report = check(to_documents(request, settings), load_rules(settings.rules_dir), nlp)
    data = report.model_dump(mode="json")
    EXAMPLE_REPORT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    readme = replace_between(readme, README_MARKERS["json"], readme_report(data), "json")
    # As `numcheck check seeds/…/article.txt --source "Khaama Press" --format text` prints it.
    text = validate_request({"documents": [{"id": SEED_ARTICLE.stem, "source": SEED_SOURCE, "text": _article()}]},
                            settings)
    as_text = render_text(check(to_documents(text, settings), load_rules(settings.rules_dir), nlp))
    readme = replace_between(readme, README_MARKERS["text"], as_text, "text")
    README.write_text(readme, encoding="utf-8")


if __name__ == "__main__":
    _write()
