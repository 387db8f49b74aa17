"""Numbers that are not figures: years, dates, times, ordinals, ages, names with numbers.

Each test here answers one question about a number found in a sentence: is it a label
("Route 66", "Category 2 storm", "junctions 12 and 14"), a date ("4 to 15 March"), a year, an
age ("Rui Valente, 49, said"), a phone number ("call 101"), a page count, a score ("beat them
3-1")? The words each test listens for live in rules/not_figures.yaml (months and weekdays in
rules/time.yaml, units and scale words in rules/numbers.yaml), compiled once per rule set.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from . import tokens
from .numbers import alternation
from .rules import NotFigureRules, RuleSet, memo
from .units import unit_after

_IDENT = re.compile(
    r"(?<![\w$£€])(?:[A-Za-z&]+[A-Za-z&]*-?\d+[A-Za-z]*|\d+[A-Za-z]+\d+[A-Za-z]*)(?![\w])"
)
# "in their 20s", "the '90s".
_DECADE_AFTER = re.compile(r"^'?s\b")
# Small numbers joined by a dash: "3-1", "24-17".
_SCORE = re.compile(r"^(\d{1,3})\s?-\s?(\d{1,3})$")
_CAPITALISED = re.compile(r"^[A-Z][A-Za-z&.'-]*$")


@dataclass(frozen=True)
class Vocabulary:
    """The patterns and word sets of rules/not_figures.yaml (with the months and weekdays of
    rules/time.yaml and the units and scale words of rules/numbers.yaml), compiled once."""

    months: frozenset[str]
    weekdays: frozenset[str]
    ordinal_after: re.Pattern[str]
    pronoun_one: re.Pattern[str]  # "each one", "the only one", "no one"
    one_of: re.Pattern[str]  # "one of the victims" (not "only one of")
    one_counted: frozenset[str]
    year_owner: re.Pattern[str]
    date_before: re.Pattern[str]
    age_after: re.Pattern[str]
    age_before: re.Pattern[str]
    age_group_before: re.Pattern[str]
    duration_compound: re.Pattern[str]
    glued_after: re.Pattern[str]  # letters that belong to the number: 5k, 3.4bn, 53p
    prefixed: re.Pattern[str]  # "sub-300", "minus-5"
    range_in_name: re.Pattern[str]  # "0-to-60"
    paired_before: re.Pattern[str]  # "from 1000 to "
    list_gap: re.Pattern[str]
    named_list_gap: re.Pattern[str]  # " and Nifty Smallcap " between two names with numbers
    date_span: re.Pattern[str]
    appositive_after: re.Pattern[str]
    street: re.Pattern[str]
    amount_before: frozenset[str]
    amount_nouns: frozenset[str]
    people: frozenset[str]
    name_entities: frozenset[str]
    patterns: tuple[tuple[re.Pattern[str], str], ...]


def vocabulary(rules: RuleSet) -> Vocabulary:
    return memo(rules, "not-figures", lambda: _build(rules))


def _words(words: Iterable[str]) -> str:
    return alternation(words)


def _build(rules: RuleSet) -> Vocabulary:
    nf, n, time = rules.not_figures, rules.numbers, rules.time
    months = [*time.months, *time.month_abbreviations]
    ordinal = _words(nf.ordinal_suffixes)
    number = rf"(?:\d[\d,.]*|{_words([*n.ones, *n.tens])})"
    age_units = _words(nf.age_units)
    old = _words(nf.age_adjectives)
    joiners = _words(nf.list_joiners)
    age_phrase = rf"\s?-?\s?(?:{age_units})s?(?:\s|-)(?:{old})s?\b"
    durations = [w for u in n.units if u.dimension == "duration" for w in u.words if " " not in w]
    glued = [*n.scale_abbreviations, *n.glued_scale_abbreviations, *n.currencies.suffixes, *nf.glued_letters]
    return Vocabulary(
        months=frozenset(months),
        weekdays=frozenset(time.weekdays),
        ordinal_after=re.compile(rf"^(?:{ordinal})\b", re.IGNORECASE),
        pronoun_one=re.compile(
            rf"\b(?:(?:{_words(nf.one_determiners)})\s+(?:(?:{_words(nf.one_adjectives)})\s+)?)$", re.IGNORECASE
        ),
        one_of=re.compile(r"^\s+of\b", re.IGNORECASE),
        one_counted=frozenset(nf.one_counted),
        year_owner=re.compile(rf"(?:\b(?:{_words(nf.year_owners)})|'s|s'|[A-Z][a-z]+s)\s+$"),
        date_before=re.compile(rf"\b(?:{_words(months)})\.?\s+\d{{1,2}}(?:{ordinal})?,?\s+$", re.IGNORECASE),
        # "a 45-year-old", "45 years old", "eight-month-old", "two- and three-year-olds".
        age_after=re.compile(
            rf"^(?:{age_phrase}|\s?-\s*(?:{joiners})\s+{number}{age_phrase})", re.IGNORECASE
        ),
        # "aged 45", "aged between 24 and 51", "ages 16 to 24", "the pension age by two years to 64".
        age_before=re.compile(
            rf"\b(?:{_words(nf.age_words)})\s+(?:by\s+{number}\s+(?:{age_units})s?\s+)?"
            rf"(?:(?:{_words(nf.age_links)})\s+)?(?:{_words(nf.age_hedges)})?\s*$",
            re.IGNORECASE,
        ),
        # "children under six", "men between 25 and 54": an age threshold or band.
        age_group_before=re.compile(
            rf"\b(?:{_words(nf.age_group_nouns)})\s+(?:{_words(nf.age_group_links)})\s+$", re.IGNORECASE
        ),
        # "three one-day strikes", "a 95-minute set": a duration that describes the noun after it.
        # The noun after is written in lower case: "a two-week Caribbean voyage" is left a figure.
        duration_compound=re.compile(rf"^-(?i:{_words(durations)})\s+(?!(?i:{old})\b)[a-z]"),
        glued_after=re.compile(rf"^(?:{_words(glued)})\b", re.IGNORECASE),
        prefixed=re.compile(rf"\b(?:{_words(nf.number_prefixes)})-$", re.IGNORECASE),
        range_in_name=re.compile(rf"(?:{_words(n.range_words)})-\d", re.IGNORECASE),
        paired_before=re.compile(rf"(\d[\d,.]*)\s+(?:{_words(n.range_words)})\s+$", re.IGNORECASE),
        # "12 and 14", "101 or, in an emergency, 999", "12, 14".
        list_gap=re.compile(
            rf"^\s*(?:,\s*)?(?:{joiners})\s*(?:,\s*(?:\w+\s+){{0,3}}\w+\s*,\s*)?$|^\s*,\s*$", re.IGNORECASE
        ),
        named_list_gap=re.compile(rf"^\s*,?\s*(?:{joiners})\s+(?:[A-Z][\w&.'-]*\s+){{1,3}}$"),
        date_span=re.compile(
            rf"\s*(?:{_words(nf.date_joiners)})\s*(\d{{1,2}})(?:{ordinal})?\s+([A-Za-z]+)", re.IGNORECASE
        ),
        appositive_after=re.compile(rf"\s*,\s*(?:{_words(nf.appositive_verbs)})\b", re.IGNORECASE),
        street=_street(nf, ordinal),
        amount_before=frozenset(nf.amount_before),
        amount_nouns=frozenset(nf.amount_nouns),
        people=frozenset(nf.people_words),
        name_entities=frozenset(nf.name_entities),
        patterns=tuple((re.compile(p.pattern), p.reason) for p in nf.patterns),
    )


@dataclass(frozen=True)
class Number:
    """What the tests need to know about a number found in a sentence (sentence offsets)."""

    start: int
    end: int
    value: float
    digits: str = ""
    has_unit: bool = False
    value_to: float | None = None
    is_words: bool = False

    @property
    def is_int(self) -> bool:
        return bool(self.digits) and re.fullmatch(r"\d+", self.digits) is not None


def _street(rules: NotFigureRules, ordinal: str) -> re.Pattern[str]:
    """'22 Canal Street', "7 Tanner's Row", '14 Rue Montclair', '27 Friedrichstrasse': the words
    after a house number."""
    # A name in an address: "Canal", "Tanner's", "St-Jacques", "5th".
    name = rf"(?:[A-Z][a-z]+(?:['’]s|s['’]|-[A-Z]?[a-z]+)?|\d+(?:{ordinal}))"
    after = _words(rules.street_words)
    before = _words(rules.street_words_before)
    articles = _words(rules.street_articles)
    suffixes = _words(rules.street_suffixes)
    return re.compile(
        rf"^\s+(?:(?:[NSEW]\.?\s+)?(?:{name}\s+){{1,3}}(?:{after})\.?(?![\w-])"
        rf"|(?:{before})\s+(?:(?:{articles})\s*)*[A-Z]"
        rf"|[A-Z][a-zäöüß]+(?:{suffixes})\b)"
    )


def pattern_spans(rules: RuleSet, text: str) -> list[tuple[int, int, str]]:
    spans = []
    for pattern, reason in vocabulary(rules).patterns:
        for m in pattern.finditer(text):
            spans.append((m.start(), m.end(), reason))
    return spans


def identifier_spans(rules: RuleSet, text: str) -> list[tuple[int, int]]:
    """Names with digits in them ('G20', 'COVID-19', 'A320'), not '0-to-60', nor a number after a
    prefix of the rules ('sub-300', 'minus-5'): that is read as a number, so it is no name."""
    v = vocabulary(rules)
    return [
        (m.start(), m.end()) for m in _IDENT.finditer(text)
        if not v.range_in_name.match(m.group()) and not v.prefixed.search(_up_to_digit(m.group()))
    ]


def _up_to_digit(word: str) -> str:
    digit = re.search(r"\d", word)
    return word[: digit.start()] if digit else word


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z#][\w.'#&]*)\s*$", text[:pos])
    return m.group(1).lower() if m else ""


def _word_after(text: str, pos: int) -> str:
    m = re.match(r"\s*(?:of\s+)?([A-Za-z][\w.]*)", text[pos:])
    return m.group(1).lower().rstrip(".") if m else ""


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def why_not(rules: RuleSet, text: str, doc: Doc, n: Number) -> str | None:
    """Why the number `n` in `text` (parsed as `doc`) is not a figure, or None when it is one."""
    nf, v = rules.not_figures, vocabulary(rules)
    after = text[n.end :]
    before = text[: n.start]
    if v.age_after.match(after) or v.age_before.search(before) or _appositive_age(v, text, doc, n):
        return "age"
    if v.age_group_before.search(before) and n.value <= 120 and (
        _noun_after(v, doc, n.end) in (None, *nf.age_units) and not n.has_unit
    ):
        return "age"
    if v.duration_compound.match(after) and n.value_to is None:
        return "duration in a compound"  # "three one-day strikes", "a two-year pay deal"
    compound = re.match(r"^-([A-Za-z]+)\b", after)
    if compound and _singular(compound.group(1).lower()) in nf.compound_reasons and n.value_to is None:
        return nf.compound_reasons[_singular(compound.group(1).lower())]  # "the 30-share index", "a 16-digit code"
    if n.is_words:
        return _word_reason(rules, v, text, doc, n)
    if v.ordinal_after.match(after):
        return "ordinal"
    before_char = text[n.start - 1] if n.start > 0 else " "
    # Glued to letters or inside an identifier: "COVID-19", "F-16"; not "sub-300", "minus-5".
    if before_char == "-" and n.start >= 2 and text[n.start - 2].isalpha() and not v.prefixed.search(before):
        return "identifier"
    if n.is_int and _DECADE_AFTER.match(after):
        return "decade"
    if after[:1].isalpha() and not v.glued_after.match(after) and not n.has_unit \
            and unit_after(text, n.end, rules) is None:
        return "identifier"
    prev = _word_before(text, n.start)
    nxt = _word_after(text, n.end)
    if n.is_int and _is_date(v, text, n, prev, nxt):
        return "date"
    if n.digits and not n.has_unit:
        why = _plain_number(rules, v, text, doc, n, prev)
        if why is not None:
            return why
    if n.is_int and re.search(r"[A-Z][a-z]+\s\($", before) and after[:1] == ")":
        # "Dak Prescott (4) celebrates": a shirt number, a list mark.
        return "identifier"
    noun = _noun_after(v, doc, n.end)
    if noun is not None and noun in nf.noun_reasons:
        return nf.noun_reasons[noun]
    if n.is_int and n.value_to is None and unit_after(text, n.end, rules) is None and _inside_name(v, doc, n):
        return "identifier"  # "Province 2", "the 12810 Howrah-Mumbai Mail"
    if n.is_int and n.digits.startswith("0") and len(n.digits) > 1:
        return "identifier"
    if n.is_int and len(n.digits) >= nf.identifier_digits and noun is None and prev not in v.amount_before:
        return "identifier"  # "IMO number 9387421"; not "the count stood at 2483805"
    if n.is_int and noun is None and _phone_cue(nf, before):
        return "phone number"
    return None


def _plain_number(rules: RuleSet, v: Vocabulary, text: str, doc: Doc, n: Number, prev: str) -> str | None:
    """Years, addresses and names for a number written in digits alone."""
    nf = rules.not_figures
    before, after = text[: n.start], text[n.end :]
    year_like = n.is_int and len(n.digits) == 4 and nf.year_min <= n.value <= nf.year_max
    if year_like:
        paired = v.paired_before.search(before)
        if paired and not (re.fullmatch(r"\d{4}", paired.group(1))
                           and nf.year_min <= int(paired.group(1)) <= nf.year_max):
            pass  # "from 1000 to 2000 hires": the other end is no year, so neither is this one
        elif prev.rstrip(".") in v.months or prev in nf.year_words or not _counts_something(v, doc, n.end):
            return "year"
        if n.value >= 1900 and (v.year_owner.search(before) or v.date_before.search(before)):
            return "year"
    if n.is_int and n.value_to is not None and len(n.digits) == 4 and 1000 <= n.value < n.value_to \
            <= nf.year_max and prev in nf.year_words and not _counts_something(v, doc, n.end):
        return "year"  # "between 1600 and 1900": a span of years
    if v.street.match(after) and n.is_int:
        return "address"
    if re.fullmatch(r"\d+(?:\.\d+)*", n.digits) and _singular(prev.rstrip(".")) in nf.identifier_words \
            and n.value_to is None:
        return "identifier"  # "Route 66", "version 2.1", "Section 4.5"
    if n.is_int and _label(rules, v, doc, n):
        return "identifier"
    if n.is_int and len(n.digits) >= 4 and _noun_label(v, doc, n):
        return "identifier"  # "runner 30417", "reference 2291"
    if re.fullmatch(r"\d{1,2}\.\d{1,2}", n.digits) and n.value_to is None and _label(rules, v, doc, n) \
            and _noun_after(v, doc, n.end) is None:
        return "version number"  # "launched with Kestrel 5.0 in August"
    return None


def _word_reason(rules: RuleSet, v: Vocabulary, text: str, doc: Doc, n: Number) -> str | None:
    """Number words that are not counts: 'each one', 'the existing one', 'one of the victims', 'one
    villager said'; 'BBC One', 'Formula One'. 'Only one person', 'only one of the 12 survived' are
    counts."""
    word = text[n.start : n.end]
    if word.lower() == "one":
        token = _token_at(doc, n.start)
        if v.pronoun_one.search(text[: n.start]) or (token is not None and _stands_for_a_noun(token)):
            return "pronoun"
        if v.one_of.match(text[n.end :]) and _word_before(text, n.start) not in v.one_counted:
            return "one of a group"
        if token is not None and _speaker(rules, token):
            return "speaker"
    prev = _token_before(doc, n.start)
    if word[:1].isupper() and prev is not None and prev.pos_ == "PROPN" and " " not in word \
            and prev.idx + len(prev.text) == n.start - 1 and not re.search(r"[.!?:]\s*$", text[: n.start]):
        return "identifier"
    return None


def _stands_for_a_noun(one: Token) -> bool:
    """'the existing one', 'a smaller one': 'one' parsed as a noun with a determiner of its own."""
    return one.pos_ in ("NOUN", "PRON") and any(c.dep_ == "det" for c in one.children)


def _speaker(rules: RuleSet, one: Token) -> bool:
    """'One villager said', 'said one police officer': 'one' as 'a', before the one who speaks."""
    noun = one.head
    return one.dep_ == "nummod" and noun.tag_ == "NN" and noun.dep_ == "nsubj" \
        and noun.head.lemma_.lower() in rules.attribution.speech_verbs


def score_reason(rules: RuleSet, text: str, start: int, end: int) -> str | None:
    """'beat them 3-1', 'a 2-2 draw': two small numbers joined by a dash, in a sports sentence or
    with the first above the second (a stated range runs upward)."""
    m = _SCORE.match(text[start:end])
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a >= b and max(a, b) <= 200:
        return "score"
    words = set(re.findall(r"[a-z]+", text.lower()))
    if words & set(rules.not_figures.score_words) and max(a, b) <= 200:
        return "score"
    return None


def follows_list(rules: RuleSet, text: str, doc: Doc, n: Number, prior_end: int, prior_reason: str) -> bool:
    """'junctions 12 and 14', 'calling 101 or, in an emergency, 999': a number listed right after
    one that is not a figure shares its reason, unless it counts something itself; 'the Midcap 100
    and Smallcap 100 indexes': so does a name listed after a name of the same shape."""
    if prior_reason not in rules.not_figures.listed_reasons or not n.is_int:
        return False
    v = vocabulary(rules)
    gap = text[prior_end : n.start]
    if prior_reason == "identifier" and v.named_list_gap.match(gap):
        return True  # "the Nifty Midcap 100 and Nifty Smallcap 100 indexes": a second name of one shape
    if len(gap) > 30 or not v.list_gap.match(gap):
        return False
    return _noun_after(v, doc, n.end) is None or prior_reason in ("date", "age")


