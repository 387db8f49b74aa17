"""One spelling per source, and what a reference resolves to: the indexed lookups give what the
plain passes over every source give."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from service.attribution.lexicon import Lexicon
from service.attribution.names import NAME_LABELS, Canon, Mentions, Source, initials
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
    mentions: Mentions,
    named: list[tuple[str, Source, bool]],
    word: str,
    before: int,
    sentence: int,
    by_kind: bool,
    plural: bool,
    also: frozenset[str],
    reported: bool,
) -> Source | None:
    """Mentions.resolve as a pass over everything named (`named`, in the order it was added) for
    each call: the latest is the one with the greatest offset, the last added among those at one
    offset."""

    def latest(pool: list[tuple[int, Source]], bound: int) -> Source | None:
        earlier = [(s.offset, n, s) for n, s in pool if s.offset < bound]
        return max(earlier, key=lambda e: e[:2])[2] if earlier else None

    ordered = list(enumerate(named))
    sources = [(n, s) for n, (what, s, _) in ordered if what == "source" and (plural or not s.plural)]
    subjects = [(n, s) for n, (what, s, subject) in ordered if what == "entity" and subject]
    others = [(n, s) for n, (what, s, subject) in ordered if what == "entity" and not subject]
    by_word = latest([(n, s) for n, s in sources if word in {s.head} | s.words | s.described], before)
    if by_word is not None and also <= by_word.words | by_word.described:
        return by_word
    if not by_kind:
        return None
    kinds = mentions.lex.source_kinds.get(word, frozenset())
    if not kinds:
        return None
    labels = kinds | {"NAME"}

    def lone(s: Source) -> bool:
        return "ORG" not in kinds and len(s.words) == 1 and s.name[:1].isupper() and not s.name.isupper()

    salient = latest(
        [(n, s) for n, s in sources if s.label in labels or lone(s)]
        + [(n, s) for n, s in subjects if s.label in labels and not reported],
        before,
    )
    if salient is not None or reported:
        return salient
    other = latest([(n, s) for n, s in others if s.label in labels], sentence)
    if other is not None:
        return other
    if "ORG" in kinds:
        here = latest([(n, s) for n, s in subjects if s.label in NAME_LABELS], before)
        if here is not None and here.offset >= sentence:
            return replace(here, label="ORG")
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
# A subject entity before any other entity; of two named at one place, the one named last.
@example([("entity", Source("Kp", "kp", "ORG", 5), False), ("entity", Source("Press", "press", "ORG", 6), True)],
         "it", 35, True, True, frozenset(), False)
@example([("source", Source("Kp", "kp", "PERSON", 12), False),
          ("entity", Source("Press", "press", "PERSON", 12), True)], "he", 35, True, True, frozenset(), False)
# A subject of the reference's own sentence, tagged as a person, is what 'the company' names.
@example([("entity", Source("Kp", "kp", "PERSON", 31), True)], "company", 35, True, True, frozenset(), False)
# 'The news agency' is not the latest agency of another kind.
@example([("source", Source("Kellwood Agency", "agency", "ORG", 12), False)], "agency", 35, True, True,
         frozenset({"press"}), False)
# 'The broadcaster' is a source that reported, not a subject merely named.
@example([("source", Source("Kp", "kp", "ORG", 12), False), ("entity", Source("Press", "press", "ORG", 22), True)],
         "it", 35, True, True, frozenset(), True)
@given(
    named=st.lists(mentioned(), max_size=14),
    word=st.sampled_from(["he", "it", "they", "agency", "company", "police", "press", "kp"]),
    before=st.integers(30, 40),
    by_kind=st.booleans(),
    plural=st.booleans(),
    also=st.sets(st.sampled_from(["press", "khaama", "agency"]), max_size=1).map(frozenset),
    reported=st.booleans(),
)
def test_a_reference_resolves_as_a_pass_over_everything_named_before_finds(
    rules: RuleSet,
    named: list[tuple[str, Source, bool]],
    word: str,
    before: int,
    by_kind: bool,
    plural: bool,
    also: frozenset[str],
    reported: bool,
) -> None:
    mentions = Mentions(Lexicon.from_rules(rules.attribution))
    # Sentence by sentence, as attribution reads them; the reference stands in the last one.
    named = sorted(named, key=lambda m: m[1].offset // 10)
    for what, source, subject in named:
        if what == "source":
            mentions.add_source(source)
        else:
            mentions._add_entity(source, subject)
    got = mentions.resolve(word, before, 30, by_kind=by_kind, plural=plural, also=also, reported=reported)
    assert got == resolve_by_scan(mentions, named, word, before, 30, by_kind, plural, also, reported)
