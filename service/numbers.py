"""Find number expressions in a sentence and read their values: pure text, no parse.

A `Mention` is the number as written with what is glued to it: a currency sign or code
before, a scale word after ("1.2m", "3.4bn", "two million", "half a million", "Rs 48.21 lakh
crore"), a percent sign or word. Number words ("six", "twenty-six", "a dozen") and fractions ("a
third of", "half the") are read too. Context (hedges, what is counted, whether it is a year) is
the extract stage's business.

The words live in rules/numbers.yaml; this module holds the grammar that puts them together,
compiled once per rule set (`patterns`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .rules import NumberRules, RuleSet, memo, shipped

# Digits: 1,200,000.5 | 12,34,567 (Indian grouping) | 1 200 000 | 1.200.000,5 (only with a decimal
# comma) | 1200.5 | .5
_DIGITS = (
    r"(?:\d{1,3}(?:\.\d{3})+,\d+"
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?(?![\d,])"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ ]\d{3})+(?![\d,.])"
    r"|\d+(?:\.\d+)?"
    r"|\.\d+)"
)
# Scientific notation after the digits: "1.99×10-30", "3 × 10^6".
_EXPONENT = r"(?:\s?×\s?10\s?(?:\^\s?)?(?P<exp>[-−]?\d{1,3})\b)"
# "1/2 pound", "3/4 of": a proper fraction with a usual denominator (not a date like 9/11).
DIGIT_FRACTION = re.compile(
    r"(?<![\w/.,])(?P<num>\d{1,2})\s?[/⁄]\s?(?P<den>2|3|4|5|6|8|10|12|16|32|64|100|128)(?![\w/.,]|,\d)"
)


def alternation(words: Iterable[str], space: str = r"\s+") -> str:
    """A regex alternation of `words`, longest first, each written space as `space`; of no words, a
    pattern that matches nothing (an emptied list in the rules turns its reading off)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", space) for w in ordered) or "(?!)"


@dataclass(frozen=True)
class Patterns:
    """Everything compiled from the number rules (and the hedges that may stand before a fraction)."""

    mention: re.Pattern[str]
    fraction: re.Pattern[str]
    half_alone: re.Pattern[str]
    out_of: re.Pattern[str]
    unit_cue: re.Pattern[str]
    unit_forms: frozenset[str]  # a glued scale letter that is one of these may be the unit: 37m-long
    fraction_word: re.Pattern[str]  # what each fraction pattern cannot match without
    share_gap: re.Pattern[str]
    numbers: NumberRules
    year_min: int
    year_max: int


def patterns(rules: RuleSet) -> Patterns:
    return memo(rules, "number-patterns", lambda: _build(rules))


