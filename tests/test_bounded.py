"""Bounded work: a sentence is read in pieces of bounded length, and the lookups each figure makes
(tokens by offset, quotes by offset, cue words in a growing window, the sentence stop before it)
give what walking the whole sentence or text gives."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc, Token

from service import tokens
from service.attribution.quotes import find_quotes
from service.context import _subtree_order
from service.read import MAX_SENTENCE_CHARS, split_sentences
from service.windows import GrowingSearch, last_mark, last_stop, longest_phrase_match, next_mark

LIST = "Police said " + ", ".join(f"{i} cars" for i in range(1, 400)) + " were damaged. The next one."


# fmt: off
PIECES = [
    # a sentence within the bound is one sentence, however it is punctuated
    ("Police said 5; the army said 6, and 7 more. Next.", ["Police said 5; the army said 6, and 7 more.", "Next."]),
    # an endless list is cut after a comma, in pieces of at most the bound
    (LIST, None),
    # a word longer than the bound is never cut: the piece ends after it
    ("9" * 2500 + " died.", ["9" * 2500, "died."]),
    # without a comma or semicolon, a space will do
    ("word " * 500, None),
]
# fmt: on


@pytest.mark.parametrize(("text", "pieces"), PIECES)
def test_a_long_sentence_is_read_in_pieces_cut_at_a_clause_boundary(text: str, pieces: list[str] | None) -> None:
    spans = split_sentences(text)
    got = [text[s:e] for s, e in spans]
    if pieces is not None:
        assert got == pieces
        return
    assert len(got) > 1
    for piece in got:
        assert len(piece) <= MAX_SENTENCE_CHARS
        assert piece == piece.strip()
    assert " ".join(got).split() == text.split()  # no word cut or lost
    if "," in text:
        assert all(p.endswith(",") for p in got[:-2])  # cut after a comma


def _walk_before(doc: Doc, pos: int) -> Token | None:
    found = None
    for t in doc:
        if t.idx + len(t.text) <= pos:
            found = t
        else:
            break
    return found


def _walk_after(doc: Doc, pos: int, count: int) -> list[Token]:
    return [t for t in doc if t.idx >= pos][:count]


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab 1,-.\n'")), max_size=40),
    pos=st.integers(-2, 45),
    count=st.integers(0, 4),
)
def test_token_lookups_by_offset_give_what_walking_the_sentence_gives(
    nlp: Language, text: str, pos: int, count: int
) -> None:
    doc = nlp.make_doc(text)
    assert tokens.token_before(doc, pos) == _walk_before(doc, pos)
    assert tokens.tokens_after(doc, pos, count) == _walk_after(doc, pos, count)
    at = tokens.token_starting_at(doc, pos)
    assert at == next((t for t in doc if t.idx == pos), None)


def test_entities_are_read_as_the_doc_gives_them(nlp: Language) -> None:
    doc = nlp("On Monday the UN said 40 people died in Gaza, Reuters reported on Friday.")
    assert tokens.entities(doc) == tuple((e.start, e.end, e.label_) for e in doc.ents)
    assert any(label == "DATE" for _, _, label in tokens.entities(doc))


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('ab "\n5')), max_size=60))
def test_quote_segments_never_overlap_and_run_in_text_order(text: str) -> None:
    # Attribution finds the quote around a figure by a binary search over the segments.
    segments = [seg for q in find_quotes(text) for seg in q.segments]
    assert all(o < c for o, c in segments)
    assert all(c1 <= o2 for (_, c1), (o2, _) in itertools.pairwise(segments))


# Built as the breakdown cue is (rules/relations.yaml): words joined by any run of white space.
BREAKDOWN = re.compile(r":|\b(?:consist\s+of|made\s+up\s+of|split\s+into|comprised?)\b", re.I)
PHRASES = ["consist of", "made up of", "split into", "comprised"]
WORDS = ["made", "up", "of", "split", "into", "comprise", "comprised", "consist", ":", "x", "5", ",", "ab"]


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(["", " ", "  ", "\n ", ","])), max_size=12),
    start=st.integers(0, 60),
    ends=st.lists(st.integers(0, 80), min_size=1, max_size=8),
    shuffled=st.booleans(),
)
def test_a_growing_search_finds_what_searching_each_window_finds(
    pieces: list[tuple[str, str]], start: int, ends: list[int], shuffled: bool
) -> None:
    text = "".join(w + gap for w, gap in pieces)
    start = min(start, len(text))
    search = GrowingSearch(BREAKDOWN, longest_phrase_match(PHRASES, text), text, start)
    for end in ends if shuffled else sorted(ends):
        end = min(end, len(text))
        assert search.found(end) == bool(BREAKDOWN.search(text[start:end])), (text, start, end)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab .!?1٣ ")), max_size=30), pos=st.integers(0, 32))
def test_marks_are_found_as_the_plain_searches_find_them(text: str, pos: int) -> None:
    stops = list(re.finditer(r"[.!?](?!\d)", text[:pos]))
    assert last_stop(text, pos) == (stops[-1].end() if stops else 0)
    assert next_mark(text, ".", pos) == text.find(".", pos)
    assert last_mark(text, ".", pos) == text.rfind(".", 0, pos)


PLACES = [
    "In Paris, 37,000 people marched, and in Lyon 12,000 marched on the square near the Rhone in France.",
    "The storm killed 1,360 people in India and 240 in Bangladesh, and left 80,000 homeless in Assam.",
    "Some 70,354 migrants arrived in Italy and Greece from Libya across the sea, officials in Rome said.",
]


@pytest.mark.parametrize("text", PLACES)
def test_subtree_order_is_the_order_root_subtree_yields(nlp: Language, text: str) -> None:
    # Places are read from a clause's prepositions in the order the clause's subtree gives them.
    doc = nlp(text)
    for root in doc:
        walked = [t.i for t in root.subtree]
        assert sorted(walked, key=lambda i: _subtree_order(root, doc[i])) == walked
    for t in doc:
        assert tokens.entity_at(doc, t.i) == next(
            ((e.start, e.end, e.label_) for e in doc.ents if e.start <= t.i < e.end), None
        )
