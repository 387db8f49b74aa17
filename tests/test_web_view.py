"""The report page's view model: text cut into marks, what a figure shows, flags in order."""

from __future__ import annotations

from typing import Any

import pytest

from service.models import Claim, Discrepancy, Document, Figure, Group, Ignored, Report
from service.web import format as fmt
from service.web.marks import Span, segments
from service.web.view import report_view


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("no numbers", [], [("no numbers", (), ())]),
        ("", [], [("", (), ())]),
        ("12 dead", [Span(0, 2, "f1")], [("12", ("f1",), ()), (" dead", (), ())]),
        (
            "in 2001, 40 dead",
            [Span(3, 7, "i1", ignored=True), Span(9, 11, "f1")],
            [("in ", (), ()), ("2001", (), ("i1",)), (", ", (), ()), ("40", ("f1",), ()), (" dead", (), ())],
        ),
        # a figure inside another is marked with it, not dropped
        (
            "over 3,200 troops",
            [Span(0, 17, "f1"), Span(5, 10, "f2")],
            [("over 3,200 troops", ("f1", "f2"), ())],
        ),
        # overlapping spans join into one mark
        ("10 to 20 km", [Span(0, 5, "f1"), Span(3, 11, "f2")], [("10 to 20 km", ("f1", "f2"), ())]),
        # an ignored number inside a figure stays with it
        (
            "the 737 jets",
            [Span(4, 12, "f1"), Span(4, 7, "i1", ignored=True)],
            [("the ", (), ()), ("737 jets", ("f1",), ("i1",))],
        ),
        # spans outside the text or empty are left out
        ("abc", [Span(2, 9, "f1"), Span(1, 1, "f2"), Span(-1, 2, "f3")], [("abc", (), ())]),
    ],
)
def test_segments_mark_every_span_and_keep_the_text(
    text: str, spans: list[Span], expected: list[tuple[str, tuple[str, ...], tuple[str, ...]]]
) -> None:
    out = segments(text, spans)
    assert [(s.text, s.figure_ids, s.ignored_keys) for s in out] == expected
    assert "".join(s.text for s in out) == text
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in out)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (3200, "3,200"),
        (10400.0, "10,400"),
        (11.5, "11.5"),
        (880.0000000000001, "880"),
        (3.25, "3.25"),
        (0.000123, "0.0001"),
        (-5, "-5"),
        (1_200_000, "1,200,000"),
    ],
)
def test_numbers_are_written_with_separators_and_without_float_noise(value: float, written: str) -> None:
    assert fmt.number(value) == written


@pytest.mark.parametrize(
    ("low", "high", "unit", "written"),
    [
        (3200, 4000, None, "3,200–4,000"),
        (400, 400, None, "400"),
        (10, 12.5, "%", "10–12.5%"),
        (2, 3, "km", "2–3 km"),
        (880.0000000000001, 880, None, "880"),
    ],
)
def test_intervals(low: float, high: float, unit: str | None, written: str) -> None:
    assert fmt.interval(low, high, unit) == written


TASS = "TASS said over 3,200 personnel took part."
KP = "KP says at least 10,000 troops from Tajikistan and 400 from Russia took part in 2024."
TEXTS = {"tass": TASS, "kp": KP}


def _figure(fid: str, doc: str, text: str, **fields: Any) -> Figure:
    base: dict[str, Any] = {"value": 1, "low": 1, "high": 1, "dimension": "count"}
    start = TEXTS[doc].index(text)
    return Figure(
        id=fid, document_id=doc, start=start, end=start + len(text), text=text, **{**base, **fields}
    )


DOCUMENTS = [Document(id="tass", text=TASS, source="TASS"), Document(id="kp", text=KP, source="Khaama Press")]
FIGURES = [
    _figure(
        "f1",
        "tass",
        "over 3,200 personnel",
        value=3200,
        low=3200,
        high=4000,
        hedge="over",
        counted="personnel",
        source="TASS",
    ),
    _figure(
        "f2",
        "kp",
        "at least 10,000 troops",
        value=10000,
        low=10000,
        high=12500,
        hedge="at least",
        counted="troops",
        qualifiers=["from Tajikistan"],
        source="Khaama Press",
    ),
    _figure(
        "f3",
        "kp",
        "400",
        value=400,
        low=400,
        high=500,
        counted="troops",
        qualifiers=["from Russia"],
        source="Khaama Press",
    ),
    _figure("f4", "tass", "TASS", value=1, low=1, high=1),
]
CLAIMS = [
    Claim(
        source="TASS",
        figure_ids=["f1"],
        value=3200,
        low=3200,
        high=4000,
        expression="over 3,200 personnel",
        document_ids=["tass"],
    ),
    Claim(
        source="Khaama Press",
        figure_ids=["f2", "f3"],
        value=10400,
        low=10400,
        high=13000,
        expression="10,000 + 400 = 10,400",
        document_ids=["kp"],
    ),
]
GROUP = Group(id="g1", concept="troops", dimension="count", figure_ids=["f1", "f2", "f3"], claims=CLAIMS)
CONFLICT = Discrepancy(
    id="d1",
    kind="conflicting_accounts",
    severity="high",
    group_id="g1",
    figure_ids=["f1", "f2", "f3"],
    claims=CLAIMS,
    arithmetic="3,200–4,000 vs 10,400–13,000",
    explanation="TASS: over 3,200 personnel — Khaama Press: 10,400 troops.",
)
SUM = Discrepancy(
    id="d2", kind="total_mismatch", severity="low", figure_ids=["f2", "f3"], explanation="parts"
)
IGNORED = [
    Ignored(document_id="kp", start=KP.index("2024"), end=KP.index("2024") + 4, text="2024", reason="year")
]


