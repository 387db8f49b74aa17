"""Every error, on every endpoint, is answered in one shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import service.api.routes
from service.api.app import create_app
from service.api.errors import ErrorResponse
from service.settings import Settings

DOC = {"id": "a", "text": "About 3,000 people came."}


def body(**fields: Any) -> dict[str, Any]:
    return {"json": {"documents": [DOC], **fields}}


def raw(content: bytes | str, content_type: str | None = "application/json") -> dict[str, Any]:
    headers = {"content-type": content_type} if content_type else {}
    return {"content": content, "headers": headers}


BAD_REQUESTS = [
    # (label, request, status, code, a phrase of the message)
    ("not JSON", raw(b"{documents: oops"), 422, "invalid_input", "the body is not valid JSON"),
    ("JSON array", raw(b"[1, 2]"), 422, "invalid_input", "the body must be a JSON object"),
    ("JSON string", raw(b'"text"'), 422, "invalid_input", "the body must be a JSON object"),
    ("empty body", raw(b""), 422, "invalid_input", "the body is empty"),
    ("not UTF-8", raw(b'{"documents": "\xff"}'), 422, "invalid_input", "the body is not UTF-8 text"),
    (
        "UTF-16 with a byte-order mark",
        raw(json.dumps({"documents": [DOC]}).encode("utf-16")),
        422,
        "invalid_input",
        "the body is not UTF-8 text (byte 0 cannot be read)",
    ),
    (
        "UTF-16 without a byte-order mark",
        raw(json.dumps({"documents": [DOC]}).encode("utf-16-le")),
        422,
        "invalid_input",
        "the body holds a NUL byte (byte 1), as UTF-16 or UTF-32 text does",
    ),
    (
        "nested too deeply",
        raw(b'{"documents": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        422,
        "invalid_input",
        "the body nests arrays or objects too deeply to be read",
    ),
    (
        "a 5,000-digit integer id",
        raw(b'{"documents": [{"id": ' + b"7" * 5000 + b', "text": "5 died."}]}'),
        422,
        "invalid_input",
        "a number of more than 4,300 digits",
    ),
    (
        "a million-digit number as the text",
        raw(b'{"documents": [{"id": "a", "text": ' + b"9" * 1_000_000 + b"}]}"),
        422,
        "invalid_input",
        "send ids and texts as JSON strings (in quotes)",
    ),
    (
        "a lone surrogate in the text",
        raw(b'{"documents": [{"id": "a", "text": "Police said \\ud800 5 people died."}]}'),
        422,
        "invalid_input",
        "documents -> 0 -> text: a lone surrogate (\\ud800) at character 12",
    ),
    (
        "a lone surrogate in the source",
        raw(b'{"documents": [{"id": "a", "text": "5 died.", "source": "TASS \\udfff"}]}'),
        422,
        "invalid_input",
        "documents -> 0 -> source: holds a lone surrogate (half of a character, such as \\ud800)",
    ),
    (
        "not sent as JSON",
        raw(json.dumps({"documents": [DOC]}), "text/plain"),
        422,
        "invalid_input",
        "Content-Type: application/json",
    ),
    ("no documents key", {"json": {}}, 422, "invalid_input", "documents: required: add it"),
    ("no documents", {"json": {"documents": []}}, 422, "invalid_input", "no documents: send at least one"),
    ("documents not a list", {"json": {"documents": DOC}}, 422, "invalid_input", "documents: must be a list"),
    (
        "option not a boolean",
        {"json": {"documents": [DOC], "options": {"include_ignored": 0}}},
        422,
        "invalid_input",
        "options -> include_ignored: must be true or false",
    ),
    (
        "empty text",
        {"json": {"documents": [{"id": "a", "text": ""}]}},
        422,
        "invalid_input",
        "documents -> 0 -> text: text is empty or only whitespace",
    ),
    (
        "whitespace text",
        {"json": {"documents": [{"id": "a", "text": " \n\t\u00a0"}]}},
        422,
        "invalid_input",
        "documents -> 0 -> text: text is empty or only whitespace",
    ),
    (
        "text not a string",
        {"json": {"documents": [{"id": "a", "text": 42}]}},
        422,
        "invalid_input",
        "documents -> 0 -> text: must be a string",
    ),
    (
        "missing text",
        {"json": {"documents": [{"id": "a"}]}},
        422,
        "invalid_input",
        "documents -> 0: no text and no url: send the copy as text, or the url of its page",
    ),
    (
        "missing id",
        {"json": {"documents": [{"text": "x"}]}},
        422,
        "invalid_input",
        "documents -> 0 -> id: required",
    ),
    (
        "empty id",
        {"json": {"documents": [{"id": "", "text": "x"}]}},
        422,
        "invalid_input",
        "documents -> 0 -> id",
    ),
    (
        "duplicate ids",
        {"json": {"documents": [DOC, {"id": "b", "text": "x"}, DOC]}},
        422,
        "invalid_input",
        "document id 'a' is used by documents 0 and 2",
    ),
    (
        "unknown top-level field",
        body(document=[DOC]),
        422,
        "invalid_input",
        "document: 'document' is not a known field",
    ),
    (
        "unknown document field",
        {"json": {"documents": [{**DOC, "author": "x"}]}},
        422,
        "invalid_input",
        "documents -> 0 -> author: 'author' is not a known field",
    ),
    (
        "unknown option",
        body(options={"verbose": True}),
        422,
        "invalid_input",
        "options -> verbose: 'verbose' is not a known field",
    ),
    (
        "bad option value",
        body(options={"min_severity": "urgent"}),
        422,
        "invalid_input",
        "options -> min_severity: String should match pattern",
    ),
    (
        "option not a bool",
        body(options={"include_groups": "perhaps"}),
        422,
        "invalid_input",
        "options -> include_groups: must be true or false",
    ),
    (
        "too many documents",
        {"json": {"documents": [{"id": str(i), "text": "x"} for i in range(21)]}},
        413,
        "too_large",
        "Too many documents: 21 sent, at most 20 per request",
    ),
    (
        "text too long",
        {"json": {"documents": [{"id": "a", "text": "x" * 200_001}]}},
        413,
        "too_large",
        "longer than 200,000 characters",
    ),
    (
        "body too large",
        raw(b" " * 2_000_001),
        413,
        "too_large",
        "The request body is larger than 2,000,000 bytes",
    ),
]


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code", "phrase"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_REQUESTS],
)
def test_bad_request_is_refused_with_what_to_fix(
    client: TestClient, request_kwargs: dict[str, Any], status: int, code: str, phrase: str
) -> None:
    response = client.post("/v1/check", **request_kwargs)
    assert response.status_code == status, response.text
    error = ErrorResponse.model_validate(response.json()).error
    assert error.code == code
    assert phrase in error.message


def test_every_problem_is_listed_with_its_location(client: TestClient) -> None:
    response = client.post(
        "/v1/check",
        json={"documents": [{"id": "a", "text": " "}, {"id": "b", "text": 5, "x": 1}], "foo": 2},
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [(d["location"], d["type"]) for d in details] == [
        ("documents -> 0 -> text", "blank_text"),
        ("documents -> 1 -> text", "string_type"),
        ("documents -> 1 -> x", "extra_forbidden"),
        ("foo", "extra_forbidden"),
    ]
    assert response.json()["error"]["message"].endswith("(and 3 more problem(s) listed in details)")


def test_a_huge_number_of_problems_is_cut_to_the_first_fifty(client: TestClient) -> None:
    response = client.post("/v1/check", json={"documents": [{"id": str(i)} for i in range(500)]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert len(error["details"]) == 50
    assert error["message"].endswith("(and 499 more problem(s) listed in details); the first 50 are listed")


# --- one shape for every error -------------------------------------------------------------------


@pytest.fixture
def busy_client(
    settings: Settings, held_checks: tuple[threading.Event, threading.Event]
) -> Iterator[TestClient]:
    """An app that admits one check, with that one check held running until the test ends."""
    started, release = held_checks
    app = create_app(settings.model_copy(update={"max_concurrent_checks": 1, "retry_after_seconds": 7}))
    with TestClient(app) as test_client:
        holder = threading.Thread(
            target=test_client.post, args=("/v1/check",), kwargs={"json": {"documents": [DOC]}}
        )
        holder.start()
        assert started.wait(timeout=30)
        try:
            yield test_client
        finally:
            release.set()
            holder.join(timeout=30)


ERRORS = [
    ("get", "/nowhere", {}, 404, "not_found"),
    ("get", "/v1/check", {}, 405, "method_not_allowed"),
    ("post", "/healthz", {}, 405, "method_not_allowed"),
    ("delete", "/v1/rules", {}, 405, "method_not_allowed"),
    ("post", "/v1/check", {"json": {"documents": []}}, 422, "invalid_input"),
    ("post", "/v1/check", raw(b"x" * 2_000_001), 413, "too_large"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), ERRORS)
def test_errors_share_one_shape(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int, code: str
) -> None:
    response = client.request(method, path, **kwargs)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    payload = response.json()
    assert set(payload) == {"error"}
    assert set(payload["error"]) == {"code", "message", "details"}
    assert payload["error"]["code"] == code
    assert payload["error"]["message"]


def test_method_not_allowed_names_the_allowed_method(client: TestClient) -> None:
    response = client.put("/v1/check", json={})
    assert response.headers["allow"] == "POST"
    assert response.json()["error"]["message"] == "PUT is not allowed on /v1/check: use POST."


def test_busy_worker_answers_503_with_retry_after(busy_client: TestClient) -> None:
    response = busy_client.post("/v1/check", json={"documents": [DOC]})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    payload = response.json()
    assert set(payload) == {"error"} and set(payload["error"]) == {"code", "message", "details"}
    assert payload["error"]["code"] == "busy"
    assert "Retry-After" in payload["error"]["message"]


def test_busy_worker_still_answers_health_checks(busy_client: TestClient) -> None:
    # The held check runs in a worker thread: the event loop stays free for everything else.
    assert busy_client.get("/healthz").json() == {"status": "ok"}
    assert busy_client.get("/readyz").status_code == 200


def test_not_started_app_is_not_ready(settings: Settings) -> None:
    # Without the lifespan (no `with`), neither rules nor pipeline are loaded.
    client = TestClient(create_app(settings))
    for path in ("/readyz", "/version", "/v1/rules"):
        response = client.get(path)
        assert response.status_code == 503
        assert response.headers["retry-after"] == str(settings.retry_after_seconds)
        assert response.json()["error"]["code"] == "not_ready"
    assert client.post("/v1/check", json={"documents": [DOC]}).status_code == 503
    assert client.get("/healthz").status_code == 200


def test_unexpected_exception_is_a_500_without_internals(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_check(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service.api.routes, "check", broken_check)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.post("/v1/check", json={"documents": [DOC]})
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "numcheck failed on this request. The error is logged; try again or report it.",
            "details": [],
        }
    }
    assert "secret" not in response.text
    logged = [r for r in caplog.records if r.name == "numcheck.api" and r.exc_info]
    assert len(logged) == 1
    assert logged[0].getMessage() == "unhandled error on POST /v1/check"
    assert "secret internal detail" in caplog.text
