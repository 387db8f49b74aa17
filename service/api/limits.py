"""Limits that protect a worker: the body size, and how many checks may run or wait."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, TypeVar

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import BodyTooLarge, Busy, WatchedSend, error_response
from .request import body_too_large

T = TypeVar("T")


class BodyLimitMiddleware:
    """Answer 413 once a request body passes `max_bytes`.

    A Content-Length above the limit is refused before anything is read. Content-Length can be
    absent (chunked) or wrong, so the bytes are also counted as they arrive from `receive`.
    `refuse_page` gives the answer for a path that a person posts to from a page (an HTML page
    saying the same), or None where the JSON error is the answer.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        refuse_page: Callable[[Scope, int], ASGIApp | None] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.error = body_too_large(max_bytes)
        self.refuse_page = refuse_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.error)
            return message

        watched = WatchedSend(send)
        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            # Normally the exception handlers answer it; this covers a body read outside a route.
            if watched.started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = self.error
        answer = self.refuse_page(scope, self.max_bytes) if self.refuse_page else None
        await (answer or error_response(413, error.code, error.message, error.details))(scope, receive, send)


class CheckGate:
    """Run checks in a worker thread one at a time, admitting at most `capacity` running or waiting.

    One at a time because the spaCy pipeline is not guaranteed thread-safe; a bound on the
    waiting ones so a burst is answered with 503 and Retry-After instead of an unbounded queue.
    Given a `helper` (an executor with a thread to spare), the gate passes it as `helper=` to
    each check it runs, or None while other checks wait: a lone check may take a second core,
    a worker with a queue runs each check on one.
    """

    def __init__(self, capacity: int, helper: Executor | None = None) -> None:
        self.capacity = capacity
        self.helper = helper
        self.admitted = 0
        self._lock = anyio.Lock()

    async def run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.admitted >= self.capacity:
            raise Busy(
                f"{self.admitted} checks are already running or waiting (the most this worker takes): "
                "retry after the number of seconds in the Retry-After header."
            )
        self.admitted += 1
        try:
            async with self._lock:
                if self.helper is not None:
                    kwargs["helper"] = self.helper if self.admitted == 1 else None
                # A cancelled request still waits for its thread, so the lock is never released
                # while a check is running.
                return await run_in_threadpool(func, *args, **kwargs)
        finally:
            self.admitted -= 1
