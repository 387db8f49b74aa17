"""Tokens of a parsed sentence found by character offset, by binary search, and its entities.

Extraction asks, for each number, which token ends before it, which tokens follow it and which
dates the sentence names. Walking the sentence for each number costs the sentence's length per
number, so a long sentence packed with numbers cost the square of its length. What is asked is
read once per parse (the offsets from spaCy's arrays) and kept as long as the parse lives.
"""

from __future__ import annotations

import bisect
import weakref

from spacy.tokens import Doc, Token

_OFFSETS: weakref.WeakKeyDictionary[Doc, tuple[list[int], list[int]]] = weakref.WeakKeyDictionary()
# Bounds, not spans: a span holds its doc, and a value that holds its key would keep it alive.
_ENTITIES: weakref.WeakKeyDictionary[Doc, tuple[tuple[tuple[int, int, str], ...], list[int]]] = (
    weakref.WeakKeyDictionary()
)


def offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Where each token starts and ends, as two rising lists (tokens neither overlap nor are empty)."""
    found = _OFFSETS.get(doc)
    if found is None:
        starts: list[int] = []
        ends: list[int] = []
        if len(doc):
            for start, length in doc.to_array(["IDX", "LENGTH"]).tolist():
                starts.append(start)
                ends.append(start + length)
        found = _OFFSETS[doc] = (starts, ends)
    return found


def token_before(doc: Doc, pos: int) -> Token | None:
    """The last token that ends at or before `pos`."""
    k = bisect.bisect_right(offsets(doc)[1], pos) - 1
    return doc[k] if k >= 0 else None


def tokens_after(doc: Doc, pos: int, count: int) -> list[Token]:
    """The first `count` tokens that start at or after `pos`."""
    j = bisect.bisect_left(offsets(doc)[0], pos)
    return [doc[i] for i in range(j, min(j + count, len(doc)))]


def token_starting_at(doc: Doc, pos: int) -> Token | None:
    starts = offsets(doc)[0]
    j = bisect.bisect_left(starts, pos)
    return doc[j] if j < len(starts) and starts[j] == pos else None


def entities(doc: Doc) -> tuple[tuple[int, int, str], ...]:
    """`doc.ents` as (start token, end token, label), read once (spaCy makes the spans anew at
    each reading of `doc.ents`)."""
    return _entities(doc)[0]


def _entities(doc: Doc) -> tuple[tuple[tuple[int, int, str], ...], list[int]]:
    found = _ENTITIES.get(doc)
    if found is None:
        bounds = tuple((e.start, e.end, e.label_) for e in doc.ents)
        found = _ENTITIES[doc] = (bounds, [start for start, _, _ in bounds])
    return found


def entity_at(doc: Doc, i: int) -> tuple[int, int, str] | None:
    """The entity (start token, end token, label) that holds token `i`, if any (entities do not overlap)."""
    found, starts = _entities(doc)
    k = bisect.bisect_right(starts, i) - 1
    return found[k] if k >= 0 and i < found[k][1] else None
