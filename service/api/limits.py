"""Limits that protect a worker: the body size, how many checks may run or wait, and for how long."""

from __future__ import annotations

import asyncio
import codecs
import gc
import logging
import math
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, TypeVar

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..budget import SETTING, Budget
from ..errors import CheckAbandoned, TimeLimitError
from ..memory import resident_mb, trim_if_above
from .errors import BodyNotUtf8, BodyTooLarge, Busy, Draining, WatchedSend, error_response
from .request import ROOT, body_too_large, invalid_request

T = TypeVar("T")
IDLE_TRIM_SECONDS = 1.0
logger = logging.getLogger("numcheck.api")


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
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        # A JSON body is read as UTF-8 or not at all: the JSON reader would also take UTF-16 and
        # UTF-32, which no client is told it may send.
        content_type = headers.get("content-type", "")
        utf8 = codecs.getincrementaldecoder("utf-8")() if not content_type or "json" in content_type else None

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                if utf8 is not None:
                    _read_as_utf8(utf8, chunk, received, not message.get("more_body", False))
                received += len(chunk)
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
        except BodyNotUtf8 as exc:
            if watched.started:
                raise
            error = exc.error
            await error_response(422, error.code, error.message, error.details)(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = self.error
        answer = self.refuse_page(scope, self.max_bytes) if self.refuse_page else None
        await (answer or error_response(413, error.code, error.message, error.details))(scope, receive, send)


def _read_as_utf8(decoder: codecs.IncrementalDecoder, chunk: bytes, before: int, last: bool) -> None:
    """Raise BodyNotUtf8 where this part of a JSON body is not UTF-8 (or holds the NUL bytes of
    UTF-16 or UTF-32 text, which no JSON text holds as they stand)."""
    nul = chunk.find(b"\0")
    try:
        decoder.decode(chunk if nul < 0 else chunk[:nul], final=last and nul < 0)
    except UnicodeDecodeError as exc:
        at = before + exc.start
        message = f"the body is not UTF-8 text (byte {at:,} cannot be read): send JSON encoded as UTF-8"
    else:
        if nul < 0:
            return
        at = before + nul
        message = f"the body holds a NUL byte (byte {at:,}), as UTF-16 or UTF-32 text does: send JSON encoded as UTF-8"
    raise BodyNotUtf8(invalid_request([{"location": ROOT, "message": message, "type": "not_utf8"}]))


class CheckGate:
    """Run checks in a worker thread one at a time, admitting at most `capacity` running or waiting,
    each within `time_limit` seconds of its admission.

    One at a time because the spaCy pipeline is not guaranteed thread-safe; a bound on the
    waiting ones so a burst is answered with 503 and Retry-After instead of an unbounded queue.
    Each check runs under a `Budget`: past its time it stops at the next checkpoint, with a 422
    that says so (or a 503 where waiting for the worker took the larger part), and, given the
    request's `receive`, a check whose client disconnects is stopped, or never started.
    After a check, a worker resident above `trim_above_mb` returns its free memory to the system.
    Given a `helper` (an executor with a thread to spare), the gate passes it as `helper=` to
    each check it runs, or None while other checks wait: a lone check may take a second core,
    a worker with a queue runs each check on one.
    """

    def __init__(
        self, capacity: int, time_limit: float = math.inf, helper: Executor | None = None, trim_above_mb: int = 0
    ) -> None:
        self.capacity = capacity
        self.time_limit = time_limit
        self.trim_above_mb = trim_above_mb
        self.helper = helper
        self.admitted = 0
        self.abandoned = 0  # checks stopped because their client left
        self.draining = False  # the server is stopping: no new check is admitted
        self._budgets: set[Budget] = set()
        self._lock = anyio.Lock()
        self._idle_trim: asyncio.TimerHandle | None = None

    def abandon_all(self) -> int:
        """Stop every admitted check at its next checkpoint (the server is stopping); how many."""
        for budget in self._budgets:
            budget.abandon()
        return len(self._budgets)

    async def run(self, func: Callable[..., T], *args: Any, receive: Receive | None = None, **kwargs: Any) -> T:
        if self.draining:
            raise Draining("The server is shutting down: retry after the number of seconds in Retry-After.")
        if self.admitted >= self.capacity:
            raise Busy(
                f"{self.admitted} checks are already running or waiting (the most this worker takes): "
                "retry after the number of seconds in the Retry-After header."
            )
        budget = Budget(self.time_limit)
        self.admitted += 1
        self._budgets.add(budget)
        result: list[T] = []
        error: Exception | None = None
        try:
            async with anyio.create_task_group() as watching:
                if receive is not None:
                    watching.start_soon(_watch_disconnect, receive, budget, watching.cancel_scope)
                try:
                    result.append(await self._run(budget, func, args, kwargs))
                except Exception as exc:  # raised after the task group, which would wrap it
                    error = exc
                finally:
                    watching.cancel_scope.cancel()
        finally:
            self._budgets.discard(budget)
            self._trim_when_idle()
        if isinstance(error, CheckAbandoned) or (not result and error is None and budget.gone.is_set()):
            self.abandoned += 1
            logger.info("check abandoned: the client closed the connection")
            raise CheckAbandoned("The client closed the connection: the check was abandoned.")
        if error is not None:
            raise error
        return result[0]

    def _trim_when_idle(self) -> None:
        """A second after the last check, with none running, collect its garbage and return the free
        memory past the mark: by then its report has been sent and freed too."""
        if self.trim_above_mb <= 0:
            return
        if self._idle_trim is not None:
            self._idle_trim.cancel()

        def trim() -> None:
            self._idle_trim = None
            if self.admitted == 0 and (resident_mb() or 0) > self.trim_above_mb:
                gc.collect()
                trim_if_above(self.trim_above_mb)

        self._idle_trim = asyncio.get_running_loop().call_later(IDLE_TRIM_SECONDS, trim)

    async def _run(self, budget: Budget, func: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        """Wait for the worker, then run; the admission ends before the next in line may start."""
        try:
            with anyio.move_on_after(budget.remaining()) as waiting:
                await self._lock.acquire()
        except BaseException:
            self.admitted -= 1
            raise
        if waiting.cancelled_caught:
            self.admitted -= 1
            raise Busy(
                f"No worker was free within {budget.seconds:g} s, the most one request may take "
                f"({SETTING}): retry after the number of seconds in the Retry-After header."
            )
        try:
            if self.helper is not None:
                kwargs["helper"] = self.helper if self.admitted == 1 else None

            def run() -> T:
                try:
                    with budget.active():
                        return func(*args, **kwargs)
                finally:
                    # What the check held is free now; past the mark it goes back to the system.
                    trim_if_above(self.trim_above_mb)

            # A cancelled request still waits for its thread (which stops at its next checkpoint),
            # so the lock is never released while a check is running.
            try:
                return await run_in_threadpool(run)
            except TimeLimitError:
                started = budget.started if budget.started is not None else budget.start
                if started - budget.start >= budget.deadline - started:
                    raise Busy(
                        f"The check could not finish within {budget.seconds:g} s ({SETTING}): it waited "
                        f"{started - budget.start:.1f} s for the worker first. Retry after the number of "
                        "seconds in the Retry-After header."
                    ) from None
                raise
        finally:
            self.admitted -= 1
            self._lock.release()


async def _watch_disconnect(receive: Receive, budget: Budget, scope: anyio.CancelScope) -> None:
    """Wait for the client to leave: then stop its check (or its wait for the worker)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            budget.abandon()
            scope.cancel()
            return
