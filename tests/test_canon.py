"""One spelling per source: the indexed Canon gives what the plain nearest-first scan gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.attribution.names import Canon, Source, initials


def scan(sources: list[Source], defined: dict[str, str], own: str | None, source: Source) -> str:
    """The rule as first written: every source, nearest first, for each call."""
    name = source.name
    low = name.lower()
    if low in defined:
        return defined[low]
    if own and name.isupper() and 1 < len(name) <= 6 and initials(own) == low:
        return own
    best = source
    for other in sorted(sources, key=lambda s: abs(s.offset - source.offset)):
        if len(other.words) <= len(best.words) or other.name.lower() == low:
            continue
        same_head = other.head == best.head and best.words <= other.words
        spelled = name.isupper() and 1 < len(name) <= 6 and initials(other.name) == low
        if same_head or spelled:
            best = other
    if best is not source and best.name.lower() in defined:
        return defined[best.name.lower()]
    return best.name


# A small vocabulary, so that heads, word sets, initials and offsets collide often.
WORDS = ["Khaama", "Press", "KP", "Police", "Kellwood", "of", "Agency"]
NAMES = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)


@st.composite
def sources(draw: st.DrawFn) -> Source:
    name = draw(NAMES)
    head = draw(st.sampled_from([name.lower().split()[-1], name.lower().split()[0], "press"]))
    return Source(name, head, "ORG", draw(st.integers(0, 6)))


KP = Source("KP", "kp", "ORG", 10)

# fmt: off
SCANS = [
    # nearest first: the fuller form to the right is nearer than the one to the left
    ([Source("Kellwood Police", "police", "ORG", 2), Source("Kellwood City Police", "police", "ORG", 19)],
     Source("Police", "police", "ORG", 15), "Kellwood City Police"),
    # a spelled-out short name takes its head: a form met before it, at the same distance, stays unused
    ([Source("Khaama Press Agency", "press", "ORG", 12), Source("Khaama Press", "press", "ORG", 12)], KP,
     "Khaama Press"),
    # ... and one met after it, on the other side at the same distance, extends it
    ([Source("Khaama Press", "press", "ORG", 12), Source("Khaama Press Agency", "press", "ORG", 8)], KP,
     "Khaama Press Agency"),
    # a form without all of the best's words does not replace it
    ([Source("Metro City Police", "police", "ORG", 11), Source("Kellwood Police Force", "police", "ORG", 14)],
     Source("Kellwood Police", "police", "ORG", 10), "Kellwood Police Force"),
]
# fmt: on


@pytest.mark.parametrize(("found", "query", "spelling"), SCANS)
def test_canon_takes_the_fullest_form_nearest_first(found: list[Source], query: Source, spelling: str) -> None:
    assert scan(found, {}, None, query) == spelling
    assert Canon(found, {}, None)(query) == spelling


@settings(max_examples=500, deadline=None)
@given(
    found=st.lists(sources(), max_size=16),
    queries=st.lists(sources(), min_size=1, max_size=4),
    defined=st.dictionaries(st.sampled_from(["kp", "kellwood police"]), NAMES, max_size=2),
    own=st.sampled_from([None, "Khaama Press"]),
)
def test_canon_spells_each_source_as_the_nearest_first_scan_does(
    found: list[Source], queries: list[Source], defined: dict[str, str], own: str | None
) -> None:
    canon = Canon(found, defined, own)
    for query in [*found, *queries]:
        assert canon(query) == scan(found, defined, own, query)
