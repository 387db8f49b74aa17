"""The browser side of who a request acts as: the session cookie in, the account out, and back.

Pages take `AccountDep`; a page that answers sends the session back with `send_session` (a new
browser gets its cookie, a sign-in or sign-out its new session). A form that changes anything is
accepted only with its session's CSRF token (`verify_csrf`).

The cookie is HttpOnly (no script reads it), SameSite=Lax (another site's form posts go without
it) and Secure when the page was served over https (uvicorn reads a local proxy's
X-Forwarded-Proto), and lives as long as a sign-in does (`NUMCHECK_SESSION_HOURS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ..store import StoreUnavailable
from ..web.account import Account, resolve, unavailable
from ..web.session import COOKIE, BrowserSession, CsrfRefused, SessionCodec
from .auth import local_request
from .deps import Runtime, RuntimeDep, get_store


def sessions(runtime: Runtime) -> SessionCodec:
    if runtime.sessions is None:
        raise RuntimeError("the session secret is read at start-up")
    return runtime.sessions


def read_session(runtime: Runtime, cookies: Mapping[str, str]) -> BrowserSession:
    return sessions(runtime).loads(cookies.get(COOKIE))


async def get_account(request: Request, runtime: RuntimeDep) -> Account:
    session = read_session(runtime, request.cookies)
    try:
        store = await get_store(runtime)
        return await run_in_threadpool(resolve, store, session, local_request(request, runtime.settings.host))
    except StoreUnavailable as exc:
        return unavailable(session, exc)


AccountDep = Annotated[Account, Depends(get_account)]


def send_session(request: Request, response: Response, session: BrowserSession) -> Response:
    """Set the cookie when the browser does not hold this session yet."""
    if session.changed:
        codec = sessions(request.app.state.runtime)
        response.set_cookie(
            COOKIE,
            codec.dumps(session),
            max_age=codec.max_age,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def verify_csrf(account: Account, token: object) -> None:
    if not account.session.accepts(token):
        raise CsrfRefused(
            "This form was not sent from a numcheck page open in this browser session (it was open before a "
            "sign-in or sign-out, the session ended, or another site sent it). Nothing was changed: reload the "
            "page and send it again."
        )
