"""The users table: add, list, remove, rotate a key, and find the user a key belongs to."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import InputError
from .errors import NotFound
from .keys import key_matches, key_prefix, new_key
from .tables import NAME_LENGTH, UserRow, now
from .views import ROLES, User

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
LOCAL_NAME = "local"


def view(row: UserRow) -> User:
    return User(
        name=row.name,
        role=row.role,  # type: ignore[arg-type]  # only ROLES are ever written
        key_prefix=row.key_prefix,
        created_at=row.created_at,
        key_created_at=row.key_created_at,
    )


def check_name(name: str) -> str:
    if not NAME_PATTERN.match(name) or len(name) > NAME_LENGTH:
        raise InputError(
            f"user name {name!r} is not allowed: use letters, digits and . _ @ - (at most {NAME_LENGTH} "
            "characters, starting with a letter or digit)"
        )
    if name == LOCAL_NAME:
        raise InputError(f"user name {LOCAL_NAME!r} is kept for the single local user: choose another name")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"role {role!r} does not exist: use one of {', '.join(ROLES)}")
    return role


def _row(session: Session, name: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise NotFound(f"no user named {name!r} (`numcheck users list` shows them)")
    return row


def _unused_key(session: Session) -> tuple[str, str, str]:
    # Prefixes are 32 random bits: a clash is rare, but it would make a key unusable, so avoid it.
    while True:
        key, prefix, digest = new_key()
        if session.scalar(select(UserRow.id).where(UserRow.key_prefix == prefix)) is None:
            return key, prefix, digest


def add(session: Session, name: str, role: str) -> tuple[User, str]:
    check_name(name)
    check_role(role)
    if session.scalar(select(UserRow.id).where(UserRow.name == name)) is not None:
        raise InputError(
            f"a user named {name!r} exists already: `numcheck users rotate {name}` gives a new key"
        )
    key, prefix, digest = _unused_key(session)
    at = now()
    row = UserRow(name=name, role=role, key_prefix=prefix, key_hash=digest, created_at=at, key_created_at=at)
    session.add(row)
    session.flush()
    return view(row), key


def rotate(session: Session, name: str) -> tuple[User, str]:
    row = _row(session, name)
    key, row.key_prefix, row.key_hash = _unused_key(session)
    row.key_created_at = now()
    session.flush()
    return view(row), key


def remove(session: Session, name: str) -> None:
    session.delete(_row(session, name))


def listing(session: Session) -> list[User]:
    return [view(row) for row in session.scalars(select(UserRow).order_by(UserRow.name))]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(UserRow)) or 0


def named(session: Session, name: str) -> User | None:
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    return view(row) if row is not None else None


def resolve(session: Session, key: str) -> User | None:
    prefix = key_prefix(key)
    if prefix is None:
        return None
    row = session.scalar(select(UserRow).where(UserRow.key_prefix == prefix))
    return view(row) if row is not None and key_matches(key, row.key_hash) else None
