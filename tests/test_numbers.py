"""Reading numbers from text (service.numbers): every way news copy writes a number, no parse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language

from service.candidates import candidates
from service.models import Document, Report
from service.numbers import find_mentions, parse_digits, words_to_number
from service.read import currency_dots, number_gate, read, split_sentences
from service.rules import RuleSet, load_rules

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

CheckText = Callable[..., Report]


def only(rules: RuleSet, text: str) -> tuple[str, float, str | None, bool]:
    """The one mention in `text`: its text, value, currency and whether it is a percentage."""
    found = find_mentions(rules, text)
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
        # Indian grouping: lakhs and crores between the commas.
        ("a budget of 12,34,567 rupees", "12,34,567", 1_234_567),
        ("Rs 1,24,000 crore", "Rs 1,24,000 crore", 1_240_000_000_000),
    ],
)
def test_digits_with_any_separator(rules: RuleSet, text: str, stated: str, value: float) -> None:
    assert only(rules, text)[:2] == (stated, value)


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
        ("three lakh people", 300_000),
        ("two lakh crore rupees", 2_000_000_000_000),
        ("a quarter of a million packs", 250_000),
        ("three quarters of a billion", 750_000_000),
    ],
)
def test_number_words(rules: RuleSet, text: str, value: float) -> None:
    assert only(rules, text)[1] == value


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
        # Indian scale words, alone and one after another, and the rupee's signs and their kin.
        ("Rs.72.63 crore", 726_300_000, "INR"),
        ("Rs. 57.46 crore", 574_600_000, "INR"),
        ("Rs 48.21 lakh crore", 48_210_000_000_000, "INR"),
        ("₹35 lakh", 3_500_000, "INR"),
        ("₹1.42 lakh crore", 1_420_000_000_000, "INR"),
        ("4.6 lakh farmers", 460_000, None),
        ("64.44 lakh tons", 6_444_000, None),
        ("Rs 500 cr", 5_000_000_000, "INR"),
        ("Tk 500 crore", 5_000_000_000, "BDT"),
        ("Rp 2.5 trillion", 2_500_000_000_000, "IDR"),
        ("KSh 300 million", 300_000_000, "KES"),
        ("NIS 5 million", 5_000_000, "ILS"),
        ("₦2bn", 2_000_000_000, "NGN"),
        ("PKR 90bn", 90_000_000_000, "PKR"),
    ],
)
def test_scale_words_and_currencies(rules: RuleSet, text: str, value: float, currency: str | None) -> None:
    _, got, cur, _ = only(rules, text)
    assert got == pytest.approx(value)
    assert cur == currency


@pytest.mark.parametrize(
    ("text", "value"),
    [("15%", 15), ("15 %", 15), ("6.2 per cent", 6.2), ("12 percent", 12), ("5pc", 5)],
)
def test_percentages(rules: RuleSet, text: str, value: float) -> None:
    _, got, _, percent = only(rules, text)
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
        ("one in 25 children", "one in 25", 0.04),
    ],
)
def test_fractions_and_shares(rules: RuleSet, text: str, stated: str, value: float) -> None:
    found = [m for m in find_mentions(rules, text) if text[m.start : m.end] == stated]
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
        # "X in YEAR" is a number and a year, not a share.
        ("deaths fell to 1,284 in 2024", [("1,284", 1284), ("2024", 2024)]),
        ("officers fell to 2,100 in 2019", [("2,100", 2100), ("2019", 2019)]),
        ("1.38 million in 2020", [("1.38 million", 1_380_000), ("2020", 2020)]),
        # A sign with letters is a sign only before a number.
        ("RM said it would", []),
        ("Tk and Rs are currencies", []),
    ],
)
def test_known_misreadings_do_not_pass(rules: RuleSet, text: str, expected: list[tuple[str, float]]) -> None:
    got = [(text[m.start : m.end], m.value) for m in find_mentions(rules, text)]
    assert [g[0] for g in got] == [e[0] for e in expected]
    assert [g[1] for g in got] == pytest.approx([e[1] for e in expected])


@pytest.mark.parametrize(
    "text",
    ["try 5 times", "the COP 26 summit", "the SR 520 bridge", "a QR 5 code", "RM said 5 staff left"],
)
def test_names_that_look_like_currencies_are_no_money(rules: RuleSet, text: str) -> None:
    """A currency code is matched in capitals only, and codes copy writes as names are left out."""
    assert [m.currency for m in find_mentions(rules, text)] == [None]


@pytest.mark.parametrize(
    ("words", "value"),
    [("twenty-six", 26), ("a dozen", 12), ("two million", 2e6), ("half a million", 5e5), ("seven", 7), ("", None),
     ("one lakh", 1e5), ("a lakh crore", 1e12), ("a thousand million", 1e9), ("a quarter of a million", 2.5e5),
     ("six crore", 6e7), ("seven fish", None)],
)
def test_words_to_number(rules: RuleSet, words: str, value: float | None) -> None:
    assert words_to_number(words, rules) == value


@pytest.mark.parametrize(
    ("digits", "value", "granularity"),
    [("3,200", 3200, 100), ("3,217", 3217, 1), ("1.25", 1.25, 0.01), ("40,000", 40000, 10000)],
)
def test_roundness_of_digits(digits: str, value: float, granularity: float) -> None:
    assert parse_digits(digits) == (value, pytest.approx(granularity))


def test_reading_is_stable_across_runs(rules: RuleSet) -> None:
    text = "Over 3,200 personnel, £3.4bn and 12.3m tonnes, between five and six, a dozen."
    first = [(m.start, m.end, m.value) for m in find_mentions(rules, text)]
    for _ in range(3):
        assert [(m.start, m.end, m.value) for m in find_mentions(rules, text)] == first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A stated range: one candidate.
        ("between 3,000 and 4,000 people", [(3000, 4000)]),
        ("10 to 20 billion", [(10e9, 20e9)]),
        ("3,000-4,000 troops", [(3000, 4000)]),
        ("between about 5 and 6 million", [(5e6, 6e6)]),
        # A change from one value to another: two, also with a hedge after "from".
        ("rose from 200 to 250", [(200, None), (250, None)]),
        ("from nearly 1,200 to 5,209", [(1200, None), (5209, None)]),
        ("grew from about 4 to 5 million", [(4e6, None), (5e6, None)]),
        # Alternatives and lists: two.
        ("12 or 13 people", [(12, None), (13, None)]),
        ("5 and 6 million", [(5, None), (6e6, None)]),
        # A change by an amount and the level it reached: two.
        ("fell by 150,000 to 1.47 million", [(150_000, None), (1.47e6, None)]),
        # "ranged from X to Y" states a range after all.
        ("estimates ranged from 40 to 110", [(40, 110)]),
        # A year, then a number written with a thousands separator: two.
        ("the total for 2024 to 9,681", [(2024, None), (9681, None)]),
        ("between 2000 and 3000 troops", [(2000, 3000)]),
    ],
)
def test_ranges_and_changes(rules: RuleSet, text: str, expected: list[tuple[float, float | None]]) -> None:
    got = [(c.value, c.value_to) for c in candidates(rules, text)]
    assert got == [(pytest.approx(v), None if t is None else pytest.approx(t)) for v, t in expected]


# --- the parse gate: which sentences can hold a figure -----------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "passes"),
    [
        ("Three people were hurt.", True),
        ("A few people were hurt.", True),
        ("A couple of houses burned.", True),
        ("Dozens of homes were flooded.", True),
        ("Several roads were closed.", True),
        ("Costs rose by several lakh.", True),
        ("The price doubled.", True),
        ("A third of voters stayed home.", True),
        ("It cost 5.", True),
        ("The minister spoke to reporters.", False),
        ("Everyone left early.", False),
    ],
)
def test_the_parse_gate_knows_every_number_word_of_the_rules(rules: RuleSet, sentence: str, passes: bool) -> None:
    assert bool(number_gate(rules).search(sentence)) is passes


def test_vague_amounts_are_figures_without_a_digit_in_the_sentence(check_text: CheckText) -> None:
    report = check_text("A few people were hurt, and a couple of houses burned.")
    assert [(f.text, f.hedge) for f in report.figures] == [("A few people", "vague"), ("a couple of houses", "vague")]


def _vague_sentence(phrase: str) -> tuple[str, str]:
    """A sentence with no digit that states `phrase` of people, and the figure's expected text."""
    if phrase.endswith(" of") or not phrase.endswith("s"):  # "dozens of people", "a few people"
        return f"Police said {phrase} people were hurt.", f"{phrase} people"
    return f"Police said {phrase} were hurt.", phrase  # "dozens were hurt"


