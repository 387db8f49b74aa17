"""The server's limits for slow and idle clients, on a real socket (loopback, a few seconds):
headers and bodies have deadlines, connections have a bound, and the lines they log are few."""

from __future__ import annotations

import logging
import platform
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from bench.serving import closed_within
from service.api.server import GuardedH11Protocol, RateLimitFilter
from service.memory import resident_mb, trim_if_above
from service.settings import get_settings

PORT = 8231
MAX_CONNECTIONS = 200
SLOW_CLIENTS = 300


async def tiny_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers any complete request with 204 once its body is in."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    patch = pytest.MonkeyPatch()
    patch.setenv("NUMCHECK_HEADER_TIMEOUT_SECONDS", "1")
    patch.setenv("NUMCHECK_BODY_TIMEOUT_SECONDS", "1")
    patch.setenv("NUMCHECK_MAX_CONNECTIONS", str(MAX_CONNECTIONS))
    get_settings.cache_clear()
    config = uvicorn.Config(tiny_app, host="127.0.0.1", port=PORT, http=GuardedH11Protocol, log_level="warning",
                            lifespan="off", timeout_keep_alive=1)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield PORT
    finally:
        running.should_exit = True
        thread.join(timeout=10)
        patch.undo()
        get_settings.cache_clear()


def _connect(port: int, data: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if data:
        sock.sendall(data)
    return sock


def test_a_complete_request_is_answered(server: int) -> None:
    with _connect(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n") as sock:
        assert sock.recv(100).startswith(b"HTTP/1.1 204")


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # a connection that sends nothing
        b"POST /v1/check HTTP/1.1\r\nHost: x\r\n",  # headers never finished
        b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"doc",  # a body cut short
    ],
    ids=["silent", "headers", "body"],
)
def test_a_request_that_never_finishes_is_closed_within_its_deadline(server: int, sent: bytes) -> None:
    started = time.monotonic()
    with _connect(server, sent) as sock:
        assert closed_within(sock, 5)
    assert time.monotonic() - started < 4


def test_hundreds_of_slow_clients_are_bounded_and_closed_and_the_server_still_answers(server: int) -> None:
    socks = [_connect(server, b"POST /v1/check HTTP/1.1\r\nHost: x\r\n") for _ in range(SLOW_CLIENTS)]
    try:
        refused = 0
        for sock in socks[MAX_CONNECTIONS:]:
            sock.settimeout(2)
            refused += sock.recv(200).startswith(b"HTTP/1.1 503")
        assert refused == SLOW_CLIENTS - MAX_CONNECTIONS
        started = time.monotonic()
        assert all(closed_within(sock, 5) for sock in socks)
        assert time.monotonic() - started < 4
        with _connect(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n") as sock:
            assert sock.recv(100).startswith(b"HTTP/1.1 204")
    finally:
        for sock in socks:
            sock.close()


def test_a_flood_of_one_log_line_is_logged_once_with_a_count() -> None:
    limit = RateLimitFilter(seconds=60)
    records = [logging.LogRecord("asyncio", logging.ERROR, "", 0, "accept() out of system resource", (), None)
               for _ in range(1000)]
    passed = [r for r in records if limit.filter(r)]
    assert len(passed) == 1
    limit._last = {k: v - 61 for k, v in limit._last.items()}  # the next period
    later = logging.LogRecord("asyncio", logging.ERROR, "", 0, "accept() out of system resource", (), None)
    assert limit.filter(later)
    assert later.msg == "accept() out of system resource (999 more like this in the last 60 s not logged)"


def test_a_draining_server_answers_health_checks_503_at_once(client: TestClient) -> None:
    gate = client.app.state.runtime.gate  # type: ignore[attr-defined]
    gate.draining = True
    try:
        for method in ("GET", "HEAD"):
            response = client.request(method, "/healthz")
            assert response.status_code == 503
        assert client.get("/readyz").status_code == 503
        check = client.post("/v1/check", json={"documents": [{"id": "a", "text": "5 died."}]})
        assert (check.status_code, check.json()["error"]["code"]) == (503, "draining")
    finally:
        gate.draining = False
    assert client.head("/healthz").status_code == 200


def test_memory_past_the_mark_is_returned_after_a_check() -> None:
    resident = resident_mb()
    if resident is None:
        pytest.skip("no /proc/self/statm on this system")
    assert trim_if_above(0) is False  # 0 never trims
    assert trim_if_above(int(resident) + 10_000) is False  # below the mark: memory is kept
    assert trim_if_above(1) is (platform.libc_ver()[0] == "glibc")
