"""One spelling per source, and what a reference resolves to: the indexed lookups give what the
plain passes over every source give."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from service.attribution.lexicon import Lexicon
from service.attribution.names import Canon, Mentions, Source, initials
from service.rules import RuleSet


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


def resolve_by_scan(
    mentions: Mentions, word: str, before: int, sentence: int, by_kind: bool, plural: bool
) -> Source | None:
    """Mentions.resolve as first written: a pass over every source and entity for each call."""
    earlier = [s for s in mentions.sources if s.offset < before]
    seen = [(e, subject) for e, subject in mentions.entities if e.offset < sentence or (subject and e.offset < before)]
    entities = [e for e, _ in seen]
    if not plural:
        earlier = [s for s in earlier if not s.plural]
    for s in reversed(earlier):
        if s.head == word or word in s.words or word in s.described:
            return s
    if not by_kind:
        return None
    kinds = mentions.lex.source_kinds.get(word, frozenset())
    if not kinds:
        return None
    if "PERSON" in kinds and "ORG" not in kinds:
        people = [s for s in earlier + entities if s.label in kinds or s.label == "NAME"]
        return max(people, key=lambda s: s.offset) if people else None
    subjects = [e for e, subject in seen if subject]
    others = [e for e, subject in seen if not subject]
    for pool in (earlier, subjects, others):
        for s in sorted(pool, key=lambda s: s.offset, reverse=True):
            if s.label in kinds or s.label == "NAME":
                return s
    return None


@st.composite
def mentioned(draw: st.DrawFn) -> tuple[str, Source, bool]:
    """A source or an entity, named in one of four sentences of ten characters each."""
    name = draw(NAMES)
    label = draw(st.sampled_from(["ORG", "PERSON", "NAME", "NORP", "GPE"]))
    described = frozenset(draw(st.sets(st.sampled_from(["agency", "company", "police"]), max_size=1)))
    source = Source(name, name.lower().split()[-1], label, draw(st.integers(0, 39)), described, draw(st.booleans()))
    return draw(st.sampled_from(["source", "entity"])), source, draw(st.booleans())


@settings(max_examples=400, deadline=None)
# A subject entity before any other entity; a source before an entity named at the same place.
@example([("entity", Source("Kp", "kp", "ORG", 5), False), ("entity", Source("Press", "press", "ORG", 6), True)],
         "it", 35, True, True)
@example([("source", Source("Kp", "kp", "PERSON", 12), False),
          ("entity", Source("Press", "press", "PERSON", 12), True)], "he", 35, True, True)
@given(
    named=st.lists(mentioned(), max_size=14),
    word=st.sampled_from(["he", "it", "they", "agency", "company", "police", "press", "kp"]),
    before=st.integers(30, 40),
    by_kind=st.booleans(),
    plural=st.booleans(),
)
def test_a_reference_resolves_as_a_pass_over_everything_named_before_finds(
    rules: RuleSet, named: list[tuple[str, Source, bool]], word: str, before: int, by_kind: bool, plural: bool
) -> None:
    mentions = Mentions(Lexicon.from_rules(rules.attribution))
    # Sentence by sentence, as attribution reads them; the reference stands in the last one.
    for _, source, subject in sorted(named, key=lambda m: m[1].offset // 10):
        if _ == "source":
            mentions.add_source(source)
        else:
            mentions._add_entity(source, subject)
    got = mentions.resolve(word, before, 30, by_kind=by_kind, plural=plural)
    assert got is resolve_by_scan(mentions, word, before, 30, by_kind, plural)
