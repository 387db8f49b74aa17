"""Stage 2, extract: every count and quantity in the parsed sentences, with its context.

Numbers are found in the text (service.numbers), then read in their sentence's parse: the
hedge before or after them, the unit, what they count, the qualifiers that set a subgroup
apart, the time they hold for. Numbers that are years, dates, times, ordinals or names go to
`ignored` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from spacy.tokens import Doc, Span, Token

from . import context, notfigures, referents
from .budget import checkpoint
from .candidates import Candidate
from .candidates import candidates as find_candidates
from .frame import frame_of
from .hedges import change_around, compares, hedge_after, hedge_before, interval
from .links import link
from .models import Figure, Ignored
from .numbers import alternation, as_number, find_mentions
from .read import ParsedDocument, Sentence
from .rules import RuleSet, memo
from .units import Unit, to_base, unit_after

_POINTS = re.compile(r"^\s*(?:percentage|per\s?cent(?:age)?)?\s*points?\b", re.IGNORECASE)
# Two small numbers joined by a dash, not a range of a unit: candidates for a score ("3-1").
_DASHED_PAIR = re.compile(r"(?<![\w.,×^-])(?<!×\s)\d{1,3}\s?-\s?\d{1,3}(?![\w%-]|[.,]\d|\s?(?:%|per\s?cent|percent))")


def _change(
    rules: RuleSet, text: str, start: int, end: int, c: Candidate, restated: Figure | None,
    earlier: Sequence[Figure] = (),
) -> Literal["up", "down"] | None:
    """The direction of a change the figure states; a figure that restates the one before it
    ("lost 190 points, or 0.6%", "rose 5 miles (8 km)") states the same change, and so does one
    whose verb is left out ("Ross was down 2.3%, Burlington by 2.6%")."""
    if c.vague is not None:
        return None
    if _increment(rules, text, start, c.end):
        return "up"  # "60 additional officers", "one more passenger died", "another 15 civilians"
    found = change_around(rules.relations.changes, text, start, end)
    if found is None and restated is not None:
        return restated.change
    if found is None and earlier and earlier[-1].change and re.search(r"(?:,|\band)\s+(?:[\w&'.-]+\s+){0,3}by\s*$",
                                                                       text[max(0, start - 50) : start]):
        return earlier[-1].change
    return "up" if found == "up" else "down" if found == "down" else None


def _restates_a_measure(text: str, start: int, earlier: Sequence[Figure], base: int) -> bool:
    """'22 tonnes (some 28,000 pounds)': a word that names a currency and a unit ('pounds') is the unit
    when the figure restates a measure."""
    if not earlier or earlier[-1].dimension in ("count", "money", "percent", "percentage points", "share"):
        return False
    return referents.restating_gap(text[max(0, earlier[-1].end - base) : start], apposed=True) is not None


def _increment_patterns(rules: RuleSet) -> tuple[re.Pattern[str], re.Pattern[str]]:
    def build() -> tuple[re.Pattern[str], re.Pattern[str]]:
        words = rules.relations.increments
        after, before = alternation(words.after), alternation(words.before)
        return (re.compile(rf"^\s+(?:{after})\b(?!\s+(?:than|of)\b)", re.I),
                re.compile(rf"\b(?:{before})\s+$", re.I))

    return memo(rules.relations, "increments", build)


def _increment(rules: RuleSet, text: str, start: int, end: int) -> bool:
    """'60 additional officers', 'one more passenger', 'another 15': a number added to one before."""
    after, before = _increment_patterns(rules)
    return bool(after.match(text[end : end + 20]) or before.search(text[max(0, start - 12) : start]))


def _lasted(rules: RuleSet) -> re.Pattern[str]:
    """Words after which "over" + a duration is more than it: "took over two hours"."""
    return memo(rules.time, "lasted", lambda: re.compile(
        rf"\b(?:{alternation(rules.time.duration_words)})\s+(?:just\s+|well\s+)?$", re.IGNORECASE
    ))


def _dates_it(noun: Token, span: Span, rules: RuleSet) -> bool:
    """'63 last year', '20 the year before': a time phrase after the number, not what it counts."""
    if noun.lemma_.lower() not in rules.time.dating_nouns or noun.i <= span.end - 1:
        return False
    between = noun.doc[span.end : noun.i]
    return len(between) > 0 and all(t.lower_ in rules.time.dating_words for t in between)


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def extract(parsed: Sequence[ParsedDocument], rules: RuleSet) -> tuple[list[Figure], list[Ignored]]:
    """Every figure of the documents, each with its claim frame and the relations its text states;
    and the numbers that are not figures, with why."""
    figures: list[Figure] = []
    ignored: list[Ignored] = []
    for pdoc in parsed:
        first = len(figures)
        mine: list[Figure] = []  # this document's figures so far
        for sentence in pdoc.sentences:
            if not sentence.has_number or sentence.doc is None:
                continue
            checkpoint()
            f, ig = _sentence_figures(pdoc, sentence, rules, start_id=len(figures), prior_figures=mine)
            figures.extend(f)
            mine.extend(f)
            ignored.extend(ig)
        published = pdoc.published
        framed = [f.model_copy(update={"frame": frame_of(f, rules, published=published)}) for f in figures[first:]]
        figures[first:] = link(framed, pdoc.text, rules)
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
    candidates = find_candidates(rules, text)
    # "US$55,931,000", "RM79", "USD10m": a currency before the digits, not a name with a number.
    money = [(c.start, c.end) for c in candidates if c.currency]
    blocked = [b for b in notfigures.pattern_spans(rules, text)
               if not any(s <= b[0] < e for s, e in money)]
    for ident in notfigures.identifier_spans(rules, text):
        if any(s <= ident[0] < e for s, e in money):
            continue
        ignored.append(Ignored(document_id=doc_id, start=base + ident[0], end=base + ident[1],
                               text=pdoc.document.text[base + ident[0] : base + ident[1]], reason="identifier"))
    for m in _DASHED_PAIR.finditer(text):
        why_score = notfigures.score_reason(rules, text, m.start(), m.end())
        if why_score is not None:
            blocked.append((m.start(), m.end(), why_score))
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
            reason = notfigures.why_not(rules, text, doc, number)
        if reason is None and prior is not None and notfigures.follows_list(
            rules, text, doc, number, prior[0], prior[1]
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
    if before is not None and compares(rules, text, before):
        before = None  # "12% more than 199.4 million": 199.4 million is stated, not hedged
    if "between_start" in c.extra:
        start = int(c.extra["between_start"])
        hedge_name = "between"
    elif c.value_to is not None:
        hedge_name = "between"
        if before is not None and before.name == "about":
            hedge_name, start = before.name, before.start  # "about 2,000-2,500": a range, widened
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
        counted = rules.numbers.currencies.words.get(c.currency)
    elif c.fraction:
        dimension = "share"
    elif c.vague is None:
        pts = _POINTS.match(text[end:])
        word = re.match(r"\s*-?\s*([A-Za-z]+)", text[end:])
        if pts and re.search(r"percent|per cent|%|rate|share|margin|poll", text, re.IGNORECASE):
            dimension, unit_name, after = "percentage points", "pp", end + pts.end()
        elif word and word.group(1).lower() in rules.numbers.currencies.names \
                and not _restates_a_measure(text, start, earlier, sentence.start):
            code = rules.numbers.currencies.names[word.group(1).lower()]
            counted = rules.numbers.currencies.words.get(code, word.group(1).lower())
            dimension, unit_name = "money", code
            after = end + word.end()
        else:
            found = unit_after(text, end, rules)
            suspended = referents.suspended_unit(text, end, rules) if found is None else None
            if found is not None:
                unit, after = found
                dimension, unit_name = unit.dimension, unit.name
                counted = text[end:after].strip(" -").lower()
            elif suspended is not None:
                # "a 7- or 8-inch screen": the unit is written once, after the last number.
                unit, surface = suspended
                dimension, unit_name, counted = unit.dimension, unit.name, surface
            else:
                counted = referents.hyphen_noun(doc, end)
    period = False
    if dimension == "duration" and before is not None and hedge_name == before.name \
            and text[before.start : before.end].lower() in rules.relations.period_prepositions \
            and not _lasted(rules).search(text[max(0, before.start - 30) : before.start]):
        # "186,500 visitors over three days", "a 14% rise over two years": the period a figure
        # covers; "took over two hours" is still more than two hours.
        hedge_name, start, period = None, c.start, True
    after_hedge = hedge_after(rules.hedges, text, after)
    if hedge_name is None and after_hedge is not None:
        hedge_name = after_hedge.name
    # Read the parse around the number.
    span = _tokens(doc, c.start, c.end)
    ctx = context.read(text, span, rules, counted_known=counted is not None or dimension in ("percent", "money"))
    counted_token = ctx.counted_token
    if counted_token is not None and span is not None and _dates_it(counted_token, span, rules):
        # "compared with 63 last year": the year dates the number, it is not what it counts.
        counted_token = None
    measure_word = ctx.measure_word
    if counted is None and counted_token is not None:
        number = span.root if span is not None else None
        counted = referents.tallied(counted_token, dimension, rules, number) or referents.whole_word(counted_token) \
            or ctx.counted
        if counted != ctx.counted and measure_word is None \
                and counted_token.lower_ in referents.words(rules).all_collectives:
            measure_word = counted_token.lower_  # "the crowd at 42,000" counts people, measured as a crowd
    elif counted is None and ctx.counted_token is None:
        counted = ctx.counted  # found by ellipsis: "10,000 troops from Tajikistan and 400 from Russia"
    if dimension == "count" and ctx.counted_is_unitless and c.vague is None and counted is None and c.value < 1:
        return None
    bare = counted is None or counted in referents.words(rules).anaphoric
    collective = counted_token is not None and counted_token.lower_ in referents.words(rules).all_collectives
    if dimension == "count" and c.vague is None and (bare or collective) and span is not None:
        referent = referents.antecedent(text, c, span, earlier, prior_figures, sentence.index, sentence.start,
                                        rules, anaphoric=counted is not None and not collective, collective=collective,
                                        periods=frozenset(rules.time.rate_units))
        status_word = ctx.status_word.lower_ if ctx.status_word is not None else None
        if referent is not None and not (status_word and referent.counted in rules.concepts.status_nouns):
            counted, refers_to = referent.counted, referent.id
        elif status_word:
            # "920 dead and 620 injured": the status word names what is counted; "three people were
            # killed and eight injured" borrows the people.
            counted, counted_token = status_word, ctx.status_word
        elif counted is None:
            counted = referents.pronoun_noun(text, c, span, rules)
    carried = referents.carried_unit(text, c, counted, dimension, earlier, sentence.start, rules)
    if carried is not None:
        # "84.75 cents, while the lowest is 74.07", "from 208 pounds to 193": the unit is the one before.
        dimension, unit_name, counted, refers_to = carried.dimension, carried.unit, carried.counted, carried.id
    if hedge_name is None and ctx.elliptical and earlier and earlier[-1].hedge not in (None, "vague", "between"):
        # "at least 10,000 troops from Tajikistan and 400 from Russia": the hedge covers both.
        hedge_name = earlier[-1].hedge
    restated, bracketed = referents.restated(text, start, earlier, sentence.start)
    if hedge_name is None and bracketed and restated is not None and restated.hedge not in ("vague", "between"):
        # "more than 100 kilometres (60 miles)": the conversion is hedged as the figure it converts.
        hedge_name = restated.hedge
    share = earlier[-1] if earlier else None
    if counted is None and dimension == "count" and share is not None and share.subject \
            and share.dimension in ("percent", "share") \
            and re.fullmatch(r"\s+of\s+[\w\s'-]{1,40}?,?\s*(?:or|\()\s*", text[share.end - sentence.start : start]):
        counted = share.subject  # "38% of loans, or about 912,000": the share restated as a count
    # The figure's text: hedge + number (+ unit or counted noun when it follows at once).
    fig_end = max(end, after)
    if counted_token is not None and unit is None and counted == ctx.counted:
        tok_end = counted_token.idx + len(counted_token.text)
        if fig_end <= counted_token.idx and re.fullmatch(r"[\s\w,.'-]*", text[fig_end:counted_token.idx]) \
                and not re.search(r"\d", text[fig_end:counted_token.idx]) \
                and not find_mentions(rules, text[fig_end:counted_token.idx]) \
                and counted_token.idx - fig_end <= 40 and counted_token.i > (span.end - 1 if span else 0):
            fig_end = tok_end
    if after_hedge is None and fig_end > after:
        # "3,200 troops or more": the hedge follows the counted noun (not ", plus front-wheel drive").
        after_hedge = hedge_after(rules.hedges, text, fig_end)
        if after_hedge is not None and text[fig_end : after_hedge.start].strip():
            after_hedge = None
        if hedge_name is None and after_hedge is not None:
            hedge_name = after_hedge.name
    if after_hedge is not None and after_hedge.end > fig_end and after_hedge.start - fig_end <= 2:
        fig_end = after_hedge.end
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
    elif carried is not None and carried.base_unit and carried.base_low and carried.low:
        factor = carried.base_low / carried.low
        base_low, base_high, base_unit = low * factor, high * factor, carried.base_unit
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
        measure_word=measure_word,
        subject=ctx.subject,
        qualifiers=ctx.qualifiers,
        compounds=ctx.compounds,
        places=ctx.places,
        actor=_actor(ctx.actor, dimension),
        predicate=ctx.predicate,
        hypothetical=ctx.hypothetical,
        revision=ctx.revision,
        time_anchor=ctx.time_anchor,
        base_unit=base_unit,
        base_low=base_low,
        base_high=base_high,
        sentence=sentence.index,
        role=ctx.role,
        change=None if period else _change(rules, text, start, fig_end, c, restated, earlier),
        refers_to=refers_to,
    )


def _actor(actor: str | None, dimension: str) -> str | None:
    """A count is told apart by whose it is ('the plant employs 7,400'); an amount or a percentage only
    by a named owner ('Reyes finished with 38.9%'); a measure by what it measures, its subject."""
    if actor is None or dimension == "count":
        return actor
    if dimension in ("money", "percent", "percentage points") and actor[:1].isupper():
        return actor
    return None


def token_at(doc: Doc, offset: int) -> Token | None:
    for t in doc:
        if t.idx <= offset < t.idx + len(t.text):
            return t
    return None
