"""The story store's one interface: every read and change of stories, flags and users goes here.

Each method is one transaction. Methods that change something take the acting `User` and check
their role first (see access.py); a database that cannot be reached raises StoreUnavailable, so
callers need handle only numcheck's own errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from ..models import Document, Report
from . import exports, stories, triage, users
from .access import Action, authenticate, require
from .db import Database, safe_url
from .errors import Conflict, StoreUnavailable
from .exports import Export
from .migrate import upgrade
from .triage import FlagUpdate
from .views import Flag, Story, StoryPage, StoryVersion, User

logger = logging.getLogger("numcheck.store")
T = TypeVar("T")


class Store:
    def __init__(self, database: Database) -> None:
        self.database = database

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect and upgrade the schema to this version of numcheck."""
        database = Database(url)
        try:
            revision = upgrade(database)
        except StoreUnavailable:
            database.close()
            raise
        logger.info("stories stored in %s (%s, schema %s)", safe_url(url), database.backend, revision)
        return cls(database)

    def close(self) -> None:
        self.database.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except IntegrityError:
            message = "This was changed by someone else at the same moment: read it again and retry."
            raise Conflict(message, {}) from None
        except DBAPIError as exc:
            logger.warning("store: %s", exc)
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
            message = f"The story database cannot be used right now ({reason}); checks still work."
            raise StoreUnavailable(message) from None

    def _read(self, work: Callable[[Session], T]) -> T:
        with self._guard(), self.database.reading() as session:
            return work(session)

    def _write(self, work: Callable[[Session], T]) -> T:
        with self._guard(), self.database.writing() as session:
            return work(session)

    # --- who ---------------------------------------------------------------------------------------

    def authenticate(self, key: str | None, loopback: bool) -> User:
        """The user a key belongs to; with no key, the local user where that applies (see access.py)."""

        def work(session: Session) -> User:
            user = users.resolve(session, key) if key is not None else None
            exist = user is not None or users.count(session) > 0
            return authenticate(key, user, exist, loopback)

        return self._read(work)

    def user_for_key(self, key: str) -> User | None:
        return self._read(lambda session: users.resolve(session, key))

    def user_named(self, name: str) -> User | None:
        """The user of that name as they are now (role and key prefix), or None."""
        return self._read(lambda session: users.named(session, name))

    def users_exist(self) -> bool:
        return self._read(users.count) > 0

    def users(self) -> list[User]:
        return self._read(users.listing)

    def add_user(self, name: str, role: str) -> tuple[User, str]:
        """A new user and their key (shown this once: only its hash is kept)."""
        return self._write(lambda session: users.add(session, name, role))

    def rotate_key(self, name: str) -> tuple[User, str]:
        """A new key for a user; the old one stops working."""
        return self._write(lambda session: users.rotate(session, name))

    def remove_user(self, name: str) -> None:
        self._write(lambda session: users.remove(session, name))

    # --- stories -----------------------------------------------------------------------------------

    def save_story(
        self, documents: Sequence[Document], report: Report, user: User, title: str | None = None
    ) -> Story:
        """Save a check as a new story (version 1); every flag starts open."""
        require(user, Action.CHANGE)

        def work(session: Session) -> Story:
            return stories.load(session, stories.create(session, documents, report, user.name, title))

        return self._write(work)

    def recheck(
        self,
        story_id: int,
        documents: Sequence[Document],
        report: Report,
        user: User,
        base_version: int | None = None,
    ) -> Story:
        """Add the check of an edited draft as the story's next version; decisions carry over."""
        require(user, Action.CHANGE)

        def work(session: Session) -> Story:
            stories.add_version(session, story_id, documents, report, user.name, base_version)
            return stories.load(session, story_id)

        return self._write(work)

    def story(self, story_id: int, history: bool = False) -> Story:
        """The story's current version and flags; with `history`, each flag's history too."""
        return self._read(lambda session: stories.load(session, story_id, history))

    def version(self, story_id: int, number: int) -> StoryVersion:
        return self._read(lambda session: stories.load_version(session, story_id, number))

    def stories(
        self, status: str | None = None, assignee: str | None = None, limit: int = 50, offset: int = 0
    ) -> StoryPage:
        return self._read(lambda session: stories.listing(session, status, assignee, limit, offset))

    def delete_story(self, story_id: int, user: User) -> None:
        require(user, Action.DELETE)
        self._write(lambda session: stories.delete(session, story_id))

    # --- flags -------------------------------------------------------------------------------------

    def flag(self, story_id: int, flag_id: int) -> Flag:
        """One flag with its whole history."""
        return self._read(lambda session: triage.load_flag(session, story_id, flag_id))

    def update_flag(self, story_id: int, flag_id: int, update: FlagUpdate, user: User) -> Flag:
        """Apply a change based on `update.version`; Conflict (with the current flag) if that is stale."""
        require(user, Action.CHANGE)
        return self._write(lambda session: triage.update_flag(session, story_id, flag_id, update, user.name))

    # --- exports -----------------------------------------------------------------------------------

    def export(self, story_id: int, name: str) -> Export:
        """One of exports.EXPORTS for the story's current version."""
        return exports.export(self.story(story_id), name)
