"""Discrepancies: every kind, flagged when the numbers cannot all be true and not otherwise."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from service.hedges import interval
from service.models import Report
from service.rules import RuleSet

CheckText = Callable[..., Report]


@pytest.mark.parametrize(
    ("value", "granularity", "hedge", "value_to", "low", "high"),
    [
        (3200, 100, "over", None, 3200, 4000),
        (10000, 1000, "at least", None, 10000, 12500),
        (3000, 1000, "about", None, 2700, 3300),
        (480000, 10000, "nearly", None, 432000, 480000),
        (1800, 100, "up to", None, 900, 1800),
        (40, 10, "fewer than", None, 20, 40),
        (43, 1, "exactly", None, 43, 43),
        (3200, 100, None, None, 3150, 3250),  # a bare number stands for its rounding
        (60000, 10000, None, None, 55000, 65000),
        (400, 100, None, None, 360, 440),  # ... never more than 10% either side
        (3000, 1000, "between", 4000, 3000, 4000),  # a stated range is what it states
    ],
)
def test_intervals_read_hedges_and_roundness(
    rules: RuleSet,
    value: float,
    granularity: float,
    hedge: str | None,
    value_to: float | None,
    low: float,
    high: float,
) -> None:
    got = interval(rules.hedges, value, granularity, hedge, value_to)
    assert got == pytest.approx((low, high))


def _kinds(report: Report) -> list[str]:
    return [d.kind for d in report.discrepancies]


ACCOUNTS = [
    pytest.param(
        "About 2,000 people attended the concert on Friday, the organisers said.",
        "Police estimated the crowd at 1,500.",
        ["conflicting_accounts"],
        id="attendance-against-a-crowd-estimate",
    ),
    pytest.param(
        "The wildfire has burned 5,000 hectares.",
        "The fire has scorched 20,000 acres, firefighters said.",
        ["conflicting_accounts"],
        id="burnt-area-in-two-units",
    ),
    pytest.param(
        "Ten schools were closed in the north and 12 in the south.",
        "Officials said 22 schools were closed.",
        [],
        id="regional-parts-that-add-up",
    ),
    # (first account, second account, expected kinds)
    pytest.param(
        "Police said about 18,000 people took part in the march.",
        "Organisers said 60,000 people took part in the march.",
        ["conflicting_accounts"],
        id="crowd-estimates-far-apart",
    ),
    pytest.param(
        "The ministry said more than 5,000 troops took part in the exercise.",
        "The headquarters said 3,100 Estonian troops, 900 Latvian troops and 450 Lithuanian troops took part.",
        ["conflicting_accounts"],
        id="total-against-summed-contingents",
    ),
    pytest.param(
        "The bridge is 410 metres long, the county said.",
        "The bridge is 1,640 feet long, the state said.",
        ["conflicting_accounts"],
        id="lengths-that-do-not-convert",
    ),
    pytest.param(
        "About 3,000 homes were damaged, officials said.",
        "The agency said 3,150 homes were damaged.",
        [],
        id="rounding-is-not-a-conflict",
    ),
    pytest.param(
        "More than 40 people were injured, the fire service said.",
        "The hospital said 43 people were injured.",
        [],
        id="hedged-bound-that-fits",
    ),
    pytest.param(
        "The spill was 40 cubic metres, the coastguard said.",
        "The harbour authority said the spill was 40,000 litres.",
        [],
        id="same-amount-in-other-units",
    ),
    pytest.param(
        "Twelve people were killed, police said.",
        "Police said 140 people were injured.",
        [],
        id="dead-and-injured-are-different-things",
    ),
    pytest.param(
        "By Monday evening 12 people had died, officials said.",
        "By Wednesday the death toll had risen to 19, officials said.",
        [],
        id="a-later-toll-is-an-update",
    ),
    pytest.param(
        "The unemployment rate fell to 5.8% in the third quarter, the statistics office said.",
        "Economists had expected the unemployment rate to fall to 6.1% in the third quarter.",
        [],
        id="a-forecast-is-not-the-outcome",
    ),
]


@pytest.mark.parametrize(("first", "second", "kinds"), ACCOUNTS)
def test_accounts_conflict_only_when_they_cannot_meet(
    check_text: CheckText, first: str, second: str, kinds: list[str]
) -> None:
    report = check_text(("a", first, "Wire A"), ("b", second, "Wire B"))
    assert _kinds(report) == kinds


def test_one_source_twice_is_not_two_accounts(check_text: CheckText) -> None:
    report = check_text("Police said 200 people were arrested. Police later said 400 people were arrested.")
    assert "conflicting_accounts" not in _kinds(report)


def test_a_conflict_names_both_sources_and_the_arithmetic(check_text: CheckText) -> None:
    report = check_text(
        ("a", "TASS said the exercise involved over 3,200 personnel.", "Desk"),
        (
            "b",
            "KP says at least 10,000 troops from Tajikistan and 400 from Russia took part.",
            "Khaama Press",
        ),
    )
    [d] = report.discrepancies
    assert d.kind == "conflicting_accounts" and d.severity == "high"
    assert "TASS" in d.explanation and "10,000 + 400 = 10,400" in d.explanation
    assert len(d.figure_ids) == 3
    assert d.alternatives  # "what if TASS counted one contingent only?"


ARITHMETIC = [
    pytest.param(
        "Hospitals have 2,340 beds in all: 1,480 general beds, 620 surgical beds and 190 intensive care beds.",
        ["total_mismatch"],
        id="total-against-its-parts",
    ),
    pytest.param(
        "Donors pledged $1.5bn. The EU pledged $520m, the US $410m, Germany $230m, the UK $180m and other "
        "donors the remaining $310m.",
        ["parts_exceed_total"],
        id="parts-exceed-the-total",
    ),
    pytest.param(
        "The council approved a £1.25bn budget. Social care will receive £412m, children's services £286m, "
        "highways £174m and all other services £378m.",
        [],
        id="parts-that-add-up",
    ),
    pytest.param(
        "Road deaths fell to 287 last year from 341 the year before, a fall of 21%.",
        ["percent_change_mismatch"],
        id="wrong-percentage-change",
    ),
    pytest.param(
        "Burglaries fell to 3,212 from 3,780 a year earlier, a drop of 15%.",
        [],
        id="right-percentage-change",
    ),
    pytest.param(
        "Europe accounted for 58% of revenue, North America for 31% and Asia for 17%.",
        ["shares_exceed_whole"],
        id="shares-above-one-whole",
    ),
    pytest.param(
        "Of the children vaccinated, 46% were under five, 38% were aged five to nine and 16% were older.",
        [],
        id="shares-that-make-one-whole",
    ),
    pytest.param(
        "Occupancy averaged 94% over the winter, well above the 85% level the authority considers safe.",
        [],
        id="percentages-of-different-wholes",
    ),
    pytest.param(
        "The council said it had doubled spending on pothole repairs, from £9.6m last year to £14.2m.",
        ["multiple_mismatch"],
        id="doubled-that-did-not-double",
    ),
    pytest.param(
        "Passenger numbers more than doubled, to 3.9 million from 1.8 million a year earlier.",
        [],
        id="more-than-doubled-indeed",
    ),
    pytest.param(
        "The firm will cut up to 1,800 jobs, including 1,100 in Germany and 520 in Poland.",
        [],
        id="a-partial-list-is-not-a-breakdown",
    ),
    pytest.param(
        "At least 27 people died when the ferry capsized, while 86 people were rescued and 19 were still "
        "missing. The ferry's manifest listed 118 passengers and six crew.",
        ["parts_exceed_total"],
        id="fates-outnumber-the-people-aboard",
    ),
    pytest.param(
        "Twelve people died when the ferry capsized, while 86 people were rescued and 19 were still "
        "missing. The ferry's manifest listed 118 passengers and six crew.",
        [],
        id="fates-within-the-people-aboard",
    ),
]


@pytest.mark.parametrize(("text", "kinds"), ARITHMETIC)
def test_arithmetic_within_one_text(check_text: CheckText, text: str, kinds: list[str]) -> None:
    assert _kinds(check_text(text)) == kinds


def test_every_discrepancy_rests_on_figures_of_the_report(check_text: CheckText) -> None:
    report = check_text(
        "Hospitals have 2,340 beds in all: 1,480 general beds, 620 surgical beds and 190 intensive care beds."
    )
    ids = {f.id for f in report.figures}
    [d] = report.discrepancies
    assert set(d.figure_ids) <= ids and len(d.figure_ids) == 4
    assert "2,290" in d.explanation


@pytest.mark.parametrize(
    ("severity", "first", "second"),
    [
        ("high", "Police said about 18,000 people marched.", "Organisers said 60,000 people marched."),
        (
            "low",
            "The operator said nearly 480,000 customers lost power.",
            "The operator said more than half a million customers lost power.",
        ),
    ],
)
def test_severity_grows_with_the_distance(
    check_text: CheckText, severity: str, first: str, second: str
) -> None:
    report = check_text(("a", first, "Wire A"), ("b", second, "Wire B"))
    assert [d.severity for d in report.discrepancies] == [severity]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        pytest.param(
            "The unemployment rate fell to 5.8% from 6.4%, a drop of 0.6 percentage points.", [], id="points-right"
        ),
        pytest.param(
            "The unemployment rate fell to 5.8% from 6.4%, a drop of 1.6 percentage points.",
            ["percent_change_mismatch"],
            id="points-wrong",
        ),
        pytest.param(
            "Support stands at 72% of men, 65% of women and 80% of pensioners.", [], id="shares-of-several-wholes"
        ),
        pytest.param(
            "Donors pledged $1.5bn on Monday. They had pledged $1.2bn last year and $900m in 2022.",
            [],
            id="earlier-periods-are-not-parts",
        ),
    ],
)
def test_arithmetic_reads_rates_wholes_and_periods(check_text: CheckText, text: str, kinds: list[str]) -> None:
    assert _kinds(check_text(text)) == kinds


GROUPING = [
    pytest.param(
        ("a", "At least 14 people were killed on Friday. Rescuers were searching for more than 60 people still "
              "missing.", "Wire A"),
        ("b", "The toll rose to 27 on Sunday, and 49 people remained missing, the agency said.", "Wire B"),
        [],
        id="a-figure-holds-for-the-time-of-its-paragraph",
    ),
    pytest.param(
        ("a", "A burst main left about 38,000 households without water on Tuesday, the company said.", "Wire A"),
        ("b", "The company said 6,500 households were still without water on Tuesday evening.", "Wire B"),
        [],
        id="what-is-still-left-is-not-the-total",
    ),
    pytest.param(
        ("a", "The union said 4,800 of the port's 6,200 workers had joined the strike. The port authority put "
              "the figure at 1,900.", "Wire A"),
        None,
        ["conflicting_accounts"],
        id="a-restated-part-is-compared-with-the-part",
    ),
    pytest.param(
        ("a", "Seven of the nine suspects are Dutch, a prosecutor said. The other two are Belgian.", "Wire A"),
        None,
        [],
        id="two-subgroups-of-one-whole",
    ),
    pytest.param(
        ("a", "Police said 40 people were arrested in the north and 300 people were arrested in the south.",
         "Wire A"),
        ("b", "Organisers said 120 people were arrested.", "Wire B"),
        [],
        id="an-account-that-gives-two-numbers-speaks-of-two-things",
    ),
]


@pytest.mark.parametrize(("first", "second", "kinds"), GROUPING)
def test_grouping_reads_time_subgroups_and_restatements(
    check_text: CheckText,
    first: tuple[str, str, str],
    second: tuple[str, str, str] | None,
    kinds: list[str],
) -> None:
    report = check_text(first, second) if second else check_text(first)
    assert _kinds(report) == kinds


def test_one_flag_for_each_pair_of_accounts(check_text: CheckText) -> None:
    report = check_text(
        ("a", "Police said about 18,000 people marched. Police later said about 18,500 people marched.", "A"),
        ("b", "Organisers said 60,000 people marched.", "B"),
    )
    assert _kinds(report) == ["conflicting_accounts"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        pytest.param("The winner took 2,184 of the 4,870 votes cast (52%).", ["share_mismatch"], id="wrong-share"),
        pytest.param("The winner took 2,184 of the 4,870 votes cast (44.8%).", [], id="right-share"),
        pytest.param("Violent offences made up 11,204 of the 41,870 crimes, or 27%.", [], id="rounded-share"),
    ],
)
def test_a_stated_share_is_the_part_over_the_whole(check_text: CheckText, text: str, kinds: list[str]) -> None:
    assert _kinds(check_text(text)) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        pytest.param(
            "Buses carried 212.4 million trips last year, 12% more than the 199.4 million the year before.",
            ["percent_change_mismatch"],
            id="comparative-wrong",
        ),
        pytest.param(
            "Buses carried 212.4 million trips last year, 6.5% more than the 199.4 million the year before.",
            [],
            id="comparative-right",
        ),
    ],
)
def test_a_percentage_more_than_a_value_is_checked(check_text: CheckText, text: str, kinds: list[str]) -> None:
    assert _kinds(check_text(text)) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        pytest.param("The backlog nearly halved, from 4,000 cases to 2,120.", [],
                     id="nearly halved is a little above half"),
        pytest.param("The backlog halved, from 4,000 cases to 2,900.", ["multiple_mismatch"], id="halved is not 0.72"),
        pytest.param("Profit rose almost 13 percent, from $100m to $107m.", ["percent_change_mismatch"],
                     id="almost 13 percent is not 7"),
        pytest.param("Profit rose almost 13 percent, from $100m to $112.5m.", [], id="almost 13 percent is 12.5"),
    ],
)
def test_hedged_multiples_and_changes_read_both_ways(check_text: CheckText, text: str, kinds: list[str]) -> None:
    assert [d.kind for d in check_text(text).discrepancies] == kinds
