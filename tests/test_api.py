"""The HTTP API: endpoints, start-up, the body limit and the check gate."""

from __future__ import annotations

import logging
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

import service.api.app
from service import __version__
from service.api.app import create_app
from service.api.errors import Busy
from service.api.examples import CHECK_EXAMPLES, SEED_ARTICLE, SHORT_TEXT
from service.api.limits import BodyLimitMiddleware, CheckGate
from service.errors import RulesError
from service.models import Document, Report
from service.nlp import pipeline_name
from service.nlp.entities import FastEntityRecognizer
from service.pipeline import check
from service.rules import RuleSet
from service.settings import Settings

TWO_OUTLETS = [
    {"id": "tass", "source": "TASS", "text": "Over 3,200 personnel took part in the drills."},
    {
        "id": "kp",
        "source": "KP",
        "text": "At least 10,000 troops from Tajikistan and 400 from Russia took part.",
    },
]


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_names_what_is_loaded(client: TestClient, rules: RuleSet, nlp: Language) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "pipeline": pipeline_name(nlp),
        "rules_digest": rules.digest,
    }


def test_version_lists_every_component(client: TestClient, rules: RuleSet, nlp: Language) -> None:
    info = client.get("/version").json()
    assert info["numcheck"] == __version__
    assert info["pipeline"] == {"name": pipeline_name(nlp), "version": nlp.meta["version"]}
    assert info["spacy"] and info["quantulum3"]
    assert info["rules_digest"] == rules.digest
    # which parse path runs: numcheck's faster components, by default
    assert info["fast_components"] is True
    assert info["components"] == {
        "tok2vec": "tok2vec", "tagger": "tagger", "parser": "parser",
        "attribute_ruler": "numcheck_attribute_ruler", "lemmatizer": "numcheck_lemmatizer", "ner": "numcheck_ner",
    }


def test_version_shows_spacys_own_components_when_the_fast_ones_are_off(settings: Settings) -> None:
    with TestClient(create_app(settings.model_copy(update={"fast_components": False}))) as client:
        info = client.get("/version").json()
        assert client.post("/v1/check", json={"documents": TWO_OUTLETS}).json()["discrepancies"]
    assert info["fast_components"] is False
    assert set(info["components"].items()) == {
        (name, name) for name in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
    }


def test_rules_endpoint_shows_the_active_rules(client: TestClient, rules: RuleSet) -> None:
    response = client.get("/v1/rules")
    assert response.status_code == 200
    assert response.json() == rules.public()
    assert "directory" not in response.json()


def test_check_returns_what_the_pipeline_returns(client: TestClient, rules: RuleSet, nlp: Language) -> None:
    response = client.post("/v1/check", json={"documents": TWO_OUTLETS})
    assert response.status_code == 200, response.text
    report = Report.model_validate(response.json())
    assert report == check([Document(**d) for d in TWO_OUTLETS], rules, nlp)
    assert report.meta is not None
    assert (report.meta.documents, report.meta.rules_digest) == (2, rules.digest)


def test_check_passes_the_options_on(client: TestClient) -> None:
    options = {"include_ignored": False, "include_groups": False, "min_severity": "high"}
    response = client.post(
        "/v1/check",
        json={"documents": [{"id": "a", "text": "In 2020, 12 people and 3 dogs came."}], "options": options},
    )
    assert response.status_code == 200
    report = response.json()
    assert report["ignored"] == [] and report["groups"] == []
    assert all(d["severity"] == "high" for d in report["discrepancies"])


def test_figure_offsets_index_the_text_as_sent(client: TestClient) -> None:
    text = "“Over 3,200 personnel” took part — TASS said — and at least 10,000 troops\u00a0came."
    response = client.post("/v1/check", json={"documents": [{"id": "a", "text": text}]})
    for figure in response.json()["figures"]:
        assert text[figure["start"] : figure["end"]] == figure["text"]


def test_docs_and_openapi_carry_the_worked_example(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/v1/check"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    article = examples["article"]["value"]["documents"][0]["text"]
    expected = SEED_ARTICLE.read_text(encoding="utf-8").strip() if SEED_ARTICLE.exists() else SHORT_TEXT
    assert article == expected
    assert set(operation["responses"]) == {"200", "400", "413", "422", "500", "503"}
    assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }


@pytest.mark.parametrize("name", sorted(CHECK_EXAMPLES))
def test_documented_examples_are_accepted(client: TestClient, name: str) -> None:
    response = client.post("/v1/check", json=CHECK_EXAMPLES[name]["value"])
    assert response.status_code == 200, response.text


# --- start-up -------------------------------------------------------------------------------------


