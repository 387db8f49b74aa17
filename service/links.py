"""The relations a text states between its figures, read once at the end of extraction.

"rose from 200 to 250, a 25% increase", "doubled to 1.3 million from 640,000", "2,340 beds in all:
1,480 ..., 620 ... and 190 ...", "47.8%, 36.5% and 19.2% of the vote", "2,184 of the 4,870 votes
cast (52%)", "10,000 troops from Tajikistan and 400 from Russia", "118 passengers and six crew
were aboard". Each becomes a `Relation` on a figure's frame, so that grouping, comparison and
arithmetic never read the text again. The words live in rules/relations.yaml.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .budget import checkpoint
from .frame import lemma, times_fit
from .models import Figure, Relation
from .numbers import alternation, words_to_number
from .referents import restating_gap
from .rules import RelationRules, RuleSet, memo
from .windows import GrowingSearch, last_mark, last_stop, longest_phrase_match, next_mark


@dataclass(frozen=True)
class Patterns:
    coordinated: re.Pattern[str]
    contrasted: re.Pattern[str]
    multiple: re.Pattern[str]
    exhaustive: re.Pattern[str]
    separator: re.Pattern[str]
    breakdown: re.Pattern[str]
    over_periods: re.Pattern[str]
    comparison: re.Pattern[str]
    share_of: re.Pattern[str]
    share_verb: re.Pattern[str]
    more_than: re.Pattern[str]
    alternative: re.Pattern[str]
    # Up to 100 characters of the same clause ("." only inside a number) before what a figure is
    # set against: "against an offer price of", "compared with the previous close of".
    between_from: re.Pattern[str]
    rate_of: re.Pattern[str]  # "..., a grant rate of 46%": a share named as a rate of the part in the whole
    of_whole: re.Pattern[str]
    of_the: re.Pattern[str]


def patterns(rules: RelationRules) -> Patterns:
    return memo(rules, "relation-patterns", lambda: _build(rules))


def _build(r: RelationRules) -> Patterns:
    comparatives = [*r.changes.up_comparatives, *r.changes.down_comparatives]
    hedges = alternation(r.multiple_hedges)
    dets = alternation(r.determiners)
    other_verbs = alternation(r.remainder_verbs)
    return Patterns(
        coordinated=re.compile(rf"\b(?:{alternation(r.coordinators)})\b|[,;:]", re.I),
        contrasted=re.compile(
            rf"\b(?:{alternation(r.contrast_before)})\s*$|\b(?:{alternation(r.contrast_anywhere)})\b", re.I
        ),
        multiple=re.compile(rf"\b((?:{hedges}) )?({alternation(list(r.multiples))})\b", re.I),
        exhaustive=re.compile(
            rf"\b(?:{alternation(r.exhaustive)}|other (?:\w+ ){{0,2}}(?:{other_verbs}))\b", re.I
        ),
        separator=re.compile(rf":|\b(?:{alternation(r.part_separators)})\b", re.I),
        breakdown=re.compile(rf":|\b(?:{alternation(r.breakdowns)})\b", re.I),
        over_periods=re.compile(
            rf"\b(?:{alternation(r.period_prepositions)})\s+(?:the\s+)?(\w+)\s+(?:{alternation(r.period_nouns)})\b",
            re.I,
        ),
        comparison=re.compile(rf"\b(?:{alternation(r.comparisons)})\b", re.I),
        share_of=re.compile(
            rf"^\s*of\s+(?:the|all|its|their)?\s*(?:\w+\s+){{0,2}}?(?:{alternation(r.share_wholes)})\b", re.I
        ),
        share_verb=re.compile(rf"\b(?:{alternation(r.share_verbs)})\b[^.;]*$", re.I),
        more_than=re.compile(
            rf"^\s*(?:{alternation(comparatives)}|up|down)\s+(?:than|on|from)\s+(?:the\s+)?$", re.I
        ),
        alternative=re.compile(rf"\b(?:{alternation(r.alternatives)})\b", re.I),
        between_from=re.compile(
            rf"^(?!.*\b(?:{alternation(r.clause_verbs)})\b)(?:[^.;:]|\.(?=\d)){{0,100}}?\b(?:{alternation(r.set_against)})\.?"
            rf"(?:\s+(?:{dets})?\s*(?:[\w'-]+\s+){{0,4}}?(?:of|at))?\s*$",
            re.I,
        ),
        rate_of=re.compile(rf",\s*(?:(?:{dets})\s+)?(?:[\w-]+\s+)?(?:{alternation(r.rate_nouns)})\s+of\s*$", re.I),
        of_whole=re.compile(rf"^\s*of\s+(?:(?:{dets})\s+)?([a-z]+)", re.I),
        of_the=re.compile(rf"^\s*of\s+(?:(?:{dets})\s+)?(?:[\w'-]+\s+){{0,3}}?$", re.I),
    )


_FROM = re.compile(r"\bfrom\s*$", re.I)
# Up to 100 characters of the same clause ("." only inside a number) before "to" or "from", or
# before what it is set against: "against an offer price of", "compared with the previous close of".
_BETWEEN_TO = re.compile(r"^(?:[^.;:]|\.(?=\d)){0,60}?\bto\s*$", re.I)
_OF_PART = re.compile(r"\bof\s+(?:the\s+)?$", re.I)
# Matched at a figure's end, in the whole text (as `^...` would be in the text after the figure).
_UP_DOWN_AFTER = re.compile(r"\s*(?:,\s*)?(?:up|down)\b", re.I)
_OF_BEFORE = re.compile(r"(?:^|[.;:,]\s*|\b)of\s+(?:the\s+)?$", re.I)
_SHARE_AFTER = re.compile(
    r"^(?:\s*[\w-]+){0,3}?[\s,]*(?:\(|or\s+|,\s*|that is\s+|i\.e\.\s+|which is\s+|equal to\s+)", re.I
)


def comparable(a: Figure, b: Figure) -> bool:
    """Two figures that may be a before and an after of one quantity (not a period: 'in two seasons')."""
    if a.dimension != b.dimension or a.dimension in ("percentage points", "share", "age"):
        return False
    if (a.frame is not None and a.frame.period) or (b.frame is not None and b.frame.period):
        return False
    if a.dimension == "count" and lemma(a.counted or "?") != lemma(b.counted or "?"):
        return False  # "4,200 fans ... two seasons" are not a before and an after
    return not (a.dimension == "money" and a.unit != b.unit)


def link(figures: Sequence[Figure], text: str, rules: RuleSet) -> list[Figure]:
    """The figures of one document (in text order), each with the relations its text states."""
    if not figures:
        return []
    p = patterns(rules.relations)
    found: dict[str, list[Relation]] = defaultdict(list)
    aboard: set[str] = set()
    _coordination(figures, text, p, found)
    facts = [f for f in figures if not f.hypothetical]
    pairs = _pairs(facts, text, p)
    by_sentence: dict[int, list[Figure]] = defaultdict(list)
    for f in facts:
        by_sentence[f.sentence].append(f)
    for before, after in pairs:
        found[after.id].append(Relation(kind="from", figure_ids=[before.id]))
        stated = _stated_change(by_sentence[before.sentence], (before, after), text, p)
        if stated is not None:
            found[stated.id].append(Relation(kind="change_of", figure_ids=[before.id, after.id]))
        multiple = _multiple(before, after, text, p, rules.relations)
        if multiple is not None:
            found[after.id].append(multiple)
    for pct, base, now in _comparatives(facts, text, p):
        found[pct.id].append(Relation(kind="change_of", figure_ids=[base.id, now.id], cue="comparative"))
    in_pairs = {f.id for before, after in pairs if comparable(before, after) for f in (before, after)}
    partitioned = _partitions(facts, rules)
    for total, parts in partitioned:
        found[total.id].append(Relation(kind="parts", figure_ids=[f.id for f in parts], exhaustive=True))
    in_pairs |= {t.id for t, _ in partitioned}
    for total, parts, exhaustive in _totals(facts, text, rules, p, in_pairs):
        found[total.id].append(Relation(kind="parts", figure_ids=[f.id for f in parts], exhaustive=exhaustive))
    for run in _share_runs(facts, text, p):
        found[run[0].id].append(Relation(kind="shares", figure_ids=[f.id for f in run[1:]]))
    for share, part, whole in _shares_of_whole(facts, text, p):
        found[share.id].append(Relation(kind="share_of", figure_ids=[part.id, whole.id]))
    aboard.update(f.id for f in _aboard(facts, text, rules))
    for before, after in _restatements(figures, text):
        cue = text[before.end : after.start].strip()
        found[after.id].append(Relation(kind="restates", figure_ids=[before.id], cue=cue))
    out = []
    counted, paragraph = 0, 0  # line breaks before `counted`: figures come in text order
    for f in figures:
        frame = f.frame
        if frame is None:
            out.append(f)
            continue
        if f.start < counted:
            counted, paragraph = 0, 0
        paragraph += text.count("\n", counted, f.start)
        counted = f.start
        update: dict[str, object] = {"paragraph": paragraph}
        if found.get(f.id):
            update["relations"] = found[f.id]
        if f.id in aboard:
            update["aboard"] = True
        out.append(f.model_copy(update={"frame": frame.model_copy(update=update)}))
    return out


def relations(figure: Figure, kind: str) -> list[Relation]:
    return [r for r in (figure.frame.relations if figure.frame else []) if r.kind == kind]


# --- coordinated figures -----------------------------------------------------------------------------


def _coordination(figures: Sequence[Figure], text: str, p: Patterns, found: dict[str, list[Relation]]) -> None:
    """'10,000 troops from Tajikistan and 400 from Russia': a figure listed after the one before it in
    its sentence, not set against it ('1,213,482, up from 1,128,900') nor its part ('Of 412,000
    registered voters, 263,700 voted')."""
    for prev, f in itertools.pairwise(figures):
        if prev.sentence != f.sentence or prev.document_id != f.document_id:
            continue
        if _OF_PART.search(text[max(0, prev.start - 12) : prev.start]):
            continue
        gap = text[prev.end : f.start]
        if p.coordinated.search(gap) and not p.contrasted.search(gap) and not p.alternative.search(gap):
            found[f.id].append(Relation(kind="coordinated", figure_ids=[prev.id], cue=gap.strip() or None))


# --- from X to Y -------------------------------------------------------------------------------------


def _pairs(figs: Sequence[Figure], text: str, p: Patterns) -> list[tuple[Figure, Figure]]:
    """(before, after) pairs written 'from X to Y' or 'to Y from X' in one sentence."""
    out = []
    for i, a in enumerate(figs):
        for b in figs[i + 1 : i + 3]:
            if b.sentence != a.sentence or not comparable(a, b):
                continue
            between = text[a.end : b.start]
            before = text[max(0, a.start - 12) : a.start]
            if _FROM.search(before) and _BETWEEN_TO.match(between):
                out.append((a, b))
            elif p.between_from.match(between):
                # "fell to 287 last year from 341", "C$3.9bn, up from C$3.2bn"
                out.append((b, a))
    return out


def _stated_change(figs: Sequence[Figure], pair: tuple[Figure, Figure], text: str, p: Patterns) -> Figure | None:
    """The percentage in the same sentence that states the change from X to Y."""
    a, b = pair
    lo, hi = min(a.start, b.start), max(a.end, b.end)
    best: Figure | None = None
    kinds = ("percent", "percentage points") if a.dimension == "percent" else ("percent",)
    for f in figs:
        if f.sentence != a.sentence or f.dimension not in kinds or f.value_to is not None or f in pair:
            continue
        between = text[min(f.end, lo) : max(f.start, hi)]
        if f.change is None or ";" in between:
            continue  # "demanding a 9% rise; the authority ... would lift pay from X to Y"
        if best is None or abs(f.start - (lo + hi) / 2) < abs(best.start - (lo + hi) / 2):
            best = f
    return best


def _comparatives(figs: Sequence[Figure], text: str, p: Patterns) -> list[tuple[Figure, Figure, Figure]]:
    """(stated %, before, after) for "212.4 million trips, 12% more than the 199.4 million the year before"."""
    by_id = {f.id: f for f in figs}
    out = []
    for i, pct in enumerate(figs[:-1]):
        base = figs[i + 1]
        if pct.dimension != "percent" or base.sentence != pct.sentence:
            continue
        if not p.more_than.match(text[pct.end : base.start]):
            continue
        now = by_id.get(base.refers_to or "")
        k = i - 1
        # Figures run in text order: the ones before it in its sentence are just before it.
        while now is None and k >= 0 and figs[k].sentence == pct.sentence:
            if comparable(figs[k], base):
                now = figs[k]
            k -= 1
        if now is not None and comparable(now, base):
            out.append((pct, base, now))
    return out


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` begins (a full stop not inside a number ends the one before)."""
    return last_stop(text, pos)


def _multiple(before: Figure, after: Figure, text: str, p: Patterns, rules: RelationRules) -> Relation | None:
    """'to halve the quota, cutting it to 41,000 from 68,000'; '1.3 million, doubling from 870,000'."""
    start = max(0, min(before.start, after.start) - 120)
    sentence_start = _sentence_start(text, min(before.start, after.start))
    window = text[max(start, sentence_start) : max(before.start, after.start)]
    found = list(p.multiple.finditer(window))
    if not found:
        return None
    m = found[-1]
    factor = rules.multiples[" ".join(m.group(2).lower().split())]
    hedge = " ".join((m.group(1) or "").lower().split()) or None
    return Relation(kind="multiple", figure_ids=[before.id], factor=factor, hedge=hedge, cue=m.group(0))


# --- totals and their parts ----------------------------------------------------------------------------


def _totals(
    figs: Sequence[Figure], text: str, rules: RuleSet, p: Patterns, used: set[str]
) -> list[tuple[Figure, list[Figure], bool]]:
    """A figure followed, in its sentence or the next, by a list of figures of the same kind."""
    out = []
    longest = longest_phrase_match(rules.relations.breakdowns, text)
    for i, total in enumerate(figs):
        frame = total.frame
        if frame is None or total.id in used or total.role == "part" or total.hedge == "vague" \
                or total.dimension == "percent":
            continue
        if any(w.startswith(("prior", "before")) for w in frame.scope.time):
            continue  # "the £1.9m collected last winter" is not this list's total
        parts = _list_after(figs, i, text, p, used, longest)
        if len(parts) < 2:
            counted = _counted_out(figs, i, used)
            if counted:
                out.append((total, counted, True))
            continue
        if frame.distinct and not any(f.frame and f.frame.distinct for f in parts):
            continue  # "short of its £3m target": a target is not the sum of what was raised
        if parts[0].sentence == total.sentence and not p.separator.search(text[total.end : parts[0].start]):
            continue  # "612 in the north, 480 ... and 251": siblings, not a total and its parts
        if parts[0].sentence != total.sentence and not (
            p.separator.search(text[total.end : parts[-1].end]) or p.breakdown.search(text[total.end : parts[-1].end])
            or p.exhaustive.search(text[total.end : parts[-1].end + 60]) or any(f.role == "part" for f in parts)
        ):
            continue  # "... 37 seats. Trinamool has won 29 seats while DMK has secured 29": a list of its own
        if any(p.alternative.search(text[a.end : b.start]) for a, b in itertools.pairwise(parts)):
            continue  # "magazines can hold 10, 15 or 17 rounds": choices, not parts
        span_text = text[total.start : parts[-1].end + 60]
        # "a total of 186 people ... The breakdown by hospital is as follows: ...".
        stated_total = total.role == "total" and bool(p.breakdown.search(text[total.end : parts[0].start]))
        exhaustive = bool(p.exhaustive.search(span_text)) or stated_total or _enumerated(total, parts, text, p)
        out.append((total, parts, exhaustive))
    return out


def _counted_out(figs: Sequence[Figure], i: int, used: set[str]) -> list[Figure]:
    """'... will cut 2,400 jobs. The cuts will fall on three sites. ... 1,100 posts will go ... A further 850
    jobs ... 300 administrative posts': a sentence soon after a total says into how many parts it falls (a
    small count of something else), and that many figures of the total's kind follow, one to a sentence."""
    total = figs[i]
    assert total.frame is not None
    near = list(itertools.takewhile(lambda f: f.sentence <= total.sentence + 2, figs[i + 1 :]))
    if not near or any(f.frame is not None and f.frame.concept == total.frame.concept for f in near):
        return []
    last = near[-1].sentence
    after = [f for f in near if f.frame is not None and f.frame.concept not in ("?", total.frame.concept)
             and f.sentence == last][-1:]
    if len(after) != 1:
        return []
    assert after[0].frame is not None
    count = float(after[0].value)
    if not (2 <= count <= 10 and count == int(count)) or after[0].hedge:
        return []
    parts: list[Figure] = []
    sentence = after[0].sentence
    for f in figs[i + 2 :]:
        if f.sentence > sentence + 1 or len(parts) > count:
            break
        if f.frame is None or f.frame.concept != total.frame.concept or f.id in used or f.hedge == "vague":
            continue
        if f.sentence == sentence:
            return []  # two of the total's kind in one sentence: not one part to a sentence
        parts.append(f)
        sentence = f.sentence
    return parts if len(parts) == count else []


def _partitions(figs: Sequence[Figure], rules: RuleSet) -> list[tuple[Figure, list[Figure]]]:
    """'63 medals ... 18 gold ... 22 silver ... 25 bronze': a total of a class split into kinds, then, within
    the next four sentences, one part of every kind."""
    out = []
    for i, total in enumerate(figs):
        frame = total.frame
        if frame is None or frame.kind or frame.concept not in rules.concepts.partitions or total.hedge == "vague":
            continue
        kinds = rules.concepts.partitions[frame.concept]
        parts: dict[str, Figure] = {}
        for f in figs[i + 1 :]:
            if f.sentence > total.sentence + 4:
                break
            if f.frame is None or f.frame.concept != frame.concept:
                continue
            if not f.frame.kind or f.frame.kind in parts:
                break  # another total, or a second count of a kind: another breakdown
            parts[f.frame.kind] = f
            if len(parts) == len(kinds):
                out.append((total, sorted(parts.values(), key=lambda f: f.start)))
                break
    return out


def _enumerated(total: Figure, parts: Sequence[Figure], text: str, p: Patterns) -> bool:
    """'186,500 visitors over three days, with 52,000 on Friday, 61,500 on Saturday and 58,000 on
    Sunday': one part for each of the stated periods is the whole of it."""
    sentence_end = next_mark(text, ".", total.end)
    m = p.over_periods.search(text[total.start : sentence_end if sentence_end >= 0 else len(text)])
    if not m:
        return False
    word = m.group(1).lower()
    count = int(word) if word.isdigit() else int(words_to_number(word) or 0)
    labels = {" ".join(f.qualifiers).lower() for f in parts}
    return count == len(parts) and len(labels) == len(parts) and "" not in labels


def _list_after(
    figs: Sequence[Figure], i: int, text: str, p: Patterns, skip: set[str], longest: int
) -> list[Figure]:
    total = figs[i]
    assert total.frame is not None
    breakdown = GrowingSearch(p.breakdown, longest, text, total.end)
    parts: list[Figure] = []
    for f in figs[i + 1 :]:
        if f.sentence > total.sentence + 1:
            break
        if f.id in skip:
            if parts:
                break
            continue
        if f.frame is None:
            continue
        elliptical = f.frame.concept == "?" and f.sentence == total.sentence
        same_kind = (
            f.dimension == total.dimension
            and (f.dimension != "money" or f.unit == total.unit)
            and f.hedge != "vague"
            and f.value_to is None
            and abs(float(f.value)) < abs(float(total.value))
            # Parts of kinds ("18 gold") make a whole only all together (see _partitions).
            and f.frame.kind == total.frame.kind
            # "cutting 1,340 jobs ... The losses comprise 860 production workers, 285 warehouse
            # staff and 95 people": a stated breakdown may name its parts with other nouns.
            and (f.dimension != "count" or f.frame.concept == total.frame.concept or elliptical
                 or breakdown.found(f.start))
        )
        if not same_kind:
            if parts and f.sentence == parts[-1].sentence:
                break
            continue
        if parts and f.sentence != parts[-1].sentence:
            break
        t_words, f_words = frozenset(total.frame.scope.time), frozenset(f.frame.scope.time)
        elsewhen = any(w.startswith(("prior", "before")) for w in f_words - t_words)
        if elsewhen or (f.sentence != total.sentence and f_words and not (t_words and times_fit(t_words, f_words))):
            continue  # "$1.2bn last year": another period, not a part of this total
        parts.append(f)
    return parts


# --- shares of one whole ----------------------------------------------------------------------------


def _share_signature(f: Figure) -> set[str]:
    words = set(f.predicate[:1])
    if f.subject:
        words.add(f.subject.lower())
    return words


def _share_runs(figs: Sequence[Figure], text: str, p: Patterns) -> list[list[Figure]]:
    """Runs of percentages that are shares of one whole: '47.8%, 36.5% and 19.2% of the vote'."""
    shares = [
        f for f in figs
        if f.dimension == "percent" and f.value_to is None and 0 < float(f.value) <= 100
        and f.change is None and not _UP_DOWN_AFTER.match(text, f.end)
    ]
    out = []
    taken: set[str] = set()  # a share in a run found before starts no run of its own: runs do not overlap
    for i, first in enumerate(shares):
        checkpoint()
        if first.id in taken:
            continue
        run = [first]
        sig = _share_signature(first)
        for f in shares[i + 1 :]:
            if f.sentence > run[-1].sentence + 1:
                break
            between = text[run[-1].end : f.start]
            same_sentence_run = (
                f.sentence == run[-1].sentence and len(between) < 80 and not re.search(r"[.;]", between)
                and re.search(r",|\band\b", between) is not None and not p.comparison.search(between)
            )
            if same_sentence_run or (f.sentence != run[-1].sentence and sig & _share_signature(f)):
                run.append(f)
                sig |= _share_signature(f)
        cued = any(
            p.share_of.search(text[f.end : f.end + 30]) or p.share_verb.search(text[max(0, f.start - 40) : f.start])
            for f in run
        )
        wholes = {m.group(1).lower() for f in run if (m := p.of_whole.match(text[f.end : f.end + 40]))}
        if len(run) < 2 or not (cued or len(run) >= 3) or len(wholes) > 1:
            continue  # "72% of men and 65% of women" are shares of two wholes
        if any(f.frame is not None and f.frame.distinct for f in run):
            continue  # "just short of the 70% target": a target is not a share
        taken.update(f.id for f in run)
        out.append(run)
    return out


# --- a part, its whole and the share stated for it -------------------------------------------------


def _shares_of_whole(figs: Sequence[Figure], text: str, p: Patterns) -> list[tuple[Figure, Figure, Figure]]:
    """'2,184 of the 4,870 votes cast (52%)' or '52% of the 4,870 votes ... 2,184': the share stated
    for a part of a whole."""
    out = []
    for i, first in enumerate(figs[:-1]):
        second = figs[i + 1]
        if first.dimension not in ("count", "money") or second.dimension != first.dimension:
            continue
        if second.sentence != first.sentence:
            continue
        if p.of_the.match(text[first.end : second.start]):
            part, whole = first, second  # "2,184 of the 4,870 votes"
        elif _OF_BEFORE.search(text[max(0, first.start - 12) : first.start]) and re.fullmatch(
            r"[^.;:]{0,60},\s*", text[first.end : second.start]
        ):
            part, whole = second, first  # "Of 412,000 registered voters, 263,700 cast a ballot"
        else:
            continue
        if not 0 < float(part.value) <= float(whole.value):
            continue
        share = next(
            (f for f in figs[i + 2 : i + 4]
             if f.sentence == part.sentence and f.dimension in ("percent", "share")
             and ((_SHARE_AFTER.match(text[max(whole.end, part.end) : f.start])
                   and f.start - max(whole.end, part.end) < 60)
                  or p.rate_of.search(text[max(whole.end, part.end, f.start - 30) : f.start]))),
            None,
        )
        if share is not None:
            out.append((share, part, whole))
    return out


# --- the same amount in other units ----------------------------------------------------------------

def _restatements(figures: Sequence[Figure], text: str) -> list[tuple[Figure, Figure]]:
    """'27.4 km (about 14 miles)', '22 tonnes, or 48,500 pounds': a measure restated in other units
    right after it, in brackets, after a slash or after 'or'."""
    out = []
    for prev, f in itertools.pairwise(figures):
        if prev.sentence != f.sentence or prev.dimension != f.dimension or prev.unit == f.unit:
            continue
        if prev.base_low is None or f.base_low is None or prev.base_unit != f.base_unit:
            continue
        if prev.dimension in ("count", "money", "percent", "percentage points", "share"):
            continue
        if restating_gap(text[prev.end : f.start], apposed=True):
            out.append((prev, f))
    return out


# --- the people aboard -----------------------------------------------------------------------------


def _aboard_pattern(rules: RuleSet) -> re.Pattern[str]:
    return memo(
        rules.concepts, "aboard-cues",
        lambda: re.compile(rf"\b(?:{alternation(rules.concepts.aboard_cues)})\b", re.I),
    )


def _aboard(figs: Sequence[Figure], text: str, rules: RuleSet) -> list[Figure]:
    """Counts of the people aboard a ship, plane or bus ('118 passengers and six crew'): the
    counts of a sentence, with no fate of their own, that an aboard cue goes with."""
    fates = set(rules.concepts.outcome_statuses)
    by_sentence: dict[int, list[Figure]] = defaultdict(list)
    for f in figs:
        if f.dimension == "count" and f.hedge != "vague" and f.frame is not None \
                and not set(f.frame.statuses) & fates:
            by_sentence[f.sentence].append(f)
    out = []
    for group in by_sentence.values():
        start = min(f.start for f in group)
        line_start = last_mark(text, ".", start) + 1
        line_end = next_mark(text, ".", max(f.end for f in group))
        if _aboard_pattern(rules).search(text[line_start : line_end if line_end >= 0 else len(text)]):
            out.extend(group)
    return out
