"""service.nlp.parse gives every token exactly what spaCy's own components give it."""

from __future__ import annotations

import pytest
from spacy.language import Language

from service.nlp import faster, parse

# Texts that reach every kind of attribute-ruler pattern: tags alone, words with tags, dependency
# labels, two-token patterns ("gonna", "let's", "y'all"), regular expressions ("nothin'"), spaces.
TEXTS = [
    "Police said 3,200 people were evacuated on Monday, and 40 were taken to hospital.",
    "I ain't gonna let's go, y'all. C'mon, we gotta do it.",
    "Nothin' is there.  There is a   cat\n\n and there are dogs.",
    "It isn't. You don't. I'm here, you're there, it's fine. Is it? Are they? Am I?",
    "But he did. Do it. Have you? Has she? He gets it; she got it.",
    "  \n leading spaces, then \"a quote,\" TASS noted.",
    "That that is is that that is not. Which one? This one. Whether or not, unless it rains.",
    "The ministry put the figure at about 1.2m, up 15% from 2019, while the U.S. estimate was $3.4bn.",
]
ATTRS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]


def test_the_rule_based_components_run_through_their_faster_equivalents(nlp: Language) -> None:
    assert faster(nlp) == ["attribute_ruler", "lemmatizer"]


@pytest.mark.parametrize("text", TEXTS)
def test_parse_matches_spacy_token_for_token(nlp: Language, text: str) -> None:
    (expected,) = nlp.pipe([text])
    (got,) = parse(nlp, [text])
    assert [t.text for t in got] == [t.text for t in expected]
    assert got.to_array(ATTRS).tolist() == expected.to_array(ATTRS).tolist()
    assert [(t.lemma_, str(t.morph), t.pos_) for t in got] == [(t.lemma_, str(t.morph), t.pos_) for t in expected]
    assert [(e.start, e.end, e.label_) for e in got.ents] == [(e.start, e.end, e.label_) for e in expected.ents]


def test_parse_keeps_order_across_batches(nlp: Language) -> None:
    texts = [f"{n} people were counted in district {n}." for n in range(1, 40)]
    docs = list(parse(nlp, texts, batch_size=8))
    assert [d.text for d in docs] == texts