# Every vague amount of rules/hedges.yaml, so a phrase added there is checked here.
VAGUE = [(p, v.value, v.low, v.high) for v in load_rules(RULES_DIR).hedges.vague for p in v.phrases]


@pytest.mark.parametrize(("phrase", "value", "low", "high"), VAGUE, ids=[v[0] for v in VAGUE])
def test_every_vague_amount_is_a_figure_in_a_sentence_without_a_digit(
    rules: RuleSet, check_text: CheckText, phrase: str, value: float, low: float, high: float
) -> None:
    sentence, stated = _vague_sentence(phrase)
    assert number_gate(rules).search(sentence), f"the parse gate skips {sentence!r}"
    report = check_text(sentence)
    assert [(f.text, f.value, f.low, f.high, f.hedge) for f in report.figures] == [
        (stated, value, low, high, "vague")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The sentence without a digit after one with a digit, and before one.
        ("The fire started at 10 p.m. A couple of houses burned.", [("A couple of houses", 2)]),
        ("A few shops closed. Later 40 people left.", [("A few shops", 3), ("40 people", 40)]),
        # A vague amount as the subject, and after a preposition.
        ("A couple of lawmakers objected.", [("A couple of lawmakers", 2)]),
        ("The plan was backed by a few members.", [("a few members", 3)]),
    ],
)
def test_a_few_and_a_couple_of_in_copy(check_text: CheckText, text: str, expected: list[tuple[str, float]]) -> None:
    assert [(f.text, f.value) for f in check_text(text).figures] == expected


