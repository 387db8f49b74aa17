"""Whether two figures describe the same thing, weighed: evidence for and against adds up to a
score, and only an explicit contradiction vetoes (another dimension or currency, another stated
time or place, statuses that exclude each other, a plan against a count, what is left against the
whole). The weights are data in rules/grouping.yaml; every weighing keeps its reasons, which a
group reports as the evidence that joined it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .frame import times_fit
from .rules import GroupingRules


@dataclass(frozen=True)
class Key:
    """What a figure (or a run of summed parts) is about, as far as grouping goes: its frame."""

    dimension: str
    concept: str
    statuses: frozenset[str]
    places: frozenset[str]
    marks: frozenset[str]
    strong: frozenset[str]
    light: bool
    generic: bool
    time: frozenset[str]
    currency: str | None
    phase: str = ""
    verb: str = ""
    head: str = ""
    change: str = ""
    rate: str = ""
    group: str = ""
    person: bool = False
    actor: str = ""
    weak: bool = False
    count: bool = True
    story: str = ""
    kind: str = ""
    revision: str = ""
    document: str = ""
    descriptors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Weighing:
    score: float
    veto: str | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def joins(self, rules: GroupingRules) -> bool:
        return self.veto is None and self.score >= rules.threshold

    def explain(self) -> str:
        if self.veto is not None:
            return f"not joined: {self.veto}"
        return "; ".join(self.reasons) + f" (score {self.score:g})"


def _named(places: frozenset[str]) -> frozenset[str]:
    """The named places of a set; a place named by a common noun is kept as 'the province'."""
    return frozenset(p for p in places if not p.startswith("the "))


def veto(a: Key, b: Key) -> str | None:
    """The explicit contradiction between two keys, if any."""
    if a.story != b.story:
        return "different stories"
    if a.document == b.document and (a.revision or b.revision):
        return "a revision of the count in the same text"
    if a.dimension != b.dimension:
        return "different dimensions"
    if a.currency != b.currency:
        return "different currencies"
    if a.concept == "?" or b.concept == "?":
        return "nothing names what one of them counts"
    if a.strong != b.strong:
        return f"a {' / '.join(sorted(a.strong ^ b.strong))} is not a count of what happened"
    if a.statuses and b.statuses and a.statuses != b.statuses:
        return f"{'/'.join(sorted(a.statuses))} against {'/'.join(sorted(b.statuses))}"
    if a.group and b.group and a.group != b.group:
        return f"{a.group} against {b.group}"
    if a.kind != b.kind:
        return "a part of one kind against the whole or another kind" if a.kind and b.kind else \
            f"a part of the kind '{a.kind or b.kind}' against the whole"
    if a.phase != b.phase:
        return "what is left against the whole"
    if a.rate != b.rate:
        return "a rate against a count" if not (a.rate and b.rate) else "rates over different periods"
    if a.change != b.change:
        return "a change against a level" if not (a.change and b.change) else "a rise against a fall"
    if not times_fit(a.time, b.time):
        return "different times"
    named_a, named_b = _named(a.places), _named(b.places)
    if named_a and named_b and not (named_a & named_b):
        return "different places"
    common_a, common_b = a.places - named_a, b.places - named_b
    if common_a and common_b and not (common_a & common_b):
        return "different places"
    return None


def weigh(a: Key, b: Key, rules: GroupingRules) -> Weighing:
    """The evidence that `a` and `b` describe the same thing."""
    stop = veto(a, b)
    if stop is not None:
        return Weighing(0.0, veto=stop)
    w = rules.evidence
    score = 0.0
    reasons: list[str] = []

    def add(weight: float, why: str) -> None:
        nonlocal score
        if weight:
            score += weight
            reasons.append(f"{why} {weight:+g}")

    if a.concept != b.concept:
        # "31 people on board" and "46 passengers": people, said of a population.
        if not (a.person and b.person and "people" in (a.concept, b.concept)):
            return Weighing(0.0, veto="different things counted")
        add(w.people_and_population, f"'{a.head or a.concept}' / '{b.head or b.concept}' are people")
    elif a.weak or b.weak:
        add(w.same_verb_only, f"only the verb '{a.concept.split(':')[-1]}' names both")
    elif not a.count:
        # An amount or a measure: its unit says nothing of what it is; what it describes does.
        add(w.same_head, f"both describe '{a.concept.split(':', 1)[-1]}'")
    elif a.head and a.head == b.head:
        add(w.same_head, f"same noun '{a.head}'")
    else:
        add(w.same_class, f"same class '{a.concept}' ({a.head or '-'} / {b.head or '-'})")
    if a.statuses != b.statuses:
        # One names what happened (killed, hired); the other only a number.
        plain = b if a.statuses else a
        if a.generic or b.generic:
            add(w.generic_one_status, "a bare count of people against one with a status")
        elif not plain.light:
            add(w.one_sided_status, f"'{plain.verb}' against '{'/'.join(sorted(a.statuses or b.statuses))}'")
    elif a.statuses:
        add(w.same_status, f"both {'/'.join(sorted(a.statuses))}")
    elif a.generic or b.generic:
        add(w.generic, "'people' alone names too little")
    if not a.statuses and not b.statuses and a.dimension == "count" and not a.light and not b.light:
        if a.verb == b.verb:
            add(w.same_event, f"same event '{a.verb}'")
        else:
            add(w.other_event, f"different events '{a.verb}' / '{b.verb}'")
    shared = a.marks & b.marks
    for m in sorted(shared):
        add(w.shared_mark, f"both '{m}'")
    glued = a.descriptors | b.descriptors
    if a.marks and b.marks and not shared:
        if a.marks | b.marks <= glued:
            add(w.other_descriptors, f"'{'/'.join(sorted(a.marks))}' against '{'/'.join(sorted(b.marks))}'")
        else:
            add(w.other_marks, f"'{'/'.join(sorted(a.marks))}' against '{'/'.join(sorted(b.marks))}'")
    else:
        for m in sorted(a.marks ^ b.marks):
            if m in glued:
                add(w.one_sided_descriptor, f"only one says '{m}'")
            else:
                add(w.one_sided_mark, f"only one says '{m}'")
    if a.actor and b.actor:
        if a.actor.lower() == b.actor.lower():
            add(w.same_actor, f"both {a.actor}'s")
        elif a.actor[:1].isupper() and b.actor[:1].isupper():
            add(w.other_named_actors, f"{a.actor}'s against {b.actor}'s")
        else:
            add(w.other_actors, f"{a.actor}'s against {b.actor}'s")
    elif (a.actor or b.actor)[:1].isupper():
        add(w.one_named_actor, f"only one is {a.actor or b.actor}'s")
    if a.places & b.places:
        add(w.shared_place, f"both in {'/'.join(sorted(a.places & b.places))}")
    elif bool(a.places) != bool(b.places):
        # "700,000 marched in Paris" against "3.5 million marched": the one may be a part of the other
        add(w.one_sided_place, f"only one is limited to {'/'.join(sorted(a.places or b.places))}")
    if a.time & b.time:
        add(w.shared_time, f"both {'/'.join(sorted(a.time & b.time))}")
    return Weighing(round(score, 6), reasons=tuple(reasons))
