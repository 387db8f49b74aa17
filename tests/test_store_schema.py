"""The store's schema comes from its migrations, on SQLite and PostgreSQL, from an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from service.settings import Settings, with_psycopg
from service.store import Store, StoreUnavailable
from service.store.db import Database, safe_url
from service.store.lazy import LazyStore
from service.store.migrate import MIGRATIONS, current_revision, head_revision, upgrade
from service.store.tables import Base

TABLES = {"alembic_version", "users", "stories", "story_versions", "flags", "flag_events"}


def test_migrations_build_the_models_schema_from_an_empty_database(empty_database: str) -> None:
    database = Database(empty_database)
    try:
        assert inspect(database.engine).get_table_names() == []
        assert upgrade(database) == head_revision() == "0001"
        assert set(inspect(database.engine).get_table_names()) == TABLES
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        assert upgrade(database) == "0001"  # a current database: nothing to do
    finally:
        database.close()


def test_the_migrations_ship_inside_the_package() -> None:
    assert MIGRATIONS.parent == Path(__file__).resolve().parent.parent / "service" / "store"
    assert (MIGRATIONS / "env.py").is_file() and (MIGRATIONS / "script.py.mako").is_file()


def test_sqlite_is_the_default_in_a_data_folder_made_on_first_start(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "new" / "data")
    store = Store.open(settings.store_url)
    try:
        assert (tmp_path / "new" / "data" / "numcheck.sqlite3").is_file()
        assert current_revision(store.database) == head_revision()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u:p@db:5432/numcheck", "postgresql+psycopg://u:p@db:5432/numcheck"),
        ("postgres://u@db/numcheck", "postgresql+psycopg://u@db/numcheck"),
        ("postgresql+psycopg://u@db/numcheck", "postgresql+psycopg://u@db/numcheck"),
        ("sqlite:////srv/numcheck.sqlite3", "sqlite:////srv/numcheck.sqlite3"),
    ],
)
def test_a_database_url_selects_postgresql_through_psycopg_3(given: str, used: str) -> None:
    assert with_psycopg(given) == used
    assert Settings(database_url=given).store_url == used


def test_passwords_never_reach_messages() -> None:
    assert (
        safe_url("postgresql+psycopg://numcheck:s3cret@db/numcheck")
        == "postgresql+psycopg://numcheck:***@db/numcheck"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql+psycopg://nobody@/numcheck?host=/nonexistent&connect_timeout=2",
            r"^Cannot upgrade the database at postgresql\+psycopg://nobody@/numcheck\?.*: connection",
        ),
        ("sqlite:////proc/numcheck/stories.sqlite3", r"^Cannot create the data folder /proc/numcheck: "),
        ("mysql://u@db/numcheck", r"^Cannot use the database at mysql://u@db/numcheck: "),
    ],
)
def test_a_database_that_cannot_be_used_says_why(url: str, message: str) -> None:
    with pytest.raises(StoreUnavailable, match=message):
        Store.open(url)


def test_a_lazy_store_keeps_the_reason_and_tries_again_later(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the data folder should be")
    lazy = LazyStore(f"sqlite:///{blocker}/data/stories.sqlite3", retry_seconds=3600)
    assert not lazy.try_open()
    with pytest.raises(StoreUnavailable, match=r"^Cannot create the data folder"):
        lazy.get()
    lazy.url, lazy.retry_seconds = f"sqlite:///{tmp_path}/ok.sqlite3", 0
    assert lazy.get().stories().total == 0
    lazy.close()