def _build(rules: RuleSet) -> Patterns:
    n = rules.numbers
    fractions = alternation(n.fractions)
    one_to_nine = alternation(w for w, v in n.ones.items() if 1 <= v <= 9)
    small = alternation(w for w, v in n.ones.items() if 1 <= v <= 10)
    tens = alternation(n.tens)
    word_num = alternation([*n.ones, *n.tens])
    hundreds = alternation(w for w, v in n.scales.items() if v < 1000)
    big = alternation(w for w, v in n.scales.items() if v >= 1000)
    groups = alternation(n.groups)
    halves = alternation(w for w, d in n.fractions.items() if d == 2)
    # One to ninety-nine in words: "six", "twenty-six", "twenty six"; up to 999: "six hundred (and)
    # forty-two"; chained through scale words when more number words follow: "twenty-eight
    # thousand six hundred".
    w99 = rf"(?:(?:{tens})(?:[- ](?:{one_to_nine})\b)?|(?:{word_num}))"
    w999 = rf"(?:{w99}(?:\s+(?:{hundreds})(?:\s+(?:and\s+)?{w99})?)?)"
    number_words = (
        rf"(?:(?:an?|{one_to_nine})[- ](?:{fractions})\s+of\s+an?\s+(?:{big})"
        rf"|(?:{w99})\s+(?:{groups})\b"
        rf"|{w999}(?:\s+(?:{big})(?=\s+(?:and\s+)?(?:{word_num})\b)\s+(?:and\s+)?{w999})*"
        rf"|an?\s+(?:{groups}|{hundreds}|{big})"
        rf"|(?:one\s+and\s+a\s+)?(?:{halves})\s+an?\s+(?:{groups}|{big})"
        rf"|(?:an?\s+)?(?:{halves})[\s-](?:{groups}))"
    )
    scales = alternation([*n.scales, *n.groups])
    abbreviations = alternation(n.scale_abbreviations)
    glued_abbreviations = alternation(n.glued_scale_abbreviations)
    letters = alternation(n.spaced_scale_letters)
    symbols = [s for s in n.currencies.signs if not any(ch.isalpha() for ch in s)]
    percent = "|".join(
        re.escape(p).replace(r"\ ", "[ ]?") + (r"\b" if p[-1].isalpha() else "")
        for p in sorted(n.percent, key=len, reverse=True)
    ) or "(?!)"
    negative = alternation(n.negative_words)
    mention = re.compile(
        rf"""
        (?<![A-Za-z])  # no number starts inside a word: spares the search most positions
        (?:(?P<cur>(?-i:{_currency_pattern(n)}))\s?|(?<![\w.])(?<!\d,))
        (?P<neg>(?<![\w)\]])-(?=\d)|\b(?:{negative})[\s-]?(?=\d))?
        (?:(?P<digits>{_DIGITS})|(?P<words>\b{number_words}\b))
        {_EXPONENT}?
        (?P<scale>
            (?:[ ](?:and\s+a\s+(?:{halves})\s+)?(?:{scales})s?\b(?:[ ](?:{scales})s?\b)*)
            |(?:[ ]?(?:{abbreviations})\b)
            |(?:(?<=\d)(?:{glued_abbreviations})\b)
            |(?:[ ](?-i:{letters})\b(?=[ ]?(?:{alternation(symbols)}|{alternation(n.million_nouns)})))
        )?
        (?P<pct>[ ]?(?:{percent}))?
        (?P<suffix>(?<=\d)(?-i:{alternation(n.currencies.suffixes)})\b)?
        """,
        re.VERBOSE | re.IGNORECASE,
    )
    ordinal_fractions = alternation(n.ordinal_fractions)
    followers = alternation(n.fraction_followers)
    not_scaled = rf"(?!\s+(?:of\s+)?an?\s+(?:{groups}|{big})\b)"
    not_a_part = "".join(rf"(?<!\b{re.escape(w)}\s)" for w in n.half_parts)
    fraction = re.compile(
        rf"\b(?P<num>an?|{one_to_nine}|{halves})(?:[- ]|\s+)(?P<den>{fractions})\b"
        rf"(?=\s+(?:{followers})\b|\s*[,.;:)!?]|\s*$){not_scaled}"
        rf"|\b(?P<num2>an?|{one_to_nine})(?:[- ]|\s+)(?P<den2>{ordinal_fractions})\b(?=\s+of\b)"
        rf"|{not_a_part}\b(?P<half>{halves})\b(?=\s+(?:{followers})\b){not_scaled}",
        re.IGNORECASE,
    )
    # "or about half.", "nearly half,": a hedged fraction standing alone at the end of a clause
    # (not "cut in half", "the second half").
    before_alone = [*n.fraction_alone_before, *(p for h in rules.hedges.hedges for p in h.before)]
    half_alone = re.compile(
        rf"(?<!\w)(?:{alternation(before_alone)})\s+"
        rf"(?P<half>{halves}|(?:an?|{one_to_nine})[- ](?:{fractions}))\b"
        rf"(?=\s*[,.;:)!?\"”’]|\s*$|\s+(?:{alternation(n.fraction_alone_verbs)})\b)",
        re.IGNORECASE,
    )
    durations = [w for u in n.units if u.dimension == "duration" for w in [*u.words, *u.short]]
    out_of = re.compile(
        rf"(?<![\d.,])\b(?P<a>{small}|\d{{1,3}})\s+(?:{alternation(n.share_words)})\s+(?P<b>{small}|\d{{1,4}})\b"
        rf"(?!\s*(?:{percent}|(?:{alternation([*durations, *n.share_not_before])})\b|[-:/.,]\d))",
        re.IGNORECASE,
    )
    # "37m (121ft)-long", "a 400m-high tower": metres, not millions.
    unit_cue = re.compile(rf"^(?:\s?\(|-?\s?(?:{alternation(n.unit_cues)})\b)", re.IGNORECASE)
    unit_forms = frozenset(f.lower() for u in n.units for f in [*u.short, *u.glued])
    fraction_word = re.compile(alternation([*n.fractions, *n.ordinal_fractions]), re.IGNORECASE)
    first_words = {w.split()[0] for w in n.share_words}
    share_gap = re.compile(rf"\s(?:{alternation(first_words)})\s", re.IGNORECASE)
    return Patterns(
        mention, fraction, half_alone, out_of, unit_cue, unit_forms, fraction_word, share_gap, n,
        rules.not_figures.year_min, rules.not_figures.year_max,
    )


