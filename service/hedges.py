"""Hedges and roundness: which interval a stated number allows.

"over 3,200" allows 3,200 up to 3,200 x (1 + over.high); a bare "3,200" is rounded to the
hundred and allows about 3,150-3,250. The widths are rule data (rules/hedges.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from .rules import HedgeRules, memo


@dataclass(frozen=True)
class HedgeMatch:
    name: str
    start: int  # offset of the phrase in the text searched
    end: int


def _before_pattern(rules: HedgeRules) -> re.Pattern[str]:
    return memo(rules, "hedge-before", lambda: _build_before(rules))


def _build_before(rules: HedgeRules) -> re.Pattern[str]:
    phrases = sorted({p for h in rules.hedges for p in h.before}, key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"(?:^|(?<=[\s(\"']))({alternation})\s*$", re.IGNORECASE)


def _after_pattern(rules: HedgeRules) -> re.Pattern[str]:
    return memo(rules, "hedge-after", lambda: _build_after(rules))


def _build_after(rules: HedgeRules) -> re.Pattern[str]:
    phrases = sorted({p for h in rules.hedges for p in h.after}, key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"^\s*,?\s*({alternation})\b", re.IGNORECASE)


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


def interval(
    rules: HedgeRules, value: float, granularity: float, hedge: str | None, value_to: float | None = None
) -> tuple[float, float]:
    """The interval a figure allows, from its hedge or, without one, its roundness."""
    if value_to is not None:
        return min(value, value_to), max(value, value_to)
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
