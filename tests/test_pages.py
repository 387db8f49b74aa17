"""The report page over HTTP: the form, a check through the API's model, limits and gate, errors
shown in plain words, and pages that load nothing from another host."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.api.deps import Runtime
from service.api.examples import SEED_ARTICLE
from service.api.limits import CheckGate
from service.settings import Settings

ARTICLE = SEED_ARTICLE.read_text(encoding="utf-8")
NO_FILE = {"doc-0-file": ("", b"", "application/octet-stream")}
# A URL with a scheme or starting with //: anything that would leave this server.
EXTERNAL = re.compile(
    r"""(?:src|href|action|url)\s*[=(]\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.IGNORECASE
)


class DocumentText(HTMLParser):
    """The text of each .doc-text element as a reader sees it, tooltips left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._depth = 0  # inside a .doc-text: element depth; 0 outside
        self._tip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._depth:
            self._depth += 1
            if "tip" in classes or self._tip:
                self._tip += 1
        elif "doc-text" in classes:
            self._depth = 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1
            if self._tip:
                self._tip -= 1

    def handle_data(self, data: str) -> None:
        if self._depth and not self._tip:
            self.texts[-1] += data


def document_texts(html: str) -> list[str]:
    parser = DocumentText()
    parser.feed(html)
    return parser.texts


def token(client: TestClient) -> dict[str, str]:
    """The CSRF field of the client's session (its cookie is set by the first page it opens)."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert match is not None
    return {"csrf_token": match.group(1)}


def post_form(client: TestClient, *blocks: tuple[str, str]) -> tuple[int, str]:
    data = token(client)
    for n, (source, text) in enumerate(blocks):
        data[f"doc-{n}-source"], data[f"doc-{n}-text"] = source, text
    response = client.post("/check", data=data, files=NO_FILE)
    return response.status_code, response.text


@pytest.fixture
def runtime(app: FastAPI, client: TestClient) -> Runtime:
    state: Runtime = app.state.runtime
    return state


def test_the_form_is_the_front_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    for name in ("doc-0-source", "doc-0-text", "doc-0-file"):
        assert f'name="{name}"' in response.text
    assert 'action="/check"' in response.text and 'enctype="multipart/form-data"' in response.text
    assert not EXTERNAL.search(response.text)


def test_the_seed_article_shows_its_flag_with_both_claims(client: TestClient) -> None:
    status, html = post_form(client, ("Khaama Press", ARTICLE))
    assert status == 200
    (card,) = re.findall(r'<article class="flag[^"]*".*?</article>', html, re.S)
    assert 'data-severity="high"' in card and 'data-status="open"' in card
    assert 'data-figures="f2 f4 f5"' in card
    claims = [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", c))).strip()
        for c in re.findall(r'<li class="claim".*?</li>', card, re.S)
    ]
    assert claims == [
        "TASS over 3,200 personnel allows 3,200–4,000",
        "Khaama Press 10,000 + 400 = 10,400 troops allows 10,400–13,000",
    ]
    assert "3,200–4,000 vs 10,400–13,000" in card
    # Why the figures were compared: each piece of the group's evidence, the figures named by their text.
    report = client.post(
        "/v1/check", json={"documents": [{"id": "d1", "text": ARTICLE, "source": "Khaama Press"}]}
    )
    (group,) = [
        g for g in report.json()["groups"] if g["id"] == report.json()["discrepancies"][0]["group_id"]
    ]
    (evidence_list,) = re.findall(r'<ul class="evidence">.*?</ul>', card, re.S)
    shown = [
        unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", evidence_list, re.S)
    ]
    assert len(shown) == len(group["evidence"]) > 0
    for line, evidence in zip(shown, group["evidence"], strict=True):
        assert line.endswith(evidence.split(": ", 1)[1]) and not re.match(r"f\d+ ~", line)
    # The text is shown as sent, every figure marked in it.
    assert document_texts(html) == [ARTICLE]
    flagged = re.findall(r'<mark class="fig[^"]*flagged[^"]*"[^>]*>([^<]*)</mark>', html)
    assert flagged == ["over 3,200 personnel", "at least 10,000 troops", "400"]
    assert not EXTERNAL.search(html)


def test_the_page_shows_what_the_api_answers(client: TestClient) -> None:
    documents = [
        {"id": "d1", "source": "TASS", "text": "TASS said over 3,200 personnel took part in the drills."},
        {
            "id": "d2",
            "source": "KP",
            "text": "At least 10,000 troops from Tajikistan and 400 from Russia took part.",
        },
    ]
    report = client.post("/v1/check", json={"documents": documents}).json()
    status, html = post_form(client, ("TASS", documents[0]["text"]), ("KP", documents[1]["text"]))
    assert status == 200
    assert html.count('<article class="flag') == len(report["discrepancies"]) > 0
    assert html.count('<mark class="fig') == len(report["figures"])
    assert document_texts(html) == [d["text"] for d in documents]


def test_an_uploaded_html_page_is_checked_as_its_article_text(client: TestClient) -> None:
    page = (
        f"<html><head><meta property='og:site_name' content='Khaama Press'></head><body><nav>Menu 24/7</nav>"
        f"<article>{''.join(f'<p>{line}</p>' for line in ARTICLE.splitlines())}</article></body></html>"
    )
    response = client.post(
        "/check",
        data={"doc-0-source": "", **token(client)},
        files={"doc-0-file": ("kp.html", page.encode(), "text/html")},
    )
    assert response.status_code == 200
    assert "Report: Khaama Press" in response.text
    assert 'data-severity="high"' in response.text
    (text,) = document_texts(response.text)
    assert "Menu" not in text and "over 3,200 personnel" in text
    # shown again in the form, to be edited and checked again
    assert "Read from kp.html." in response.text


