"""Documents sent as a url: fetched from a real local HTTP server (allowed only by the explicit
setting), refused without it, and every failure a clear 4xx naming the url and what went wrong."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bench.chromium import port_range
from service import cli, fetch
from service.api.app import create_app
from service.fetch import FetchFailed, FetchLimits, PinnedTransport, refusal
from service.models import Report
from service.settings import Settings, get_settings

# The ports this project's tests may serve on.
PORTS = port_range(range(8250, 8300))
ARTICLE = (
    "Thousands of troops took part in drills near Dushanbe on Thursday, officials said. "
    "According to TASS, over 3,200 personnel took part in the exercise. "
    "KP says at least 10,000 troops from Tajikistan and 400 from Russia participated."
)
PAGE = f"""<!doctype html><html><head><title>Drills near Dushanbe</title>
<meta property="article:published_time" content="2024-07-11T10:00:00+05:00"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | 2 new messages</nav>
<article><h1>Troops hold drills near Dushanbe</h1><p>{ARTICLE}</p></article>
<footer>Copyright 2024. All 12 rights reserved.</footer></body></html>""".encode()
PLAIN = b"Police said 12 people were evacuated. The mayor said 40 were."


class Pages(BaseHTTPRequestHandler):
    hosts: list[str] = []

    def do_GET(self) -> None:
        Pages.hosts.append(self.headers.get("Host", ""))
        path = self.path
        if path == "/article.html":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif path == "/plain.txt":
            self._send(200, "text/plain; charset=utf-8", PLAIN)
        elif path == "/moved":
            self._redirect("/article.html")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif path == "/image.png":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
        elif path == "/untyped":
            self._send(200, "", b"<html><body><p>12 people.</p></body></html>")
        elif path == "/empty.html":
            self._send(200, "text/html", b"<html><head><title>x</title></head><body></body></html>")
        elif path == "/big.html":
            self._send(200, "text/html", b"<p>" + b"12 people came. " * 1000 + b"</p>")
        elif path == "/big-unsized.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no length: read until the server closes
            self.wfile.write(b"<p>" + b"12 people came. " * 1000 + b"</p>")
            self.close_connection = True
        elif path == "/slow.html":
            time.sleep(4.5)
            self._send(200, "text/html", PAGE)
        else:
            self._send(404, "text/plain", b"no such page")

    def _send(self, status: int, media_type: str, body: bytes) -> None:
        self.send_response(status)
        if media_type:
            self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _free_port(taken: frozenset[int] = frozenset()) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {PORTS}")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real HTTP server on this machine, on one of the ports this project's tests use."""
    for port in PORTS:
        try:
            httpd = ThreadingHTTPServer(("127.0.0.1", port), Pages)
            break
        except OSError:
            continue
    else:
        pytest.fail(f"no free port in {PORTS.start}-{PORTS.stop - 1}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = FetchLimits(timeout=3.0, max_bytes=10_000, max_redirects=3, allow_private=True)


@pytest.fixture(scope="module")
def local_client(settings: Settings) -> Iterator[TestClient]:
    """An app that may fetch from this machine (NUMCHECK_FETCH_ALLOW_PRIVATE_ADDRESSES=true)."""
    app = create_app(settings.model_copy(update={
        "fetch_allow_private_addresses": True, "fetch_timeout_seconds": 3.0, "fetch_max_bytes": 10_000,
        "fetch_max_redirects": 3,
    }))
    with TestClient(app) as client:
        yield client


# --- fetching and extracting -----------------------------------------------------------------------


def test_a_page_is_fetched_and_its_article_and_date_extracted(server: str) -> None:
    found = fetch.fetch(f"{server}/article.html", LOCAL)
    assert found.text == f"Troops hold drills near Dushanbe\n{ARTICLE}"
    assert found.published == "2024-07-11"
    assert found.url == f"{server}/article.html"


def test_a_plain_text_page_is_taken_as_it_is(server: str) -> None:
    assert fetch.fetch(f"{server}/plain.txt", LOCAL).text == PLAIN.decode()


def test_a_redirect_is_followed_and_the_host_header_names_the_host(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    Pages.hosts.clear()
    found = fetch.fetch(f"http://localhost:{port}/moved", LOCAL)
    assert found.url == f"http://localhost:{port}/article.html"
    # connected to the address 'localhost' resolved to, with the name kept for the server
    assert Pages.hosts == [f"localhost:{port}"] * 2


def test_the_connection_goes_to_the_checked_address_with_the_host_as_tls_server_name() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, text="ok")

    transport = PinnedTransport(allow_private=True)
    transport.inner = httpx.MockTransport(answer)  # type: ignore[assignment]
    with httpx.Client(transport=transport) as client:
        client.get("https://localhost:8443/news?id=1")
    [request] = sent
    assert str(request.url) in ("https://127.0.0.1:8443/news?id=1", "https://[::1]:8443/news?id=1")
    assert request.headers["Host"] == "localhost:8443"
    assert request.extensions["sni_hostname"] == "localhost"


FAILURES = [
    ("/loop", "url_redirects", "more than 3 redirects"),
    ("/to-file", "url_scheme", "/etc/passwd is not an http or https address"),
    ("/image.png", "url_content_type", "/image.png is image/png: numcheck reads HTML and plain text pages"),
    ("/untyped", "url_content_type", "/untyped is of no stated type"),
    ("/empty.html", "url_no_text", "/empty.html holds no article text numcheck can extract"),
    ("/big.html", "url_too_large", "/big.html is larger than 10,000 bytes"),
    ("/big-unsized.html", "url_too_large", "/big-unsized.html is larger than 10,000 bytes"),
    ("/slow.html", "url_timeout", "no answer within 3 seconds"),
    ("/missing", "url_status", "/missing answered 404 Not Found"),
]


@pytest.mark.parametrize(("path", "kind", "phrase"), FAILURES, ids=[k for _, k, _ in FAILURES])
def test_a_page_that_cannot_be_read_says_why(server: str, path: str, kind: str, phrase: str) -> None:
    with pytest.raises(FetchFailed) as failed:
        fetch.fetch(f"{server}{path}", LOCAL)
    assert failed.value.kind == kind
    assert phrase in failed.value.message


def test_a_closed_port_is_unreachable(server: str) -> None:
    port = _free_port(frozenset({int(server.rsplit(":", 1)[1])}))
    with pytest.raises(FetchFailed, match=r"^cannot connect") as failed:
        fetch.fetch(f"http://127.0.0.1:{port}/", LOCAL)
    assert failed.value.kind == "url_unreachable"


def test_an_unknown_host_is_unreachable() -> None:
    with pytest.raises(FetchFailed, match=r"^the host news\.invalid cannot be found") as failed:
        fetch.fetch("http://news.invalid/a", LOCAL)
    assert failed.value.kind == "url_unreachable"


# --- addresses that are never fetched from ------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "this machine (loopback)"),
        ("127.8.9.10", "this machine (loopback)"),
        ("::1", "this machine (loopback)"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("10.1.2.3", "a private network"),
        ("172.16.0.1", "a private network"),
        ("192.168.1.1", "a private network"),
        ("fd12:3456::1", "a private network"),
        ("100.64.0.1", "an address that is not public"),
        ("169.254.1.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.251", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("240.0.0.1", "a private network"),
        ("192.0.2.1", "a private network"),
        # cloud metadata services
        ("169.254.169.254", "a cloud metadata service"),
        ("168.63.129.16", "a cloud metadata service"),
        ("100.100.100.200", "a cloud metadata service"),
        ("192.0.0.192", "a cloud metadata service"),
        ("fd00:ec2::254", "a cloud metadata service"),
        # IPv4 inside IPv6: mapped, 6to4, NAT64, Teredo
        ("::ffff:127.0.0.1", "this machine (loopback)"),
        ("::ffff:169.254.169.254", "a cloud metadata service"),
        ("2002:0a00:0001::1", "a private network"),
        ("64:ff9b::7f00:1", "this machine (loopback)"),
        ("64:ff9b::a9fe:a9fe", "a cloud metadata service"),
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "a private network"),
        # public
        ("93.184.215.14", None),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
        ("::ffff:93.184.215.14", None),
    ],
)
def test_which_addresses_are_refused(address: str, why: str | None) -> None:
    assert refusal(ipaddress.ip_address(address)) == why