def _currency_pattern(n: NumberRules) -> str:
    """Signs, signs with a country ("US$", "US $", "$US", "HK$"), glued signs and codes."""
    c = n.currencies
    forms: list[str] = []
    for sign in c.signs:
        if not any(ch.isalpha() for ch in sign):
            forms.append(re.escape(sign))
            continue
        # A sign with letters is a sign only before a number: "Rs 500", "RM79", not "RM said".
        if sign.endswith("$") and sign[:-1].isalpha():
            forms.append(rf"{re.escape(sign[:-1])}\s?\$")
            forms.append(rf"\$\s?{re.escape(sign[:-1])}(?=\s?\d)")
        else:
            forms.append(rf"{re.escape(sign)}(?=\s?\d)")
    scales = alternation([*n.scale_abbreviations, *n.glued_scale_abbreviations])
    for sign in c.glued_signs:
        forms.append(rf"(?<![\w]){re.escape(sign)}(?=\d{{2,}}|\d[.,]\d|\d\s?(?:{scales})\b)")
    forms.extend(re.escape(code) for code in c.codes)
    # Longest first, so that "Rs." wins over "Rs" and "US$" over "$".
    return "|".join(sorted(forms, key=len, reverse=True))


@dataclass(frozen=True)
class Mention:
    """A number as written: offsets are relative to the text it was found in."""

    start: int
    end: int
    value: float
    currency: str | None = None
    percent: bool = False
    scaled: bool = False
    is_words: bool = False
    fraction: bool = False
    granularity: float = 1.0
    digits: str = ""
    factor: float = 1.0  # the scale word's: 1e6 for "1.2m"

    @property
    def text_is_integer(self) -> bool:
        return bool(self.digits) and re.fullmatch(r"\d+", self.digits) is not None


def _scale_word(word: str, n: NumberRules) -> int | None:
    """'million' and 'millions' -> 1e6; 'crores' -> 1e7."""
    if word in n.scales:
        return n.scales[word]
    if word.endswith("s") and word[:-1] in n.scales:
        return n.scales[word[:-1]]
    return None


def words_to_number(text: str, rules: RuleSet | None = None) -> float | None:
    """'twenty-six' -> 26, 'two million' -> 2e6, 'half a million' -> 5e5, 'a dozen' -> 12,
    'two lakh crore' -> 2e12."""
    n = (rules or shipped()).numbers
    halves = {w for w, d in n.fractions.items() if d == 2}
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an"):
        words[0] = "one"
    if len(words) == 1 and words[0] in n.groups:
        return float(n.groups[words[0]])
    if 2 <= len(words) <= 3 and words[-2] in halves and words[-1] in n.groups:
        return n.groups[words[-1]] / 2  # "a half dozen", "half-dozen"
    if "of" in words:
        # "a quarter of a million": the fraction of the number after "of".
        k = words.index("of")
        whole = words_to_number(" ".join(words[k + 1 :]), rules)
        if k != 2 or words[1] not in n.fractions or whole is None:
            return None
        return _numerator(words[0], n) / n.fractions[words[1]] * whole
    total, current, last = 0.0, 0.0, 0.0
    previous_scale = False
    i = 0
    while i < len(words):
        w = words[i]
        scale = _scale_word(w, n)
        chained = False
        if w in n.ones:
            current += n.ones[w]
        elif w in n.tens:
            current += n.tens[w]
        elif w in n.groups:
            current = (current or 1) * n.groups[w]
        elif w in halves:
            # "half a million", "one and a half million"
            if i + 1 < len(words) and words[i + 1] in ("a", "an", "one"):
                i += 1
            current += 0.5
        elif scale is not None and scale < 1000:
            current = (current or 1) * scale
        elif scale is not None:
            if previous_scale and not current:
                # "lakh crore", "thousand million": the second scale multiplies the first.
                total += last * (scale - 1)
                last *= scale
            else:
                last = (current or 1) * scale
                total += last
            current = 0.0
            chained = True
        elif w not in ("a", "an"):
            return None
        previous_scale = chained
        i += 1
    return total + current


