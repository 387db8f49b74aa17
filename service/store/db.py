"""Connections to the store: one engine per process, sessions that read and sessions that write.

SQLite (the default) is opened in WAL mode, so readers never wait for a writer, and a writing
session starts with `BEGIN IMMEDIATE`: it takes the write lock before it reads, so two writers
queue (for up to `SQLITE_WAIT_SECONDS`) instead of one failing half-way with "database is locked".
PostgreSQL needs neither: row locks and conditional updates do that work there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .errors import StoreUnavailable

SQLITE_WAIT_SECONDS = 30
CONNECT_SECONDS = 10
_WRITE = "numcheck_write"


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL SQLAlchemy cannot parse is shown only by its scheme
        return url.partition("://")[0] + "://…"


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(
                f"Cannot create the data folder {Path(database).parent}: {exc.strerror or exc}. "
                "Set NUMCHECK_DATA_DIR to a folder numcheck may write, or NUMCHECK_DATABASE_URL."
            ) from None
    engine = create_engine(url, connect_args={"timeout": SQLITE_WAIT_SECONDS, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would defer BEGIN; the "begin" hook below issues it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """An engine and the two kinds of session the store uses."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite":
                self.engine = _sqlite_engine(url)
            else:
                # A database that does not answer is reported after seconds, not minutes (unless the URL says).
                connect_args = (
                    {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_SECONDS}
                )
                self.engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
        except StoreUnavailable:
            raise
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise StoreUnavailable(f"Cannot use the database at {safe_url(url)}: {exc}") from None
        self.writer = self.engine.execution_options(**{_WRITE: True})

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine) as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose work is committed on a clean exit, rolled back on an exception."""
        with Session(self.writer, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
