"""Stage 5, compare: claims about the same thing that cannot all be true.

Two accounts conflict when the intervals their claims allow (hedge and roundness read) miss
each other by more than the tolerance in rules/tolerances.yaml. Two figures from the same
source in the same document are not conflicting accounts; they are left to the arithmetic
checks (service.arithmetic).
"""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import combinations

from . import arithmetic
from .budget import checkpoint
from .group import referents
from .models import Claim, Discrepancy, Figure, Group
from .rules import RuleSet, ToleranceRules
from .severity import fmt, severity


def apart(a: Claim, b: Claim, gap_fraction: float) -> bool:
    """The claims' intervals miss each other by more than gap_fraction of the larger value."""
    gap = max(a.low, b.low) - min(a.high, b.high)
    scale = max(abs(a.high), abs(b.high), 1e-12)
    return gap > gap_fraction * scale


def _account(claim: Claim) -> tuple[tuple[str, ...], str]:
    return tuple(claim.document_ids), (claim.source or "").lower()


def _same_account(a: Claim, b: Claim) -> bool:
    da, sa = _account(a)
    db, sb = _account(b)
    return bool(set(da) & set(db)) and (sa == sb or not sa or not sb)


def compare(figures: list[Figure], groups: list[Group], rules: RuleSet) -> list[Discrepancy]:
    """Conflicting accounts within each group, then the arithmetic of each text."""
    by_id = {f.id: f for f in figures}
    restated = referents(figures)
    out: list[Discrepancy] = []
    gap = rules.tolerances.conflict_gap

    def widest(claims_a: list[Claim], claims_b: list[Claim]) -> tuple[Claim, Claim] | None:
        # One flag per pair of accounts: the pair of their claims furthest apart, if any. A part
        # ("including 7,900 flattened", "4,800 of the 6,200 workers") is compared only with
        # parts: it may be smaller than the whole, and a part larger than it is arithmetic's.
        pairs = [(a, b) for a in claims_a for b in claims_b
                 if not _same_account(a, b) and _parts_fit(a, b, by_id, restated, rules)
                 and apart(a, b, gap) and not _part_of_stated_total(a, b, by_id)
                 and _ratio(*sorted((a, b), key=_mid)) <= rules.tolerances.max_ratio]
        if not pairs:
            return None
        return max(pairs, key=lambda p: max(p[0].low, p[1].low) - min(p[0].high, p[1].high))

    for g in groups:
        checkpoint()
        claims = [c for c in g.claims if not (_vague_only(c, by_id, rules) or _hypothetical(c, by_id))]
        # A part ("including 7,900 flattened") may be smaller than the whole, never larger: that
        # case is the arithmetic check's. An account that gives two numbers for the group that
        # cannot both hold is speaking of two things (or of two moments): it is left out.
        by_account: dict[tuple[tuple[str, ...], str], list[Claim]] = {}
        for c in claims:
            by_account.setdefault(_account(c), []).append(c)
        accounts = [
            (key, members) for key, members in by_account.items()
            if not _disagrees_with_itself([c for c in members if not _is_part(c, by_id, restated)], gap)
            and not _disagrees_with_itself([c for c in members if _is_part(c, by_id, restated)], gap)
        ]
        for a, b in conflicts([members for _, members in accounts], widest, rules.tolerances):
            lo, hi = sorted((a, b), key=lambda c: (c.low + c.high) / 2)
            ratio = _ratio(lo, hi)
            out.append(
                Discrepancy(
                    id=f"d{len(out) + 1}",
                    kind="conflicting_accounts",
                    severity=severity(rules.tolerances, ratio, meet=False),
                    group_id=g.id,
                    figure_ids=[*a.figure_ids, *b.figure_ids],
                    claims=[a, b],
                    arithmetic=f"{_interval(lo)} vs {_interval(hi)}",
                    ratio=round(ratio, 3),
                    explanation=_explain(a, b, ratio, by_id),
                    alternatives=_alternatives(a, b, by_id),
                )
            )
    out = _cap(out, rules.tolerances.max_flags_per_group)
    holding: dict[str, list[set[str]]] = defaultdict(list)  # figure id -> the flags that rest on it
    for e in out:
        _index(holding, e)
    for d in arithmetic.check(figures, rules):
        ids = set(d.figure_ids)
        # Only a flag that shares a figure with this one can hold it or be held by it (a flag
        # resting on no figure, which none does, would hold every one).
        if any(ids <= other or other <= ids for i in ids for other in holding.get(i, ())) or (
            out and (not ids or "" in holding)
        ):
            continue  # the same figures are already flagged as accounts that disagree
        out.append(d.model_copy(update={"id": f"d{len(out) + 1}"}))
        _index(holding, out[-1])
    return out


def _index(holding: dict[str, list[set[str]]], flag: Discrepancy) -> None:
    ids = set(flag.figure_ids)
    for i in ids or {""}:
        holding[i].append(ids)


# Up to this many accounts a group's accounts are compared pair by pair; beyond, widest first.
PAIRWISE_ACCOUNTS = 40

