"""Large groups, found and compared in bounded time. Conflicting accounts are found widest first:
the flags kept are those that comparing every pair of accounts would keep, in the same order;
and a figure is weighed only against the clusters it could join, into the same clusters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import service.compare
from service.compare import _ratio, apart, conflicts
from service.evidence import Key, weigh
from service.group import Member, _clusters
from service.models import Claim, Figure, Report
from service.rules import RuleSet

CheckText = Callable[..., Report]
MOST = 3


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    value = draw(st.sampled_from([0, 1, 2, 3, 5, 8, 10, 40, 100, 150, 400, 1000, 2500, -3]))
    below = draw(st.sampled_from([0, 0, 1, value // 10]))
    above = draw(st.sampled_from([0, 0, 1, value // 4]))
    source = draw(st.sampled_from(["a", "b", ""]))
    return Claim(source=source, figure_ids=["f"], value=value, low=value - below, high=value + above, expression="")


def widest_of(rules: RuleSet):  # type: ignore[no-untyped-def]
    def widest(claims_a: list[Claim], claims_b: list[Claim]) -> tuple[Claim, Claim] | None:
        # As compare's: apart, within max_ratio, and here also not both without a source.
        pairs = [(a, b) for a in claims_a for b in claims_b
                 if apart(a, b, rules.tolerances.conflict_gap) and (a.source or b.source)
                 and _ratio(a, b) <= rules.tolerances.max_ratio]
        if not pairs:
            return None
        return max(pairs, key=lambda p: max(p[0].low, p[1].low) - min(p[0].high, p[1].high))

    return widest


def every_pair(accounts: list[list[Claim]], widest, most: int) -> list[tuple[Claim, Claim]]:  # type: ignore[no-untyped-def]
    found = [pair for a, b in combinations(accounts, 2) if (pair := widest(a, b)) is not None]
    kept = sorted(range(len(found)), key=lambda i: -round(_ratio(*found[i]), 3))[:most]
    return [found[i] for i in sorted(kept)]


@settings(max_examples=300, deadline=None)
@given(accounts=st.lists(st.lists(claims(), min_size=1, max_size=3), max_size=14))
def test_widest_first_keeps_what_comparing_every_pair_keeps(
    rules: RuleSet, monkeypatch_module: pytest.MonkeyPatch, accounts: list[list[Claim]]
) -> None:
    tol = rules.tolerances.model_copy(update={"max_flags_per_group": MOST, "max_ratio": 50})
    widest = widest_of(rules)
    assert conflicts(accounts, widest, tol) == every_pair(accounts, widest, MOST)


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    patch = pytest.MonkeyPatch()
    patch.setattr(service.compare, "PAIRWISE_ACCOUNTS", 0)  # every group widest first
    yield patch
    patch.undo()


def test_a_story_told_by_hundreds_of_sources_is_flagged_as_comparing_every_pair_would(
    check_text: CheckText, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"{a}{b}" for a in ("Var", "Nol", "Tek", "Mar", "Isa", "Ron") for b in ("holt", "ling", "sen", "by")]
    text = " ".join(
        f"{name} {kind} said {3 + (i * 37) % 90} people died."
        for i, (name, kind) in enumerate((n, k) for n in names for k in ("Group", "Agency", "Press"))
    )
    fast = check_text(text)
    monkeypatch.setattr(service.compare, "PAIRWISE_ACCOUNTS", 10**9)
    slow: Report = check_text(text)
    assert len(fast.discrepancies) > 1
    assert fast.model_dump() == slow.model_dump()


def clusters_by_scan(members: list[Member], rules: RuleSet) -> list[tuple[list[Member], list[str]]]:
    """group._clusters as first written: each member weighed against every cluster."""
    clusters: list[list[Member]] = []
    distinct: list[dict[Key, Figure]] = []
    evidence: list[list[str]] = []
    for member in members:
        run, key = member
        for cluster, keys, why in zip(clusters, distinct, evidence, strict=True):
            if key in keys:
                cluster.append(member)
                break
            weighings = [(other, weigh(key, other, rules.grouping)) for other in keys]
            if all(w.joins(rules.grouping) for _, w in weighings):
                other, best = max(weighings, key=lambda p: p[1].score)
                why.append(f"{run[0].id} ~ {keys[other].id}: {best.explain()}")
                cluster.append(member)
                keys[key] = run[0]
                break
        else:
            clusters.append([member])
            distinct.append({key: run[0]})
            evidence.append([])
    return list(zip(clusters, evidence, strict=True))


@st.composite
def members(draw: st.DrawFn) -> list[Member]:
    out = []
    for n in range(draw(st.integers(0, 14))):
        figure = Figure.model_construct(id=f"f{n}")
        key = Key(
            dimension="count", concept=draw(st.sampled_from(["people", "troops", "passengers", "cars"])),
            statuses=frozenset(draw(st.sets(st.sampled_from(["killed", "injured"]), max_size=1))),
            places=frozenset(draw(st.sets(st.sampled_from(["paris", "lyon"]), max_size=1))),
            marks=frozenset(), strong=frozenset(), light=draw(st.booleans()), generic=draw(st.booleans()),
            time=frozenset(), currency=None, verb=draw(st.sampled_from(["", "die", "arrive"])),
            head=draw(st.sampled_from(["", "soldier"])), person=draw(st.booleans()),
        )
        out.append(((figure,), key))
    return out


@settings(max_examples=150, deadline=None)
@given(found=members())
def test_clusters_are_what_weighing_every_cluster_makes(rules: RuleSet, found: list[Member]) -> None:
    assert _clusters(found, rules) == clusters_by_scan(found, rules)
