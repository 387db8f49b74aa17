"""Bring a database's schema up to this version of numcheck, with the migrations in the package.

The server does this on start; `numcheck db upgrade` does it by hand. Upgrading a database that is
already current does nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from .db import Database, safe_url
from .errors import StoreUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database) -> str | None:
    """Upgrade to the newest revision and return it; StoreUnavailable says why one cannot."""
    config = alembic_config()
    try:
        # A writing connection: on SQLite, processes starting together take turns (BEGIN IMMEDIATE).
        with database.writer.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return current_revision(database)
    except SQLAlchemyError as exc:
        reason = str(exc.orig) if isinstance(exc, DBAPIError) and exc.orig is not None else str(exc)
        raise StoreUnavailable(
            f"Cannot upgrade the database at {safe_url(database.url)}: {reason.strip().splitlines()[0]}"
        ) from None
