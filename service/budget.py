"""The time a check may take, enforced by the check itself at points it passes often.

A server starts a `Budget` for each check and runs the check inside `budget.active()`; the
stages call `checkpoint()` between them and inside their long loops. At a checkpoint a check
whose time is up stops with a `TimeLimitError` (which says how long it ran and in which
stage), and one whose client has gone stops with `CheckAbandoned`, so the worker is free for
the next. Outside a budget (the command line, tests) a checkpoint does nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .errors import CheckAbandoned, TimeLimitError

# What each stage does, for the message of a check stopped in it.
STAGES = {
    "read": "reading and parsing the documents",
    "extract": "finding the figures",
    "attribute": "finding who reports each figure",
    "group": "grouping the figures",
    "compare": "comparing the accounts",
}
SETTING = "NUMCHECK_CHECK_TIME_LIMIT_SECONDS"


class Budget:
    """A deadline for one check (counted from when it was admitted), and whether its client left."""

    def __init__(self, seconds: float, clock: float | None = None) -> None:
        self.seconds = seconds
        self.start = time.monotonic() if clock is None else clock
        self.deadline = self.start + seconds
        self.started: float | None = None  # when the check began to run, after any wait
        self.stage = "read"
        self.gone = threading.Event()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def abandon(self) -> None:
        self.gone.set()

    def check(self, stage: str | None = None) -> None:
        if stage is not None:
            self.stage = stage
        if self.gone.is_set():
            raise CheckAbandoned("The client closed the connection: the check was abandoned.")
        now = time.monotonic()
        if now > self.deadline:
            raise self.exceeded(now)

    def exceeded(self, now: float) -> TimeLimitError:
        ran = now - (self.started if self.started is not None else self.start)
        waited = now - self.start - ran
        doing = STAGES.get(self.stage, self.stage)
        message = (
            f"The check was stopped after {self.seconds:g} s, the most this server spends on one request "
            f"({SETTING}), while {doing} ({ran:.1f} s checking, {waited:.1f} s waiting for the worker): "
            "send fewer or shorter documents, or split them over several requests."
        )
        detail = {
            "location": "(body)",
            "message": f"at most {self.seconds:g} s of checking",
            "type": "time_limit",
            "stage": self.stage,
        }
        return TimeLimitError(message, [detail])

    @contextmanager
    def active(self) -> Iterator[Budget]:
        """Make this the budget `checkpoint()` reads, in this thread, while the block runs."""
        self.started = time.monotonic()
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)


_CURRENT: ContextVar[Budget | None] = ContextVar("numcheck_budget", default=None)


def checkpoint(stage: str | None = None) -> None:
    """Stop the running check here if its time is up or its client has gone (see Budget)."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.check(stage)