Widest = Callable[[list[Claim], list[Claim]], "tuple[Claim, Claim] | None"]


def conflicts(accounts: list[list[Claim]], widest: Widest, tol: ToleranceRules) -> list[tuple[Claim, Claim]]:
    """The conflicting pair of claims of each pair of accounts (`widest` finds it) that `_cap` keeps,
    in the order of the pairs of accounts: every pair, or the `max_flags_per_group` widest apart.

    Pair by pair, a group of n accounts costs n² comparisons, too many for the thousands of
    accounts a long request can give one group. There the claims are met in pairs from the
    widest ratio down (`_widest_first`); a pair of accounts is compared when its first pair of
    claims comes up, since none of its conflicts can be wider than that, and the search stops
    once no pair of accounts not yet compared could be among the widest kept.
    """
    if len(accounts) <= PAIRWISE_ACCOUNTS:
        found = [widest(a, b) for a, b in combinations(accounts, 2)]
        return [pair for pair in found if pair is not None]
    most = tol.max_flags_per_group
    flagged: dict[tuple[int, int], tuple[Claim, Claim]] = {}
    compared: set[tuple[int, int]] = set()
    ratios: list[float] = []  # min-heap of the `most` widest rounded ratios flagged so far
    for ratio, i, j in _widest_first(accounts, tol.max_ratio):
        checkpoint()
        if len(ratios) == most and round(ratio, 3) < ratios[0]:
            break
        key = (min(i, j), max(i, j))
        if i == j or key in compared:
            continue
        compared.add(key)
        pair = widest(accounts[key[0]], accounts[key[1]])
        if pair is None:
            continue
        flagged[key] = pair
        rounded = round(_ratio(*pair), 3)
        if len(ratios) < most:
            heapq.heappush(ratios, rounded)
        elif rounded > ratios[0]:
            heapq.heapreplace(ratios, rounded)
    # The widest `most`, ties in the order of the pairs of accounts, as `_cap` keeps them.
    keys = sorted(flagged, key=lambda k: (-round(_ratio(*flagged[k]), 3), k))[:most]
    return [flagged[k] for k in sorted(keys)]


def _widest_first(accounts: list[list[Claim]], max_ratio: float) -> Iterator[tuple[float, int, int]]:
    """(ratio, account, account) for pairs of claims in falling ratio, at most `max_ratio`. Where no
    value is negative, a pair whose intervals must meet is left out: the claim with the larger
    middle can be apart from the other only where its middle lies above the other's interval."""
    claims = sorted(((abs(_mid(c)), n, c) for n, members in enumerate(accounts) for c in members), key=lambda t: t[:2])
    keys = [k for k, _, _ in claims]
    nonnegative = all(c.low >= 0 for _, _, c in claims)
    heap: list[tuple[float, int, int]] = []
    floors: list[int] = []
    for i, (k, _, c) in enumerate(claims):
        # Both bounds are widened by a hair: a pair met that cannot conflict costs one comparison,
        # a pair missed would be a flag lost to the rounding of floats.
        floor = max(i + 1, bisect.bisect_left(keys, c.high * (1 - _HAIR))) if nonnegative else i + 1
        floors.append(floor)
        top = bisect.bisect_right(keys, k * max_ratio * (1 + _HAIR) if k else 0.0) - 1
        if top >= floor:
            heap.append((-_key_ratio(k, keys[top]), i, top))
    heapq.heapify(heap)
    while heap:
        negative, i, j = heapq.heappop(heap)
        yield -negative, claims[i][1], claims[j][1]
        if j - 1 >= floors[i]:
            heapq.heappush(heap, (-_key_ratio(keys[i], keys[j - 1]), i, j - 1))


_HAIR = 1e-9


def _key_ratio(low: float, high: float) -> float:
    """_ratio's value for two claims whose middles are, in absolute value, low <= high."""
    if low == 0:
        return float("inf") if high else 1.0
    return high / low


def _cap(flags: list[Discrepancy], most: int) -> list[Discrepancy]:
    """Keep the `most` widest conflicts of each group: a group with dozens of disagreeing accounts is
    more likely several things than one, and a report of thousands of pairs helps no one."""
    by_group: dict[str | None, list[Discrepancy]] = {}
    for d in flags:
        by_group.setdefault(d.group_id, []).append(d)
    keep = {id(d) for ds in by_group.values() for d in sorted(ds, key=lambda d: -(d.ratio or 0))[:most]}
    kept = [d for d in flags if id(d) in keep]
    return [d.model_copy(update={"id": f"d{i + 1}"}) for i, d in enumerate(kept)]


def _disagrees_with_itself(claims: list[Claim], gap: float) -> bool:
    """Whether some two of one account's claims cannot both hold (a sweep over sorted intervals)."""
    if not claims:
        return False
    ordered = sorted(claims, key=lambda c: c.low)
    reach = ordered[0]
    for c in ordered[1:]:
        if apart(reach, c, gap):
            return True
        if c.high > reach.high:
            reach = c
    return False


