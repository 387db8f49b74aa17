"""The report page: `GET /` shows the form, `POST /check` checks it and answers with the report.

The check goes through the same request model, limits and gate as `POST /v1/check`; what the
API answers as a JSON error, the page shows in plain words with the documents kept in the form.
Templates and view models live in `service.web`, which knows nothing of the framework.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Scope

from ..errors import InputError, NumcheckError
from ..models import Document, Report
from ..pipeline import check
from ..settings import Settings
from ..web.errors import ErrorView, body_too_large_view, error_view
from ..web.form import Entry, Submission, submission
from ..web.render import STATIC_DIR, STATIC_URL, render
from ..web.uploads import ACCEPT, Upload
from ..web.view import report_view
from .deps import RuntimeDep, SettingsDep, get_nlp, get_rules
from .errors import BodyTooLarge, status_for
from .request import to_documents, validate_request

router = APIRouter(include_in_schema=False)

FORM_PATH = "/check"
_FIELD = re.compile(r"^doc-(\d{1,6})-(source|text|file)$")
# Pages load nothing from another host, and run no inline script or style.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _limits(settings: Settings) -> dict[str, int]:
    return {
        "max_documents": settings.max_documents,
        "max_document_chars": settings.max_document_chars,
        "max_body_bytes": settings.max_body_bytes,
    }


def page(html: str, status: int = 200, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(html, status_code=status, headers={**PAGE_HEADERS, **(headers or {})})


def form_page(
    settings: Settings, entries: Sequence[Entry] = (), error: ErrorView | None = None, status: int = 200
) -> HTMLResponse:
    headers = {"Retry-After": str(settings.retry_after_seconds)} if status == 503 else None
    html = render(
        "index.html",
        entries=list(entries) or [Entry()],
        blank_entry=Entry(),
        limits=_limits(settings),
        accept=ACCEPT,
        error=error,
    )
    return page(html, status, headers)


def report_page(
    settings: Settings, report: Report, documents: Sequence[Document], entries: Sequence[Entry] = ()
) -> HTMLResponse:
    labels = [d.source or f"Document {n}" for n, d in enumerate(documents, 1)]
    html = render(
        "report.html",
        title="Report: " + ", ".join(labels),
        view=report_view(report, documents),
        meta=report.meta,
        entries=list(entries),
        blank_entry=Entry(),
        limits=_limits(settings),
        accept=ACCEPT,
        error=None,
    )
    return page(html)


@router.get("/", response_class=HTMLResponse)
async def index(settings: SettingsDep) -> HTMLResponse:
    return form_page(settings)


@router.get(FORM_PATH)
async def check_form_again() -> Response:
    # A reload of the report page's address, or a bookmark: the form is at /.
    return RedirectResponse("/", status_code=303)


async def _entries(form: FormData) -> list[Entry]:
    blocks: dict[int, dict[str, Any]] = {}
    for name, value in form.multi_items():
        match = _FIELD.match(name)
        if match:
            blocks.setdefault(int(match.group(1)), {})[match.group(2)] = value
    entries = []
    for _, fields in sorted(blocks.items()):
        file, upload = fields.get("file"), None
        if isinstance(file, UploadFile) and file.filename:
            upload = Upload(file.filename, await file.read(), file.content_type)
        source, text = fields.get("source", ""), fields.get("text", "")
        entries.append(
            Entry(source if isinstance(source, str) else "", text if isinstance(text, str) else "", upload)
        )
    return entries


@router.post(FORM_PATH, response_class=HTMLResponse)
async def check_form(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    settings = runtime.settings
    try:
        # A text field may be as long as the body allows; the limits below say what is too long.
        async with request.form(max_part_size=settings.max_body_bytes) as form:
            entries = await _entries(form)
    except BodyTooLarge:
        return form_page(settings, error=body_too_large_view(settings.max_body_bytes), status=413)
    except HTTPException as exc:
        view = ErrorView(
            "invalid_input", "The form could not be read", f"{exc.detail}. Reload the page and try again."
        )
        return form_page(settings, error=view, status=422)
    # Extracting an HTML page's text is CPU work: off the event loop, like the check.
    sub = await run_in_threadpool(submission, entries)
    try:
        if sub.problems:
            raise InputError("The documents cannot be checked as sent.", sub.problems)
        checked = validate_request({"documents": sub.documents}, settings)
        documents = to_documents(checked, settings)  # the form sends texts: nothing to fetch
        rules, nlp = await get_rules(runtime), await get_nlp(runtime)
        report = await runtime.gate.run(
            check, documents, rules, nlp, None, runtime.cache, receive=request.receive
        )
    except NumcheckError as exc:
        return _error(settings, exc, sub)
    return report_page(settings, report, documents, sub.entries)


def _error(settings: Settings, exc: NumcheckError, sub: Submission) -> HTMLResponse:
    view = error_view(exc.code, exc.message, exc.details, sub.labels)
    return form_page(settings, sub.entries, view, status_for(exc))


def page_refusal(scope: Scope, max_bytes: int) -> ASGIApp | None:
    """The page to answer a form whose body is refused unread (too large); None for the API's paths."""
    if scope.get("path") != FORM_PATH or "app" not in scope:
        return None
    settings: Settings = scope["app"].state.runtime.settings
    return form_page(settings, error=body_too_large_view(max_bytes), status=413)


def install_pages(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="static")
