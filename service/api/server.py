"""How the API is served: uvicorn, with the limits it lacks for slow or idle clients.

uvicorn closes an idle keep-alive connection (`timeout_keep_alive`), but sets no deadline for a
connection that never finishes its request line and headers, or its body, and keeps accepting
connections until the process runs out of file descriptors; its `limit_concurrency` answers
503 only once a request's headers have arrived. So each worker's connections go through
`GuardedH11Protocol` (uvicorn's h11 protocol, given to it as `http=`): a request must finish
its headers within NUMCHECK_HEADER_TIMEOUT_SECONDS of its first byte and its body within
NUMCHECK_BODY_TIMEOUT_SECONDS after them, or the connection is closed; a connection beyond
NUMCHECK_MAX_CONNECTIONS is answered 503 at once and closed. Log lines about running short of
connections or descriptors are rate-limited (`RateLimitFilter`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..settings import get_settings
from .limits import CheckGate

logger = logging.getLogger("numcheck.server")


def _refusal(retry_after: int) -> bytes:
    body = json.dumps(
        {
            "error": {
                "code": "busy",
                "message": "This worker has as many connections open as it takes: retry after the number "
                "of seconds in the Retry-After header.",
                "details": [],
            }
        }
    ).encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
        f"retry-after: {retry_after}\r\nconnection: close\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with header and body deadlines and a bound on connections."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.header_timeout = settings.header_timeout_seconds
        self.body_timeout = settings.body_timeout_seconds
        self.max_connections = settings.max_connections
        self.retry_after = settings.retry_after_seconds
        self.read_deadline: asyncio.TimerHandle | None = None
        self.reading: str | None = None  # "headers" or "body" while a deadline runs

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            logger.warning("refused a connection: %d open, the most this worker takes", len(self.connections) - 1)
            transport.write(_refusal(self.retry_after))
            transport.close()
            return
        self._expect("headers", self.header_timeout)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _follow(self) -> None:
        """Set the deadline for what the client owes now: the rest of its headers, its body, or
        nothing (its request is in; between requests uvicorn's keep-alive timeout applies)."""
        if self.transport is None or self.transport.is_closing():
            return
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            if self.reading != "body":
                self._expect("body", self.body_timeout)
        elif state is h11.IDLE and self.conn.trailing_data[0]:
            if self.reading != "headers":  # the next request has begun
                self._expect("headers", self.header_timeout)
        else:
            self._cancel()

    def _expect(self, what: str, seconds: float) -> None:
        self._cancel()
        self.reading = what
        self.read_deadline = self.loop.call_later(seconds, self._too_slow, what, seconds)

    def _cancel(self) -> None:
        if self.read_deadline is not None:
            self.read_deadline.cancel()
        self.read_deadline, self.reading = None, None

    def _too_slow(self, what: str, seconds: float) -> None:
        self.read_deadline, self.reading = None, None
        if self.transport.is_closing():
            return
        logger.warning("closed a connection that did not send its request %s within %g s", what, seconds)
        self.transport.close()


class RateLimitFilter(logging.Filter):
    """Let through one record of each message template per `seconds`; the next one that passes
    says how many were held back. For lines a flood of connections repeats by the thousand."""

    def __init__(self, seconds: float = 10.0) -> None:
        super().__init__()
        self.seconds = seconds
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = f"{record.name}:{record.msg}"
        now = time.monotonic()
        if now - self._last.get(key, -self.seconds) < self.seconds:
            self._held[key] = self._held.get(key, 0) + 1
            return False
        self._last[key] = now
        held = self._held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like this in the last {self.seconds:g} s not logged)"
        return True


# Loggers whose lines repeat once per connection when connections or descriptors run short.
FLOODED = ("asyncio", "numcheck.server", "uvicorn.error")


def install_rate_limits(seconds: float = 10.0) -> None:
    for name in FLOODED:
        log = logging.getLogger(name)
        if not any(isinstance(f, RateLimitFilter) for f in log.filters):
            log.addFilter(RateLimitFilter(seconds))


def drain_on_signals(gate: CheckGate, seconds: float) -> None:
    """On SIGTERM or SIGINT, drain before stopping: for up to `seconds`, keep listening, answer
    /healthz, /readyz and new checks with 503 (a load balancer moves away) and let the checks
    running finish; then stop those still running and hand the signal to the server. A second
    signal stops at once. Only where the server's own handlers are installed (its main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        stop = signal.getsignal(sig)
        if not callable(stop):
            continue

        def handler(signum: int, frame: FrameType | None, stop: Callable[..., Any] = stop) -> None:
            if gate.draining:
                stop(signum, frame)
                return
            gate.draining = True
            loop.call_soon_threadsafe(loop.create_task, _drain(gate, seconds, lambda: stop(signum, frame)))

        signal.signal(sig, handler)


async def _drain(gate: CheckGate, seconds: float, stop: Callable[[], None]) -> None:
    logger.info("draining: %d check(s) running or waiting, stopping within %g s", gate.admitted, seconds)
    deadline = time.monotonic() + seconds
    while gate.admitted and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    if gate.admitted:
        logger.warning("drain time over: %d check(s) stopped", gate.abandon_all())
    stop()
