"""Sets of token positions kept as runs, for the scopes of cues.

A cue's scope is a subtree of the parse less a few others, and a subtree of a projective parse is
a run of positions from its left edge to its right edge. Kept as runs, a scope costs a few pairs
however long its sentence, so that a sentence of many nested cues ("A said that B said that C
said ...") costs time and memory in proportion to its cues, not to cues times words.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from spacy.tokens import Token


class Runs:
    """An immutable set of integers held as sorted, disjoint, half-open runs [lo, hi)."""

    __slots__ = ("_los", "_runs")

    def __init__(self, runs: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[tuple[int, int]] = []
        for lo, hi in sorted(r for r in runs if r[0] < r[1]):
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        self._runs = tuple(merged)
        self._los = [lo for lo, _ in merged]

    @classmethod
    def span(cls, lo: int, hi: int) -> Runs:
        """The positions lo .. hi - 1."""
        return cls(((lo, hi),))

    @classmethod
    def of(cls, *positions: int) -> Runs:
        return cls((p, p + 1) for p in positions)

    @classmethod
    def subtree(cls, tok: Token) -> Runs:
        """The positions of `tok`'s subtree: from its left edge to its right edge."""
        return cls.span(tok.left_edge.i, tok.right_edge.i + 1)

    def __contains__(self, position: object) -> bool:
        if not isinstance(position, int):
            return False
        k = bisect.bisect_right(self._los, position) - 1
        return k >= 0 and position < self._runs[k][1]

    def __or__(self, other: Runs) -> Runs:
        return Runs(self._runs + other._runs)

    def union(self, others: Iterable[Runs]) -> Runs:
        return Runs(self._runs + tuple(r for other in others for r in other._runs))

    def __sub__(self, other: Runs) -> Runs:
        out: list[tuple[int, int]] = []
        cuts = other._runs
        j = 0
        for lo, hi in self._runs:
            while j < len(cuts) and cuts[j][1] <= lo:
                j += 1
            k = j
            while k < len(cuts) and cuts[k][0] < hi:
                if cuts[k][0] > lo:
                    out.append((lo, cuts[k][0]))
                lo = max(lo, cuts[k][1])
                k += 1
            if lo < hi:
                out.append((lo, hi))
        return Runs(out)

    def before(self, position: int) -> Runs:
        """The positions below `position`."""
        return self - Runs.span(position, max(position, self.end))

    @property
    def start(self) -> int:
        return self._runs[0][0] if self._runs else 0

    @property
    def end(self) -> int:
        return self._runs[-1][1] if self._runs else 0

    def __len__(self) -> int:
        return sum(hi - lo for lo, hi in self._runs)

    def __bool__(self) -> bool:
        return bool(self._runs)

    def __iter__(self) -> Iterator[int]:
        for lo, hi in self._runs:
            yield from range(lo, hi)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Runs) and self._runs == other._runs

    def __hash__(self) -> int:
        return hash(self._runs)

    def __repr__(self) -> str:
        return f"Runs({list(self._runs)})"


EMPTY = Runs()

T = TypeVar("T")


def stab(items: Sequence[tuple[Runs, T]], points: Iterable[int]) -> dict[int, list[T]]:
    """For each point, the items whose runs hold it, in the order of `items`: one sweep over all the
    runs and points, so that its cost follows the runs, the points and the answers, not runs times
    points."""
    events: list[tuple[int, int, int]] = []  # (position, 0 opens / 1 point / 2 closes, item or -1)
    for k, (runs, _) in enumerate(items):
        for lo, hi in runs._runs:
            events.append((lo, 0, k))
            events.append((hi, -1, k))  # a run is half-open: it closes before a point at hi
    for p in set(points):
        events.append((p, 1, -1))
    events.sort()
    active: dict[int, None] = {}
    found: dict[int, list[T]] = {}
    for position, kind, k in events:
        if kind == 0:
            active[k] = None
        elif kind == -1:
            active.pop(k, None)
        else:
            found[position] = [items[j][1] for j in sorted(active)]
    return found
