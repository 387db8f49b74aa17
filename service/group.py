"""Stage 4, group: figures that describe the same thing, and what each source claims about it.

Figures share a group when they have the same dimension (after unit normalisation), the same
concept (the synonym classes in rules/concepts.yaml), no conflicting status (killed vs
injured), no conflicting place or origin, and no conflicting time anchor. Within one sentence,
coordinated figures that count the same thing with different qualifiers ("10,000 troops from
Tajikistan and 400 from Russia") are parts, and their sum is that source's claim.
"""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from .budget import checkpoint
from .evidence import Key, Weighing, weigh
from .links import relations
from .models import Claim, Figure, Group
from .numbers import as_number
from .rules import RuleSet
from .severity import fmt


def key_of(figure: Figure) -> Key:
    frame = figure.frame
    assert frame is not None, "figures are grouped after extraction gave them a frame"
    return Key(
        dimension=frame.family,
        concept=frame.concept,
        statuses=frozenset(frame.statuses),
        places=frozenset(frame.scope.places),
        marks=frozenset(frame.marks),
        descriptors=frozenset(frame.descriptors),
        strong=frozenset(frame.distinct),
        light=frame.light,
        generic=frame.generic,
        time=frozenset(frame.scope.time),
        currency=frame.currency,
        phase=frame.phase or "",
        verb=frame.event or "",
        head=frame.head or "",
        change=figure.change or "",
        rate=frame.scope.rate or "",
        group=frame.group or "",
        person=frame.person,
        actor=frame.scope.actor or "",
        weak=frame.weak,
        story=frame.story or "",
        kind=frame.kind or "",
        revision=f"{figure.document_id}" if figure.revision else "",
        document=figure.document_id,
        count=figure.dimension == "count",
    )


@dataclass(frozen=True)
class Parts:
    """Coordinated figures in one sentence that add up to one claim."""

    figures: tuple[Figure, ...]


def coordinated_parts(figures: Sequence[Figure]) -> list[tuple[Figure, ...]]:
    """Runs of figures in one sentence that count one concept and differ by qualifier."""
    runs: list[tuple[Figure, ...]] = []
    by_sentence: dict[tuple[str, int], list[Figure]] = defaultdict(list)
    for f in figures:
        by_sentence[(f.document_id, f.sentence)].append(f)
    for group in by_sentence.values():
        group.sort(key=lambda f: f.start)
        current: list[Figure] = []
        for f in group:
            if f.hedge == "vague" or f.role == "total":
                if len(current) > 1:
                    runs.append(tuple(current))
                current = []
                continue
            if current and _continues(current[-1], f):
                current.append(f)
            else:
                if len(current) > 1:
                    runs.append(tuple(current))
                current = [f]
        if len(current) > 1:
            runs.append(tuple(current))
    return runs


def _continues(prev: Figure, nxt: Figure) -> bool:
    if not any(prev.id in r.figure_ids for r in relations(nxt, "coordinated")):
        return False  # "1,213,482, up from 1,128,900" is a change, not two parts
    a, b = key_of(prev), key_of(nxt)
    if a.dimension != b.dimension or a.concept != b.concept or a.concept == "?" or a.currency != b.currency:
        return False
    if a.statuses != b.statuses or a.kind != b.kind:
        return False
    if a.actor and b.actor and a.actor != b.actor:
        return False  # "Japan won 188 medals and South Korea 190": each its own total, not parts of one
    distinct = (a.places != b.places) or (set(prev.qualifiers) != set(nxt.qualifiers)) or (
        (prev.counted or "") != (nxt.counted or "")
    )
    return distinct and nxt.start - prev.end < 120


