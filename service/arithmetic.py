"""Arithmetic within one text: totals against their parts, percentage changes, shares of one
whole, and "doubled"/"halved" against the values they describe.

Each check reads only what one document states, through the relations extraction found
(service.links): a text that says "2,340 beds in all: 1,480 ..., 620 ... and 190 ..."
contradicts itself. Nothing here reads the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .links import comparable, relations
from .models import Discrepancy, DiscrepancyKind, Figure
from .rules import RuleSet
from .severity import fmt, severity


def check(figures: Sequence[Figure], rules: RuleSet) -> list[Discrepancy]:
    by_doc: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        if not f.hypothetical:
            by_doc[f.document_id].append(f)
    out: list[Discrepancy] = []
    for figs in by_doc.values():
        figs.sort(key=lambda f: f.start)
        by_id = {f.id: f for f in figs}
        pairs = _pairs(figs, by_id)
        out.extend(_percent_changes(figs, by_id, pairs, rules))
        out.extend(_multiples(figs, by_id, rules))
        out.extend(_totals(figs, by_id, pairs, rules))
        out.extend(_shares(figs, by_id, rules))
        out.extend(_outcomes(figs, rules))
        out.extend(_shares_of_whole(figs, by_id, rules))
        out.extend(_conversions(figs, by_id, rules))
    return out


# --- from X to Y ---------------------------------------------------------------------------------


def _pairs(figs: Sequence[Figure], by_id: dict[str, Figure]) -> list[tuple[Figure, Figure]]:
    """(before, after) pairs the text states ('from X to Y', 'to Y from X'), in text order."""
    out = []
    for after in figs:
        for r in relations(after, "from"):
            before = by_id.get(r.figure_ids[0])
            if before is not None and comparable(before, after):
                out.append((before, after))
    return sorted(out, key=lambda p: (min(p[0].start, p[1].start), max(p[0].start, p[1].start)))


def _value(f: Figure) -> float:
    if f.base_low is not None and f.base_high is not None and f.dimension not in ("count", "money"):
        return (f.base_low + f.base_high) / 2
    return float(f.value)


def _percent_changes(
    figs: Sequence[Figure], by_id: dict[str, Figure], pairs: list[tuple[Figure, Figure]], rules: RuleSet
) -> list[Discrepancy]:
    out = []
    tol = rules.tolerances
    stated_for: dict[tuple[str, str], Figure] = {}
    comparative_pairs = []
    for f in figs:
        for r in relations(f, "change_of"):
            key = (r.figure_ids[0], r.figure_ids[1])
            if r.cue == "comparative":
                stated_for[key] = f
                comparative_pairs.append((by_id[r.figure_ids[0]], by_id[r.figure_ids[1]]))
            else:
                stated_for.setdefault(key, f)
    for before, after in pairs + comparative_pairs:
        stated = stated_for.get((before.id, after.id))
        x, y = _value(before), _value(after)
        if stated is None or x == 0:
            continue
        computed = (y - x) / abs(x) * 100
        claimed = abs(float(stated.value))
        half_step = (float(stated.high) - float(stated.low)) / 2 if stated.hedge else 0.0
        allowed = max(tol.percent_points, tol.percent_relative * abs(computed)) + half_step
        if before.dimension == "percent":
            # Rates: "fell to 5.8% from 6.4%, a drop of 0.6 percentage points" is a difference; "a
            # drop of 0.6%" is often meant the same way, so either reading clears a stated percent.
            points = abs(y - x)
            fits_points = abs(points - claimed) <= max(0.051, tol.percent_relative * points) + half_step
            if fits_points or (stated.dimension == "percent" and abs(abs(computed) - claimed) <= allowed):
                continue
            if stated.dimension != "percent":
                arithmetic = f"{fmt(y)}% - {fmt(x)}% = {y - x:+.2f} points"
                out.append(
                    _flag(
                        "percent_change_mismatch", rules, claimed, points, [stated, before, after], arithmetic,
                        f"The text gives a change of {stated.text}, but {before.text} to {after.text} is "
                        f"{points:.2f} percentage points ({arithmetic}).",
                    )
                )
                continue
        if stated.hedge in ("over", "at least"):
            ok = abs(computed) >= claimed - allowed
        elif stated.hedge in ("nearly", "just under"):
            # "almost 13 percent" is a little under 13: not 7.
            base = max(tol.percent_points, tol.percent_relative * abs(computed))
            ok = abs(float(stated.low)) - base <= abs(computed) <= claimed + allowed
        elif stated.hedge in ("up to", "fewer than"):
            ok = abs(computed) <= claimed + allowed
        else:
            ok = abs(abs(computed) - claimed) <= allowed
        if ok:
            continue
        direction = "rise" if computed > 0 else "fall"
        arithmetic = f"({fmt(y)} - {fmt(x)}) / {fmt(x)} = {computed:+.1f}%"
        out.append(
            _flag(
                "percent_change_mismatch", rules, claimed, abs(computed), [stated, before, after], arithmetic,
                f"The text gives a change of {stated.text}, but {before.text} to {after.text} is a {direction} "
                f"of {abs(computed):.1f}% ({arithmetic}).",
            )
        )
    return out


def _multiples(figs: Sequence[Figure], by_id: dict[str, Figure], rules: RuleSet) -> list[Discrepancy]:
    out = []
    found = [(by_id[r.figure_ids[0]], after, r) for after in figs for r in relations(after, "multiple")
             if r.figure_ids[0] in by_id]
    found.sort(key=lambda t: (min(t[0].start, t[1].start), max(t[0].start, t[1].start)))
    for before, after, r in found:
        x, y = _value(before), _value(after)
        if x == 0 or r.factor is None:
            continue
        factor = r.factor
        hedge = r.hedge or ""
        ratio = y / x
        tol = rules.tolerances.multiple_relative
        # "Halved" is "doubled" the other way round: "nearly halved" falls to a little above half,
        # "more than halved" to below it.
        size, reach = (factor, ratio) if factor >= 1 else (1 / factor, (1 / ratio if ratio else float("inf")))
        if hedge in ("more than", "over"):
            ok = reach >= size * (1 - tol / 2)
        elif hedge in ("nearly", "almost"):
            ok = size * (1 - 2 * tol) <= reach <= size * (1 + tol / 2)
        elif hedge in ("roughly", "about"):
            ok = abs(reach / size - 1) <= 2 * tol
        else:
            ok = abs(reach / size - 1) <= tol
        if ok:
            continue
        arithmetic = f"{fmt(y)} / {fmt(x)} = {ratio:.2f}"
        out.append(
            _flag(
                "multiple_mismatch", rules, factor, ratio, [before, after], arithmetic,
                f"The text says \"{r.cue}\", but {before.text} to {after.text} is {ratio:.2f} times "
                f"({arithmetic}), not {factor:g} times.",
            )
        )
    return out


# --- totals and their parts ----------------------------------------------------------------------


def _totals(
    figs: Sequence[Figure], by_id: dict[str, Figure], pairs: list[tuple[Figure, Figure]], rules: RuleSet
) -> list[Discrepancy]:
    """A total and the parts the text lists for it, in its sentence or the next."""
    out = []
    used: set[str] = {f.id for pair in pairs for f in pair}
    for total in figs:
        for r in relations(total, "parts"):
            parts = [by_id[i] for i in r.figure_ids if i in by_id and i not in used]
            if total.id in used or len(parts) < 2:
                continue
            s = sum(float(p.value) for p in parts)
            s_low = sum(float(p.low if p.hedge else p.value) for p in parts)
            s_high = sum(float(p.high if p.hedge else p.value) for p in parts)
            t_low, t_high = float(total.low), float(total.high)
            slack = rules.tolerances.sum_relative * abs(float(total.value))
            if not total.hedge:
                t_low = min(t_low, float(total.value) - slack)
                t_high = max(t_high, float(total.value) + slack)
            exceeds = s_low > t_high
            short = s_high < t_low
            if not (exceeds or (short and r.exhaustive)):
                continue
            if s < 0.5 * float(total.value) or s > 2 * float(total.value):
                continue  # too far off to be a breakdown of this total
            used.update(p.id for p in parts)
            expression = " + ".join(fmt(float(p.value)) for p in parts) + f" = {fmt(s)}"
            kind: DiscrepancyKind = "parts_exceed_total" if exceeds else "total_mismatch"
            what = "more than" if exceeds else "less than"
            out.append(
                _flag(
                    kind, rules, float(total.value), s, [total, *parts], f"{expression} vs {fmt(total.value)}",
                    f"The parts add up to {fmt(s)} ({expression}), {what} the total of {total.text}.",
                )
            )
    return out


# --- shares of one whole -------------------------------------------------------------------------


def _shares(figs: Sequence[Figure], by_id: dict[str, Figure], rules: RuleSet) -> list[Discrepancy]:
    out = []
    used: set[str] = set()
    for first in figs:
        for r in relations(first, "shares"):
            if first.id in used:
                continue
            run = [first, *(by_id[i] for i in r.figure_ids if i in by_id)]
            total = sum(float(f.value) for f in run)
            if total <= 100 + rules.tolerances.shares_over:
                continue
            used.update(f.id for f in run)
            expression = " + ".join(f"{fmt(float(f.value))}%" for f in run) + f" = {fmt(total)}%"
            out.append(
                _flag(
                    "shares_exceed_whole", rules, 100.0, total, run, expression,
                    f"Shares of one whole add up to {fmt(total)}% ({expression}), more than 100%.",
                )
            )
    return out


# --- fates of the people aboard ---------------------------------------------------------------


def _outcomes(figs: Sequence[Figure], rules: RuleSet) -> list[Discrepancy]:
    """Dead, rescued and missing are fates of the people aboard: together they cannot be more
    than the people the text says were aboard ('118 passengers and six crew')."""
    fates = set(rules.concepts.outcome_statuses)
    people = [f for f in figs if f.dimension == "count" and f.hedge != "vague" and f.frame is not None]
    by_sentence: dict[int, list[Figure]] = defaultdict(list)
    for f in people:
        by_sentence[f.sentence].append(f)
    out = []
    for sentence, group in by_sentence.items():
        named = {f.id: set(f.frame.statuses) & fates for f in group if f.frame is not None}
        outcome = [f for f in group if len(named[f.id]) == 1]
        kinds = {next(iter(named[f.id])) for f in outcome}
        if len(kinds) < 2 or len(outcome) != len(kinds):
            continue
        for other in range(sentence - 2, sentence + 3):
            aboard = [f for f in by_sentence.get(other, []) if f.frame is not None and f.frame.aboard]
            if other == sentence or not aboard:
                continue
            low = sum(float(f.low if f.hedge else f.value) for f in outcome)
            high = sum(float(f.high) if f.hedge else float(f.value) for f in aboard)
            if low <= high:
                continue
            stated = sum(float(f.value) for f in outcome)
            fates_expr = " + ".join(fmt(float(f.value)) for f in outcome) + f" = {fmt(stated)}"
            aboard_expr = " + ".join(fmt(float(f.value)) for f in aboard) + f" = {fmt(high)}"
            out.append(
                _flag(
                    "parts_exceed_total", rules, high, low, [*outcome, *aboard], f"{fates_expr} > {aboard_expr}",
                    f"The dead, rescued and missing add up to at least {fmt(low)} ({fates_expr}), more than the "
                    f"{fmt(high)} people aboard ({aboard_expr}).",
                )
            )
            break
    return out


# --- a part, its whole and the share stated for it ----------------------------------------------


def _shares_of_whole(figs: Sequence[Figure], by_id: dict[str, Figure], rules: RuleSet) -> list[Discrepancy]:
    """'2,184 of the 4,870 votes cast (52%)': the share stated for a part of a whole must be the part
    over the whole."""
    out = []
    for share in figs:
        for r in relations(share, "share_of"):
            part, whole = by_id.get(r.figure_ids[0]), by_id.get(r.figure_ids[1])
            if part is None or whole is None:
                continue
            stated = float(share.value) * (100.0 if share.dimension == "share" else 1.0)
            low = float(share.low) * (100.0 if share.dimension == "share" else 1.0)
            high = float(share.high) * (100.0 if share.dimension == "share" else 1.0)
            computed = float(part.value) / float(whole.value) * 100
            allowed = max(rules.tolerances.percent_points, rules.tolerances.percent_relative * computed)
            if low - allowed <= computed <= high + allowed:
                continue
            arithmetic = f"{fmt(float(part.value))} / {fmt(float(whole.value))} = {computed:.1f}%"
            out.append(
                _flag(
                    "share_mismatch", rules, stated, computed, [share, part, whole], arithmetic,
                    f"The text gives {share.text} for {part.text} of {whole.text}, but that share is "
                    f"{computed:.1f}% ({arithmetic}).",
                )
            )
    return out


# --- the same amount in other units ---------------------------------------------------------------


def _conversions(figs: Sequence[Figure], by_id: dict[str, Figure], rules: RuleSet) -> list[Discrepancy]:
    """'27.4 km (about 14 miles)': a restatement in other units must convert."""
    out = []
    for f in figs:
        for r in relations(f, "restates"):
            first = by_id.get(r.figure_ids[0])
            if first is None or first.base_low is None or first.base_high is None or f.base_low is None \
                    or f.base_high is None:
                continue
            lo_a, hi_a, lo_b, hi_b = first.base_low, first.base_high, f.base_low, f.base_high
            slack = rules.tolerances.sum_relative * max(hi_a, hi_b)
            if lo_b <= hi_a + slack and lo_a <= hi_b + slack:
                continue
            per_unit = (lo_b / float(f.low)) if float(f.low) else None
            if not per_unit:
                continue
            converted = _base(first) / per_unit
            arithmetic = f"{first.text} = {fmt(round(converted, 1))} {f.unit}, not {fmt(f.value)} {f.unit}"
            out.append(
                _flag(
                    "conversion_mismatch", rules, converted, float(f.value), [first, f], arithmetic,
                    f"{first.text} is about {fmt(round(converted, 1))} {f.unit}, but the text restates it as "
                    f"{f.text}.",
                )
            )
    return out


def _base(f: Figure) -> float:
    """The figure's stated value in its base unit."""
    assert f.base_low is not None and f.base_high is not None
    if float(f.low) and float(f.low) != 0:
        return float(f.value) * float(f.base_low) / float(f.low)
    return (float(f.base_low) + float(f.base_high)) / 2


def _flag(
    kind: DiscrepancyKind, rules: RuleSet, expected: float, got: float, figs: Sequence[Figure], arithmetic: str,
    explanation: str,
) -> Discrepancy:
    a, b = abs(expected), abs(got)
    ratio = max(a, b) / min(a, b) if min(a, b) else float("inf")
    return Discrepancy(
        id="d0",
        kind=kind,
        severity=severity(rules.tolerances, ratio),
        figure_ids=[f.id for f in figs],
        arithmetic=arithmetic,
        ratio=round(ratio, 3) if ratio != float("inf") else None,
        explanation=explanation,
    )
