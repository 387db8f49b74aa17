"""A document's text fetched from its url: the article extracted from the page (trafilatura), with its date.

The url is a client's, so the fetch is guarded against server-side request forgery: the host
is resolved once and the connection made to that address (the Host header and the TLS server
name stay the host's), and no address of this machine, its networks or a cloud's metadata
service is ever contacted, however the name resolves and wherever a redirect points (every
hop is checked again). Only http and https, only HTML and plain text, and the whole fetch is
bounded in time, bytes and redirects (settings `fetch_*`). Every failure is an InputError that
names the document's url and what went wrong.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from .errors import InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services that answer on addresses a public-address test lets through.
METADATA_NETWORKS = [
    ipaddress.ip_network(n)
    for n in ("169.254.169.254/32", "168.63.129.16/32", "100.100.100.200/32", "192.0.0.192/32", "fd00:ec2::254/128")
]
# IPv6 ranges that carry an IPv4 address inside (NAT64), checked as that address.
_NAT64 = [ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48")]
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
# Documents fetched at once for one request.
FETCH_THREADS = 4
USER_AGENT = "numcheck (fact-checking the figures in news copy)"


@dataclass(frozen=True)
class FetchLimits:
    timeout: float  # seconds for the whole fetch of one url, redirects included
    max_bytes: int
    max_redirects: int
    allow_private: bool  # fetch from any address: only for tests against a local server


@dataclass(frozen=True)
class Fetched:
    url: str  # where the text was found, after redirects
    text: str
    published: str | None  # ISO date from the page's metadata


class FetchFailed(Exception):
    """Why one url could not be read; `kind` is the error detail's type."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def refusal(address: IPAddress) -> str | None:
    """Why numcheck never connects to `address`, or None where it may."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is None and any(address in n for n in _NAT64):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return refusal(embedded)
    if any(address in n for n in METADATA_NETWORKS):
        return "a cloud metadata service"
    for test, what in (
        ("is_loopback", "this machine (loopback)"),
        ("is_unspecified", "an unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private network"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(address, test):
            return what
    return None if address.is_global else "an address that is not public"


def resolve(host: str, port: int, allow_private: bool) -> IPAddress:
    """The address to connect to for `host`: its first, once every address it resolves to is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed("url_unreachable", f"the host {host} cannot be found ({exc})") from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))
    if not addresses:
        raise FetchFailed("url_unreachable", f"the host {host} has no address")
    if not allow_private:
        for address in addresses:
            why = refusal(address)
            if why is not None:
                raise FetchFailed(
                    "url_address_refused",
                    f"the host {host} resolves to {address}, {why}: numcheck fetches only from public addresses",
                )
    return addresses[0]


class PinnedTransport(httpx.BaseTransport):
    """Connects each request, redirects included, to the one address its host was resolved to and checked."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.inner = httpx.HTTPTransport(retries=0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise FetchFailed("url_scheme", f"{url} is not an http or https address")
        host = url.host
        address = resolve(host, url.port or (443 if url.scheme == "https" else 80), self.allow_private)
        # The request the client keeps names the host (redirects are read against it); the one
        # sent goes to the address, with the host in its Host header and as the TLS server name.
        pinned = httpx.Request(
            request.method,
            url.copy_with(host=str(address)),
            headers=request.headers,
            stream=request.stream,
            extensions={**request.extensions, "sni_hostname": host},
        )
        return self.inner.handle_request(pinned)

    def close(self) -> None:
        self.inner.close()


def fetch(url: str, limits: FetchLimits) -> Fetched:
    """The article text at `url` and its published date."""
    deadline = time.monotonic() + limits.timeout
    with httpx.Client(
        transport=PinnedTransport(limits.allow_private),
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        timeout=httpx.Timeout(limits.timeout),
        trust_env=False,  # a proxy from the environment would connect where it likes
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html, application/xhtml+xml, text/plain;q=0.9",
            # A compressed page counts against the byte limit only once decompressed: ask for none.
            "Accept-Encoding": "identity",
        },
    ) as client:
        try:
            with client.stream("GET", url) as response:
                return _read(response, limits, deadline)
        except httpx.TooManyRedirects:
            raise FetchFailed("url_redirects", f"more than {limits.max_redirects} redirects") from None
        except httpx.TimeoutException:
            raise FetchFailed("url_timeout", f"no answer within {limits.timeout:g} seconds") from None
        except httpx.InvalidURL as exc:
            raise FetchFailed("url_invalid", f"not a valid address ({exc})") from None
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise FetchFailed("url_unreachable", f"cannot connect ({exc or type(exc).__name__})") from None


def _read(response: httpx.Response, limits: FetchLimits, deadline: float) -> Fetched:
    where = str(response.url)
    if response.status_code >= 400:
        raise FetchFailed("url_status", f"{where} answered {response.status_code} {response.reason_phrase}")
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ACCEPTED_TYPES:
        raise FetchFailed(
            "url_content_type",
            f"{where} is {media_type or 'of no stated type'}: numcheck reads HTML and plain text pages",
        )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchFailed("url_too_large", _too_large(where, limits))
    body = bytearray()
    for chunk in _chunks(response, deadline, limits):
        body += chunk
        if len(body) > limits.max_bytes:
            raise FetchFailed("url_too_large", _too_large(where, limits))
    if media_type == "text/plain":
        text, published = bytes(body).decode(response.charset_encoding or "utf-8", errors="replace"), None
    else:
        text, published = _extract(bytes(body), where)
    if not text.strip():
        raise FetchFailed("url_no_text", f"{where} holds no article text numcheck can extract")
    return Fetched(where, text, published)


def _chunks(response: httpx.Response, deadline: float, limits: FetchLimits) -> Iterator[bytes]:
    for chunk in response.iter_bytes():
        if time.monotonic() > deadline:
            raise FetchFailed("url_timeout", f"the page took more than {limits.timeout:g} seconds to arrive")
        yield chunk


def _too_large(where: str, limits: FetchLimits) -> str:
    return f"{where} is larger than {limits.max_bytes:,} bytes"


def _extract(html: bytes, url: str) -> tuple[str, str | None]:
    """The article's main text and publication date, as trafilatura reads them."""
    import trafilatura  # about a second to import: only for a check that fetches

    found: Any = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        # The date the page states in its markup, not a guess from dates in its text.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if found is None:
        return "", None
    return str(found.text or ""), found.date or None


def fetch_all(urls: Sequence[str], limits: FetchLimits) -> list[Fetched | FetchFailed]:
    """Each url's fetch, or why it failed, a few at a time."""

    def one(url: str) -> Fetched | FetchFailed:
        try:
            return fetch(url, limits)
        except FetchFailed as exc:
            return exc

    if len(urls) == 1:
        return [one(urls[0])]
    with ThreadPoolExecutor(max_workers=min(FETCH_THREADS, len(urls)), thread_name_prefix="numcheck-fetch") as pool:
        return list(pool.map(one, urls))


def failed(problems: list[dict[str, str]]) -> InputError:
    first = problems[0]
    message = f"Cannot read the document at {first['location']}: {first['message']}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more listed in details)"
    return InputError(message, problems)
