"""Numbers that are not figures: years, dates, times, ordinals, ages, names with numbers.

Each test here answers one question about a number found in a sentence: is it a label
("Route 66", "Category 2 storm", "junctions 12 and 14"), a date ("4 to 15 March"), a year, an
age ("Rui Valente, 49, said"), a phone number ("call 101"), a page count, a score ("beat them
3-1")? The words each test listens for live in rules/not_figures.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from . import tokens
from .rules import NotFigureRules, memo

_IDENT = re.compile(
    r"(?<![\w$£€])(?:[A-Za-z&]+[A-Za-z&]*-?\d+[A-Za-z]*|\d+[A-Za-z]+\d+[A-Za-z]*)(?![\w])"
)
_UNIT_LIKE = re.compile(
    r"^\d+(?:k|m|bn|mn|tn|km|kg|mm|cm|ft|mph|kph|mw|gw|kw|kwh|mwh|gwh|twh|ha|am|pm|p|s|st|nd|rd|th|x|"
    r"g|gb|mb|tb|kb|hz|ghz|mhz|l|ml|lb|lbs|oz|hp|bhp|mah|wh|v|kv|w|yr|yrs|min|mins|sec|secs|hr|hrs)$",
    re.IGNORECASE,
)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
# A name in an address: "Canal", "Tanner's", "St-Jacques", "5th".
_STREET_NAME = r"(?:[A-Z][a-z]+(?:['’]s|s['’]|-[A-Z]?[a-z]+)?|\d+(?:st|nd|rd|th))"
# "each one", "the same one": 'one' standing for a noun, not a count.
_PRONOUN_ONE = re.compile(
    r"\b(?:each|every|the|this|that|same|any|no|which|another|last|only|little|big|new|old|right|wrong|first)\s+$",
    re.IGNORECASE,
)
# A year before its noun: "Keytruda's 2018 sales", "the 2019 season", "Mar 9 2018".
_YEAR_OWNER = re.compile(r"(?:\b(?:the|its|their|his|her|our|this|that|last|next)|'s|s'|[A-Z][a-z]+s)\s+$")
# "a 45-year-old", "45 years old", "the 130-year-old viaduct".
_AGE_AFTER = re.compile(r"^\s?-?\s?years?(?:\s|-)old\b", re.IGNORECASE)
# "aged 45", "aged between 24 and 51", "aged over 75", "ages 16 to 24".
_AGE_BEFORE = re.compile(
    r"\b(?:aged|ages|age|ageing|aging)\s+(?:(?:of|to|at|from|is|was|will\s+be|would\s+be|(?:will\s+)?ris(?:e|es|ing)"
    r"\s+to|rose\s+to|go(?:es)?\s+up\s+to)\s+)?(?:between|from|over|under|above|below|about|around|"
    r"at\s+least|more\s+than|less\s+than|up\s+to|roughly|nearly|almost|just)?\s*$",
    re.IGNORECASE,
)
# "children under six", "people over 65": an age threshold.
_AGE_GROUP_BEFORE = re.compile(
    r"\b(?:children|child|kids|babies|infants|toddlers|people|adults|those|anyone|everyone|pupils|girls|boys|"
    r"women|men|patients|residents|drivers|workers|voters|users|pensioners|teenagers|youngsters)\s+"
    r"(?:under|over|below|above|older\s+than|younger\s+than|of)\s+$",
    re.IGNORECASE,
)
# "three one-day strikes", "a 95-minute set": a duration that describes the noun after it.
_DURATION_COMPOUND = re.compile(r"^-(?:second|minute|hour|day|week|month|year|decade)\s+(?!old\b)[a-z]")
# Words before a long plain number that make it an amount, not a name.
_AMOUNT_BEFORE = {"at", "to", "of", "from", "reached", "hit", "totalled", "totaled", "total", "about", "around",
                  "nearly", "over", "almost", "approximately", "roughly", "than", "exceeded", "topped"}
# Nouns a bare number after them measures, not names: "a total 30417" is rare but not a label.
_AMOUNT_NOUNS = {"total", "number", "count", "tally", "toll", "population", "price", "rate", "level", "score",
                 "figure", "sum", "amount", "value", "cost", "budget", "turnover", "revenue", "profit", "loss"}
# "in their 20s", "the '90s".
_DECADE_AFTER = re.compile(r"^'?s\b")
# Small numbers joined by a dash: "3-1", "24-17".
_SCORE = re.compile(r"^(\d{1,3})\s?-\s?(\d{1,3})$")
# "12 and 14", "101 or, in an emergency, 999", "12, 14".
_LIST_GAP = re.compile(r"^\s*(?:,\s*)?(?:and|or|&|to|-)\s*(?:,\s*(?:\w+\s+){0,3}\w+\s*,\s*)?$|^\s*,\s*$",
                       re.IGNORECASE)
_CAPITALISED = re.compile(r"^[A-Z][A-Za-z&.'-]*$")
_REASONS_THAT_LIST = ("identifier", "phone number", "date", "page count", "age")


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


def _street(rules: NotFigureRules) -> re.Pattern[str]:
    """'22 Canal Street', "7 Tanner's Row", '14 Rue Montclair', '27 Friedrichstrasse': the words
    after a house number."""
    def build() -> re.Pattern[str]:
        after = "|".join(re.escape(w) for w in sorted(rules.street_words, key=len, reverse=True))
        before = "|".join(re.escape(w) for w in sorted(rules.street_words_before, key=len, reverse=True))
        suffixes = "|".join(re.escape(w) for w in sorted(rules.street_suffixes, key=len, reverse=True))
        return re.compile(
            rf"^\s+(?:(?:[NSEW]\.?\s+)?(?:{_STREET_NAME}\s+){{1,3}}(?:{after})\.?(?![\w-])"
            rf"|(?:{before})\s+(?:(?:de|du|des|la|le|del|della|di|do|da|dos|das|d'|l')\s*)*[A-Z]"
            rf"|[A-Z][a-zäöüß]+(?:{suffixes})\b)"
        )
    return memo(rules, "street", build)


def _compiled(rules: NotFigureRules) -> tuple[tuple[re.Pattern[str], str], ...]:
    return memo(rules, "patterns", lambda: tuple((re.compile(p.pattern), p.reason) for p in rules.patterns))


def pattern_spans(rules: NotFigureRules, text: str) -> list[tuple[int, int, str]]:
    spans = []
    for pattern, reason in _compiled(rules):
        for m in pattern.finditer(text):
            spans.append((m.start(), m.end(), reason))
    return spans


def identifier_spans(text: str) -> list[tuple[int, int]]:
    """Names with digits in them ('G20', 'COVID-19', 'A320'), not '5km' or '3.4bn'."""
    out = []
    for m in _IDENT.finditer(text):
        word = m.group()
        if _UNIT_LIKE.match(word) or not re.search(r"\d", word) or re.match(r"(?:to|and|or)-\d", word):
            continue  # "0-to-60": a range, not a name
        out.append((m.start(), m.end()))
    return out


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z#][\w.'#&]*)\s*$", text[:pos])
    return m.group(1).lower() if m else ""


def _word_after(text: str, pos: int) -> str:
    m = re.match(r"\s*(?:of\s+)?([A-Za-z][\w.]*)", text[pos:])
    return m.group(1).lower().rstrip(".") if m else ""


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def reason(
    rules: NotFigureRules,
    text: str,
    doc: Doc,
    start: int,
    end: int,
    value: float,
    digits: str,
    has_unit: bool,
    is_range: bool,
    value_to: float | None = None,
    is_words: bool = False,
) -> str | None:
    """Why the number at text[start:end] is not a figure, or None when it is one."""
    n = Number(start, end, value, digits, has_unit, value_to if is_range else None, is_words)
    return why_not(rules, text, doc, n)


def why_not(rules: NotFigureRules, text: str, doc: Doc, n: Number) -> str | None:
    """Why the number `n` in `text` (parsed as `doc`) is not a figure, or None when it is one."""
    after = text[n.end :]
    before = text[: n.start]
    if _AGE_AFTER.match(after) or _AGE_BEFORE.search(before) or _appositive_age(text, doc, n):
        return "age"
    if _AGE_GROUP_BEFORE.search(before) and n.value <= 120 and (
        _noun_after(doc, n.end) in (None, "year", "month") and not n.has_unit
    ):
        return "age"
    if _DURATION_COMPOUND.match(after) and n.value_to is None:
        return "duration in a compound"  # "three one-day strikes", "a two-year pay deal"
    if n.is_words:
        return _word_reason(text, doc, n)
    if _ORDINAL_AFTER.match(after):
        return "ordinal"
    before_char = text[n.start - 1] if n.start > 0 else " "
    # Glued to letters or inside an identifier: "COVID-19", "F-16"; not "sub-300", "minus-5".
    if before_char == "-" and n.start >= 2 and text[n.start - 2].isalpha() \
            and not re.search(r"\b(?:sub|minus|over|under|top|post|pre|mid)-$", text[: n.start], re.IGNORECASE):
        return "identifier"
    if n.is_int and _DECADE_AFTER.match(after):
        return "decade"
    if after[:1].isalpha() and not re.match(r"^(?:k|m|bn|mn|tn|p|s)\b", after, re.IGNORECASE) and not n.has_unit:
        from .units import unit_after

        if unit_after(text, n.end) is None:
            return "identifier"
    prev = _word_before(text, n.start)
    nxt = _word_after(text, n.end)
    if n.is_int and _is_date(rules, text, n, prev, nxt):
        return "date"
    if n.digits and not n.has_unit:
        if n.is_int and len(n.digits) == 4 and rules.year_min <= n.value <= rules.year_max:
            paired = re.search(r"(\d[\d,.]*)\s+(?:to|and|or)\s+$", before)
            if paired and not (re.fullmatch(r"\d{4}", paired.group(1))
                               and rules.year_min <= int(paired.group(1)) <= rules.year_max):
                pass  # "from 1000 to 2000 hires": the other end is no year, so neither is this one
            elif prev.rstrip(".") in rules.months or prev in rules.year_words or not _counts_something(doc, n.end):
                return "year"
            if n.value >= 1900 and (_YEAR_OWNER.search(before) or _DATE_BEFORE.search(before)):
                return "year"
        if n.is_int and n.value_to is not None and len(n.digits) == 4 and 1000 <= n.value < n.value_to \
                <= rules.year_max and prev in rules.year_words and not _counts_something(doc, n.end):
            # "between 1600 and 1900": a span of years.
            return "year"
        if _street(rules).match(after) and n.is_int:
            return "address"
        if re.fullmatch(r"\d+(?:\.\d+)*", n.digits) and _singular(prev.rstrip(".")) in rules.identifier_words \
                and n.value_to is None:
            return "identifier"  # "Route 66", "version 2.1", "Section 4.5"
        if n.is_int and _label(rules, doc, n):
            return "identifier"
        if n.is_int and len(n.digits) >= 4 and _noun_label(doc, n):
            return "identifier"  # "runner 30417", "reference 2291"
        if re.fullmatch(r"\d{1,2}\.\d{1,2}", n.digits) and n.value_to is None and _label(rules, doc, n) \
                and _noun_after(doc, n.end) is None:
            return "version number"  # "launched with Kestrel 5.0 in August"
    if n.is_int and re.search(r"[A-Z][a-z]+\s\($", before) and after[:1] == ")":
        # "Dak Prescott (4) celebrates": a shirt number, a list mark.
        return "identifier"
    noun = _noun_after(doc, n.end)
    if noun is not None and noun in rules.noun_reasons:
        return rules.noun_reasons[noun]
    if n.is_int and n.digits.startswith("0") and len(n.digits) > 1:
        return "identifier"
    if n.is_int and len(n.digits) >= rules.identifier_digits and noun is None \
            and prev not in _AMOUNT_BEFORE:
        return "identifier"  # "IMO number 9387421"; not "the count stood at 2483805"
    if n.is_int and noun is None and _phone_cue(rules, before):
        return "phone number"
    return None


_DATE_BEFORE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+$",
    re.IGNORECASE,
)


def _word_reason(text: str, doc: Doc, n: Number) -> str | None:
    """Number words that are not counts: 'each one', 'the same one'; 'BBC One', 'Formula One'."""
    word = text[n.start : n.end]
    if word.lower() == "one" and _PRONOUN_ONE.search(text[: n.start]):
        return "pronoun"
    prev = _token_before(doc, n.start)
    if word[:1].isupper() and prev is not None and prev.pos_ == "PROPN" and " " not in word \
            and prev.idx + len(prev.text) == n.start - 1 and not re.search(r"[.!?:]\s*$", text[: n.start]):
        return "identifier"
    return None


def score_reason(rules: NotFigureRules, text: str, start: int, end: int) -> str | None:
    """'beat them 3-1', 'a 2-2 draw': two small numbers joined by a dash, in a sports sentence or
    with the first above the second (a stated range runs upward)."""
    m = _SCORE.match(text[start:end])
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a >= b and max(a, b) <= 200:
        return "score"
    words = set(re.findall(r"[a-z]+", text.lower()))
    if words & set(rules.score_words) and max(a, b) <= 200:
        return "score"
    return None


def follows_list(rules: NotFigureRules, text: str, doc: Doc, n: Number, prior_end: int, prior_reason: str) -> bool:
    """'junctions 12 and 14', 'calling 101 or, in an emergency, 999': a number listed right after
    one that is not a figure shares its reason, unless it counts something itself."""
    if prior_reason not in _REASONS_THAT_LIST or not n.is_int:
        return False
    gap = text[prior_end : n.start]
    if len(gap) > 30 or not _LIST_GAP.match(gap):
        return False
    return _noun_after(doc, n.end) is None or prior_reason in ("date", "age")


def _is_date(rules: NotFigureRules, text: str, n: Number, prev: str, nxt: str) -> bool:
    """'9 September', 'Oct. 31', 'July 9', and the ends of '4 to 15 March', 'March 4-15'."""
    months = set(rules.months)
    if not 1 <= n.value <= 31:
        return False
    if prev.rstrip(".") in months or nxt in months:
        return True
    # The first day of a span whose second day carries the month: "from 4 to 15 March".
    m = re.match(r"\s*(?:-|to|and|until|till)\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)", text[n.end :])
    return bool(m and 1 <= int(m.group(1)) <= 31 and m.group(2).lower().rstrip(".") in months)


def _appositive_age(text: str, doc: Doc, n: Number) -> bool:
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
    ) and re.match(r"\s*,\s*(?:was|is|had|has|who|said|told|died|and)\b", text[n.end :]) is not None


def _label(rules: NotFigureRules, doc: Doc, n: Number) -> bool:
    """'Category 2 storm', 'Phase 3', 'Project 22350', 'S&P 500': a capitalised name right
    before a plain integer that does not count a plural noun after it."""
    prev = _token_before(doc, n.start)
    if prev is None or prev.idx + len(prev.text) != n.start - 1:
        return False
    if re.fullmatch(r"[A-Z]", prev.text) and prev.i > 0 and re.fullmatch(r"[A-Z&]", doc[prev.i - 1].text):
        return True  # "the S P 500": an initialism written with spaces
    if not _CAPITALISED.match(prev.text) or prev.is_sent_start or prev.i == 0:
        return False
    if prev.pos_ not in ("PROPN", "NOUN", "ADJ") or prev.lower_.rstrip(".") in set(rules.months) | set(rules.weekdays):
        return False
    if prev.ent_type_ in ("GPE", "NORP", "MONEY", "PERCENT", "QUANTITY") or prev.is_stop:
        return False
    from .units import unit_after

    if unit_after(doc.text, n.end) is not None:
        return False  # "MacBook Pro 16 inch"
    return _noun_after(doc, n.end) is None or _plural_after(doc, n.end) is None


def _noun_label(doc: Doc, n: Number) -> bool:
    """'runner 30417': a plain number of four or more digits right after a singular common noun,
    counting nothing, names one of them (a count would be written '30,417 runners')."""
    prev = _token_before(doc, n.start)
    if prev is None or prev.idx + len(prev.text) != n.start - 1 or prev.tag_ != "NN" \
            or not (prev.is_lower or prev.is_sent_start):
        return False
    if prev.lower_ in _AMOUNT_NOUNS:
        return False
    return _noun_after(doc, n.end) is None


def _phone_cue(rules: NotFigureRules, before: str) -> bool:
    words = re.findall(r"[A-Za-z]+", before[-60:].lower())[-5:]
    return any(w in rules.phone_words for w in words)


def _token_before(doc: Doc, pos: int) -> Token | None:
    return tokens.token_before(doc, pos)


def _tokens_after(doc: Doc, pos: int, count: int) -> list[Token]:
    """The first `count` tokens that start at or after `pos`."""
    return tokens.tokens_after(doc, pos, count)


def _noun_after(doc: Doc, end: int) -> str | None:
    """The lower-cased noun that follows the number (skipping a hyphen and adjectives), if any."""
    for t in _tokens_after(doc, end, 4):
        if t.text == "-":
            continue
        if t.pos_ in ("NOUN", "PROPN") or t.lower_ in ("people", "persons"):
            return _singular(t.lower_)
        if t.pos_ != "ADJ":
            return None
    return None


def _plural_after(doc: Doc, end: int) -> str | None:
    for t in _tokens_after(doc, end, 3):
        if t.tag_ in ("NNS", "NNPS") or t.lower_ == "people":
            return t.lower_
        if t.pos_ != "ADJ":
            return None
    return None


def _counts_something(doc: Doc, end: int) -> bool:
    """A four-digit number followed by a plural noun or unit counts it ('2000 troops'), unless the
    parse hangs it elsewhere ('between 1600 and 1900 temperatures dropped')."""
    last = _token_before(doc, end)
    if last is not None and last.like_num:
        head = last.head
        if last.dep_ in ("nummod", "quantmod", "compound", "amod", "appos") and head.i > last.i \
                and head.pos_ in ("NOUN", "PROPN"):
            return head.tag_ in ("NNS", "NNPS") or head.lemma_.lower() in ("people", "person")
        if last.dep_ in ("pobj", "conj", "npadvmod"):
            return False
    following = _tokens_after(doc, end, 3)
    for t in following:
        if t.tag_ in ("NNS", "NNPS") or t.lemma_.lower() in ("people", "person"):
            return True
        if t.pos_ not in ("ADJ", "NOUN", "PROPN") or (t.tag_ == "NN" and t.dep_ != "compound"):
            return False
    return False
