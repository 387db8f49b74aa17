"""Numbers that are not figures: years, dates, times, ordinals, names with numbers."""

from __future__ import annotations

import re
from spacy.tokens import Doc

from .rules import NotFigureRules, memo

_IDENT = re.compile(
    r"(?<![\w$£€])(?:[A-Za-z&]+[A-Za-z&]*-?\d+[A-Za-z]*|\d+[A-Za-z]+\d+[A-Za-z]*)(?![\w])"
)
_UNIT_LIKE = re.compile(
    r"^\d+(?:k|m|bn|mn|tn|km|kg|mm|cm|ft|mph|kph|mw|gw|kw|kwh|mwh|gwh|twh|ha|am|pm|p|s|st|nd|rd|th|x)$",
    re.IGNORECASE,
)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
_STREET = re.compile(
    r"^\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Boulevard|Blvd|Drive|Way|Place|Square|"
    r"Terrace|Close|Crescent|Court|Row|Hill|Park)\b"
)


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
        if _UNIT_LIKE.match(word) or not re.search(r"\d", word):
            continue
        out.append((m.start(), m.end()))
    return out


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z#][\w.'#]*)\s*$", text[:pos])
    return m.group(1).lower() if m else ""


def _word_after(text: str, pos: int) -> str:
    m = re.match(r"\s*(?:of\s+)?([A-Za-z][\w.]*)", text[pos:])
    return m.group(1).lower().rstrip(".") if m else ""


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
) -> str | None:
    """Why the number at text[start:end] is not a figure, or None when it is one."""
    before_char = text[start - 1] if start > 0 else " "
    after = text[end:]
    if _ORDINAL_AFTER.match(after):
        return "ordinal"
    # Glued to letters or inside an identifier: "COVID-19", "F-16".
    if before_char == "-" and start >= 2 and text[start - 2].isalpha():
        return "identifier"
    if after[:1].isalpha() and not re.match(r"^(?:k|m|bn|mn|tn|p|s)\b", after, re.IGNORECASE) and not has_unit:
        from .units import unit_after

        if unit_after(text, end) is None:
            return "identifier"
    prev = _word_before(text, start)
    nxt = _word_after(text, end)
    months = set(rules.months)
    is_int = bool(digits) and re.fullmatch(r"\d+", digits) is not None
    if digits and not has_unit:
        if is_int and 1 <= value <= 31 and (prev.rstrip(".") in months or nxt in months):
            return "date"
        if is_int and len(digits) == 4 and rules.year_min <= value <= rules.year_max:
            if after[:1] == "s" or after[:2] == "'s":
                return "decade"
            if prev.rstrip(".") in months or prev in rules.year_words or not _counts_something(doc, text, end):
                return "year"
        if _STREET.match(after) and is_int:
            return "address"
        if prev in rules.identifier_words and is_int and not is_range:
            return "identifier"
    if is_int and digits.startswith("0") and len(digits) > 1:
        return "identifier"
    return None


def _counts_something(doc: Doc, text: str, end: int) -> bool:
    """A four-digit number followed by a plural noun or unit counts it ('2000 troops')."""
    following = [t for t in doc if t.idx >= end][:3]
    for t in following:
        if t.tag_ in ("NNS", "NNPS") or t.lemma_.lower() in ("people", "person"):
            return True
        if t.pos_ not in ("ADJ", "NOUN", "PROPN") or t.tag_ == "NN" and t.dep_ != "compound":
            return False
    return False
