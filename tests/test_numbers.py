"""Reading numbers from text (service.numbers): every way news copy writes a number, no parse."""

from __future__ import annotations

import pytest

from service.numbers import find_mentions, parse_digits, words_to_number


def only(text: str) -> tuple[str, float, str | None, bool]:
    """The one mention in `text`: its text, value, currency and whether it is a percentage."""
    found = find_mentions(text)
    assert len(found) == 1, [text[m.start : m.end] for m in found]
    m = found[0]
    return text[m.start : m.end], m.value, m.currency, m.percent


@pytest.mark.parametrize(
    ("text", "stated", "value"),
    [
        ("1,200 people", "1,200", 1200),
        ("1 200 people", "1 200", 1200),
        ("1.200,5 tonnes", "1.200,5", 1200.5),
        ("3.75 metres", "3.75", 3.75),
        ("a fall of .5 points", ".5", 0.5),
        ("temperatures of -4 overnight", "-4", -4),
        ("down to minus 387 degrees", "minus 387", -387),
        ("the low of minus-130 degrees", "minus-130", -130),
        ("816 000 t of grain", "816 000", 816_000),
    ],
)
def test_digits_with_any_separator(text: str, stated: str, value: float) -> None:
    assert only(text)[:2] == (stated, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("six ships", 6),
        ("twenty-six ships", 26),
        ("twenty six ships", 26),
        ("a dozen ships", 12),
        ("two million people", 2_000_000),
        ("half a million people", 500_000),
        ("one and a half million people", 1_500_000),
        ("three hundred and forty people", 340),
        ("twenty-eight thousand six hundred forty-two students", 28_642),
        ("a hundred people", 100),
    ],
)
def test_number_words(text: str, value: float) -> None:
    assert only(text)[1] == value


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("1.2m people", 1_200_000, None),
        ("3.4bn", 3_400_000_000, None),
        ("£3.4bn", 3_400_000_000, "GBP"),
        ("$2 trillion", 2_000_000_000_000, "USD"),
        ("5k runners", 5_000, None),
        ("€210m", 210_000_000, "EUR"),
        ("US$5m", 5_000_000, "USD"),
        ("US $7.2 billion", 7_200_000_000, "USD"),
        ("$US113 trillion", 113_000_000_000_000, "USD"),
        ("$A82,615,680", 82_615_680, "AUD"),
        ("HK$3.7 billion", 3_700_000_000, "HKD"),
        ("USD10m", 10_000_000, "USD"),
        ("EUR 50m", 50_000_000, "EUR"),
        ("RM23.50 a share", 23.5, "MYR"),
        ("S$1mil", 1_000_000, "SGD"),
        ("C$62.4bn", 62_400_000_000, "CAD"),
        ("53.35p", 53.35, "GBX"),
        # Copy passed through an ASCII transliteration: £ becomes "PS", ¥ becomes "Y=".
        ("PS2.7m", 2_700_000, "GBP"),
        ("PS21,700", 21_700, "GBP"),
        ("Y=28,030", 28_030, "JPY"),
        ("about 8 B people", 8_000_000_000, None),
    ],
)
def test_scale_words_and_currencies(text: str, value: float, currency: str | None) -> None:
    _, got, cur, _ = only(text)
    assert got == pytest.approx(value)
    assert cur == currency


@pytest.mark.parametrize(
    ("text", "value"),
    [("15%", 15), ("15 %", 15), ("6.2 per cent", 6.2), ("12 percent", 12), ("5pc", 5)],
)
def test_percentages(text: str, value: float) -> None:
    _, got, _, percent = only(text)
    assert (got, percent) == (value, True)