@pytest.mark.parametrize(
    ("update", "blocks", "says"),
    [
        (
            {"max_document_chars": 100},
            [("TASS", "x " * 60)],
            "Document 1 (TASS), text: 120 characters, at most 100",
        ),
        ({"max_documents": 1}, [("A", "12 dead"), ("B", "13 dead")], "Too many documents: 2 sent, at most 1"),
    ],
)
def test_over_a_limit_the_page_says_so_and_keeps_the_texts(
    client: TestClient,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    update: dict[str, int],
    blocks: list[tuple[str, str]],
    says: str,
) -> None:
    monkeypatch.setattr(runtime, "settings", runtime.settings.model_copy(update=update))
    status, html = post_form(client, *blocks)
    assert status == 413
    assert "Too much to check at once" in html and 'role="alert"' in html
    assert says in unescape(html)
    for source, text in blocks:
        assert f'value="{source}"' in html and f">\n{text}</textarea>" in html


def test_a_body_over_the_limit_is_answered_with_a_page_not_json(settings: Settings) -> None:
    # No start-up: the body is refused before any route runs.
    app = create_app(settings.model_copy(update={"max_body_bytes": 1_000}))
    client = TestClient(app)
    page = client.post("/check", data={"doc-0-text": "x" * 2_000}, files=NO_FILE)
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "more than 1,000 bytes" in page.text and "Go back to your texts" in page.text
    api = client.post("/v1/check", json={"documents": [{"id": "a", "text": "x" * 2_000}]})
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    ("files", "data", "says"),
    [
        (NO_FILE, {"doc-0-source": "", "doc-0-text": " "}, "Paste the text of a document, or choose a file."),
        (NO_FILE, {"doc-0-source": "TASS", "doc-0-text": ""}, "Document 1 (TASS): has no text"),
        (
            {"doc-0-file": ("scan.pdf", b"%PDF-1.4", "application/pdf")},
            {},
            "Document 1: &#39;scan.pdf&#39; is not a .txt or .html file",
        ),
        (
            NO_FILE,
            {"doc-0-source": "S" * 501, "doc-0-text": "12 dead"},
            "source name: String should have at most 500",
        ),
    ],
)
def test_a_form_that_cannot_be_checked_says_what_to_fix(
    client: TestClient, files: dict[str, tuple[str, bytes, str]], data: dict[str, str], says: str
) -> None:
    response = client.post("/check", data={**data, **token(client)}, files=files)
    assert response.status_code == 422
    assert "Some of the form needs fixing" in response.text
    assert says in response.text


def test_a_busy_server_asks_to_wait_and_keeps_the_texts(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "gate", CheckGate(capacity=0))
    status, html = post_form(client, ("TASS", "Over 3,200 personnel took part."))
    assert status == 503
    assert "numcheck is busy" in html and "Wait a few seconds" in html
    assert ">\nOver 3,200 personnel took part.</textarea>" in html


def test_a_server_still_starting_says_so(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "rules", None)
    response = client.post("/check", data={"doc-0-text": "12 dead", **token(client)}, files=NO_FILE)
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    assert "numcheck is still starting" in response.text


def test_reloading_the_report_address_goes_to_the_form(client: TestClient) -> None:
    response = client.get("/check", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/")


def test_the_pages_are_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/", "/check", "/docs", "/redoc"} & set(paths)


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_their_assets_from_this_server(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert not EXTERNAL.search(response.text), EXTERNAL.search(response.text)
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', response.text)
    assert len(assets) >= (3 if path == "/docs" else 2)
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 100
    assert "default-src 'self'" in response.headers["content-security-policy"]


@pytest.fixture(scope="module")
def static_files(client: TestClient) -> Iterator[dict[str, str]]:
    yield {
        name: client.get(f"/static/{name}").text for name in ("numcheck.css", "numcheck.js", "favicon.svg")
    }


def test_the_page_assets_name_no_other_host(static_files: dict[str, str]) -> None:
    for name, text in static_files.items():
        assert text, name
        urls = re.findall(r"[a-z]+://[^\s\"')]+", text)
        assert urls in ([], ["http://www.w3.org/2000/svg"]), (name, urls)


@pytest.mark.parametrize(
    ("html", "external"),
    [
        ('<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js">', True),
        ("<link href='//fonts.googleapis.com/css?family=Montserrat'>", True),
        ("body { background: url(http://example.org/a.png) }", True),
        ('<script src="/static/api-docs/swagger-ui-bundle.js">', False),
        ('<a href="#flag-d1">', False),
    ],
)
def test_the_external_host_check_tells_them_apart(html: str, external: bool) -> None:
    assert bool(EXTERNAL.search(html)) is external


def test_redoc_is_served_without_the_logo_it_would_fetch_from_a_cdn(client: TestClient) -> None:
    bundle = client.get("/static/api-docs/redoc.standalone.js")
    assert bundle.status_code == 200 and bundle.headers["content-type"].startswith("text/javascript")
    assert b"cdn.redoc.ly" not in bundle.content
    assert b'alt:"redocly logo",onError' in bundle.content  # the rest of the bundle as shipped
