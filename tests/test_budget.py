"""A check's time limit and its client's departure stop it at its next checkpoint, freeing the worker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from spacy.language import Language

import service.api.routes
from service.api.app import create_app
from service.api.errors import Busy
from service.api.limits import CheckGate
from service.budget import Budget, checkpoint
from service.errors import CheckAbandoned, TimeLimitError
from service.models import Document
from service.pipeline import check
from service.rules import RuleSet
from service.settings import Settings


def spin(stage: str, seconds: float) -> str:
    """A check that passes a checkpoint every few milliseconds for `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        checkpoint(stage)
        time.sleep(0.005)
    return "done"


def test_a_check_past_its_time_stops_at_a_checkpoint_naming_the_stage(rules: RuleSet, nlp: Language) -> None:
    budget = Budget(0.0)
    with budget.active(), pytest.raises(TimeLimitError, match=r"^The check was stopped after 0 s, .*while reading"):
        check([Document(id="a", text="Police said 5 people died.")], rules, nlp)
    assert budget.stage == "read"


def test_outside_a_budget_a_checkpoint_does_nothing() -> None:
    checkpoint("extract")
    assert spin("extract", 0.01) == "done"


@pytest.fixture
def limited_app(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    monkeypatch.setattr(service.api.routes, "check", lambda *a, **k: spin("group", 5.0))
    yield create_app(settings.model_copy(update={"check_time_limit_seconds": 0.3}))


def test_a_request_past_the_time_limit_is_answered_422_saying_which_limit(limited_app: FastAPI) -> None:
    with TestClient(limited_app) as client:
        started = time.monotonic()
        response = client.post("/v1/check", json={"documents": [{"id": "a", "text": "5 died."}]})
        took = time.monotonic() - started
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "time_limit"
    assert "NUMCHECK_CHECK_TIME_LIMIT_SECONDS" in error["message"] and "while grouping the figures" in error["message"]
    assert error["details"][0]["stage"] == "group"
    assert took < 3.0  # stopped, not run to its end


def run_gate(scenario: Any) -> None:
    anyio.run(scenario)


def test_a_check_that_waits_past_the_time_limit_is_answered_busy() -> None:
    gate = CheckGate(capacity=2, time_limit=0.3)
    outcomes: list[Any] = []

    async def one(seconds: float) -> None:
        try:
            outcomes.append(await gate.run(time.sleep, seconds))
        except Busy as exc:
            outcomes.append(exc)

    async def scenario() -> None:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(one, 0.6)  # holds the worker without a checkpoint
            await anyio.sleep(0.05)
            tasks.start_soon(one, 0.0)

    run_gate(scenario)
    assert outcomes[0] is not None and isinstance(outcomes[0], Busy)
    assert "No worker was free within 0.3 s" in outcomes[0].message
    assert gate.admitted == 0


def test_a_check_whose_client_disconnects_is_abandoned_and_frees_the_worker() -> None:
    gate = CheckGate(capacity=2, time_limit=30)

    async def receive() -> dict[str, Any]:
        await anyio.sleep(0.2)
        return {"type": "http.disconnect"}

    async def scenario() -> None:
        started = time.monotonic()
        with pytest.raises(CheckAbandoned):
            await gate.run(spin, "extract", 10.0, receive=receive)
        assert time.monotonic() - started < 2.0
        # The worker is free: the next check runs at once.
        assert await gate.run(spin, "extract", 0.0) == "done"

    run_gate(scenario)
    assert (gate.abandoned, gate.admitted) == (1, 0)


def test_a_check_waiting_for_the_worker_is_dropped_when_its_client_leaves() -> None:
    gate = CheckGate(capacity=3, time_limit=30)
    ran: list[str] = []

    async def leaves() -> dict[str, Any]:
        await anyio.sleep(0.1)
        return {"type": "http.disconnect"}

    async def scenario() -> None:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(gate.run, spin, "read", 0.5)

            async def waiting() -> None:
                with pytest.raises(CheckAbandoned):
                    await gate.run(lambda: ran.append("never"), receive=leaves)

            tasks.start_soon(waiting)

    run_gate(scenario)
    assert ran == [] and gate.admitted == 0
