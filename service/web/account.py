"""Who a page acts for: a signed-in user, the single local user, or nobody yet, and what to say so.

Every page shows it (the `account` block of base.html): the signed-in name with a way out, the
local-mode notice on a loopback server without users, how to make the first user on a server
reachable beyond loopback, or why stored stories cannot be reached right now.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from ..store import (
    LOCAL_NOTICE,
    NO_USERS_NOTICE,
    Action,
    NoUsers,
    Store,
    StoreUnavailable,
    Unauthenticated,
    User,
    may,
)
from .session import BrowserSession

# "unknown": not looked up (a body refused before it was read): the page shows no account at all.
State = Literal["signed_in", "local", "signed_out", "no_users", "unavailable", "unknown"]
SIGNED_OUT_NOTICE = (
    "You were signed out: your key was changed or your user removed. Sign in with your new key."
)


@dataclass(frozen=True)
class Account:
    session: BrowserSession
    state: State
    user: User | None = None
    notice: str | None = None

    @property
    def csrf(self) -> str:
        return self.session.csrf

    @property
    def may_read(self) -> bool:
        return self.user is not None

    @property
    def may_change(self) -> bool:
        return self.user is not None and may(self.user, Action.CHANGE)

    @property
    def may_sign_in(self) -> bool:
        return self.state == "signed_out"

    def with_session(self, session: BrowserSession) -> Account:
        return replace(self, session=session)


def unavailable(session: BrowserSession, reason: StoreUnavailable) -> Account:
    return Account(session, "unavailable", notice=reason.message)


def resolve(store: Store, session: BrowserSession, local: bool) -> Account:
    """The account of a request with this session, from this machine to a loopback server or not."""
    notice = None
    if session.user is not None:
        user = store.user_named(session.user)
        if user is not None and user.key_prefix == session.key_prefix:
            return Account(session, "signed_in", user)
        session, notice = session.signed_out(), SIGNED_OUT_NOTICE
    try:
        user = store.authenticate(None, local)
    except NoUsers:
        return Account(session, "no_users", notice=NO_USERS_NOTICE)
    except Unauthenticated:
        return Account(session, "signed_out", notice=notice)
    return Account(session, "local", user, LOCAL_NOTICE)
