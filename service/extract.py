"""Stage 2, extract: every count and quantity in the parsed sentences, with its context.

Numbers are found in the text (service.numbers), then read in their sentence's parse: the
hedge before or after them, the unit, what they count, the qualifiers that set a subgroup
apart, the time they hold for. Numbers that are years, dates, times, ordinals or names go to
`ignored` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span, Token

from . import context, notfigures
from .hedges import change_around, hedge_after, hedge_before, interval
from .models import Figure, Ignored
from .numbers import CURRENCY_NAMES, Mention, as_number, find_mentions
from .read import ParsedDocument, Sentence
from .rules import RuleSet
from .units import Unit, to_base, unit_after

CURRENCY_WORDS = {
    "USD": "dollars", "CAD": "dollars", "AUD": "dollars", "NZD": "dollars", "HKD": "dollars", "SGD": "dollars",
    "GBP": "pounds", "EUR": "euros", "JPY": "yen", "CNY": "yuan", "INR": "rupees", "RUB": "roubles",
    "GBX": "pence", "USD_CENT": "cents", "CHF": "francs",
}
_RANGE_JOIN = re.compile(r"^\s*(?:-|to|and|or)\s*$", re.IGNORECASE)
# A change verb or "by" right before a number (a hedge may stand between): "fell by 150,000".
_CHANGE_BEFORE = re.compile(
    r"\b(?:by|ros[ae]|ris(?:e|es|en|ing)|f[ae]ll(?:s|en|ing)?|drop(?:s|ped|ping)?|climb(?:s|ed|ing)?|jump(?:s|ed)?|"
    r"gr[eo]w(?:s|n|ing)?|increas(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|gain(?:s|ed)?|"
    r"lost|los(?:e|es|ing)|slipp?(?:ed|s)?|sl[iu]d(?:e|es)?|surg(?:e|es|ed)|plung(?:e|es|ed)|soar(?:s|ed)?|"
    r"tumbl(?:e|es|ed)|shed|add(?:s|ed)?|cut|up|down)\s+(?:[a-z]+\s+){0,2}$",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"\b(between|from)\s+$", re.IGNORECASE)
_POINTS = re.compile(r"^\s*(?:percentage|per\s?cent(?:age)?)?\s*points?\b", re.IGNORECASE)
# Two small numbers joined by a dash, not a range of a unit: candidates for a score ("3-1").
_DASHED_PAIR = re.compile(r"(?<![\w.,-])\d{1,3}\s?-\s?\d{1,3}(?![\w.,%-]|\s?(?:%|per\s?cent|percent))")


@dataclass
class Candidate:
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


def _vague_mentions(rules: RuleSet, text: str) -> list[Candidate]:
    out = []
    for v in rules.hedges.vague:
        for phrase in v.phrases:
            for m in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE):
                out.append(Candidate(m.start(), m.end(), v.value, v.value, vague=(v.low, v.high), is_words=True))
    # Longest first, then drop the ones inside another.
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Candidate] = []
    for c in out:
        if not any(k.start <= c.start and c.end <= k.end for k in kept):
            kept.append(c)
    return kept


def _candidates(rules: RuleSet, text: str) -> list[Candidate]:
    found = [
        Candidate(
            m.start, m.end, m.value, m.granularity, currency=m.currency, percent=m.percent,
            fraction=m.fraction, is_words=m.is_words, digits=m.digits, factor=m.factor,
        )
        for m in find_mentions(text)
    ]
    vague = _vague_mentions(rules, text)
    found = [c for c in found if not any(v.start <= c.start < v.end for v in vague)]
    # "dozens" inside "tens of thousands" etc. is handled by the longest-first rule above.
    found.extend(vague)
    found.sort(key=lambda c: c.start)
    return _merge_ranges(text, found)


def _merge_ranges(text: str, found: list[Candidate]) -> list[Candidate]:
    """'3,000-4,000', '10 to 20 billion', 'between 3,000 and 4,000' become one candidate."""
    out: list[Candidate] = []
    i = 0
    while i < len(found):
        a = found[i]
        if i + 1 < len(found) and a.vague is None and found[i + 1].vague is None:
            b = found[i + 1]
            merged = _joined(text, a, b)
            if merged is not None:
                out.append(merged)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _joined(text: str, a: Candidate, b: Candidate) -> Candidate | None:
    """The range that `a` and `b` state together, or None when they are two numbers."""
    joined = _RANGE_JOIN.match(text[a.end : b.start])
    if not joined or a.fraction or b.fraction:
        return None
    word = joined.group(0).strip().lower()
    lead = _BETWEEN.search(text[: a.start])
    lead_word = lead.group(1).lower() if lead else None
    if word in ("and", "or"):
        is_range = word == "and" and lead_word == "between"
    elif word == "to":
        # "from 200 to 250" is a change, told as two figures.
        is_range = lead_word != "from"
        if not is_range:
            _carry_scale(a, b)
    else:
        is_range = True
    # "rose 3% to 2,904", "$5bn to 300 staff": the ends must be the same kind of number.
    if a.percent and not b.percent or a.currency and b.currency and a.currency != b.currency:
        return None
    merged = _range(a, b) if is_range else None
    if merged is None:
        return None
    # "fell by 150,000 to 1.47 million": a change and the level it reached, not a range.
    if word == "to" and _CHANGE_BEFORE.search(text[: a.start]) and merged.value_to is not None \
            and merged.value_to > 5 * merged.value:
        return None
    if lead and word == "and":
        merged.extra["between_start"] = str(lead.start(1))
    return merged


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


# Heads that name a tally, not what is tallied: "passenger numbers", "the death toll".
_TALLY_NOUNS = {"number", "numbers", "toll", "tally", "total", "totals", "count", "figure", "figures", "level",
                "levels"}
# Heads that stand for what an earlier figure counted: "organisers put the figure at 60,000".
_ANAPHORIC = {"number", "numbers", "total", "figure", "figures", "tally", "count", "target", "toll", "sum",
              "amount", "level", "estimate", "them", "those"}
# Nouns for a number of people.
_COLLECTIVE = {"population": "people", "headcount": "people", "turnout": "voters", "attendance": "people"}
_PARTITIVE_OPENER = re.compile(r"^\s*(?:of|among)\s+(?:those|them|these|the|whom|which|its|their)\b", re.IGNORECASE)
_PART_PREPS = ("including", "excluding", "among", "besides", "plus")
_OF_THEM = re.compile(r"^\s*(?:of|among)\s+(?:them|those|these|whom|which)\b", re.IGNORECASE)


def _tallied(noun: Token) -> str | None:
    """What a tally noun counts: 'passenger numbers' -> passenger, 'the number treated' -> people."""
    low = noun.lower_
    if low in _COLLECTIVE:
        return _COLLECTIVE[low]
    if low not in _TALLY_NOUNS:
        return None
    inner = [c for c in noun.children if c.dep_ in ("compound", "amod") and c.pos_ == "NOUN" and c.i == noun.i - 1]
    if inner:
        return inner[0].lower_
    # "the number killed", "the number treated in hospital": people to whom something happened.
    if any(c.dep_ in ("acl", "amod") and c.tag_ == "VBN" and c.i > noun.i for c in noun.children):
        return "people"
    return None


def _antecedent(
    text: str, c: Candidate, span: Span, earlier: Sequence[Figure], before: Sequence[Figure], index: int,
    base: int, anaphoric: bool = False,
) -> Figure | None:
    """What a number with no noun of its own counts, read from a figure before it.

    In its own sentence: "Three people were killed and eight injured", "cut 1,800 jobs,
    including 1,100 in Germany", "put the number treated at 43, six of them critical". From the
    sentence or two before, when the number stands for them: "Of those arrested, 37 had been
    charged", "About 170,000 were still waiting", "Organisers put the figure at 60,000".
    """
    def usable(f: Figure) -> bool:
        return f.dimension == "count" and bool(f.counted) and f.counted not in _ANAPHORIC

    root = span.root
    while root.head.i != root.i and root.dep_ in ("nummod", "quantmod", "compound") and root.head.i in range(
        span.start, span.end
    ):
        root = root.head
    of_them = bool(_OF_THEM.match(text[c.end :]))
    partitive = bool(_PARTITIVE_OPENER.match(text)) and c.start < 60
    mine = [f for f in earlier if usable(f)]
    if mine:
        last = mine[-1]
        gap = text[max(0, last.end - base) : c.start]
        coordinated = bool(re.fullmatch(r"[^.;:]{0,60}", gap)) and bool(re.search(r"\b(?:and|or|but|while)\b|,", gap))
        listed = root.dep_ == "pobj" and root.head.lower_ in _PART_PREPS
        if coordinated and root.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "appos", "ROOT") \
                or listed or of_them or partitive or anaphoric:
            return last
    subject = root.dep_ in ("nsubj", "nsubjpass") or of_them or partitive or anaphoric
    previous = [f for f in before if usable(f) and index - f.sentence <= 2]
    if previous and (subject or root.dep_ in ("pobj", "dobj", "attr")):
        return previous[-1]
    return None


def _change(
    rules: RuleSet, text: str, start: int, end: int, dimension: str, earlier: Sequence[Figure]
) -> Literal["up", "down"] | None:
    """The direction of a change the figure states; a figure restating the one before it ("lost
    190 points, or 0.6%") states the same change."""
    if dimension in ("age", "duration"):
        return None
    found = change_around(rules.hedges, text, start, end)
    if found is None and earlier and earlier[-1].change is not None:
        if re.fullmatch(r"\s*,?\s*or\s*", text[: start][-8:]) or re.search(r",\s*or\s*$", text[:start]):
            return earlier[-1].change
    return "up" if found == "up" else "down" if found == "down" else None


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def extract(parsed: Sequence[ParsedDocument], rules: RuleSet) -> tuple[list[Figure], list[Ignored]]:
    figures: list[Figure] = []
    ignored: list[Ignored] = []
    for pdoc in parsed:
        first = len(figures)
        for sentence in pdoc.sentences:
            if not sentence.has_number or sentence.doc is None:
                continue
            f, ig = _sentence_figures(pdoc, sentence, rules, start_id=len(figures), prior_figures=figures[first:])
            figures.extend(f)
            ignored.extend(ig)
    return figures, ignored


def _sentence_figures(
    pdoc: ParsedDocument, sentence: Sentence, rules: RuleSet, start_id: int, prior_figures: Sequence[Figure] = ()
) -> tuple[list[Figure], list[Ignored]]:
    text = sentence.text
    doc = sentence.doc
    assert doc is not None
    doc_id = pdoc.document.id
    base = sentence.start
    figures: list[Figure] = []
    ignored: list[Ignored] = []
    blocked = notfigures.pattern_spans(rules.not_figures, text)
    for ident in notfigures.identifier_spans(text):
        ignored.append(Ignored(document_id=doc_id, start=base + ident[0], end=base + ident[1],
                               text=pdoc.document.text[base + ident[0] : base + ident[1]], reason="identifier"))
    for m in _DASHED_PAIR.finditer(text):
        why_score = notfigures.score_reason(rules.not_figures, text, m.start(), m.end())
        if why_score is not None:
            blocked.append((m.start(), m.end(), why_score))
    candidates = _candidates(rules, text)
    prior: tuple[int, str] | None = None  # end and reason of the last number that is not a figure
    for c in candidates:
        reason = None
        for s, e, why in blocked:
            if s < c.end and c.start < e:
                reason = why
                break
        number = notfigures.Number(c.start, c.end, c.value, c.digits, bool(c.currency or c.percent or c.unit),
                                   c.value_to, c.is_words)
        if reason is None:
            reason = notfigures.why_not(rules.not_figures, text, doc, number)
        if reason is None and prior is not None and notfigures.follows_list(
            rules.not_figures, text, doc, number, prior[0], prior[1]
        ):
            reason = prior[1]
        if reason is not None:
            prior = (c.end, reason)
            if not any(i.start == base + c.start for i in ignored):
                ignored.append(Ignored(document_id=doc_id, start=base + c.start, end=base + c.end,
                                       text=pdoc.document.text[base + c.start : base + c.end], reason=reason))
            continue
        figure = _figure(pdoc, sentence, doc, c, rules, f"f{start_id + len(figures) + 1}", figures, prior_figures)
        if figure is not None:
            figures.append(figure)
            prior = None
    return figures, ignored


def _figure(
    pdoc: ParsedDocument, sentence: Sentence, doc: Doc, c: Candidate, rules: RuleSet, fid: str,
    earlier: Sequence[Figure] = (),
    prior_figures: Sequence[Figure] = (),
) -> Figure | None:
    text = sentence.text
    start, end = c.start, c.end
    # Hedge before ("over", "at least") or after ("or more").
    hedge_name: str | None = None
    before = hedge_before(rules.hedges, text, start)
    if "between_start" in c.extra:
        start = int(c.extra["between_start"])
        hedge_name = "between"
    elif c.value_to is not None:
        hedge_name = "between"
    elif before is not None:
        hedge_name, start = before.name, before.start
    # Units and what kind of quantity.
    dimension, unit_name = "count", None
    unit: Unit | None = None
    counted: str | None = None
    refers_to: str | None = None
    after = end
    if c.percent:
        dimension, unit_name = "percent", "%"
        pts = _POINTS.match(text[end:])
        if pts:
            dimension, unit_name, after = "percentage points", "pp", end + pts.end()
    elif c.currency:
        dimension, unit_name = "money", c.currency
        counted = CURRENCY_WORDS.get(c.currency)
    elif c.fraction:
        dimension = "share"
    elif c.vague is None:
        pts = _POINTS.match(text[end:])
        word = re.match(r"\s*-?\s*([A-Za-z]+)", text[end:])
        if pts and re.search(r"percent|per cent|%|rate|share|margin|poll", text, re.IGNORECASE):
            dimension, unit_name, after = "percentage points", "pp", end + pts.end()
        elif word and word.group(1).lower() in CURRENCY_NAMES:
            code = CURRENCY_NAMES[word.group(1).lower()]
            dimension, unit_name, counted = "money", code, CURRENCY_WORDS.get(code, word.group(1).lower())
            after = end + word.end()
        else:
            found = unit_after(text, end)
            if found is not None:
                unit, after = found
                dimension, unit_name = unit.dimension, unit.name
                counted = text[end:after].strip(" -").lower()
    after_hedge = hedge_after(rules.hedges, text, after)
    if hedge_name is None and after_hedge is not None:
        hedge_name = after_hedge.name
    # Read the parse around the number.
    span = _tokens(doc, c.start, c.end)
    ctx = context.read(doc, span, rules, counted_known=counted is not None or dimension in ("percent", "money"))
    if counted is None:
        counted = ctx.counted
        if ctx.counted_token is not None:
            counted = _tallied(ctx.counted_token) or counted
    if dimension == "count" and ctx.counted_is_unitless and c.vague is None and counted is None and c.value < 1:
        return None
    if dimension == "count" and c.vague is None and (counted is None or counted in _ANAPHORIC) and span is not None:
        referent = _antecedent(text, c, span, earlier, prior_figures, sentence.index, sentence.start,
                               anaphoric=counted is not None)
        if referent is not None:
            counted, refers_to = referent.counted, referent.id
    if hedge_name is None and ctx.elliptical and earlier and earlier[-1].hedge not in (None, "vague", "between"):
        # "at least 10,000 troops from Tajikistan and 400 from Russia": the hedge covers both.
        hedge_name = earlier[-1].hedge
    value = c.value
    if c.vague is not None:
        low, high = c.vague
        hedge_name = hedge_name or "vague"
    else:
        low, high = interval(rules.hedges, value, c.granularity, hedge_name, c.value_to)
    base_unit, base_low, base_high = None, None, None
    if unit is not None:
        lo, hi = to_base(low, unit), to_base(high, unit)
        if lo is not None and hi is not None:
            base_low, base_high, base_unit = lo[0], hi[0], lo[1]
    elif dimension in ("money", "percent", "percentage points", "share", "count", "age"):
        scale = 100.0 if dimension == "share" else 1.0
        base_low, base_high = low * scale, high * scale
        base_unit = {"money": unit_name, "percent": "%", "share": "%", "percentage points": "pp"}.get(dimension)
    # The figure's text: hedge + number (+ unit or counted noun when it follows at once).
    fig_end = max(end, after)
    if ctx.counted_token is not None and unit is None and counted == ctx.counted:
        tok_end = ctx.counted_token.idx + len(ctx.counted_token.text)
        if fig_end <= ctx.counted_token.idx and re.fullmatch(r"[\s\w,.'-]*", text[fig_end:ctx.counted_token.idx]) \
                and not re.search(r"\d", text[fig_end:ctx.counted_token.idx]) \
                and ctx.counted_token.idx - fig_end <= 40 and ctx.counted_token.i > (span.end - 1 if span else 0):
            fig_end = tok_end
    if after_hedge is not None and after_hedge.end > fig_end and after_hedge.start - fig_end <= 2:
        fig_end = after_hedge.end
    stated = pdoc.document.text[sentence.start + start : sentence.start + fig_end]  # as sent, not normalised
    return Figure(
        id=fid,
        document_id=pdoc.document.id,
        start=sentence.start + start,
        end=sentence.start + fig_end,
        text=stated,
        value=as_number(value),
        value_to=as_number(c.value_to) if c.value_to is not None else None,
        low=as_number(round(low, 6)),
        high=as_number(round(high, 6)),
        hedge=hedge_name,
        unit=unit_name,
        dimension=dimension,
        counted=counted,
        measure_word=ctx.measure_word,
        subject=ctx.subject,
        qualifiers=ctx.qualifiers,
        predicate=ctx.predicate,
        hypothetical=ctx.hypothetical,
        time_anchor=ctx.time_anchor,
        base_unit=base_unit,
        base_low=base_low,
        base_high=base_high,
        sentence=sentence.index,
        role=ctx.role,
        change=_change(rules, text, start, fig_end, dimension, earlier),
        refers_to=refers_to,
    )


def token_at(doc: Doc, offset: int) -> Token | None:
    for t in doc:
        if t.idx <= offset < t.idx + len(t.text):
            return t
    return None