@pytest.mark.parametrize(
    ("text", "stated", "value"),
    [
        ("a third of voters", "a third", 1 / 3),
        ("half the staff", "half", 0.5),
        ("two-thirds of members", "two-thirds", 2 / 3),
        ("three quarters of homes", "three quarters", 0.75),
        ("74 deaths, or about a quarter.", "a quarter", 0.25),
        ("One fourth of the population", "One fourth", 0.25),
        ("one in five adults", "one in five", 0.2),
        ("two out of three voters", "two out of three", 2 / 3),
        ("1/2 pound of chocolate", "1/2", 0.5),
        ("1⁄128 of a US gallon", "1⁄128", 1 / 128),
        # A hedged fraction standing alone at the end of a clause, or before its verb.
        ("It was 41,000, or about half.", "half", 0.5),
        ("Nearly half, the report said, were women.", "half", 0.5),
        ("About a quarter were late.", "a quarter", 0.25),
        ("Roughly two-thirds had voted.", "two-thirds", 2 / 3),
    ],
)
def test_fractions_and_shares(text: str, stated: str, value: float) -> None:
    found = [m for m in find_mentions(text) if text[m.start : m.end] == stated]
    assert found and found[0].value == pytest.approx(value, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # quantulum3 reads "12.3m tonnes" as metres; here m before a noun is a million.
        ("12.3m tonnes of wheat", [("12.3m", 12_300_000)]),
        # ...but metres when the text says how long.
        ("the 37m (121ft)-long skeleton", [("37", 37), ("121", 121)]),
        ("a 400m-high tower", [("400", 400)]),
        # quantulum3 reads the bracketed amount as negative.
        ("($590 million)", [("$590 million", 590_000_000)]),
        # quantulum3 reads "a dozen" as 1.
        ("a dozen eggs", [("a dozen", 12)]),
        # 9/11 is a date, 24/7 a phrase: neither is a fraction.
        ("since 9/11", [("9", 9), ("11", 11)]),
        ("open 24/7", [("24", 24), ("7", 7)]),
        ("1.99×10-30 kilograms", [("1.99×10-30", 1.99e-30)]),
        # A currency code is matched only in capitals: "try 5 times" is not Turkish lira.
        ("try 5 times", [("5", 5)]),
        ("2.998×10−8 metres", [("2.998×10−8", 2.998e-8)]),
        # "dozen" counts only with a number before it; "half" after an ordinal is a part of a game.
        ("two dozen eggs", [("two dozen", 24)]),
        ("a half dozen eggs", [("a half dozen", 6)]),
        ("a baker's dozen is 13", [("13", 13)]),
        ("in the second half of the game", []),
        ("the PS5 console", []),
        ("the price was cut in half.", []),
    ],
)
def test_known_misreadings_do_not_pass(text: str, expected: list[tuple[str, float]]) -> None:
    got = [(text[m.start : m.end], m.value) for m in find_mentions(text)]
    assert [g[0] for g in got] == [e[0] for e in expected]
    assert [g[1] for g in got] == pytest.approx([e[1] for e in expected])


def test_currency_codes_are_matched_in_capitals_only() -> None:
    assert find_mentions("try 5 times")[0].currency is None


@pytest.mark.parametrize(
    ("words", "value"),
    [("twenty-six", 26), ("a dozen", 12), ("two million", 2e6), ("half a million", 5e5), ("seven", 7), ("", None)],
)
def test_words_to_number(words: str, value: float | None) -> None:
    assert words_to_number(words) == value


@pytest.mark.parametrize(
    ("digits", "value", "granularity"),
    [("3,200", 3200, 100), ("3,217", 3217, 1), ("1.25", 1.25, 0.01), ("40,000", 40000, 10000)],
)
def test_roundness_of_digits(digits: str, value: float, granularity: float) -> None:
    assert parse_digits(digits) == (value, pytest.approx(granularity))


def test_reading_is_stable_across_runs() -> None:
    text = "Over 3,200 personnel, £3.4bn and 12.3m tonnes, between five and six, a dozen."
    first = [(m.start, m.end, m.value) for m in find_mentions(text)]
    for _ in range(3):
        assert [(m.start, m.end, m.value) for m in find_mentions(text)] == first
