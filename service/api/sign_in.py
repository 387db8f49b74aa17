"""Signing in with a key and out again: the browser's session (see account.py) names the user."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool as in_thread
from starlette.responses import Response

from ..errors import NumcheckError
from ..store import Unauthenticated
from ..web.account import Account
from ..web.errors import ErrorView
from ..web.render import render
from ..web.session import CSRF_FIELD, CsrfRefused
from .account import AccountDep, send_session, verify_csrf
from .answers import PRIVATE, SIGN_IN, STORIES, message_page
from .deps import RuntimeDep, get_store
from .errors import status_for
from .pages import answer, page

router = APIRouter(include_in_schema=False)


def _next(value: object) -> str:
    """Where to go after signing in: a path on this server, never another site."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return STORIES


def sign_in_page(
    account: Account, next_path: str, error: ErrorView | None = None, status: int = 200
) -> HTMLResponse:
    html = render("sign_in.html", account=account, next_path=next_path, error=error)
    return page(html, status, PRIVATE)


@router.get(SIGN_IN, response_class=HTMLResponse)
async def sign_in_form(request: Request, account: AccountDep, next: str = STORIES) -> Response:
    return answer(request, account, sign_in_page(account, _next(next)))


@router.post(SIGN_IN, response_class=HTMLResponse)
async def sign_in(request: Request, runtime: RuntimeDep, account: AccountDep) -> Response:
    async with request.form() as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    next_path = _next(fields.get("next"))
    try:
        verify_csrf(account, fields.get(CSRF_FIELD))
        store = await get_store(runtime)
        key = fields.get("key", "").strip()
        if not key:
            raise Unauthenticated(
                "Paste your key: it starts with nck_. An admin makes one with "
                "`numcheck users add NAME --role checker`."
            )
        user = await in_thread(store.authenticate, key, False)
    except NumcheckError as exc:
        view = ErrorView(exc.code, "Not signed in", exc.message)
        return answer(request, account, sign_in_page(account, next_path, view, status_for(exc)))
    response = RedirectResponse(next_path, status_code=303)
    return send_session(request, response, account.session.signed_in(user.name, user.key_prefix))


@router.post("/sign-out")
async def sign_out(request: Request, account: AccountDep) -> Response:
    async with request.form() as form:
        token = form.get(CSRF_FIELD)
    try:
        verify_csrf(account, token)
    except CsrfRefused as exc:
        return message_page(request, account, 403, "Still signed in", exc.message, [("Stories", STORIES)])
    return send_session(request, RedirectResponse("/", status_code=303), account.session.signed_out())
