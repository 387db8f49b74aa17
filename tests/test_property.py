"""Whatever a client sends, the API answers without a server error, in the one error shape.

Generated bodies range from arbitrary JSON to nearly valid requests, and texts from random
unicode to news-like strings of numbers, hedges and nouns. A report's figure offsets must
index the text as sent, whatever the text.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.api.app import create_app
from service.api.errors import ErrorResponse
from service.models import Report
from service.settings import Settings

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
field_values = st.one_of(json_values, st.text(max_size=200))
documents = st.fixed_dictionaries(
    {"id": st.text(max_size=10), "text": field_values},
    optional={"source": field_values, "url": field_values, "published": field_values, "extra": json_values},
)
near_requests = st.fixed_dictionaries(
    {"documents": st.lists(documents, max_size=4) | json_values},
    optional={
        "options": st.fixed_dictionaries(
            {},
            optional={
                "include_ignored": json_values,
                "include_groups": json_values,
                "min_severity": st.sampled_from(["low", "medium", "high", "none"]) | json_values,
            },
        )
    },
)

WORDS = [
    "about",
    "over",
    "nearly",
    "at least",
    "up to",
    "some",
    "more than",
    "fewer than",
    "between",
    "and",
    "or",
    "troops",
    "people",
    "personnel",
    "killed",
    "injured",
    "from",
    "Russia",
    "TASS said",
    "according to police",
    "%",
    "percent",
    "per cent",
    "$",
    "£",
    "€",
    "m",
    "bn",
    "million",
    "billion",
    "thousands of",
    "dozens",
    "a dozen",
    "half",
    "doubled",
    "rose",
    "fell",
    "to",
    "a",
    "the",
    "in",
    "2019",
    "July 9",
    "on Monday",
    "3,200",
    "10,000",
    "400",
    "1.2m",
    "£3.4bn",
    "3,000-4,000",
    "12.5",
    "0",
    "-7",
    "1/2",
    "15%",
    "two",
    "twenty",
    "km",
    "miles",
    "tonnes",
    "kg",
    "°C",
    ".",
    ",",
    "“",
    "”",
    '"',
    "—",
    "(",
    ")",
    "\n",
    "\u00a0",
]
news_like = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)
any_text = st.text(min_size=1, max_size=300)


def assert_answer(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        ErrorResponse.model_validate(response.json())


@SETTINGS
@given(body=json_values)
def test_any_json_body_gets_an_answer(client: TestClient, body: Any) -> None:
    assert_answer(
        client.post("/v1/check", content=json.dumps(body), headers={"content-type": "application/json"})
    )


@SETTINGS
@given(body=near_requests)
def test_nearly_valid_requests_get_an_answer(client: TestClient, body: dict[str, Any]) -> None:
    assert_answer(client.post("/v1/check", json=body))


@SETTINGS
@given(raw=st.binary(max_size=200))
def test_any_bytes_get_an_answer(client: TestClient, raw: bytes) -> None:
    assert_answer(client.post("/v1/check", content=raw, headers={"content-type": "application/json"}))


@SETTINGS
@given(
    before=news_like, after=news_like, half=st.integers(0xD800, 0xDFFF), field=st.sampled_from(["id", "text", "source"])
)
def test_a_lone_surrogate_anywhere_is_refused_with_its_place(
    client: TestClient, before: str, after: str, half: int, field: str
) -> None:
    document = {"id": "a", "text": "5 died.", "source": "Desk", field: f"{before}\\u{half:04x}{after}"}
    raw = json.dumps({"documents": [document]}).replace("\\\\u", "\\u")
    response = client.post("/v1/check", content=raw.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    message = ErrorResponse.model_validate(response.json()).error.message
    assert f"documents -> 0 -> {field}: " in message and "lone surrogate" in message
    if field == "text":
        assert f"at character {len(before)}" in message


@SETTINGS
@given(
    depth=st.integers(1, 50_000),
    digits=st.integers(1, 20_000),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-be", "utf-32"]),
)
def test_deep_nesting_long_numbers_and_other_encodings_get_a_4xx(
    client: TestClient, depth: int, digits: int, encoding: str
) -> None:
    nested = "[" * depth + "]" * depth
    for raw in (f'{{"documents": {nested}}}', f'{{"documents": [{{"id": {"7" * digits}, "text": "5 died."}}]}}'):
        response = client.post("/v1/check", content=raw.encode(encoding), headers={"content-type": "application/json"})
        assert 400 < response.status_code < 500, response.text
        ErrorResponse.model_validate(response.json())


def check_text(client: TestClient, text: str) -> None:
    response = client.post("/v1/check", json={"documents": [{"id": "a", "text": text, "source": "Desk"}]})
    assert_answer(response)
    if response.status_code == 200:
        report = Report.model_validate(response.json())
        for figure in report.figures:
            assert text[figure.start : figure.end] == figure.text
    else:
        assert not text.strip() and response.status_code == 422


@SETTINGS
@given(text=any_text)
def test_any_unicode_text_is_checked(client: TestClient, text: str) -> None:
    check_text(client, text)


@SETTINGS
@given(text=news_like)
def test_news_like_text_is_checked(client: TestClient, text: str) -> None:
    check_text(client, text)


@SETTINGS
@given(texts=st.lists(news_like.filter(str.strip), min_size=2, max_size=3))
def test_several_news_like_documents_are_checked(client: TestClient, texts: list[str]) -> None:
    body = {"documents": [{"id": str(i), "text": t, "source": f"S{i}"} for i, t in enumerate(texts)]}
    response = client.post("/v1/check", json=body)
    assert response.status_code == 200, response.text
    Report.model_validate(response.json())


# --- schemathesis: requests generated from the app's own OpenAPI schema ---------------------------

OPERATIONS = [
    ("/v1/check", "POST", "positive"),
    ("/v1/check", "POST", "negative"),
    ("/healthz", "GET", "positive"),
    ("/healthz", "HEAD", "positive"),
    ("/readyz", "GET", "positive"),
    ("/version", "GET", "positive"),
    ("/v1/rules", "GET", "positive"),
]


@pytest.fixture(scope="session")
def api_schema(settings: Settings) -> Any:  # the session's settings fixture, not hypothesis's
    schemathesis = pytest.importorskip("schemathesis")
    # An app of its own: schemathesis starts and stops the app it calls, and the stop clears
    # what the session's shared app has loaded.
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings))


def unique_ids(case: Any) -> Any:
    # The schema cannot say that ids are unique within a request; valid requests must have them so.
    # Nor can it say which urls lead to a page: a document here always carries its text, so no
    # generated request sends numcheck to fetch one (tests/test_fetch.py fetches from a local server).
    documents = case.body.get("documents") if isinstance(case.body, dict) else None
    for index, document in enumerate(documents if isinstance(documents, list) else []):
        if isinstance(document, dict) and isinstance(document.get("id"), str):
            document["id"] = f"{document['id']}-{index}"
        if isinstance(document, dict) and document.get("text") is None:
            document["text"] = "Police said 12 people were evacuated."
    return case


@pytest.mark.parametrize(("path", "method", "mode"), OPERATIONS)
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_requests_from_the_openapi_schema(
    api_schema: Any, path: str, method: str, mode: str, data: Any
) -> None:
    """Valid requests are accepted, invalid ones refused, every answer matches the documented schema."""
    from schemathesis import GenerationMode
    from schemathesis.checks import negative_data_rejection

    strategy = api_schema[path][method].as_strategy(generation_mode=GenerationMode(mode))
    case = data.draw(strategy.map(unique_ids) if mode == "positive" else strategy)
    if mode == "positive":
        case.call_and_validate()
    else:
        # An invalid body may also be too large: 413 is as right an answer as 422 there.
        response = case.call_and_validate(excluded_checks=[negative_data_rejection])
        assert 400 <= response.status_code < 500, (case.body, case.headers, case.query)