def _is_date(v: Vocabulary, text: str, n: Number, prev: str, nxt: str) -> bool:
    """'9 September', 'Oct. 31', 'July 9', and the ends of '4 to 15 March', 'March 4-15'."""
    if not 1 <= n.value <= 31:
        return False
    if prev.rstrip(".") in v.months or nxt in v.months:
        return True
    # The first day of a span whose second day carries the month: "from 4 to 15 March".
    m = v.date_span.match(text[n.end :])
    return bool(m and 1 <= int(m.group(1)) <= 31 and m.group(2).lower().rstrip(".") in v.months)


def _appositive_age(v: Vocabulary, text: str, doc: Doc, n: Number) -> bool:
    """'Transport councillor Rui Valente, 49, said': a bare number between commas after a name."""
    if not n.is_int or not 1 <= n.value <= 120 or n.value_to is not None:
        return False
    if not re.search(r"[A-Za-z.]\s*,\s*$", text[: n.start]) or not re.match(r"\s*,", text[n.end :]):
        return False
    prev = _token_before(doc, n.start)
    if prev is None or prev.text != ",":
        return False
    name = prev.nbor(-1) if prev.i > 0 else None
    if name is None or name.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME"):
        return False
    if name.pos_ == "PROPN":
        return True
    # "The driver, 48, was among the dead": a singular noun cannot be counted by the number.
    return name.tag_ == "NN" and name.is_lower and any(
        c.dep_ in ("det", "poss") for c in name.children
    ) and v.appositive_after.match(text[n.end :]) is not None