def test_broken_rules_stop_start_up_listing_every_problem(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for path in settings.rules_dir.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "tolerances.yaml").unlink()
    (tmp_path / "hedges.yaml").write_text("version: [1\n", encoding="utf-8")
    app = create_app(settings.model_copy(update={"rules_dir": tmp_path}))
    with pytest.raises(RulesError) as raised, caplog.at_level(logging.ERROR), TestClient(app):
        pass
    assert len(raised.value.problems) == 2
    logged = [r.getMessage() for r in caplog.records if r.name == "numcheck.api"]
    assert logged == [
        *(f"rules: {p}" for p in raised.value.problems),
        f"cannot start: 2 problem(s) in the rules at {tmp_path}",
    ]


def test_start_up_loads_before_the_first_request(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app):
        runtime = app.state.runtime
        assert runtime.rules is not None and runtime.nlp is not None
    assert runtime.rules is None and runtime.nlp is None


# --- the body limit -------------------------------------------------------------------------------


def test_body_limit_counts_a_chunked_body(client: TestClient) -> None:
    # No Content-Length: the limit is enforced on the bytes as they arrive.
    def chunks() -> Iterator[bytes]:
        yield b'{"documents": [{"id": "a", "text": "'
        for _ in range(30):
            yield b"x" * 100_000
        yield b'"}]}'

    response = client.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


async def _call(app: Any, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> list[dict[str, Any]]:
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    await app(scope, receive, send)
    return sent


async def _read_all(scope: Any, receive: Any, send: Any) -> None:
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"read"})


@pytest.mark.parametrize(
    ("headers", "chunks", "status"),
    [
        pytest.param([], [b"x" * 10], 200, id="within the limit"),
        pytest.param([], [b"x" * 6, b"x" * 5], 413, id="over the limit across chunks"),
        pytest.param([(b"content-length", b"4")], [b"x" * 11], 413, id="Content-Length understates"),
        pytest.param([(b"content-length", b"11")], [b"x"], 413, id="Content-Length over: refused unread"),
    ],
)
def test_body_limit_middleware(headers: list[tuple[bytes, bytes]], chunks: list[bytes], status: int) -> None:
    # Here the app reads the body outside any route, so the middleware answers by itself.
    sent = anyio.run(_call, BodyLimitMiddleware(_read_all, max_bytes=10), headers, chunks)
    assert sent[0]["status"] == status


# --- the check gate -------------------------------------------------------------------------------


def test_gate_runs_checks_one_at_a_time_and_refuses_past_capacity() -> None:
    gate = CheckGate(capacity=2)
    running = 0
    overlap = False
    release = threading.Event()

    def work() -> int:
        nonlocal running, overlap
        running += 1
        overlap = overlap or running > 1
        release.wait(timeout=10)
        running -= 1
        return threading.get_ident()

    async def scenario() -> tuple[list[int], str]:
        results: list[int] = []

        async def one() -> None:
            results.append(await gate.run(work))

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(one)
            tasks.start_soon(one)
            await anyio.sleep(0.05)
            with pytest.raises(Busy) as refused:
                await gate.run(work)
            release.set()
        return results, refused.value.message

    results, message = anyio.run(scenario)
    assert len(results) == 2 and threading.get_ident() not in results
    assert not overlap
    assert gate.admitted == 0
    assert message.startswith("2 checks are already running or waiting")


