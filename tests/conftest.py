"""Shared fixtures: the rules and the spaCy pipeline are loaded once per test session."""

from __future__ import annotations

import ipaddress
import itertools
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from spacy.language import Language
from sqlalchemy import create_engine

import service.api.routes
from bench.postgres import PostgresMissing, PostgresServer
from service.api.app import create_app
from service.models import Document, Report
from service.nlp import load_pipeline
from service.pipeline import check
from service.rules import RuleSet, load_rules
from service.settings import Settings
from service.store import Store
from service.store.tables import Base

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "testserver"})


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


@pytest.fixture(scope="session", autouse=True)
def no_names_beyond_this_machine() -> Iterator[None]:
    """No test looks up a name other than this machine's: a document sent as a url is never fetched
    from elsewhere, whatever a generated request holds."""
    real = socket.getaddrinfo

    def local_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in LOCAL_HOSTS and not _is_address(name):
            raise socket.gaierror(socket.EAI_NONAME, f"tests resolve only this machine's names, not {name!r}")
        return real(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", local_only)
        yield


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # The session's apps store stories in a folder of their own, never in the checkout's data/.
    return Settings(data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def rules(settings: Settings) -> RuleSet:
    return load_rules(settings.rules_dir)


@pytest.fixture(scope="session")
def nlp(settings: Settings) -> Language:
    return load_pipeline(settings.spacy_pipeline, settings.fast_components)


CheckText = Callable[..., Report]


@pytest.fixture(scope="session")
def check_text(rules: RuleSet, nlp: Language) -> CheckText:
    """check_text("text", source="Outlet") or check_text(("a", "text", "Outlet"), ("b", ...))."""

    def run(*texts: str | tuple[str, str, str | None], source: str | None = "Desk") -> Report:
        documents = []
        for n, item in enumerate(texts):
            if isinstance(item, str):
                documents.append(Document(id=f"d{n}", text=item, source=source))
            else:
                doc_id, text, src = item
                documents.append(Document(id=doc_id, text=text, source=src))
        return check(documents, rules, nlp)

    return run


# --- the HTTP app ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    """One started app for the session: start-up (rules, spaCy) runs once."""
    with TestClient(app) as test_client:
        yield test_client


HeldChecks = tuple[threading.Event, threading.Event]


@pytest.fixture
def held_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldChecks]:
    """(started, release): checks made through the API wait, once started, until `release` is set."""
    started, release = threading.Event(), threading.Event()
    real_check = service.api.routes.check

    def held_check(*args: Any, **kwargs: Any) -> Report:
        started.set()
        release.wait(timeout=30)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(service.api.routes, "check", held_check)
    yield started, release
    release.set()


# --- the story store, on SQLite and on a real PostgreSQL server ---------------------------------------

BACKENDS = ["sqlite", "postgresql"]
_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the session; missing programs fail the tests, never skip them."""
    try:
        server = PostgresServer().start()
    except PostgresMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_stories(postgres: PostgresServer) -> str:
    """A PostgreSQL database with the store's schema, emptied before each test that uses it."""
    url = postgres.new_database("stories")
    Store.open(url).close()
    return url


def empty_postgres(url: str) -> str:
    # Emptying is a hundredth of the time of a new database (CREATE DATABASE takes most of a second).
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()
    return url


def new_store_url(backend: str, request: pytest.FixtureRequest, folder: Path) -> str:
    """The URL of a database of that backend with the store's schema or none yet, and no rows."""
    if backend == "sqlite":
        return f"sqlite:///{folder / f'stories-{next(_databases)}.sqlite3'}"
    return empty_postgres(request.getfixturevalue("postgres_stories"))


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database without any table, for the migration tests."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    name = f"empty_{next(_databases)}"
    request.addfinalizer(lambda: server.drop_database(name))
    return server.new_database(name)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return new_store_url(request.param, request, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.close()