def _label(rules: RuleSet, v: Vocabulary, doc: Doc, n: Number) -> bool:
    """'Category 2 storm', 'Phase 3', 'Project 22350', 'S&P 500': a capitalised name right before a
    plain integer that does not count a plural noun after it."""
    prev = _token_before(doc, n.start)
    if prev is None or prev.idx + len(prev.text) != n.start - 1:
        return False
    if re.fullmatch(r"[A-Z]", prev.text) and prev.i > 0 and re.fullmatch(r"[A-Z&]", doc[prev.i - 1].text):
        return True  # "the S P 500": an initialism written with spaces
    if not _CAPITALISED.match(prev.text) or prev.is_sent_start or prev.i == 0:
        return False
    if prev.pos_ not in ("PROPN", "NOUN", "ADJ") or prev.lower_.rstrip(".") in v.months | v.weekdays:
        return False
    if prev.ent_type_ in ("GPE", "NORP", "MONEY", "PERCENT", "QUANTITY") or prev.is_stop:
        return False
    if unit_after(doc.text, n.end, rules) is not None:
        return False  # "MacBook Pro 16 inch"
    return _noun_after(v, doc, n.end) is None or _plural_after(v, doc, n.end) is None


def _inside_name(v: Vocabulary, doc: Doc, n: Number) -> bool:
    """'Province 2' (the number inside a named place or body), 'the 12810 Howrah-Mumbai Mail' (a
    long plain number that names the proper noun it stands before)."""
    first = _token_at(doc, n.start)
    last = _token_before(doc, n.end)
    if first is None or last is None:
        return False
    if first.ent_iob_ == "I" and first.ent_type_ in v.name_entities and first.i > 0 \
            and doc[first.i - 1].is_title:
        return True
    # A name of two or more words after the number: "600 Rohingyas" is a count.
    head = last.head
    return len(n.digits) >= 3 and last.dep_ in ("nummod", "compound") and head.i > last.i + 1 \
        and head.tag_ == "NNP" and all(t.pos_ == "PROPN" or t.tag_ == "HYPH" for t in doc[last.i + 1 : head.i])