# Checks of two sizes on a worker thread, as the server runs them: minor page faults over the
# last rounds, with glibc's defaults and then with the freed memory kept.
_FAULTS_SCRIPT = """
import resource, sys
from concurrent.futures import ThreadPoolExecutor
from service.api.examples import SEED_ARTICLE
from service.memory import keep_freed_memory
from service.models import Document
from service.nlp import load_pipeline
from service.pipeline import check
from service.rules import load_rules
from service.settings import Settings

settings = Settings()
rules, nlp = load_rules(settings.rules_dir), load_pipeline(settings.spacy_pipeline)
text = SEED_ARTICLE.read_text(encoding="utf-8")
requests = [[Document(id="a", text=text)], [Document(id="b", text="\\n\\n".join([text] * 3))]]
worker = ThreadPoolExecutor(1)

def faults():
    for documents in requests:
        worker.submit(check, documents, rules, nlp).result()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for documents in requests * 2:
        worker.submit(check, documents, rules, nlp).result()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

default = faults()
assert keep_freed_memory(0) is False
assert keep_freed_memory(1024) is True
print(default, faults())
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting applies to glibc's malloc")
def test_a_worker_keeps_the_memory_its_checks_free() -> None:
    done = subprocess.run([sys.executable, "-c", _FAULTS_SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    default, kept = map(int, done.stdout.split())
    assert default > 2_000  # glibc's defaults: the arrays are faulted back in, check after check
    assert kept < default / 10


def test_a_check_gets_the_helper_thread_only_while_none_waits() -> None:
    # Three checks arrive together: the first runs alone; the second starts with the third still
    # waiting, so it runs on one thread; the third is alone again when its turn comes.
    with ThreadPoolExecutor(max_workers=1) as helper:
        gate = CheckGate(capacity=3, helper=helper)
        release = threading.Event()
        given: list[Any] = []

        def work(name: str, helper: Any) -> None:
            given.append((name, helper))
            if name == "first":
                release.wait(timeout=10)

        async def scenario() -> None:
            async with anyio.create_task_group() as tasks:
                for name in ("first", "second", "third"):
                    tasks.start_soon(gate.run, work, name)
                    await anyio.sleep(0.05)
                release.set()

        anyio.run(scenario)
    assert given == [("first", helper), ("second", None), ("third", helper)]


@pytest.mark.parametrize(
    ("workers", "cores", "enabled", "has_helper"),
    [(1, 2, True, True), (2, 2, True, False), (1, 1, True, False), (1, 4, False, False), (3, 4, True, True)],
)
def test_a_helper_thread_only_where_a_core_is_spare(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, workers: int, cores: int, enabled: bool, has_helper: bool
) -> None:
    monkeypatch.setattr(service.api.app, "available_cores", lambda: cores)
    app = create_app(settings.model_copy(update={"workers": workers, "parse_helper_thread": enabled}))
    with TestClient(app):
        assert (app.state.runtime.gate.helper is not None) is has_helper
    assert app.state.runtime.gate.helper is None  # shut down with the app


def test_an_app_started_again_checks_again(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each start-up gets a helper thread of its own: the one the last shut-down stopped is not reused.
    monkeypatch.setattr(service.api.app, "available_cores", lambda: 2)
    app = create_app(settings.model_copy(update={"workers": 1, "parse_helper_thread": True}))
    for _ in range(2):
        with TestClient(app) as client:
            assert client.post("/v1/check", json={"documents": TWO_OUTLETS}).status_code == 200


def test_a_report_made_with_the_helper_thread_is_the_report_made_without(
    settings: Settings, rules: RuleSet, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service.api.app, "available_cores", lambda: 2)
    threads: list[str] = []
    networks = FastEntityRecognizer.networks

    def recorded(self: FastEntityRecognizer, docs: list) -> Any:
        threads.append(threading.current_thread().name)
        return networks(self, docs)

    monkeypatch.setattr(FastEntityRecognizer, "networks", recorded)
    documents = [{"id": "seed", "text": SEED_ARTICLE.read_text(encoding="utf-8"), "source": "TASS"}, *TWO_OUTLETS]
    app = create_app(settings.model_copy(update={"workers": 1, "parse_helper_thread": True}))
    with TestClient(app) as client:
        assert app.state.runtime.gate.helper is not None
        got = client.post("/v1/check", json={"documents": documents}).json()
    expected = check([Document.model_validate(d) for d in documents], rules, nlp)
    assert got == expected.model_dump(mode="json")
    assert len(got["figures"]) > 5 and got["discrepancies"]
    assert any(name.startswith("numcheck-parse") for name in threads)


def test_waiting_checks_are_admitted_up_to_capacity(
    settings: Settings, held_checks: tuple[threading.Event, threading.Event]
) -> None:
    started, release = held_checks
    app = create_app(settings.model_copy(update={"max_concurrent_checks": 2}))
    body = {"json": {"documents": [{"id": "a", "text": "About 12 people came."}]}}
    statuses: list[int] = []

    def post() -> None:
        statuses.append(client.post("/v1/check", **body).status_code)

    with TestClient(app) as client:
        running, waiting = threading.Thread(target=post), threading.Thread(target=post)
        running.start()
        assert started.wait(timeout=30)
        waiting.start()
        deadline = time.monotonic() + 30
        while app.state.runtime.gate.admitted < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert client.post("/v1/check", **body).status_code == 503
        release.set()
        for thread in (running, waiting):
            thread.join(timeout=30)
    assert statuses == [200, 200]


def test_a_re_checked_draft_gets_the_report_a_first_check_gives(settings: Settings) -> None:
    # An editor checks a draft, changes a figure and adds a sentence, and checks it again: the
    # worker parses only the changed sentences, and the report is the one a fresh worker gives.
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    edited = article.replace("over 3,200 personnel", "over 3,900 personnel") + (
        "\nThe ministry said 120 armoured vehicles took part."
    )
    assert edited.count("3,900") == 1

    def report(app_settings: Settings, *drafts: str) -> tuple[dict[str, Any], int]:
        app = create_app(app_settings)
        with TestClient(app) as client:
            for draft in drafts:
                response = client.post("/v1/check", json={"documents": [{"id": "a", "text": draft}]})
                assert response.status_code == 200
            return response.json(), app.state.runtime.cache.hits

    rechecked, hits = report(settings.model_copy(update={"parse_cache_sentences": 1000}), article, edited)
    fresh, none = report(settings.model_copy(update={"parse_cache_sentences": 0}), edited)
    assert hits > 10 and none == 0
    assert any(f["value"] == 3900 for f in rechecked["figures"])
    assert rechecked == fresh
