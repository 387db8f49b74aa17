"""The store's errors. Like every domain error they carry no HTTP status: the API maps them."""

from __future__ import annotations

from typing import Any

from ..errors import NumcheckError


class NotFound(NumcheckError):
    """No story, version or flag with that id (or it was deleted)."""

    code = "not_found"


class Conflict(NumcheckError):
    """A change was based on a version that is no longer the current one.

    `current` holds the current state (as the API would show it), so the client can merge and retry.
    """

    code = "conflict"

    def __init__(self, message: str, current: dict[str, Any]) -> None:
        detail = {"location": "version", "message": message, "type": "stale_version", "current": current}
        super().__init__(message, [detail])
        self.current = current


class Unauthenticated(NumcheckError):
    """No key, or a key that belongs to no user."""

    code = "unauthenticated"


class Forbidden(NumcheckError):
    """The user's role does not allow this, or the server admits nobody yet."""

    code = "forbidden"


class NoUsers(Forbidden):
    """A server reachable beyond loopback keeps stored stories closed until a user exists."""

    code = "no_users"


class StoreUnavailable(NumcheckError):
    """The database cannot be opened or upgraded; checks still work, stored stories do not."""

    code = "store_unavailable"