def _alternatives(a: Claim, b: Claim, by_id: dict[str, Figure]) -> list[str]:
    """A single figure against a sum of parts may speak of one part only: say so, once."""
    single, summed = (a, b) if len(a.figure_ids) == 1 else (b, a)
    if len(single.figure_ids) != 1 or len(summed.figure_ids) < 2 or single.high >= summed.low:
        return []
    figure = by_id[single.figure_ids[0]]
    parts = [by_id[i] for i in summed.figure_ids]
    named = ", ".join(
        " ".join([p.text, *(q for q in p.qualifiers if q[:1].islower() and " " in q)]) for p in parts
    )
    who = f"{single.source}'s " if single.source else ""
    return [
        f"If {who}{figure.text} counts only some of the parts ({named}), or a different stage of the "
        f"event, the two accounts need not conflict."
    ]


def _part_of_stated_total(a: Claim, b: Claim, by_id: dict[str, Figure]) -> bool:
    """'raised more than £9m in total' and 'one runner raised £12,000': a figure below a stated total
    may be one of its parts."""
    for total, other in ((a, b), (b, a)):
        if len(total.figure_ids) == 1 and by_id[total.figure_ids[0]].role == "total" and other.high < total.low:
            return not any(by_id[i].role == "total" for i in other.figure_ids)
    return False


def _parts_fit(
    a: Claim, b: Claim, by_id: dict[str, Figure], restated: dict[str, Figure], rules: RuleSet
) -> bool:
    """Wholes are compared with wholes; a part only with a restatement of the same part ("4,800 of
    the 6,200 workers ... put the figure at 1,900"), never with another subgroup."""
    part_a, part_b = _is_part(a, by_id, restated), _is_part(b, by_id, restated)
    if part_a != part_b:
        return False
    if not part_a:
        return True
    fa, fb = by_id[a.figure_ids[0]], by_id[b.figure_ids[0]]
    ra, rb = restated.get(fa.id), restated.get(fb.id)
    # Only a restatement ("put the figure at 1,900") speaks of the same part; "three of the most
    # seriously hurt" is a part of a part.
    return (ra is not None and ra.id == fb.id and _states_only(fa, rules)) or (
        rb is not None and rb.id == fa.id and _states_only(fb, rules)
    )


def _states_only(figure: Figure, rules: RuleSet) -> bool:
    """Only restates an amount: no verb, or a light one (rules/concepts.yaml light_verbs)."""
    return not figure.predicate or figure.predicate[0] in rules.concepts.light_verbs


def _is_part(claim: Claim, by_id: dict[str, Figure], restated: dict[str, Figure]) -> bool:
    if len(claim.figure_ids) != 1:
        return False
    figure = by_id[claim.figure_ids[0]]
    referent = restated.get(figure.id)
    return figure.role == "part" or (referent is not None and referent.role == "part")


def _hypothetical(claim: Claim, by_id: dict[str, Figure]) -> bool:
    return any(by_id[i].hypothetical for i in claim.figure_ids)


def _vague_only(claim: Claim, by_id: dict[str, Figure], rules: RuleSet) -> bool:
    if rules.hedges.flag_vague:
        return False
    return all(by_id[i].hedge == "vague" for i in claim.figure_ids)


def _mid(c: Claim) -> float:
    return float(c.value) if c.low <= c.value <= c.high else (c.low + c.high) / 2


def _ratio(lo: Claim, hi: Claim) -> float:
    a, b = abs(_mid(lo)), abs(_mid(hi))
    if min(a, b) == 0:
        return float("inf") if max(a, b) else 1.0
    return max(a, b) / min(a, b)


def _interval(c: Claim) -> str:
    return f"{fmt(c.low)}–{fmt(c.high)}"


def _describe(c: Claim, by_id: dict[str, Figure]) -> str:
    figs = [by_id[i] for i in c.figure_ids]
    who = c.source or "the text"
    if len(figs) == 1:
        return f"{who}: {figs[0].text}"
    hedge = figs[0].hedge
    noun = next((f.counted for f in figs if f.counted), "")
    lead = f"{hedge} " if hedge and hedge not in ("vague", "between") else ""
    return f"{who}: {lead}{c.expression}{(' ' + noun) if noun else ''}"


def _in_units_of(c: Claim, ref: Figure) -> str:
    """A claim's interval in the unit the reference figure is stated in ('99.0–100.6 km')."""
    if ref.base_low is None or not ref.unit or ref.dimension in ("count", "money", "percent"):
        return _interval(c)
    per_unit = ref.base_low / float(ref.low) if float(ref.low) else None
    if not per_unit:
        return _interval(c)
    return f"{fmt(round(c.low / per_unit, 1))}–{fmt(round(c.high / per_unit, 1))} {ref.unit}"


def _explain(a: Claim, b: Claim, ratio: float, by_id: dict[str, Figure]) -> str:
    times = f"{ratio:.2f}".rstrip("0").rstrip(".")
    ref = by_id[a.figure_ids[0]]
    return (
        f"{_describe(a, by_id)} — {_describe(b, by_id)} — {times}× apart; "
        f"the ranges {_in_units_of(a, ref)} and {_in_units_of(b, ref)} do not meet."
    )
