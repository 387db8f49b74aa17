"""Hedges and roundness: which interval a stated number allows.

"over 3,200" allows 3,200 up to 3,200 x (1 + over.high); a bare "3,200" is rounded to the
hundred and allows about 3,150-3,250. The widths are rule data (rules/hedges.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import alternation
from .rules import ChangeWords, HedgeRules, RuleSet, memo


@dataclass(frozen=True)
class HedgeMatch:
    name: str
    start: int  # offset of the phrase in the text searched
    end: int


def _before_pattern(rules: HedgeRules) -> re.Pattern[str]:
    return memo(rules, "hedge-before", lambda: _build_before(rules))


def _build_before(rules: HedgeRules) -> re.Pattern[str]:
    phrases = alternation(p for h in rules.hedges for p in h.before)
    return re.compile(rf"(?:^|(?<=[\s(\"']))({phrases})\s*$", re.IGNORECASE)


def _after_pattern(rules: HedgeRules) -> re.Pattern[str]:
    return memo(rules, "hedge-after", lambda: _build_after(rules))


def _build_after(rules: HedgeRules) -> re.Pattern[str]:
    phrases = alternation(p for h in rules.hedges for p in h.after)
    # "1.4 million acres (2,135 square miles, or more than 553,000 hectares)": "or more than" hedges
    # the next number, not this one.
    return re.compile(rf"^\s*,?\s*({phrases})\b(?!\s+than\b)", re.IGNORECASE)


def _name_of(rules: HedgeRules, phrase: str, after: bool) -> str:
    key = " ".join(phrase.lower().split())
    for h in rules.hedges:
        if key in (h.after if after else h.before):
            return h.name
    return key


def hedge_before(rules: HedgeRules, text: str, pos: int) -> HedgeMatch | None:
    """The hedge phrase that ends right before text[pos] (spaces allowed), if any."""
    window_start = max(0, pos - 40)
    m = _before_pattern(rules).search(text[window_start:pos])
    if not m:
        return None
    return HedgeMatch(_name_of(rules, m.group(1), False), window_start + m.start(1), window_start + m.end(1))


def hedge_after(rules: HedgeRules, text: str, pos: int) -> HedgeMatch | None:
    """The hedge phrase that starts right after text[:pos] ("or more"), if any."""
    m = _after_pattern(rules).match(text[pos : pos + 30])
    if not m:
        return None
    return HedgeMatch(_name_of(rules, m.group(1), True), pos + m.start(1), pos + m.end(1))


def _number_end(rules: RuleSet) -> re.Pattern[str]:
    """The end of a number, with its unit or scale word: "12%", "3 points", "three times", "£5m"."""

    def build() -> re.Pattern[str]:
        n = rules.numbers
        scales = alternation([*n.scales, *n.scale_abbreviations, *n.glued_scale_abbreviations])
        ends = alternation([p for p in n.percent if p[:1].isalpha()] + rules.relations.changes.comparison_ends)
        return re.compile(rf"(?:\d|%|\b(?:{ends})|\d\s?(?:{scales}))\s*$", re.IGNORECASE)

    return memo(rules, "number-end", build)


def compares(rules: RuleSet, text: str, match: HedgeMatch) -> bool:
    """'12% more than 199.4 million', 'three times more than 40': a number right before the
    comparative makes the phrase a comparison of two numbers; the second is stated, not hedged."""
    changes = rules.relations.changes
    first = text[match.start : match.end].split()[0].lower()
    if first not in {*changes.up_comparatives, *changes.down_comparatives, *changes.comparing}:
        return False
    before = text[max(0, match.start - 30) : match.start]
    if re.search(r"\b(?:1[89]|2[01])\d\d\s*$", before):
        return False  # "in 2019 more than 500 people": a year, not a number compared
    return bool(_number_end(rules).search(before))


def interval(
    rules: HedgeRules, value: float, granularity: float, hedge: str | None, value_to: float | None = None
) -> tuple[float, float]:
    """The interval a figure allows, from its hedge or, without one, its roundness."""
    if value_to is not None:
        low, high = min(value, value_to), max(value, value_to)
        for h in rules.hedges:
            if h.name == hedge and h.low <= 0 <= h.high:
                return low * (1 + h.low), high * (1 + h.high)  # "about 2,000-2,500"
        return low, high
    if hedge is not None:
        for h in rules.hedges:
            if h.name == hedge:
                a, b = value * (1 + h.low), value * (1 + h.high)
                return min(a, b), max(a, b)
    magnitude = abs(value)
    if magnitude == 0:
        return 0.0, 0.0
    half = granularity / 2
    relative = min(max(half / magnitude, rules.roundness.min_relative), rules.roundness.max_relative)
    return value - magnitude * relative, value + magnitude * relative


def _change_patterns(rules: ChangeWords) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    return memo(rules, "changes", lambda: _build_changes(rules))


def _comparative_pattern(rules: ChangeWords) -> re.Pattern[str]:
    return memo(rules, "comparatives", lambda: _build_comparative(rules))


def _build_comparative(rules: ChangeWords) -> re.Pattern[str]:
    c = rules
    words = alternation([*c.up_comparatives, *c.down_comparatives])
    # "12% more than the 199.4 million", "5 points higher than 40": a difference from a number
    # the sentence states; not "55% or more", nor "34.4% higher" alone (a level reached).
    return re.compile(rf"^\s+({words})\s+than\s+(?:[\w'’-]+\s+){{0,4}}?[$£€]?\d", re.IGNORECASE)


def _last_words(rules: ChangeWords) -> frozenset[str]:
    c = rules
    return memo(rules, "change-last-words", lambda: frozenset(w.split()[-1].lower() for w in [*c.up, *c.down]))


def _build_changes(rules: ChangeWords) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    c = rules
    words, nouns = alternation([*c.up, *c.down]), alternation([*c.up_nouns, *c.down_nouns])
    # "rose 5%", "increased by 2%", "up nearly 57%" (the hedge is read before this test); not
    # "gave up 517 yards".
    before = re.compile(rf"(?:(\w+)\s+)?\b({words})(?:\s+by)?\s*$", re.IGNORECASE)
    # "an increase of 12%", "a drop of about 15%".
    of = re.compile(rf"()\b({nouns})\s+of\s*$", re.IGNORECASE)
    # "a 3% drop", "a 4.2 percent fall".
    after = re.compile(rf"^()\s*-?\s*({nouns})\b", re.IGNORECASE)
    return before, of, after


def change_around(rules: ChangeWords, text: str, start: int, end: int) -> str | None:
    """'up' or 'down' when the words around text[start:end] state a change by the number."""
    found = change_stated(rules, text, start, end)
    return found[0] if found else None


def change_stated(rules: ChangeWords, text: str, start: int, end: int) -> tuple[str, str] | None:
    """The direction of the change the words around text[start:end] state, and how they state it:
    'sign' ("+5%"), 'verb' ("rose 5%", "up 19 cents"), 'noun' ("a 3% drop", "an increase of 12%")
    or 'comparative' ("12% more than 199.4 million")."""
    before, of, after = _change_patterns(rules)
    sign = re.search(r"([+-])\s?$", text[max(0, start - 2) : start])
    if (sign and sign.group(1) == "+") or text[start : start + 1] == "+":
        return "up", "sign"
    minus = (sign and sign.group(1) == "-") or text[start : start + 1] == "-"
    if minus and re.search(r"%|per\s?cent", text[start:end]):
        return "down", "sign"  # "FTSE -0.6%"
    window = text[max(0, start - 60) : start]
    # The verb must end the window ("rose", "increased by"): look at its last word before running
    # the long pattern.
    tail = re.search(r"(\w+)(?:\s+by)?\s*$", window, re.IGNORECASE)
    m = before.search(window) if tail and tail.group(1).lower() in _last_words(rules) else None
    if m and m.group(2).lower() in ("up", "down") and (m.group(1) or "").lower() in rules.particle_verbs:
        m = None
    form = "verb"
    if m is None:
        # "an increase of": only a window that ends with "of" can end with the noun pattern.
        noun = of.search(window) if window.rstrip()[-2:].lower() == "of" else None
        m, form = noun or after.match(text[end : end + 30]), "noun"
    if not m:
        comparative = _comparative_pattern(rules).match(text[end : end + 30])
        if comparative is None:
            return None
        word = " ".join(comparative.group(1).lower().split())
        return ("up" if word in rules.up_comparatives else "down"), "comparative"
    word = " ".join(m.group(2).lower().split())
    return ("up" if word in rules.up or word in rules.up_nouns else "down"), form
