"""The extract stage: each figure's value, range, hedge, interval, unit, what it counts and change.

Each row is one sentence and the figure expected at a stated piece of it; the whole pipeline
runs (`check_text`), so the figures are read as a client receives them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from service.models import Figure, Report
from service.rules import RuleSet

CheckText = Callable[..., Report]


def figure_at(report: Report, text: str, fragment: str, doc: str = "d0") -> Figure:
    """The figure whose span overlaps the first occurrence of `fragment` in `text`."""
    start = text.index(fragment)
    end = start + len(fragment)
    found = [f for f in report.figures if f.document_id == doc and f.start < end and start < f.end]
    assert found, f"no figure at {fragment!r}; figures: {[f.text for f in report.figures]}"
    return found[0]


def check_row(check_text: CheckText, sentence: str, at: str, **expected: Any) -> Figure:
    figure = figure_at(check_text(sentence), sentence, at)
    got = {k: getattr(figure, k) for k in expected}
    for key in ("low", "high", "value", "value_to", "base_low", "base_high"):
        if key in expected and expected[key] is not None:
            expected[key] = pytest.approx(expected[key])
    assert got == expected
    return figure


# --- hedges: the phrase, its normalised name and the interval ---------------------------------------

HEDGES = [
    # phrase, normalised hedge, low, high for 3,200
    ("over", "over", 3200, 4000),
    ("more than", "over", 3200, 4000),
    ("above", "over", 3200, 4000),
    ("exceeding", "over", 3200, 4000),
    ("in excess of", "over", 3200, 4000),
    ("upwards of", "over", 3200, 4000),
    ("just over", "over", 3200, 4000),
    ("at least", "at least", 3200, 4000),
    ("no fewer than", "at least", 3200, 4000),
    ("about", "about", 2880, 3520),
    ("around", "about", 2880, 3520),
    ("roughly", "about", 2880, 3520),
    ("approximately", "about", 2880, 3520),
    ("some", "about", 2880, 3520),
    ("an estimated", "about", 2880, 3520),
    ("nearly", "nearly", 2880, 3200),
    ("almost", "nearly", 2880, 3200),
    ("close to", "nearly", 2880, 3200),
    ("just under", "just under", 2880, 3200),
    ("up to", "up to", 1600, 3200),
    ("as many as", "up to", 1600, 3200),
    ("at most", "up to", 1600, 3200),
    ("no more than", "up to", 1600, 3200),
    ("fewer than", "fewer than", 1600, 3200),
    ("less than", "fewer than", 1600, 3200),
    ("under", "fewer than", 1600, 3200),
    ("below", "fewer than", 1600, 3200),
    ("exactly", "exactly", 3200, 3200),
    ("precisely", "exactly", 3200, 3200),
]


@pytest.mark.parametrize(("phrase", "hedge", "low", "high"), HEDGES)
def test_hedge_before_the_number_sets_the_interval(
    check_text: CheckText, phrase: str, hedge: str, low: float, high: float
) -> None:
    sentence = f"The ministry said {phrase} 3,200 troops took part."
    check_row(check_text, sentence, "3,200", value=3200, hedge=hedge, low=low, high=high, counted="troops")


def test_over_and_at_least_are_different_hedges(check_text: CheckText) -> None:
    a = check_row(check_text, "Over 3,200 troops took part.", "3,200")
    b = check_row(check_text, "At least 3,200 troops took part.", "3,200")
    assert (a.hedge, b.hedge) == ("over", "at least")


@pytest.mark.parametrize(
    ("sentence", "at", "hedge"),
    [
        ("It deployed 3,200 troops or more.", "3,200", "at least"),
        ("About 40 or so ships came.", "40", "about"),
        # "or more than" hedges the number after it
        ("The fire burned 2,135 square miles, or more than 553,000 hectares.", "2,135", None),
    ],
)
def test_hedge_after_the_number(check_text: CheckText, sentence: str, at: str, hedge: str | None) -> None:
    check_row(check_text, sentence, at, hedge=hedge)


@pytest.mark.parametrize(
    ("sentence", "at", "low", "high"),
    [
        # A bare round number stands for its rounding interval...
        ("Police counted 3,200 people.", "3,200", 3150, 3250),
        # ...but never wider than the rules' max_relative (0.1) either side.
        ("Police counted 40,000 people.", "40,000", 36000, 44000),
    ],
)
def test_roundness_without_a_hedge(check_text: CheckText, sentence: str, at: str, low: float, high: float) -> None:
    check_row(check_text, sentence, at, hedge=None, low=low, high=high)


def test_an_exact_looking_number_allows_the_rules_minimum(check_text: CheckText, rules: RuleSet) -> None:
    least = rules.hedges.roundness.min_relative
    check_row(check_text, "Police counted 3,217 people.", "3,217", low=3217 * (1 - least), high=3217 * (1 + least))


# --- ranges and vague amounts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "at", "value", "value_to"),
    [
        ("Between 3,000 and 4,000 people marched.", "3,000", 3000, 4000),
        ("Losses were put at 10 to 20 billion dollars.", "10 to 20", 10e9, 20e9),
        ("Losses were put at $3.2bn-$3.9bn.", "$3.2bn", 3.2e9, 3.9e9),
        ("There are four to five thousand people.", "four", 4000, 5000),
        # quantulum3 adds these up to 11.
        ("They ate between five and six apples.", "five", 5, 6),
        ("Prices rose 3-4% this year.", "3-4%", 3, 4),
    ],
)
def test_stated_ranges_carry_both_ends_and_the_scale(
    check_text: CheckText, sentence: str, at: str, value: float, value_to: float
) -> None:
    check_row(check_text, sentence, at, value=value, value_to=value_to, hedge="between", low=value, high=value_to)


def test_a_range_hedged_about_keeps_both_ends_and_widens_them(check_text: CheckText) -> None:
    check_row(check_text, "Some 3,000-4,000 people marched.", "3,000", value=3000, value_to=4000, hedge="about",
              low=2700, high=4400)


@pytest.mark.parametrize(
    ("sentence", "first", "second"),
    [
        # A change and the level it reached are two figures, not a range.
        ("The number of people out of work fell by 150,000 to 1.47 million.", 150_000, 1_470_000),
        ("The number of people seriously injured rose 3% to 2,904.", 3, 2904),
        # "from ... to" is a change too; the first end takes the second's scale.
        ("Revenue rose from $10 to $15 billion.", 10e9, 15e9),
        ("Sales rose 60% in 2018 to 3.9 million headsets.", 60, 3_900_000),
    ],
)
def test_a_change_and_its_level_are_two_figures(
    check_text: CheckText, sentence: str, first: float, second: float
) -> None:
    values = [f.value for f in check_text(sentence).figures]
    assert values == pytest.approx([first, second])


@pytest.mark.parametrize(
    ("sentence", "at", "low", "high"),
    [
        ("Dozens of people were hurt.", "Dozens", 24, 99),
        ("Hundreds of people were hurt.", "Hundreds of", 200, 999),
        ("Thousands of people marched.", "Thousands of", 2000, 9999),
        ("Tens of thousands of people marched.", "Tens of thousands", 20000, 99999),
        ("Several ships were damaged.", "Several", 3, 9),
    ],
)
def test_vague_magnitudes_are_wide_intervals(
    check_text: CheckText, sentence: str, at: str, low: float, high: float
) -> None:
    check_row(check_text, sentence, at, hedge="vague", low=low, high=high)


# --- units, money and percentages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "at", "value", "unit", "dimension"),
    [
        ("The line is 142 km long.", "142 km", 142, "km", "length"),
        ("The bridge is 410 metres long.", "410 metres", 410, "m", "length"),
        ("The tanker spilled 40,000 litres of diesel.", "40,000", 40_000, "l", "volume"),
        ("Winds reached 81 mph.", "81 mph", 81, "mph", "speed"),
        ("Winds reached 130 km/h.", "130 km/h", 130, "km/h", "speed"),
        ("The plant makes 300 MW.", "300 MW", 300, "MW", "power"),
        ("Farms used 12 GWh last year.", "12 GWh", 12, "GWh", "energy"),
        ("The fire burned 2,300 hectares.", "2,300", 2300, "ha", "area"),
        ("Exports reached 12.3m tonnes.", "12.3m", 12_300_000, "t", "mass"),
        ("The port moved 816 000 t of grain.", "816 000", 816_000, "t", "mass"),
        ("The phone has 64GB of storage.", "64GB", 64, "GB", "data"),
        ("Its chip runs at 2.4GHz.", "2.4GHz", 2.4, "GHz", "frequency"),
        ("The engine makes 296 hp.", "296 hp", 296, "hp", "power"),
        ("The cars reached about 80 m.p.h. on the straight.", "80", 80, "mph", "speed"),
        ("The skeleton is 37m (121ft) long.", "37m", 37, "m", "length"),
        ("The talks lasted 48 hours.", "48 hours", 48, "h", "duration"),
        ("Temperatures fell to minus 5C.", "minus 5C", -5, "degC", "temperature"),
    ],
)
def test_units(check_text: CheckText, sentence: str, at: str, value: float, unit: str, dimension: str) -> None:
    check_row(check_text, sentence, at, value=value, unit=unit, dimension=dimension)


def test_units_convert_to_one_base_so_5_km_equals_5000_metres(check_text: CheckText) -> None:
    report = check_text("The route is 5 km.", "The route is 5,000 metres.")
    a, b = report.figures
    assert a.base_unit == b.base_unit == "meter"
    assert a.base_low is not None and b.base_low is not None and a.base_high is not None and b.base_high is not None
    assert a.base_low <= 5000 <= a.base_high and b.base_low <= 5000 <= b.base_high


def test_three_decades_are_thirty_years_not_a_thousandfold(check_text: CheckText) -> None:
    # pint's own "decade" is a logarithmic unit (a factor of ten); in copy it is ten years.
    report = check_text("The conflict has lasted three decades.", "The conflict has lasted 30 years.")
    a, b = report.figures
    assert (a.unit, a.dimension) == ("decade", "duration")
    assert a.base_unit == b.base_unit == "second"
    assert a.base_low is not None and b.base_low is not None
    assert a.base_low == pytest.approx(b.base_low, rel=0.2)


@pytest.mark.parametrize(
    ("sentence", "at", "value", "unit", "counted"),
    [
        ("The budget is £3.4bn.", "£3.4bn", 3.4e9, "GBP", "pounds"),
        ("It owes $2 trillion.", "$2 trillion", 2e12, "USD", "dollars"),
        ("The fine was 20 million euros.", "20 million", 20e6, "EUR", "euros"),
        ("Shares rose to 164p.", "164p", 164, "GBX", "pence"),
        ("Profit fell to RM79 million.", "RM79", 79e6, "MYR", "ringgit"),
    ],
)
def test_money_counts_its_currency(
    check_text: CheckText, sentence: str, at: str, value: float, unit: str, counted: str
) -> None:
    check_row(check_text, sentence, at, value=value, unit=unit, counted=counted, dimension="money")


@pytest.mark.parametrize(
    ("sentence", "at", "value", "dimension"),
    [
        ("Turnout was 15%.", "15%", 15, "percent"),
        ("The rate fell 0.6 percentage points.", "0.6", 0.6, "percentage points"),
        ("Half the staff left.", "Half", 0.5, "share"),
        ("A third of voters stayed home.", "A third", 1 / 3, "share"),
        ("One in five adults smokes.", "One in five", 0.2, "share"),
    ],
)
def test_percentages_and_shares(check_text: CheckText, sentence: str, at: str, value: float, dimension: str) -> None:
    check_row(check_text, sentence, at, value=value, dimension=dimension)


# --- what is counted --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "at", "counted"),
    [
        ("Russia sent 3,200 personnel.", "3,200", "personnel"),
        ("It sent 10,000 troops from Tajikistan and 400 from Russia.", "400", "troops"),
        ("It sent 10,000 troops from Tajikistan and 400 from Russia.", "10,000", "troops"),
        ("They moved 800 pieces of military hardware.", "800", "hardware"),
        ("Three people were killed and eight injured.", "eight", "people"),
        ("Some 1.2m children were vaccinated.", "1.2m", "children"),
        ("A crowd of 48,213 watched the game.", "48,213", "crowd"),
        ("Passenger numbers rose to 3.9 million.", "3.9 million", "passenger"),
        ("The death toll rose to 19 on Wednesday.", "19", "death"),
        ("It will cut up to 1,800 jobs, including 1,100 in Germany.", "1,100", "jobs"),
        ("Burglaries fell to 3,212, down from 3,780 a year earlier.", "3,780", "burglaries"),
        ("Total crime stood at 41,870, of which violent offences made up 11,204.", "11,204", "offences"),
        ("The city opened a 300-bed hospital.", "300", "bed"),
        ("The census put the population at 1,213,482.", "1,213,482", "people"),
        ("About 460 cars were stolen this year, compared with 63 last year.", "63", "cars"),
        ("Builders completed 12,840 new homes last year, up from 11,900 the year before.", "11,900", "homes"),
        ("Cases rose 65% in the week, to 4,620 from 2,310 the week before.", "2,310", "cases"),
        ("Rangers responded to 312 calls, down from 356 the year before.", "356", "calls"),
        ("Paying subscribers more than doubled to 7.2 million from 4.1 million.", "7.2 million", "subscribers"),
        ("Patients needing surgery on both eyes made up 2,240 of the list.", "2,240", "patients"),
        ("Students from India formed the largest group, at 1,940.", "1,940", "students"),
        ("Students make up 17.6% of a total enrolment of 31,200.", "31,200", "students"),
        ("Organisers said turnout at the march was well over 40,000.", "40,000", "people"),
        ("Turnout in the election was 40,000.", "40,000", "voters"),
        ("Police estimated the crowd at 42,000.", "42,000", "people"),
        ("Ocean Harvest said 12 crew members had been rescued.", "12", "crew members"),
        ("The fleet has grown to 4,500 bikes, including 1,800 e-bikes.", "1,800", "e-bikes"),
    ],
)
def test_counted_is_the_head_of_what_the_number_counts(
    check_text: CheckText, sentence: str, at: str, counted: str
) -> None:
    check_row(check_text, sentence, at, counted=counted)


def test_measure_word_is_kept_apart(check_text: CheckText) -> None:
    check_row(check_text, "They moved 800 pieces of military hardware.", "800", counted="hardware",
              measure_word="pieces")


@pytest.mark.parametrize(
    ("text", "at", "counted"),
    [
        ("Police said about 18,000 people took part. Organisers put the figure at 60,000.", "60,000", "people"),
        ("Police said 212 people had been arrested. Of those arrested, 37 had been charged.", "37", "people"),
        ("More than half a million customers lost power. About 170,000 were still waiting.", "170,000",
         "customers"),
        ("The authority put the number treated in hospital at 43, six of them critical.", "six", "people"),
        # The nearest count of its own sentence, not an earlier number of another kind.
        ("Marchers opposed raising the pension age to 67. Police estimated the crowd at 42,000, while "
         "organisers from the Common Front coalition said more than 40,000 had taken part.", "40,000", "people"),
        ("The festival drew 186,500 visitors, organisers said, with 52,000 on Friday, 61,500 on Saturday "
         "and 58,000 on Sunday.", "61,500", "visitors"),
        ("Reyes took 24,991 votes (41.3%) and the Greens' Priya Nair 3,811 (6.3%).", "3,811", "votes"),
        ("The crew tried to throw packages overboard, but 14 of them were fished out.", "14", "packages"),
        ("The museum welcomed 1.3 million visitors, doubling its attendance from 870,000 in 2022.", "870,000",
         "visitors"),
        ("The park drew 4.9 million visitors, up from the previous high of 4.6 million set in 2019.",
         "4.6 million", "visitors"),
        ("E-books accounted for 38% of loans, or about 912,000.", "912,000", "loan"),
    ],
)
def test_counted_is_read_from_the_figure_referred_to(check_text: CheckText, text: str, at: str, counted: str) -> None:
    report = check_text(text)
    figure = figure_at(report, text, at)
    assert figure.counted == counted
    if figure.refers_to is not None:
        assert figure.refers_to in {f.id for f in report.figures}


@pytest.mark.parametrize(
    ("sentence", "at", "unit", "counted"),
    [
        ("The highest forecast is 84.75 cents, while the lowest is 74.07.", "74.07", "USD_CENT", "cents"),
        ("He went from 208 pounds to 193 by exercising.", "193", "GBP", "pounds"),
        ("It has a 7- or 8-inch touchscreen.", "7", "in", "inch"),
    ],
)
def test_a_unit_written_once_is_shared(
    check_text: CheckText, sentence: str, at: str, unit: str, counted: str
) -> None:
    check_row(check_text, sentence, at, unit=unit, counted=counted)


# --- changes and restatements ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "at", "change"),
    [
        ("Core inflation rose 0.3% in June.", "0.3%", "up"),
        ("Exports to China dropped 7% to $2.3 billion.", "7%", "down"),
        ("Exports to China dropped 7% to $2.3 billion.", "$2.3 billion", None),
        ("The crude contract was up 19 cents.", "19 cents", "up"),
        ("The index lost 190 points, or 0.6%.", "0.6%", "down"),
        ("The DAX increased by 2 percent.", "2 percent", "up"),
        ("It was a 3 percent drop.", "3 percent", "down"),
        ("There was an increase of 12%.", "12%", "up"),
        ("The death toll rose to 19.", "19", None),
        ("The defence gave up 517 rushing yards.", "517", None),
        ("Dow +0.2% S&P 500 +0.3%.", "+0.2%", "up"),
        ("Ross was down 2.3%, Burlington by 2.6% and Foot Locker down 1.9%.", "2.6%", "down"),
        # A difference from a number the sentence states; the number compared with keeps no hedge.
        ("They made 212.4 million trips, 12% more than the 199.4 million the year before.", "12%", "up"),
        ("Sales were 8% lower than the 1.2 million of 2022.", "8%", "down"),
        ("BioView shares finished 34.4% higher at 3.23 shekels.", "34.4%", None),
    ],
)
def test_change_direction(check_text: CheckText, sentence: str, at: str, change: str | None) -> None:
    check_row(check_text, sentence, at, change=change)


def test_a_bracketed_conversion_keeps_the_hedge(check_text: CheckText) -> None:
    check_row(check_text, "The moths can fly more than 100 kilometers (60 miles).", "60 miles", hedge="over")
    check_row(check_text, "It makes just under 296 hp (224 kW / 300 PS).", "300", hedge="just under")


@pytest.mark.parametrize(
    ("sentence", "at", "hedge", "dimension"),
    [
        ("They made 212.4 million trips, 12% more than the 199.4 million the year before.", "199.4 million",
         None, "count"),
        ("They made 212.4 million trips, 12% more than 199.4 million the year before.", "199.4 million", None,
         "count"),
        ("Occupancy was well above the 85% level the authority set.", "85%", None, "percent"),
        ("The bill is expected to exceed A$400m.", "A$400m", "over", "money"),
        ("Panel strength was lower than 8.90 ksi.", "8.90", "fewer than", "count"),
    ],
)
def test_a_comparison_is_not_a_hedge_on_the_number_compared_with(
    check_text: CheckText, sentence: str, at: str, hedge: str | None, dimension: str
) -> None:
    check_row(check_text, sentence, at, hedge=hedge, dimension=dimension)


def test_extraction_is_stable_across_runs(check_text: CheckText) -> None:
    text = "Over 3,200 personnel, 12.3m tonnes and between five and six ships; a dozen at 2.15pm."
    first = check_text(text).model_dump()
    assert check_text(text).model_dump() == first


def test_a_number_of_a_group_named_by_what_happened_to_it_is_a_part(check_text: CheckText) -> None:
    sentence = "Four of the injured were in a critical condition, a hospital spokeswoman said."
    f = check_row(check_text, sentence, "Four", counted="injured", role="part")
    assert f.frame is not None and f.frame.statuses == ["injured"]