def _report(discrepancies: list[Discrepancy], groups: list[Group] | None = None) -> Report:
    return Report(
        figures=FIGURES,
        groups=[GROUP] if groups is None else groups,
        discrepancies=discrepancies,
        ignored=IGNORED,
    )


def test_flags_come_in_severity_order_with_their_claims_side_by_side() -> None:
    view = report_view(_report([SUM, CONFLICT]), DOCUMENTS)
    assert [f.id for f in view.flags] == ["d1", "d2"]
    conflict = view.flags[0]
    assert [(c.source, c.text, c.interval, c.where) for c in conflict.claims] == [
        ("TASS", "over 3,200 personnel", "3,200–4,000", None),
        ("Khaama Press", "10,000 + 400 = 10,400 troops", "10,400–13,000", None),
    ]
    assert conflict.kind_label == "Conflicting accounts"
    assert conflict.arithmetic == "3,200–4,000 vs 10,400–13,000"
    assert view.severity_counts == {"high": 1, "medium": 0, "low": 1}
    assert view.kinds == [
        ("conflicting_accounts", "Conflicting accounts"),
        ("total_mismatch", "Total does not add up"),
    ]


def test_a_flag_without_claims_lists_its_figures() -> None:
    (flag,) = report_view(_report([SUM]), DOCUMENTS).flags
    assert flag.claims == []
    assert [(f.text, f.source) for f in flag.figures] == [
        ("at least 10,000 troops", "Khaama Press"),
        ("400", "Khaama Press"),
    ]


def test_every_flag_is_open_unless_a_status_is_kept() -> None:
    assert [f.status for f in report_view(_report([CONFLICT, SUM]), DOCUMENTS).flags] == ["open", "open"]
    view = report_view(_report([CONFLICT, SUM]), DOCUMENTS, statuses={"d2": "dismissed"})
    assert [(f.id, f.status) for f in view.flags] == [("d1", "open"), ("d2", "dismissed")]


def test_marks_carry_group_colour_flag_and_severity() -> None:
    view = report_view(_report([CONFLICT, SUM]), DOCUMENTS)
    tass, kp = view.documents
    marked = [(r.text, r.classes, r.flag_ids) for r in tass.runs + kp.runs if r.marked]
    assert marked == [
        ("TASS", "fig", ""),
        ("over 3,200 personnel", "fig gc-0 flagged sev-high", "d1"),
        ("at least 10,000 troops", "fig gc-0 flagged sev-high", "d1 d2"),
        ("400", "fig gc-0 flagged sev-high", "d1 d2"),
        ("2024", "ign", ""),
    ]
    assert (tass.label, tass.figure_count, kp.figure_count) == ("TASS", 2, 2)
    assert "".join(r.text for r in kp.runs) == KP


def test_a_figure_shows_what_was_read() -> None:
    figure = report_view(_report([CONFLICT]), DOCUMENTS).figures["f2"]
    assert (figure.value, figure.interval, figure.hedge, figure.counted, figure.scope, figure.source) == (
        "10,000",
        "10,000–12,500",
        "at least",
        "troops",
        ["from Tajikistan"],
        "Khaama Press",
    )
    assert (figure.group_concept, figure.flag_ids, figure.severity) == ("troops", ["d1"], "high")


def test_claims_name_the_account_they_are_read_in_when_there_are_several() -> None:
    claim = CLAIMS[0].model_copy(update={"document_ids": ["kp"]})
    flag = CONFLICT.model_copy(update={"claims": [claim, CLAIMS[1]]})
    view = report_view(_report([flag]), DOCUMENTS)
    assert view.flags[0].claims[0].where == "Khaama Press"
    single = report_view(_report([flag]), DOCUMENTS[1:])
    assert single.flags[0].claims[0].where is None


def test_a_flag_shows_why_its_figures_were_grouped() -> None:
    assert report_view(_report([CONFLICT]), DOCUMENTS).flags[0].group.evidence == []  # type: ignore[union-attr]
    reasons = [
        "f2 ~ f1: same class 'troops' (troop / personnel) +1.6 (score 1.6)",
        "f9 ~ f1: unknown",
        "shared event",
    ]
    explained = GROUP.model_copy(update={"evidence": reasons})
    group = report_view(_report([CONFLICT], [explained]), DOCUMENTS).flags[0].group
    assert group is not None
    assert [(e.pair, e.text) for e in group.evidence] == [
        (
            ("at least 10,000 troops", "over 3,200 personnel"),
            "same class 'troops' (troop / personnel) +1.6 (score 1.6)",
        ),
        (None, "f9 ~ f1: unknown"),
        (None, "shared event"),
    ]
