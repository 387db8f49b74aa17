"""The report page: `GET /` shows the form, `POST /check` checks it and answers with the report.

The check goes through the same request model, limits and gate as `POST /v1/check`; what the
API answers as a JSON error, the page shows in plain words with the documents kept in the form.
Every page says who it acts for (the account, see account.py) and every form carries its
session's CSRF token. Templates and view models live in `service.web`, which knows nothing of
the framework. The story pages are in desk.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
from ..store import default_title
from ..web.account import Account
from ..web.errors import KEPT, ErrorView, body_too_large_view, error_view
from ..web.form import Entry, Submission, submission
from ..web.render import STATIC_DIR, STATIC_URL, render
from ..web.session import CSRF_FIELD, BrowserSession, CsrfRefused
from ..web.uploads import ACCEPT, Upload
from ..web.view import report_view
from .account import AccountDep, read_session, send_session, verify_csrf
from .deps import Runtime, RuntimeDep, SettingsDep, get_nlp, get_rules
from .errors import BodyTooLarge, status_for
from .request import to_documents, validate_request

router = APIRouter(include_in_schema=False)

FORM_PATH = "/check"
# The story pages' forms, which carry documents too (desk.py).
STORY_PATHS = ("/stories",)
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


def form_context(settings: Settings) -> dict[str, Any]:
    """What the document form needs besides its entries."""
    return {"blank_entry": Entry(), "limits": _limits(settings), "accept": ACCEPT}


def form_page(
    settings: Settings,
    account: Account,
    entries: Sequence[Entry] = (),
    error: ErrorView | None = None,
    status: int = 200,
) -> HTMLResponse:
    headers = {"Retry-After": str(settings.retry_after_seconds)} if status == 503 else None
    html = render(
        "index.html",
        account=account,
        entries=list(entries) or [Entry()],
        error=error,
        **form_context(settings),
    )
    return page(html, status, headers)


def report_page(
    settings: Settings,
    account: Account,
    report: Report,
    documents: Sequence[Document],
    entries: Sequence[Entry] = (),
) -> HTMLResponse:
    labels = [d.source or f"Document {n}" for n, d in enumerate(documents, 1)]
    html = render(
        "report.html",
        account=account,
        title="Report: " + ", ".join(labels),
        view=report_view(report, documents),
        meta=report.meta,
        checked=list(documents),
        default_title=default_title(documents),
        entries=list(entries),
        error=None,
        **form_context(settings),
    )
    return page(html)


def answer(request: Request, account: Account, response: Response) -> Response:
    """The response, with the session cookie when the browser does not hold it yet."""
    return send_session(request, response, account.session)


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, settings: SettingsDep, account: AccountDep) -> Response:
    return answer(request, account, form_page(settings, account))


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


@dataclass(frozen=True)
class PostedForm:
    """A posted form: its document blocks, and its other fields as text."""

    entries: list[Entry]
    fields: dict[str, str]


class UnreadableForm(Exception):
    def __init__(self, view: ErrorView, status: int) -> None:
        self.view, self.status = view, status


async def read_form(request: Request, settings: Settings) -> PostedForm:
    """The form's blocks and fields; UnreadableForm (with the page's words) if it cannot be read."""
    try:
        # A text field may be as long as the body allows; the limits below say what is too long.
        async with request.form(max_part_size=settings.max_body_bytes) as form:
            entries = await _entries(form)
            fields = {k: v for k, v in form.multi_items() if isinstance(v, str) and not _FIELD.match(k)}
    except BodyTooLarge:
        raise UnreadableForm(body_too_large_view(settings.max_body_bytes), 413) from None
    except HTTPException as exc:
        view = ErrorView(
            "invalid_input", "The form could not be read", f"{exc.detail}. Reload the page and try again."
        )
        raise UnreadableForm(view, 422) from None
    return PostedForm(entries, fields)


async def check_submission(
    runtime: Runtime, sub: Submission, request: Request
) -> tuple[list[Document], Report]:
    """Check the documents of a form as POST /v1/check would (abandoned if the browser goes away);
    NumcheckError says what is wrong."""
    settings = runtime.settings
    if sub.problems:
        raise InputError("The documents cannot be checked as sent.", sub.problems)
    checked = validate_request({"documents": sub.documents}, settings)
    documents = to_documents(checked, settings)  # the form sends texts: nothing to fetch
    rules, nlp = await get_rules(runtime), await get_nlp(runtime)
    report = await runtime.gate.run(check, documents, rules, nlp, None, runtime.cache, receive=request.receive)
    return documents, report


async def posted_documents(
    request: Request, runtime: Runtime, account: Account
) -> tuple[PostedForm, Submission] | Response:
    """A posted form of documents that carries its session's token, or the page that answers it
    instead (the form again, with the texts kept and what went wrong)."""
    settings = runtime.settings
    try:
        form = await read_form(request, settings)
    except UnreadableForm as exc:
        return answer(request, account, form_page(settings, account, error=exc.view, status=exc.status))
    # Extracting an HTML page's text is CPU work: off the event loop, like the check.
    sub = await run_in_threadpool(submission, form.entries)
    try:
        verify_csrf(account, form.fields.get(CSRF_FIELD))
    except CsrfRefused as exc:
        view = ErrorView(exc.code, "Send the form again", f"{exc.message} {KEPT}")
        return answer(request, account, form_page(settings, account, sub.entries, view, status_for(exc)))
    return form, sub


@router.post(FORM_PATH, response_class=HTMLResponse)
async def check_form(request: Request, runtime: RuntimeDep, account: AccountDep) -> Response:
    posted = await posted_documents(request, runtime, account)
    if isinstance(posted, Response):
        return posted
    _, sub = posted
    try:
        documents, report = await check_submission(runtime, sub, request)
    except NumcheckError as exc:
        return answer(request, account, form_error(runtime.settings, account, exc, sub))
    return answer(request, account, report_page(runtime.settings, account, report, documents, sub.entries))


def form_error(settings: Settings, account: Account, exc: NumcheckError, sub: Submission) -> HTMLResponse:
    view = error_view(exc.code, exc.message, exc.details, sub.labels)
    return form_page(settings, account, sub.entries, view, status_for(exc))


def page_refusal(scope: Scope, max_bytes: int) -> ASGIApp | None:
    """The page to answer a form whose body is refused unread (too large); None for the API's paths."""
    path = scope.get("path", "")
    if "app" not in scope or not (path == FORM_PATH or path.startswith(STORY_PATHS)):
        return None
    runtime: Runtime = scope["app"].state.runtime
    # Who is asking is not looked up for a body refused unread: the form only needs the session's token.
    session = read_session(runtime, Request(scope).cookies) if runtime.sessions else BrowserSession.new()
    return form_page(
        runtime.settings, Account(session, "unknown"), error=body_too_large_view(max_bytes), status=413
    )


def install_pages(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="static")