def test_without_the_setting_a_local_server_is_refused(server: str) -> None:
    limits = FetchLimits(timeout=1.0, max_bytes=10_000, max_redirects=3, allow_private=False)
    Pages.hosts.clear()
    with pytest.raises(FetchFailed) as failed:
        fetch.fetch(f"{server}/article.html", limits)
    assert failed.value.kind == "url_address_refused"
    assert failed.value.message == (
        "the host 127.0.0.1 resolves to 127.0.0.1, this machine (loopback): numcheck fetches only from public "
        "addresses"
    )
    assert Pages.hosts == []  # nothing was sent


def test_every_redirect_is_checked_again(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Let this server count as public: its redirect to a metadata address is still refused.
    real = fetch.refusal
    monkeypatch.setattr(fetch, "refusal", lambda a: None if str(a) == "127.0.0.1" else real(a))
    limits = FetchLimits(timeout=1.0, max_bytes=10_000, max_redirects=3, allow_private=False)
    assert fetch.fetch(f"{server}/moved", limits).text.startswith("Troops hold drills")
    with pytest.raises(FetchFailed, match=r"resolves to 169\.254\.169\.254, a cloud metadata service") as failed:
        fetch.fetch(f"{server}/to-metadata", limits)
    assert failed.value.kind == "url_address_refused"


def test_a_host_with_any_refused_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # A name that resolves to a public and a private address is not fetched from either.
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80)),
               (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 80))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(FetchFailed, match=r"^the host news\.example resolves to 10\.0\.0\.5, a private network"):
        fetch.resolve("news.example", 80, allow_private=False)


