"""One error shape for every endpoint: `{"error": {"code", "message", "details"}}`.

Domain errors carry no HTTP status; this module is where they get one. Every other failure
(unknown path, wrong method, invalid body, an unexpected exception) is answered in the same
shape, so a client needs one error reader.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import CheckAbandoned, InputError, LimitError, NumcheckError, PipelineError, RulesError
from ..store.errors import Conflict, Forbidden, NotFound, StoreUnavailable, Unauthenticated
from ..web.session import CsrfRefused
from .request import EXAMPLE, ROOT, describe, invalid_request

logger = logging.getLogger("numcheck.api")


class Busy(NumcheckError):
    """More checks are running or waiting than this worker admits."""

    code = "busy"


class NotReady(NumcheckError):
    """The rules or the language pipeline are not loaded (yet)."""

    code = "not_ready"


class Draining(NotReady):
    """The server is stopping: it finishes the checks it has and takes no new one."""

    code = "draining"


class BodyRefused(HTTPException):
    """Raised while the body is read; an HTTPException so the framework passes it on unchanged."""

    def __init__(self, error: InputError, status: int) -> None:
        super().__init__(status_code=status, detail=error.message)
        self.error = error


class BodyTooLarge(BodyRefused):
    def __init__(self, error: LimitError) -> None:
        super().__init__(error, 413)


class BodyNotUtf8(BodyRefused):
    def __init__(self, error: InputError) -> None:
        super().__init__(error, 422)


class ErrorBody(BaseModel):
    code: str = Field(description="Stable, machine-readable: invalid_input, too_large, busy, not_found...")
    message: str = Field(description="What went wrong and what to change, in one or two sentences.")
    details: list[dict[str, Any]] = Field(
        default_factory=list, description="One entry per problem: `location`, `message`, `type`."
    )


class ErrorResponse(BaseModel):
    error: ErrorBody


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the given statuses, all in the one error shape."""
    return {s: {"model": ErrorResponse, "description": _PHRASES.get(s, "Error")} for s in statuses}


# Looked up along the exception's MRO: a subclass gets the status of its nearest listed base.
_STATUS: dict[type[NumcheckError], int] = {
    LimitError: 413,
    InputError: 422,
    Busy: 503,
    CheckAbandoned: 503,
    NotReady: 503,
    PipelineError: 503,
    RulesError: 500,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    StoreUnavailable: 503,
    CsrfRefused: 403,
}
_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    503: "unavailable",
}
_PHRASES = {
    400: "Body cannot be read",
    401: "No key, or a key that belongs to no user: send `Authorization: Bearer <key>`",
    403: "The user's role does not allow this, or the server has no users yet",
    409: "Based on a version that is no longer current: the current state is in details[0].current",
    404: "No such endpoint, story, version or flag",
    413: "Request too large",
    422: "Request not valid",
    500: "Internal error",
    503: "Busy or not ready: retry after the Retry-After header's seconds",
}
INTERNAL_MESSAGE = "numcheck failed on this request. The error is logged; try again or report it."


def status_for(exc: NumcheckError) -> int:
    for cls in type(exc).__mro__:
        if cls in _STATUS:
            return _STATUS[cls]
    return 500


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details or []))
    return JSONResponse(body.model_dump(), status_code=status, headers=dict(headers or {}))


def numcheck_error_response(exc: NumcheckError, retry_after: int) -> JSONResponse:
    status = status_for(exc)
    headers: dict[str, str] | None = None
    if status == 503:
        # A retry on a new connection may reach a worker process with room (see routes.check_documents).
        headers = {"Retry-After": str(retry_after), "Connection": "close"}
    elif status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="numcheck"'}
    return error_response(status, exc.code, exc.message, exc.details, headers)


def _retry_after(request: Request) -> int:
    return int(request.app.state.runtime.settings.retry_after_seconds)


async def _on_numcheck_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NumcheckError)
    return numcheck_error_response(exc, _retry_after(request))


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    error = invalid_request(describe(exc.errors(), prefix=("body",)))
    return numcheck_error_response(error, _retry_after(request))


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if isinstance(exc, BodyRefused):
        return numcheck_error_response(exc.error, _retry_after(request))
    status = exc.status_code
    problem = unreadable(exc.__cause__) if status == 400 else None
    if problem is not None:
        # FastAPI answers a body its JSON reader gives up on with a bare 400; it is an invalid
        # body like any other, and the answer says what to change.
        return numcheck_error_response(invalid_request([problem]), _retry_after(request))
    message = str(exc.detail)
    if status == 404:
        message = f"No endpoint at {request.url.path}: the API is described at /docs."
    elif status == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"{request.method} is not allowed on {request.url.path}: use {allowed or 'another method'}."
    return error_response(status, _HTTP_CODES.get(status, f"http_{status}"), message, headers=exc.headers)


def unreadable(cause: BaseException | None) -> dict[str, str] | None:
    """What to fix in a body the JSON reader gave up on (FastAPI's bare 400), from its cause."""
    if isinstance(cause, UnicodeDecodeError):
        message, kind = "the body is not UTF-8 text: send JSON encoded as UTF-8", "not_utf8"
    elif isinstance(cause, RecursionError):
        message, kind = (
            "the body nests arrays or objects too deeply to be read: a request is an object of documents, "
            f"a few levels deep, like {EXAMPLE}",
            "too_deep",
        )
    elif isinstance(cause, ValueError) and "digits" in str(cause):
        message, kind = (
            f"the body holds a number of more than {sys.get_int_max_str_digits():,} digits, longer than a number "
            "can be read: send ids and texts as JSON strings (in quotes)",
            "number_too_long",
        )
    else:
        return None
    return {"location": ROOT, "message": message, "type": kind}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NumcheckError, _on_numcheck_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HTTPException, _on_http_error)


class WatchedSend:
    """A `send` that remembers whether the response has started (after which no error can be sent)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self.send(message)


class CatchAllMiddleware:
    """Answer any unexpected exception with a 500 in the error shape, and log its traceback.

    The framework's own last-resort handler would answer in plain text; this one sits just inside
    it so clients never see internals and the traceback is logged once, here.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watched = WatchedSend(send)
        try:
            await self.app(scope, receive, watched)
        except Exception:
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if watched.started:
                raise
            await error_response(500, "internal_error", INTERNAL_MESSAGE)(scope, receive, send)