def test_a_currency_sign_with_a_period_ends_no_sentence(rules: RuleSet) -> None:
    text = "Profit was Rs. 57.46 crore. It rose. Mr. Das paid Rs. 5 lakh."
    assert [text[s:e] for s, e in split_sentences(text, currency_dots(rules))] == [
        "Profit was Rs. 57.46 crore.", "It rose.", "Mr. Das paid Rs. 5 lakh."
    ]


def test_the_pipeline_learns_the_scale_words_of_the_rules_without_a_change_to_its_parses(
    rules: RuleSet, nlp: Language
) -> None:
    text = "The state collected ₹1.42 lakh crore in taxes, and Rs 58,300 crore from GST."
    before = [(t.tag_, t.dep_, t.head.i, t.ent_type_) for t in nlp(text)]
    read([Document(id="d", text=text)], nlp, rules=rules)
    assert [t.like_num for t in nlp("lakh Crore CRORE million")] == [True, True, True, True]
    assert [(t.tag_, t.dep_, t.head.i, t.ent_type_) for t in nlp(text)] == before


def test_an_amount_in_crores_keeps_what_qualifies_it(check_text: CheckText) -> None:
    report = check_text("The state collected ₹1.42 lakh crore in taxes. It made an extra provision of Rs 83 crore.")
    assert [(f.text, f.qualifiers) for f in report.figures] == [
        ("₹1.42 lakh crore", ["in taxes"]), ("Rs 83 crore", ["extra", "of Rs 83 crore"])
    ]


def test_an_emptied_word_list_turns_its_reading_off(rules: RuleSet) -> None:
    """A newsroom may empty a list in the rules: the reading it feeds stops, nothing else."""
    numbers = rules.numbers.model_copy(update={"range_verbs": [], "percent": []})
    emptied = rules.model_copy(update={"numbers": numbers})
    assert [(c.value, c.value_to) for c in candidates(emptied, "estimates ranged from 40 to 110, or 5%")] == [
        (40, None), (110, None), (5, None)
    ]
    assert [m.percent for m in find_mentions(emptied, "5%")] == [False]
