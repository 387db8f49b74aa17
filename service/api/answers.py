"""How a page answers what it will not do: a plain page that says why and where to go next.

Stored stories are newsroom data: their pages are never kept by the browser or anything between.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from ..errors import NumcheckError
from ..store import NotFound, StoreUnavailable, Unauthenticated
from ..web.account import Account
from ..web.render import render
from .errors import status_for
from .pages import answer, page

SIGN_IN = "/sign-in"
STORIES = "/stories"
PRIVATE = {"Cache-Control": "no-store"}


def redirect(request: Request, account: Account, location: str) -> Response:
    return answer(request, account, RedirectResponse(location, status_code=303))


def message_page(
    request: Request, account: Account, status: int, title: str, message: str, links: list[tuple[str, str]]
) -> Response:
    html = render("message.html", account=account, title=title, message=message, links=links)
    return answer(request, account, page(html, status, PRIVATE))


def refusal(request: Request, account: Account, exc: NumcheckError | None = None) -> Response:
    """Why this account may not do what it asked, and where to go from here."""
    here = request.url.path
    if account.state in ("no_users", "unavailable"):
        closed = account.state == "no_users"
        return message_page(
            request,
            account,
            403 if closed else 503,
            "Stored stories are closed" if closed else "Stored stories are unavailable",
            account.notice or "",
            [("Check a story without saving it", "/")],
        )
    if isinstance(exc, NotFound):
        return message_page(request, account, 404, "Not found", exc.message, [("All stories", STORIES)])
    if isinstance(exc, StoreUnavailable):
        links = [("New check", "/")]
        return message_page(request, account, 503, "Stored stories are unavailable", exc.message, links)
    if account.user is None or isinstance(exc, Unauthenticated):
        message = "Stored stories need you to sign in with your key."
        if request.method == "POST":
            message = "Your session has ended: nothing was changed. Sign in and make the change again."
        return message_page(
            request, account, 401, "Sign in first", message, [("Sign in", _sign_in_link(here))]
        )
    text = exc.message if exc is not None else "You may not do this."
    back = [("Back to the story", here.split("/flags/")[0].split("/versions")[0])] if here != STORIES else []
    return message_page(request, account, status_for(exc) if exc else 403, "Not allowed", text, back)


def _sign_in_link(path: str) -> str:
    return f"{SIGN_IN}?next={quote(path, safe='/')}"