def _noun_label(v: Vocabulary, doc: Doc, n: Number) -> bool:
    """'runner 30417': a plain number of four or more digits right after a singular common noun,
    counting nothing, names one of them (a count would be written '30,417 runners')."""
    prev = _token_before(doc, n.start)
    if prev is None or prev.idx + len(prev.text) != n.start - 1 or prev.tag_ != "NN" \
            or not (prev.is_lower or prev.is_sent_start):
        return False
    if prev.lower_ in v.amount_nouns:
        return False
    return _noun_after(v, doc, n.end) is None


def _phone_cue(rules: NotFigureRules, before: str) -> bool:
    words = re.findall(r"[A-Za-z]+", before[-60:].lower())[-5:]
    return any(w in rules.phone_words for w in words)


def _token_at(doc: Doc, pos: int) -> Token | None:
    """The token that holds the character at `pos`, if any."""
    starts, ends = tokens.offsets(doc)
    k = bisect.bisect_right(starts, pos) - 1
    return doc[k] if k >= 0 and pos < ends[k] else None


def _token_before(doc: Doc, pos: int) -> Token | None:
    return tokens.token_before(doc, pos)


def _tokens_after(doc: Doc, pos: int, count: int) -> list[Token]:
    """The first `count` tokens that start at or after `pos`."""
    return tokens.tokens_after(doc, pos, count)


