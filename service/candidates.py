"""Number candidates in a sentence: the mentions found in its text, vague amounts from the
rules, and stated ranges merged into one candidate ("3,000-4,000", "between 5 and 6 million",
"10 to 20 billion"), with the scale word carried to the first end."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbers import alternation, find_mentions
from .rules import RuleSet, Vague, memo
from .units import Unit


@dataclass
class Candidate:
    """A number found in a sentence, before it is judged a figure or not (sentence offsets)."""

    start: int  # sentence offsets
    end: int
    value: float
    granularity: float
    value_to: float | None = None
    currency: str | None = None
    percent: bool = False
    unit: Unit | None = None
    points: bool = False
    vague: tuple[float, float] | None = None
    fraction: bool = False
    is_words: bool = False
    digits: str = ""
    factor: float = 1.0
    extra: dict[str, str] = field(default_factory=dict)


_WINDOW = 80  # characters before a number in which the words that join it to the next are sought


@dataclass(frozen=True)
class RangeWords:
    """The words of rules/numbers.yaml that join two numbers, compiled."""

    join: re.Pattern[str]  # the whole gap between two numbers that may make them a range
    lead: re.Pattern[str]  # an opener ("between") or a change opener ("from") right before the first
    change_before: re.Pattern[str]  # a change verb or "by" (a hedge may stand between): "fell by 150,000"
    openers: frozenset[str]
    change_openers: frozenset[str]
    after_opener: frozenset[str]
    alternatives: frozenset[str]
    range_verbs: re.Pattern[str]  # "ranged from 40 to 110": a range, though "from" opens it
    year_min: int
    year_max: int


def range_words(rules: RuleSet) -> RangeWords:
    def build() -> RangeWords:
        n = rules.numbers
        changes = rules.relations.changes
        verbs = alternation([*changes.up, *changes.down, *n.change_prepositions])
        hedges = alternation(p for h in rules.hedges.hedges for p in h.before)
        return RangeWords(
            join=re.compile(rf"^\s*(?:{alternation(n.range_words)})\s*$", re.IGNORECASE),
            # A hedge may stand between: "from nearly 1,200 to 5,209", "between about 5 and 6".
            lead=re.compile(
                rf"\b({alternation([*n.range_openers, *n.change_openers])})\s+(?:(?:{hedges})\s+)?$", re.IGNORECASE
            ),
            change_before=re.compile(rf"\b(?:{verbs})\s+(?:[a-z]+\s+){{0,2}}$", re.IGNORECASE),
            openers=frozenset(w.lower() for w in n.range_openers),
            change_openers=frozenset(w.lower() for w in n.change_openers),
            after_opener=frozenset(w.lower() for w in n.range_after_opener),
            alternatives=frozenset(w.lower() for w in n.range_alternatives),
            range_verbs=re.compile(rf"\b(?:{alternation(n.range_verbs)})\s+$", re.IGNORECASE),
            year_min=rules.not_figures.year_min,
            year_max=rules.not_figures.year_max,
        )

    return memo(rules, "range-words", build)


def _vague_pattern(rules: RuleSet) -> tuple[re.Pattern[str], dict[str, Vague]]:
    def build() -> tuple[re.Pattern[str], dict[str, Vague]]:
        by_phrase = {p.lower(): v for v in rules.hedges.vague for p in v.phrases}
        # Longest first: at each place the widest phrase wins ("tens of thousands of", not "thousands").
        return re.compile(rf"\b(?:{alternation(by_phrase, space=' ')})\b", re.IGNORECASE), by_phrase

    return memo(rules.hedges, "vague", build)


def vague_mentions(rules: RuleSet, text: str) -> list[Candidate]:
    pattern, by_phrase = _vague_pattern(rules)
    out = []
    for m in pattern.finditer(text):
        v = by_phrase[m.group().lower()]
        out.append(Candidate(m.start(), m.end(), v.value, v.value, vague=(v.low, v.high), is_words=True))
    return out


def candidates(rules: RuleSet, text: str) -> list[Candidate]:
    """Every number candidate in `text`, left to right, ranges merged."""
    found = [
        Candidate(
            m.start, m.end, m.value, m.granularity, currency=m.currency, percent=m.percent,
            fraction=m.fraction, is_words=m.is_words, digits=m.digits, factor=m.factor,
        )
        for m in find_mentions(rules, text)
    ]
    vague = vague_mentions(rules, text)
    found = [c for c in found if not any(v.start <= c.start < v.end for v in vague)]
    # "dozens" inside "tens of thousands" etc. is handled by the longest-first rule above.
    found.extend(vague)
    found.sort(key=lambda c: c.start)
    return _merge_ranges(range_words(rules), text, found)


def _merge_ranges(words: RangeWords, text: str, found: list[Candidate]) -> list[Candidate]:
    """'3,000-4,000', '10 to 20 billion', 'between 3,000 and 4,000' become one candidate."""
    out: list[Candidate] = []
    i = 0
    while i < len(found):
        a = found[i]
        if i + 1 < len(found) and a.vague is None and found[i + 1].vague is None:
            b = found[i + 1]
            merged = _joined(words, text, a, b)
            if merged is not None:
                out.append(merged)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _joined(words: RangeWords, text: str, a: Candidate, b: Candidate) -> Candidate | None:
    """The range that `a` and `b` state together, or None when they are two numbers."""
    joined = words.join.match(text[a.end : b.start])
    if not joined or a.fraction or b.fraction:
        return None
    word = joined.group(0).strip().strip("-").lower() or "-"
    # The words before a number are read in a window: the phrases sought are short, and a long
    # sentence packed with numbers must not cost its length for each of them.
    lead = words.lead.search(text, max(0, a.start - _WINDOW), a.start)
    lead_word = lead.group(1).lower() if lead else None
    if word in words.alternatives or word in words.after_opener:
        is_range = word in words.after_opener and lead_word in words.openers
    elif lead is not None and lead_word in words.change_openers and word.isalpha() \
            and not words.range_verbs.search(text, max(0, lead.start() - _WINDOW), lead.start()):
        # "from 200 to 250" is a change, told as two figures; "ranged from 40 to 110" is a range.
        is_range = False
        _carry_scale(a, b)
    else:
        is_range = True
    # "the total for 2024 to 9,681": a year, then a number written another way, is no range.
    if _year_like(words, a) and "," in b.digits:
        return None
    # "rose 3% to 2,904", "$5bn to 300 staff": the ends must be the same kind of number.
    if (a.percent and not b.percent) or (a.currency and b.currency and a.currency != b.currency):
        return None
    merged = _range(a, b) if is_range else None
    if merged is None or merged.value_to is None:
        return None
    # "rose 60% in 2018 to 3.9 million": ends this far apart are two numbers, not a range.
    if word not in words.after_opener and merged.value > 0 and merged.value_to > 100 * merged.value:
        return None
    # "fell by 150,000 to 1.47 million": a change and the level it reached, not a range.
    if word.isalpha() and word not in words.after_opener and merged.value_to > 5 * merged.value \
            and words.change_before.search(text, max(0, a.start - _WINDOW), a.start):
        return None
    if lead and word in words.after_opener:
        merged.extra["between_start"] = str(lead.start(1))
    return merged


def _year_like(words: RangeWords, c: Candidate) -> bool:
    return re.fullmatch(r"\d{4}", c.digits) is not None and words.year_min <= c.value <= words.year_max


def _carry_scale(a: Candidate, b: Candidate) -> None:
    """'10 to 20 billion', 'four to five thousand', 'from $10 to $15 billion': the first number
    takes the second's scale word when it has none and the two are of one size."""
    if a.factor == 1 and b.factor > 1 and 0 < a.value < 10 * (b.value / b.factor) and a.value < b.value / 100:
        a.value *= b.factor
        a.granularity *= b.factor
        a.factor = b.factor


def _range(a: Candidate, b: Candidate) -> Candidate | None:
    _carry_scale(a, b)
    low, high = a.value, b.value
    if not low < high:
        return None
    return Candidate(
        a.start, b.end, low, min(a.granularity, b.granularity), value_to=high,
        currency=a.currency or b.currency, percent=a.percent or b.percent, digits=a.digits, factor=b.factor,
    )