def group(figures: list[Figure], rules: RuleSet) -> list[Group]:
    """Group the figures; each group's claims are one per (document, source). Figures listed with
    'and' or commas are summed as parts."""
    keys = {f.id: key_of(f) for f in figures}
    for fid, time in _narrative_times(figures, keys).items():
        keys[fid] = replace(keys[fid], time=time)
    for fid, referent in _anaphora(figures, keys).items():
        # "Organisers put the figure at 60,000": the figure is what the text counted before.
        k, own = keys[referent.id], keys[fid]
        keys[fid] = replace(k, time=own.time)
    parts = coordinated_parts(figures)
    part_of: dict[str, tuple[Figure, ...]] = {f.id: run for run in parts for f in run}
    # Units of grouping: single figures and summed runs, each with a representative key.
    units: list[tuple[tuple[Figure, ...], Key]] = []
    seen: set[str] = set()
    for f in figures:
        if f.id in seen:
            continue
        run = part_of.get(f.id, (f,))
        seen.update(x.id for x in run)
        if len(run) > 1 and any(x.role == "part" for x in run):
            continue  # "including 1,100 in Germany and 520 in Poland": a partial list, not a total
        k = keys[f.id]
        if len(run) > 1:
            k = replace(k, places=frozenset(), marks=frozenset())
        units.append((run, k))
    # Bucket by what may never join (dimension, currency); within a bucket, weigh the evidence.
    buckets: dict[tuple[str, str | None], list[tuple[tuple[Figure, ...], Key]]] = defaultdict(list)
    for run, k in units:
        if k.concept == "?":
            continue
        buckets[(k.dimension, k.currency)].append((run, k))
    groups: list[Group] = []
    for (dimension, _cur), members in buckets.items():
        # Vague amounts ("thousands of troops") join clusters; they do not shape them.
        members.sort(key=lambda m: all(f.hedge == "vague" for f in m[0]))
        for cluster, evidence in _clusters(members, rules):
            figs = [f for run, _ in cluster for f in run]
            if len(figs) < 2:
                continue
            gid = f"g{len(groups) + 1}"
            claims = [claim_of(run) for run, _ in cluster]
            concept = cluster[0][1].concept
            label = concept if dimension == "count" else f"{concept} ({cluster[0][0][0].counted or dimension})"
            groups.append(
                Group(id=gid, concept=label, dimension=dimension.split(":")[0],
                      figure_ids=[f.id for f in figs], claims=claims, evidence=evidence)
            )
    return groups


Member = tuple[tuple[Figure, ...], Key]


def _clusters(members: list[Member], rules: RuleSet) -> list[tuple[list[Member], list[str]]]:
    """Members joined where the evidence between a member and every distinct key of a cluster
    holds (complete link), first cluster first. Members with the same key weigh the same, so a
    cluster is weighed against its few distinct keys, however many members it has."""
    clusters: list[list[Member]] = []
    distinct: list[dict[Key, Figure]] = []
    evidence: list[list[str]] = []
    memo: dict[tuple[Key, Key], Weighing] = {}

    def weighed(a: Key, b: Key) -> Weighing:
        found = memo.get((a, b))
        if found is None:
            found = memo[(a, b)] = weigh(a, b, rules.grouping)
        return found

    # Another thing counted is a veto (evidence.weigh), unless both count people: a member is
    # weighed only against the clusters that hold a key of its concept, or that a person's count
    # may join ('people', or a count of persons), in the order they were made.
    holding: dict[str, list[int]] = defaultdict(list)  # concept, or PERSONS -> clusters, in order

    def note(index: int, key: Key) -> None:
        for name in (key.concept, _PERSONS) if key.person else (key.concept,):
            found = holding[name]
            at = bisect.bisect_left(found, index)
            if at == len(found) or found[at] != index:
                found.insert(at, index)

    for member in members:
        checkpoint()
        run, key = member
        lists = [holding.get(key.concept, [])]
        if key.person:
            lists.append(holding.get("people", []) if key.concept != "people" else holding.get(_PERSONS, []))
        for index in _merged(lists):
            cluster, keys, why = clusters[index], distinct[index], evidence[index]
            if key in keys:
                cluster.append(member)
                break
            weighings = [(other, weighed(key, other)) for other in keys]
            if all(w.joins(rules.grouping) for _, w in weighings):
                other, best = max(weighings, key=lambda p: p[1].score)
                why.append(f"{run[0].id} ~ {keys[other].id}: {best.explain()}")
                cluster.append(member)
                keys[key] = run[0]
                note(index, key)
                break
        else:
            clusters.append([member])
            distinct.append({key: run[0]})
            evidence.append([])
            note(len(clusters) - 1, key)
    return list(zip(clusters, evidence, strict=True))


