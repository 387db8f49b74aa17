"""Who a request acts as, for the stored-story routes.

API clients send their key as `Authorization: Bearer <key>`. Without one, a server that listens
on loopback and has no users yet treats a request from this machine as the single local user
(an admin), and says so in the `Numcheck-Mode` header; otherwise the answer is 401, or 403
(`no_users`) on a server reachable beyond loopback that has no users yet.

The browser pages add their own way to carry a key (a signed session cookie) and call
`Store.authenticate` the same way.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from ..store import Unauthenticated, User, is_loopback
from .deps import RuntimeDep, StoreDep

LOCAL_MODE_HEADER = "Numcheck-Mode"
LOCAL_MODE = "local-single-user"

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="key",
    description="An API key from `numcheck users add NAME --role ROLE`, sent as `Authorization: Bearer <key>`.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def local_request(request: Request, listening_host: str) -> bool:
    """Listening on loopback only, and this request did come from this machine.

    The second test guards a server started some other way than `numcheck serve` (which tells its
    workers where it listens): a request from another machine never gets the local user.
    """
    client = request.client.host if request.client is not None else ""
    return is_loopback(listening_host) and is_loopback(client)


def request_key(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is not None:
        return credentials.credentials.strip()
    if request.headers.get("authorization") is not None:
        raise Unauthenticated("The Authorization header must read `Bearer <key>`.")
    return None


async def current_user(
    request: Request, response: Response, credentials: BearerDep, runtime: RuntimeDep, store: StoreDep
) -> User:
    key = request_key(request, credentials)
    user = await run_in_threadpool(store.authenticate, key, local_request(request, runtime.settings.host))
    if user.local:
        response.headers[LOCAL_MODE_HEADER] = LOCAL_MODE
    return user


UserDep = Annotated[User, Depends(current_user)]