def _noun_after(v: Vocabulary, doc: Doc, end: int) -> str | None:
    """The lower-cased noun that follows the number (skipping a hyphen and adjectives), if any."""
    for t in _tokens_after(doc, end, 4):
        if t.text == "-":
            continue
        if t.pos_ in ("NOUN", "PROPN") or t.lower_ in v.people:
            return _singular(t.lower_)
        if t.pos_ != "ADJ":
            return None
    return None


def _plural_after(v: Vocabulary, doc: Doc, end: int) -> str | None:
    for t in _tokens_after(doc, end, 3):
        if t.tag_ in ("NNS", "NNPS") or t.lower_ in v.people:
            return t.lower_
        if t.pos_ != "ADJ":
            return None
    return None


def _counts_something(v: Vocabulary, doc: Doc, end: int) -> bool:
    """A four-digit number followed by a plural noun or unit counts it ('2000 troops'), unless the
    parse hangs it elsewhere ('between 1600 and 1900 temperatures dropped')."""
    last = _token_before(doc, end)
    if last is not None and last.like_num:
        head = last.head
        if last.dep_ in ("nummod", "quantmod", "compound", "amod", "appos") and head.i > last.i \
                and head.pos_ in ("NOUN", "PROPN"):
            return head.tag_ in ("NNS", "NNPS") or head.lemma_.lower() in v.people
        if last.dep_ in ("pobj", "conj", "npadvmod"):
            return False
    following = _tokens_after(doc, end, 3)
    for t in following:
        if t.tag_ in ("NNS", "NNPS") or t.lemma_.lower() in v.people:
            return True
        if t.pos_ not in ("ADJ", "NOUN", "PROPN") or (t.tag_ == "NN" and t.dep_ != "compound"):
            return False
    return False
