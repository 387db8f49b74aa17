"""The domain's errors. None of them knows about HTTP: the API maps them to status codes."""

from __future__ import annotations

from typing import Any


class NumcheckError(Exception):
    """Base of every error numcheck raises on purpose."""

    code = "numcheck_error"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class InputError(NumcheckError):
    """The request cannot be checked as sent; the message says what to fix."""

    code = "invalid_input"


class LimitError(InputError):
    """The request is larger than the configured limits allow."""

    code = "too_large"


class TimeLimitError(InputError):
    """A check ran out of the time one request may take; the message says how long and where."""

    code = "time_limit"


class CheckAbandoned(NumcheckError):
    """The client went away before its check finished, so the check was stopped."""

    code = "abandoned"


class RulesError(NumcheckError):
    """A rules folder cannot be loaded; details list every problem found."""

    code = "invalid_rules"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"{len(problems)} problem(s) in the rules:\n" + "\n".join(problems),
            [{"problem": p} for p in problems],
        )
        self.problems = problems


class PipelineError(NumcheckError):
    """The language pipeline cannot be loaded."""

    code = "pipeline_unavailable"