# --- through the API and the command line ---------------------------------------------------------------


def test_the_api_checks_the_text_it_fetched(local_client: TestClient, server: str) -> None:
    body = {"documents": [{"id": "drills", "url": f"{server}/article.html", "source": "Desk"}]}
    response = local_client.post("/v1/check", json=body)
    assert response.status_code == 200, response.text
    report = Report.model_validate(response.json())
    [document] = report.documents
    assert (document.id, document.url, str(document.published)) == ("drills", f"{server}/article.html", "2024-07-11")
    assert document.text == f"Troops hold drills near Dushanbe\n{ARTICLE}"
    # offsets index the extracted text, which the report returns
    assert {f.text for f in report.figures} >= {"over 3,200 personnel", "at least 10,000 troops"}
    for figure in report.figures:
        assert document.text[figure.start : figure.end] == figure.text
    assert [d.kind for d in report.discrepancies] == ["conflicting_accounts"]


def test_a_date_the_client_gives_wins_over_the_pages(local_client: TestClient, server: str) -> None:
    body = {"documents": [{"id": "a", "url": f"{server}/article.html", "published": "2024-07-12T08:00:00Z"}]}
    assert local_client.post("/v1/check", json=body).json()["documents"][0]["published"] == "2024-07-12"


def test_a_document_with_text_is_not_fetched(local_client: TestClient, server: str) -> None:
    Pages.hosts.clear()
    body = {"documents": [{"id": "a", "text": "12 people came.", "url": f"{server}/article.html"}]}
    assert local_client.post("/v1/check", json=body).json()["documents"][0]["text"] == "12 people came."
    assert Pages.hosts == []