_PERSONS = "\0persons"  # not a concept: the clusters that hold a count of persons


def _merged(lists: list[list[int]]) -> Iterator[int]:
    """The indexes of sorted lists in one rising run, each once."""
    last = -1
    for index in heapq.merge(*lists):
        if index != last:
            yield index
            last = index


def _narrative_times(figures: Sequence[Figure], keys: dict[str, Key]) -> dict[str, frozenset[str]]:
    """A figure with no time of its own holds for the time of the figure before it in its sentence or
    in the sentence before, in the same paragraph ("... killed on Friday. Rescuers were searching for
    more than 60 people"; "the toll rose to 27 on Sunday, and 49 people remained missing")."""
    out: dict[str, frozenset[str]] = {}
    last: dict[str, tuple[int, int, frozenset[str]]] = {}  # document -> (sentence, paragraph, time words)
    for f in figures:
        own = keys[f.id].time
        prev = last.get(f.document_id)
        paragraph = f.frame.paragraph if f.frame else 0
        if not own and prev and f.sentence - prev[0] in (0, 1) and prev[1] == paragraph:
            out[f.id] = prev[2]
        if own:
            last[f.document_id] = (f.sentence, paragraph, own)
    return out


def _anaphora(figures: Sequence[Figure], keys: dict[str, Key]) -> dict[str, Figure]:
    """Figures that only restate what an earlier figure counted ("organisers put the figure at
    60,000"; extraction sets `refers_to`) and say nothing of their own: no status, a light verb."""
    found = referents(figures)
    return {
        fid: referent for fid, referent in found.items()
        # "the other two" is its own subgroup; "170,000 were still waiting" says something new.
        if not (keys[fid].statuses or keys[fid].marks or not keys[fid].light)
    }


def referents(figures: Sequence[Figure]) -> dict[str, Figure]:
    """Figure id -> the earlier figure it restates (`refers_to`), preferring the part over its whole:
    "4,800 of the port's 6,200 workers ... the authority put the figure at 1,900" restates the 4,800."""
    by_id = {f.id: f for f in figures}
    order = {f.id: i for i, f in enumerate(figures)}
    out: dict[str, Figure] = {}
    for f in figures:
        referent = by_id.get(f.refers_to or "")
        if referent is None:
            continue
        before = figures[order[referent.id] - 1] if order[referent.id] else None
        if before is not None and before.role == "part" and before.sentence == referent.sentence:
            referent = before
        out[f.id] = referent
    return out


def claim_of(run: Sequence[Figure]) -> Claim:
    first = run[0]
    use_base = first.base_low is not None and first.dimension not in ("count",)
    if len(run) == 1:
        low = first.base_low if use_base and first.base_low is not None else first.low
        high = first.base_high if use_base and first.base_high is not None else first.high
        return Claim(
            source=first.source, figure_ids=[first.id], value=first.value, low=as_number(low),
            high=as_number(high), expression=first.text, document_ids=[first.document_id],
        )
    total = sum(f.value for f in run)
    low = sum(f.low for f in run)
    high = sum(f.high for f in run)
    expression = " + ".join(fmt(f.value) for f in run) + f" = {fmt(total)}"
    return Claim(
        source=first.source, figure_ids=[f.id for f in run], value=as_number(total), low=as_number(low),
        high=as_number(high), expression=expression, document_ids=sorted({f.document_id for f in run}),
    )

