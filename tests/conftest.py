"""Shared fixtures: the rules and the spaCy pipeline are loaded once per test session."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from spacy.language import Language

import service.api.routes
from service.api.app import create_app
from service.models import Document, Report
from service.nlp import load_pipeline
from service.pipeline import check
from service.rules import RuleSet, load_rules
from service.settings import Settings

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
def settings() -> Settings:
    return Settings()


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
