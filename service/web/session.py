"""The browser's session: who signed in, and the token every form that changes something carries.

The session lives in a cookie signed with the server's secret (itsdangerous), so the server keeps
no session table: the cookie holds the user's name, the prefix of the key they signed in with (a
rotated key or a removed user ends the session at the next request) and a random CSRF token. A
form is accepted only with the token of the session that sent it: a page on another site can make
the browser post to numcheck, but it cannot read the token.

The secret is `session_secret` when set, else a random one made on first start and kept in the
data folder, so that the workers of one server, and its restarts, accept each other's cookies.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..errors import NumcheckError
from ..settings import Settings

logger = logging.getLogger("numcheck.web")

COOKIE = "numcheck_session"
CSRF_FIELD = "csrf_token"
SECRET_FILE = "session-secret"
_SALT = "numcheck-session"


class CsrfRefused(NumcheckError):
    """A form came without its session's token: from another site, or from a page that was open
    across a sign-in, a sign-out or the end of the session."""

    code = "csrf_refused"


@dataclass(frozen=True)
class BrowserSession:
    csrf: str
    user: str | None = None
    key_prefix: str | None = None
    changed: bool = False
    """True when the browser does not hold this session yet: it must be sent as a cookie."""

    @classmethod
    def new(cls) -> BrowserSession:
        return cls(csrf=secrets.token_urlsafe(32), changed=True)

    def signed_in(self, user: str, key_prefix: str | None) -> BrowserSession:
        # A new token too: one a page saw before signing in is worth nothing after.
        return BrowserSession(secrets.token_urlsafe(32), user, key_prefix, changed=True)

    def signed_out(self) -> BrowserSession:
        return BrowserSession.new()

    def accepts(self, token: object) -> bool:
        """Whether a form's token is this session's (compared in constant time)."""
        return (
            isinstance(token, str) and bool(token) and hmac.compare_digest(token.encode(), self.csrf.encode())
        )

    def payload(self) -> dict[str, Any]:
        return {"c": self.csrf, "u": self.user, "k": self.key_prefix}


class SessionCodec:
    """Signs sessions into cookie values and reads them back, refusing forged or expired ones."""

    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self.max_age = max_age_seconds
        self._serializer = URLSafeTimedSerializer(secret, salt=_SALT)

    def dumps(self, session: BrowserSession) -> str:
        return self._serializer.dumps(session.payload())

    def loads(self, value: str | None) -> BrowserSession:
        """The session a cookie holds; a new, empty one for no cookie or a bad or expired one."""
        if not value:
            return BrowserSession.new()
        try:
            data = self._serializer.loads(value, max_age=self.max_age)
        except BadSignature:  # also SignatureExpired
            return BrowserSession.new()
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return BrowserSession.new()
        user, prefix = data.get("u"), data.get("k")
        return BrowserSession(
            data["c"], user if isinstance(user, str) else None, prefix if isinstance(prefix, str) else None
        )


def session_secret(settings: Settings) -> str:
    """The setting, else the secret kept in the data folder (made there the first time)."""
    if settings.session_secret is not None and settings.session_secret.get_secret_value():
        return settings.session_secret.get_secret_value()
    folder = settings.data_dir
    path = folder / SECRET_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    # Written whole, then linked into place: two workers starting at once both end up with the first.
    fd, temp = tempfile.mkstemp(prefix=".session-secret-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(temp, path)
            logger.info("made a session secret in %s", path)
        except FileExistsError:
            pass
    finally:
        Path(temp).unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise ValueError(
            f"{path} holds no usable session secret: delete it and start again to make a new one"
        )
    return secret


def codec(settings: Settings) -> SessionCodec:
    return SessionCodec(session_secret(settings), round(settings.session_hours * 3600))
