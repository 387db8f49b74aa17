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

from spacy.tokens import Doc, Span, Token

from . import context, notfigures
from .hedges import hedge_after, hedge_before, interval
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
            fraction=m.fraction, is_words=m.is_words, digits=m.digits,
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


def _range(a: Candidate, b: Candidate) -> Candidate | None:
    low, high = a.value, b.value
    # "10 to 20 billion", "3-4%", "$3bn-$4bn": the second end carries scale and unit.
    if high > 0 and low > 0 and low < high / 100 and b.granularity > 1 and a.granularity <= b.granularity:
        factor = b.value / _leading(b)
        low *= factor
    if not low < high:
        return None
    return Candidate(
        a.start, b.end, low, min(a.granularity, b.granularity), value_to=high,
        currency=a.currency or b.currency, percent=a.percent or b.percent, digits=a.digits,
    )


def _leading(c: Candidate) -> float:
    try:
        return float(c.digits.replace(",", "")) if c.digits else c.value
    except ValueError:
        return c.value


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def extract(parsed: Sequence[ParsedDocument], rules: RuleSet) -> tuple[list[Figure], list[Ignored]]:
    figures: list[Figure] = []
    ignored: list[Ignored] = []
    for pdoc in parsed:
        for sentence in pdoc.sentences:
            if not sentence.has_number or sentence.doc is None:
                continue
            f, ig = _sentence_figures(pdoc, sentence, rules, start_id=len(figures))
            figures.extend(f)
            ignored.extend(ig)
    return figures, ignored


def _sentence_figures(
    pdoc: ParsedDocument, sentence: Sentence, rules: RuleSet, start_id: int
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
        figure = _figure(pdoc, sentence, doc, c, rules, f"f{start_id + len(figures) + 1}", figures)
        if figure is not None:
            figures.append(figure)
            prior = None
    return figures, ignored


def _figure(
    pdoc: ParsedDocument, sentence: Sentence, doc: Doc, c: Candidate, rules: RuleSet, fid: str,
    earlier: Sequence[Figure] = (),
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
    if dimension == "count" and ctx.counted_is_unitless and c.vague is None and counted is None and c.value < 1:
        return None
    if counted is None and dimension == "count" and c.vague is None and ctx.counted_is_unitless and earlier:
        # "Three people were killed and eight injured": 'eight' counts people too.
        prior = [f for f in earlier if f.sentence == sentence.index and f.counted and f.dimension == "count"]
        gap = text[prior[-1].end - sentence.start : c.start] if prior else ""
        coordinated = bool(re.fullmatch(r"[^.;:]{0,60}", gap)) and bool(re.search(r"\b(?:and|or|but|while)\b|,", gap))
        if prior and (coordinated or text[c.end :].lstrip().startswith("of them")) and span is not None \
                and span.root.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "appos", "ROOT"):
            counted = prior[-1].counted
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
    )


def token_at(doc: Doc, offset: int) -> Token | None:
    for t in doc:
        if t.idx <= offset < t.idx + len(t.text):
            return t
    return None
