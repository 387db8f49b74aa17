"""A flag's fingerprint: the same kind over the same claims, whatever the ids, offsets and wording."""

from __future__ import annotations

from typing import Any

import pytest

from service.models import Discrepancy, Figure
from service.store.fingerprint import fingerprints


def figure(fid: str, value: float, source: str | None, **fields: Any) -> Figure:
    base: dict[str, Any] = {
        "id": fid,
        "document_id": "kp",
        "start": 0,
        "end": 5,
        "text": f"{value:,}",
        "value": value,
        "low": value,
        "high": value,
        "dimension": "count",
        "counted": "troops",
        "source": source,
    }
    return Figure(**{**base, **fields})


def flag(kind: str, *figure_ids: str, **fields: Any) -> Discrepancy:
    base = {"id": "d1", "severity": "high", "explanation": "…"}
    return Discrepancy(kind=kind, figure_ids=list(figure_ids), **{**base, **fields})


BEFORE = [
    figure("f3", 3200, "TASS", text="over 3,200 personnel"),
    figure("f5", 10000, "KP"),
    figure("f6", 400, "KP"),
]
DRILL = flag("conflicting_accounts", "f3", "f5", "f6")

SAME = [
    (
        "figure ids renumbered and offsets moved by an edit above",
        [
            figure("f7", 3200, "TASS", start=900, end=920),
            figure("f9", 10000, "KP", start=1000),
            figure("f10", 400, "KP", start=1100),
        ],
        flag("conflicting_accounts", "f7", "f9", "f10", id="d4"),
    ),
    (
        "the hedge reworded, the severity and explanation changed",
        [figure("f3", 3200, "TASS", text="more than 3,200 personnel", hedge="more than"), *BEFORE[1:]],
        flag("conflicting_accounts", "f3", "f5", "f6", severity="medium", explanation="other words"),
    ),
    (
        "the figures listed in another order, a source's spacing and case changed",
        [figure("f3", 3200, " tass "), *BEFORE[1:]],
        flag("conflicting_accounts", "f6", "f3", "f5"),
    ),
    ("a value written as a float", [figure("f3", 3200.0, "TASS"), *BEFORE[1:]], DRILL),
]
OTHER = [
    ("a number changed", [figure("f3", 3400, "TASS"), *BEFORE[1:]], DRILL),
    ("a source changed", [figure("f3", 3200, "RIA"), *BEFORE[1:]], DRILL),
    ("a unit changed", [figure("f3", 3200, "TASS", unit="km", dimension="length"), *BEFORE[1:]], DRILL),
    ("another kind over the same figures", BEFORE, flag("parts_exceed_total", "f3", "f5", "f6")),
    (
        "a claim added",
        [*BEFORE, figure("f8", 5000, "RIA")],
        flag("conflicting_accounts", "f3", "f5", "f6", "f8"),
    ),
]


@pytest.mark.parametrize(("case", "figures", "discrepancy"), SAME, ids=[c[0] for c in SAME])
def test_what_survives_an_edit_keeps_the_fingerprint(
    case: str, figures: list[Figure], discrepancy: Discrepancy
) -> None:
    assert fingerprints([discrepancy], figures) == fingerprints([DRILL], BEFORE)


@pytest.mark.parametrize(("case", "figures", "discrepancy"), OTHER, ids=[c[0] for c in OTHER])
def test_other_claims_make_another_fingerprint(
    case: str, figures: list[Figure], discrepancy: Discrepancy
) -> None:
    assert fingerprints([discrepancy], figures) != fingerprints([DRILL], BEFORE)


def test_the_same_conflict_twice_in_one_report_is_numbered_in_order() -> None:
    first, second = fingerprints([DRILL, DRILL.model_copy(update={"id": "d2"})], BEFORE)
    assert second == first + "#2"
    assert first.startswith("v1:") and len(first) == 43
