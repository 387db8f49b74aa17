"""Golden articles: each folder in seeds/ holds article.txt and the essentials of its report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.models import Figure, Report

CheckText = Callable[..., Report]

SEEDS = sorted(p for p in (Path(__file__).parent.parent / "seeds").iterdir() if p.is_dir())


def _load(folder: Path) -> tuple[str, dict[str, Any]]:
    text = (folder / "article.txt").read_text(encoding="utf-8")
    return text, json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def _report(folder: Path, check_text: CheckText) -> tuple[str, dict[str, Any], Report]:
    text, expected = _load(folder)
    doc = expected["document"]
    return text, expected, check_text((doc["id"], text, doc["source"]))


def _find(report: Report, text: str, want: dict[str, Any]) -> Figure:
    start = text.index(want["text"])
    matches = [
        f for f in report.figures
        if f.start <= start < f.end and f.value == want["value"]
    ]
    assert matches, f"no figure with value {want['value']} at {want['text']!r}"
    return matches[0]


def _assert_attributes(figure: Figure, want: dict[str, Any]) -> None:
    for key in ("hedge", "counted", "measure_word", "source"):
        if key in want:
            assert getattr(figure, key) == want[key], f"{figure.text!r}: {key}"


@pytest.mark.parametrize("folder", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_flags_exactly_the_expected_discrepancies(folder: Path, check_text: CheckText) -> None:
    text, expected, report = _report(folder, check_text)
    assert len(report.discrepancies) == len(expected["discrepancies"])
    for got, want in zip(report.discrepancies, expected["discrepancies"], strict=True):
        assert (got.kind, got.severity) == (want["kind"], want["severity"])
        figures = [_find(report, text, f) for f in want["figures"]]
        assert {f.id for f in figures} <= set(got.figure_ids)
        for figure, f_want in zip(figures, want["figures"], strict=True):
            _assert_attributes(figure, f_want)
        for phrase in want["explanation_contains"]:
            assert phrase in got.explanation


@pytest.mark.parametrize("folder", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_key_figures_are_read_and_left_unflagged(folder: Path, check_text: CheckText) -> None:
    text, expected, report = _report(folder, check_text)
    flagged = {i for d in report.discrepancies for i in d.figure_ids}
    for want in expected["figures"]:
        figure = _find(report, text, want)
        _assert_attributes(figure, want)
        assert (figure.id in flagged) == want["flagged"]


@pytest.mark.parametrize("folder", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_non_figures_are_listed_as_ignored_with_a_reason(folder: Path, check_text: CheckText) -> None:
    text, expected, report = _report(folder, check_text)
    for phrase in expected["ignored"]:
        start = text.index(phrase)
        span = (start, start + len(phrase))
        assert not [f for f in report.figures if f.start < span[1] and span[0] < f.end], phrase
        ignored = [i for i in report.ignored if i.start < span[1] and span[0] < i.end]
        assert ignored and all(i.reason for i in ignored), phrase


@pytest.mark.parametrize("folder", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_offsets_index_the_text_as_sent(folder: Path, check_text: CheckText) -> None:
    text, _, report = _report(folder, check_text)
    for f in report.figures:
        assert text[f.start : f.end] == f.text
    for i in report.ignored:
        assert text[i.start : i.end] == i.text

