"""What the page says when a check cannot be made: a title, a plain sentence, the problems listed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .form import plain_problems

KEPT = "Your texts are kept below."

_TITLES = {
    "too_large": "Too much to check at once",
    "invalid_input": "Some of the form needs fixing",
    "busy": "numcheck is busy",
    "not_ready": "numcheck is still starting",
    "pipeline_unavailable": "numcheck cannot read texts right now",
}
# The API's messages for these speak to a program (Retry-After headers); a person reads these.
_SAY = {
    "busy": f"It is checking other texts right now. Wait a few seconds and press Check again. {KEPT}",
    "not_ready": f"It is loading its rules and language model. Wait a few seconds and press Check again. {KEPT}",
    "pipeline_unavailable": f"Its language model is not loaded; the server's log says why. {KEPT}",
}


@dataclass(frozen=True)
class ErrorView:
    code: str
    title: str
    message: str
    problems: list[str] = field(default_factory=list)


def error_view(
    code: str, message: str, details: Sequence[Mapping[str, Any]] = (), labels: Sequence[str] = ()
) -> ErrorView:
    problems = plain_problems(details, labels)
    if code in _SAY:
        message = _SAY[code]
    elif code == "invalid_input" and problems:
        message = "Fix what is listed here and press Check again."
    return ErrorView(code, _TITLES.get(code, "The check could not be made"), message, problems)


def body_too_large_view(limit: int) -> ErrorView:
    """The body was refused before it was read, so nothing typed can be shown again."""
    return ErrorView(
        "too_large",
        _TITLES["too_large"],
        f"The texts and files sent add up to more than {limit:,} bytes, the most this server takes in one "
        "check. Go back to your texts and send fewer or shorter documents.",
    )