def parse_digits(digits: str) -> tuple[float, float]:
    """Value and granularity of a digit string: '3,200' -> (3200, 100), '1.25' -> (1.25, 0.01)."""
    s = digits.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", s):
        s = s.replace(".", "").replace(",", ".")
    s = s.replace(",", "").replace(" ", "")
    value = float(s)
    if "." in s:
        decimals = len(s.split(".", 1)[1])
        return value, 10.0 ** -decimals
    stripped = s.lstrip("0") or "0"
    zeros = len(stripped) - len(stripped.rstrip("0")) if stripped != "0" else 0
    return value, 10.0 ** zeros


def _scale_factor(scale: str, n: NumberRules) -> float:
    factor = 1.0
    for part in scale.strip().split():
        low = part.lower()
        word = _scale_word(low, n)
        if word is not None:
            factor *= word
        elif low in n.groups:
            factor *= n.groups[low]
        elif low in n.scale_abbreviations:
            factor *= n.scale_abbreviations[low]
        elif low in n.glued_scale_abbreviations:
            factor *= n.glued_scale_abbreviations[low]
        elif part in n.spaced_scale_letters:
            factor *= n.spaced_scale_letters[part]
    return factor


def _currency(sign: str, n: NumberRules) -> str | None:
    """'US$', 'US $', '$US' -> USD; 'Rs.' -> INR; 'EUR' -> EUR."""
    c = n.currencies
    key = sign.replace(" ", "")
    if key in c.signs:
        return c.signs[key]
    if key in c.glued_signs:
        return c.glued_signs[key]
    if key.startswith("$") and key[1:] + "$" in c.signs:
        return c.signs[key[1:] + "$"]
    return key if key in c.codes else None


def _fractions(p: Patterns, text: str) -> list[Mention]:
    out: list[Mention] = []
    if p.fraction_word.search(text):
        out.extend(_word_fractions(p, text))
    if p.share_gap.search(text):
        for m in p.out_of.finditer(text):
            a, b = _small(m.group("a"), p.numbers), _small(m.group("b"), p.numbers)
            if a is None or b is None or not 0 < a < b:
                continue
            if m.group("b").isdigit() and p.year_min <= b <= p.year_max and b % 100:
                continue  # "rose to 312 in 2024": a year, not a share
            out.append(Mention(m.start(), m.end(), round(a / b, 6), fraction=True, is_words=True, granularity=0.01))
    if "/" in text or "⁄" in text:
        for m in DIGIT_FRACTION.finditer(text):
            num, den = int(m.group("num")), int(m.group("den"))
            if 0 < num < den:
                out.append(Mention(m.start(), m.end(), round(num / den, 10), granularity=1 / den, digits=m.group()))
    return out


def _small(word: str, n: NumberRules) -> float | None:
    """A share's end: digits, or a number word."""
    if word.isdigit():
        return float(word)
    value = n.ones.get(word.lower())
    return float(value) if value is not None else None


def _numerator(word: str, n: NumberRules) -> float:
    low = word.lower()
    if low in ("a", "an"):
        return 1.0
    return float(n.ones.get(low, 1))


def _denominator(word: str, n: NumberRules) -> int:
    low = word.lower()
    return n.fractions.get(low) or n.ordinal_fractions[low]


