"""Who may do what with stored stories.

Viewers read; checkers also save stories, re-check them and change flags; admins also delete.
A server that listens on loopback only and has no users yet lets everyone on this machine in
as one local admin (and says so); a server reachable beyond loopback admits nobody until a user
exists.
"""

from __future__ import annotations

import ipaddress
from enum import Enum

from .errors import Forbidden, NoUsers, Unauthenticated
from .users import LOCAL_NAME
from .views import ROLES, Role, User

LOCAL_USER = User(name=LOCAL_NAME, role="admin", local=True)
LOCAL_NOTICE = (
    "Single local user: this server listens on loopback only and has no users, so everyone on this "
    "machine acts as 'local' (admin). Add a user (`numcheck users add NAME --role admin`) to require keys."
)
MAKE_USER = "numcheck users add NAME --role admin"
NO_USERS_NOTICE = (
    "Stored stories are closed: this server listens beyond loopback and has no users yet. Make one with "
    f"`{MAKE_USER}` (in a container: `docker exec CONTAINER {MAKE_USER}`) and sign in with the key it prints."
)
NO_USERS_MESSAGE = (
    "Stored stories are closed: this server listens beyond loopback and has no users yet. Make one with "
    f"`{MAKE_USER}` (in a container: `docker exec CONTAINER {MAKE_USER}`) and send the key it prints as "
    "`Authorization: Bearer <key>`."
)


class Action(Enum):
    """What a request does with stored stories, and the least role that may do it."""

    READ = ("read stories", "viewer")
    CHANGE = ("save stories, re-check them and change flags", "checker")
    DELETE = ("delete stories", "admin")

    def __init__(self, words: str, role: Role) -> None:
        self.words = words
        self.role = role


def is_loopback(host: str) -> bool:
    """Whether a listening address reaches this machine only ('0.0.0.0' and '::' reach every network)."""
    if host.strip("[]").casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost may resolve anywhere
        return False


def may(user: User, action: Action) -> bool:
    return ROLES.index(user.role) >= ROLES.index(action.role)


def require(user: User, action: Action) -> User:
    if not may(user, action):
        raise Forbidden(
            f"{user.name} is a {user.role} and may not {action.words}: that needs the role "
            f"{action.role} or higher (`numcheck users add NAME --role {action.role}`)."
        )
    return user


def authenticate(key: str | None, user_for_key: User | None, users_exist: bool, loopback: bool) -> User:
    """The user a request acts as, given its key (if any), whom that key belongs to and whether any
    users exist; raises Unauthenticated or NoUsers with what to do."""
    if key is not None:
        if user_for_key is None:
            raise Unauthenticated(
                "This key belongs to no user: it is mistyped, rotated or its user removed. "
                "Ask an admin for a key (`numcheck users rotate NAME`)."
            )
        return user_for_key
    if users_exist:
        raise Unauthenticated(
            "Stored stories need a key: send `Authorization: Bearer <key>` (an admin makes one with "
            "`numcheck users add NAME --role checker`)."
        )
    if loopback:
        return LOCAL_USER
    raise NoUsers(NO_USERS_MESSAGE)