def test_the_api_refuses_a_local_page_without_the_setting(client: TestClient, server: str) -> None:
    response = client.post("/v1/check", json={"documents": [{"id": "a", "url": f"{server}/article.html"}]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["message"] == (
        "Cannot read the document at documents -> 0 -> url: the host 127.0.0.1 resolves to 127.0.0.1, this "
        "machine (loopback): numcheck fetches only from public addresses"
    )
    assert error["details"][0]["type"] == "url_address_refused"


@pytest.mark.parametrize(("path", "kind", "phrase"), FAILURES[:3], ids=[k for _, k, _ in FAILURES[:3]])
def test_every_failure_is_a_422_naming_the_document(
    local_client: TestClient, server: str, path: str, kind: str, phrase: str
) -> None:
    body = {"documents": [{"id": "ok", "text": "12 people came."}, {"id": "a", "url": f"{server}{path}"}]}
    response = local_client.post("/v1/check", json=body)
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert (detail["location"], detail["type"]) == ("documents -> 1 -> url", kind)
    assert phrase in detail["message"]


def test_each_failing_url_is_listed(local_client: TestClient, server: str) -> None:
    body = {"documents": [{"id": "a", "url": f"{server}/missing"}, {"id": "b", "url": f"{server}/image.png"},
                          {"id": "c", "url": f"{server}/plain.txt"}]}
    error = local_client.post("/v1/check", json=body).json()["error"]
    assert [d["location"] for d in error["details"]] == ["documents -> 0 -> url", "documents -> 1 -> url"]
    assert error["message"].endswith("(and 1 more listed in details)")


def test_a_fetched_text_longer_than_a_document_may_be_is_a_413(settings: Settings, server: str) -> None:
    app = create_app(settings.model_copy(update={"fetch_allow_private_addresses": True, "max_document_chars": 50}))
    with TestClient(app) as client:
        response = client.post("/v1/check", json={"documents": [{"id": "a", "url": f"{server}/article.html"}]})
    assert response.status_code == 413
    [detail] = response.json()["error"]["details"]
    assert detail["location"] == "documents -> 0 -> url"
    assert detail["message"].startswith(f"the text extracted from {server}/article.html has 263 characters")


@pytest.mark.parametrize(
    ("document", "phrase"),
    [
        ({"id": "a", "url": "ftp://example.org/a.txt"}, "url 'ftp://example.org/a.txt' is not an http or https"),
        ({"id": "a", "url": "example.org/a"}, "url 'example.org/a' is not an http or https address"),
        ({"id": "a"}, "no text and no url: send the copy as text, or the url of its page"),
    ],
)
def test_a_url_that_cannot_be_fetched_is_refused_before_any_fetch(
    client: TestClient, document: dict[str, str], phrase: str
) -> None:
    response = client.post("/v1/check", json={"documents": [document]})
    assert response.status_code == 422
    assert phrase in response.json()["error"]["message"]


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_command_line_fetches_a_url_only_with_the_setting(
    server: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    url = f"{server}/article.html"
    code = cli.main(["check", url, "--format", "text"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith("numcheck: Cannot read the document at documents -> 0 -> url: the host 127.0.0.1")
    monkeypatch.setenv("NUMCHECK_FETCH_ALLOW_PRIVATE_ADDRESSES", "true")
    get_settings.cache_clear()
    code = cli.main(["check", url, "--format", "text"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert '  article, sentence 4: "KP says at least 10,000 troops from Tajikistan' in out


def test_a_url_argument_is_named_by_its_path(tmp_path: Path) -> None:
    assert cli._file_document("https://news.example/world/drills-2024.html", "Desk") == {
        "id": "drills-2024", "url": "https://news.example/world/drills-2024.html", "source": "Desk",
    }
    assert cli._file_document("https://news.example/", None)["id"] == "news.example"