def _word_fractions(p: Patterns, text: str) -> list[Mention]:
    n = p.numbers
    out = []
    for m in p.fraction.finditer(text):
        if m.group("half"):
            value = 0.5
        else:
            denominator = _denominator(m.group("den") or m.group("den2"), n)
            value = 0.5 if denominator == 2 else _numerator(m.group("num") or m.group("num2"), n) / denominator
        out.append(Mention(m.start(), m.end(), round(value, 6), fraction=True, is_words=True, granularity=0.05))
    for m in p.half_alone.finditer(text):
        num, _, den = m.group("half").lower().replace("-", " ").partition(" ")
        value = 0.5 if not den else _numerator(num, n) / _denominator(den, n)
        out.append(Mention(m.start("half"), m.end("half"), round(value, 6), fraction=True, is_words=True,
                           granularity=0.05))
    return out


def find_mentions(rules: RuleSet, text: str) -> list[Mention]:
    """Every number expression in `text`, left to right, not overlapping."""
    p = patterns(rules)
    out: list[Mention] = []
    reach = -1  # where the fractions kept so far end, at the furthest: they start no later
    for f in sorted(_fractions(p, text), key=lambda f: (f.start, f.start - f.end)):
        if f.start >= reach:
            out.append(f)
            reach = max(reach, f.end)
    taken = [(f.start, f.end) for f in out]  # in order, not overlapping
    j = 0
    for m in p.mention.finditer(text):
        # Matches come left to right: the fractions that end before this one never matter again.
        while j < len(taken) and taken[j][1] <= m.start():
            j += 1
        if j < len(taken) and taken[j][0] < m.end():
            continue
        mention = _mention(p, rules, text, m)
        if mention is not None:
            out.append(mention)
    out.sort(key=lambda x: x.start)
    return out


def _mention(p: Patterns, rules: RuleSet, text: str, m: re.Match[str]) -> Mention | None:
    n = p.numbers
    digits = m.group("digits")
    words = m.group("words")
    if digits:
        value, granularity = parse_digits(digits)
    else:
        parsed = words_to_number(words or "", rules)
        if parsed is None:
            return None
        value = parsed
        granularity = parse_digits(str(int(parsed)))[1] if parsed == int(parsed) else 0.5
    end = m.end()
    scale = m.group("scale") or ""
    percent = bool(m.group("pct"))
    cur = (m.group("cur") or "").strip()
    currency = _currency(cur, n) if cur else None
    if scale and scale.lower() in p.unit_forms and not currency and p.unit_cue.match(text[m.end("scale") :]):
        # "a 37m (121ft)-long skeleton": the m is metres, read as a unit later.
        scale, end, percent = "", m.start("scale"), False
    if m.group("exp"):
        exponent = int(m.group("exp").replace("−", "-"))
        value = float(f"{value!r}e{exponent}")
        granularity = float(f"{granularity!r}e{exponent}")
    factor = _scale_factor(scale, n) if scale else 1.0
    if scale and re.search(r"\band\s+a\s+", scale, re.IGNORECASE):
        value += 0.5  # "1 and a half million"
    value *= factor
    granularity *= factor
    if m.group("neg"):
        value = -value
    if m.group("suffix"):
        currency = n.currencies.suffixes[m.group("suffix")]
    start = m.start()
    if cur and not currency:
        start += len(m.group("cur"))
    return Mention(
        start,
        end,
        value,
        currency=currency,
        percent=percent,
        scaled=bool(scale),
        is_words=bool(words),
        granularity=granularity,
        digits=digits or "",
        factor=factor,
    )


def as_number(value: float) -> int | float:
    """3200.0 -> 3200; keep real fractions."""
    value = float(f"{value:.12g}")  # significant digits: "2.998×10−8" keeps its digits, 4.1m is 4100000
    if value == int(value) and abs(value) < 1e18:
        return int(value)
    return value


def __getattr__(name: str) -> dict[str, str]:
    """`CURRENCY_NAMES` for modules that read it at import (service.context), from the rules."""
    if name == "CURRENCY_NAMES":
        return dict(shipped().numbers.currencies.names)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
