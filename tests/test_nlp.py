"""service.nlp.parse gives every token exactly what spaCy's own components give it, with numcheck's
faster components swapped in (NUMCHECK_FAST_COMPONENTS) and without them."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Span

from service.nlp import ParseCache, components, faster, load_pipeline, overlap_point, parse
from service.nlp.entities import FastEntityRecognizer
from service.read import split_sentences
from service.settings import Settings

SEED = Path(__file__).resolve().parent.parent / "seeds" / "tass-kp-tajikistan-drills" / "article.txt"

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


@pytest.fixture(scope="session")
def spacy_nlp(settings: Settings) -> Language:
    """The pipeline with spaCy's own components only (NUMCHECK_FAST_COMPONENTS=false)."""
    return load_pipeline(settings.spacy_pipeline, False)


@pytest.fixture(scope="session")
def fast_nlp(settings: Settings) -> Language:
    return load_pipeline(settings.spacy_pipeline, True)


@pytest.fixture(params=[True, False], ids=["fast", "spacy"])
def any_nlp(request: pytest.FixtureRequest, fast_nlp: Language, spacy_nlp: Language) -> Language:
    """The pipeline as each setting of NUMCHECK_FAST_COMPONENTS loads it."""
    return fast_nlp if request.param else spacy_nlp


def test_the_rule_based_components_are_swapped_for_their_faster_equivalents(
    fast_nlp: Language, spacy_nlp: Language
) -> None:
    assert faster(fast_nlp) == ["attribute_ruler", "lemmatizer", "ner"]
    assert components(fast_nlp) == {
        "tok2vec": "tok2vec", "tagger": "tagger", "parser": "parser",
        "attribute_ruler": "numcheck_attribute_ruler", "lemmatizer": "numcheck_lemmatizer", "ner": "numcheck_ner",
    }
    assert faster(spacy_nlp) == []
    assert set(components(spacy_nlp).values()) == {
        "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"
    }


@pytest.mark.parametrize("text", TEXTS)
def test_parse_matches_spacy_token_for_token(any_nlp: Language, spacy_nlp: Language, text: str) -> None:
    (expected,) = spacy_nlp.pipe([text])
    (got,) = parse(any_nlp, [text])
    assert [t.text for t in got] == [t.text for t in expected]
    assert got.to_array(ATTRS).tolist() == expected.to_array(ATTRS).tolist()
    assert [(t.lemma_, str(t.morph), t.pos_) for t in got] == [(t.lemma_, str(t.morph), t.pos_) for t in expected]
    assert [(e.start, e.end, e.label_) for e in got.ents] == [(e.start, e.end, e.label_) for e in expected.ents]


def test_parse_keeps_order_across_batches(any_nlp: Language) -> None:
    texts = [f"{n} people were counted in district {n}." for n in range(1, 40)]
    docs = list(parse(any_nlp, texts, batch_size=8))
    assert [d.text for d in docs] == texts


def _entities(docs: list) -> list[list[tuple[int, int, str]]]:
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in docs]


@pytest.mark.parametrize("batch_size", [64, 5])
def test_entities_match_spacy_over_a_batch_of_sentences_of_every_length(
    any_nlp: Language, spacy_nlp: Language, batch_size: int
) -> None:
    # The batched decoder steps every sentence of a batch together: sentences of different
    # lengths, empty ones, whitespace tokens and several sentences in one text all meet there.
    article = SEED.read_text()
    sentences = [article[s:e] for s, e in split_sentences(article)]
    texts = [*sentences, "", "  ", *TEXTS, "Moscow.", "Vladimir Putin met Emomali Rahmon in Dushanbe on July 9, 2024.",
             # whitespace tokens where a name would begin: no entity may start on one
             "   Officers of the New York City Police Department met John Smith in Berlin.",
             "Officers met John Smith in\n\nBerlin on Monday with 3,200 troops from Russia.",
             " \n The UN said \n  \n 40 people died in Gaza , Reuters reported on Friday ."]
    expected = list(spacy_nlp.pipe(texts, batch_size=batch_size))
    got = list(parse(any_nlp, texts, batch_size=batch_size))
    assert sum(len(doc.ents) for doc in got) > 40
    assert _entities(got) == _entities(expected)
    assert [d.to_array(["ENT_IOB"]).tolist() for d in got] == [d.to_array(["ENT_IOB"]).tolist() for d in expected]


def test_preset_entities_are_left_to_spacy_and_kept(spacy_nlp: Language) -> None:
    nlp = spacy_nlp
    ner = nlp.get_pipe("ner")
    fast = FastEntityRecognizer.build(ner)
    assert fast is not None
    text = "The drills near Dushanbe involved 3,200 personnel from Russia."

    expected_doc = nlp.make_doc(text)
    expected_doc.set_ents([Span(expected_doc, 0, 2, label="EVENT")], default="unmodified")
    got_doc = nlp.make_doc(text)
    got_doc.set_ents([Span(got_doc, 0, 2, label="EVENT")], default="unmodified")
    (expected,) = ner.pipe([expected_doc])
    (got,) = fast.pipe([got_doc])
    assert ("The drills", "EVENT") in [(e.text, e.label_) for e in got.ents]
    assert _entities([got]) == _entities([expected])


def test_a_batch_with_some_entities_preset_matches_spacy(spacy_nlp: Language) -> None:
    nlp = spacy_nlp
    # The group holding the preset entity goes to spaCy; the other groups of the batch are decoded here.
    ner = nlp.get_pipe("ner")
    fast = FastEntityRecognizer.build(ner)
    assert fast is not None
    texts = [*TEXTS, "Vladimir Putin met Emomali Rahmon in Dushanbe on July 9, 2024."]

    def docs() -> list:
        out = [nlp.make_doc(text) for text in texts]
        out[-1].set_ents([Span(out[-1], 0, 2, label="EVENT")], default="unmodified")
        return out

    expected = list(ner.pipe(docs(), batch_size=8))
    got = list(fast.pipe(docs(), batch_size=8))
    assert ("Vladimir Putin", "EVENT") in [(e.text, e.label_) for e in got[-1].ents]
    assert sum(len(doc.ents) for doc in got[:-1]) > 5
    assert _entities(got) == _entities(expected)


def test_entities_do_not_cross_a_sentence_start_as_in_spacy(spacy_nlp: Language) -> None:
    nlp = spacy_nlp
    # The parser can start a sentence inside what would be a name; the recogniser then may not
    # carry an entity over it. Force a sentence start at every position in turn.
    ner = nlp.get_pipe("ner")
    fast = FastEntityRecognizer.build(ner)
    assert fast is not None
    text = "Officers of the New York City Police Department met John Smith in Berlin on Monday."

    def docs() -> list:
        out = []
        for k in range(1, len(nlp.make_doc(text))):
            doc = nlp.make_doc(text)
            for i, token in enumerate(doc):
                token.is_sent_start = i in (0, k)
            out.append(doc)
        return out

    expected = _entities(list(ner.pipe(docs())))
    got = _entities(list(fast.pipe(docs())))
    assert got == expected
    assert len(set(map(tuple, got))) > 3  # the forced starts do change what is found


# --- a helper thread -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def helper() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=1) as executor:
        yield executor


@pytest.mark.parametrize("batch_size", [128, 5])
def test_a_parse_with_a_helper_thread_is_the_same_parse(
    fast_nlp: Language, helper: ThreadPoolExecutor, batch_size: int
) -> None:
    nlp = fast_nlp
    # The entity networks run on the helper while this thread tags and parses the same docs.
    article = SEED.read_text()
    texts = [*TEXTS, "", *(article[s:e] for s, e in split_sentences(article))]
    alone = list(parse(nlp, texts, batch_size=batch_size))
    helped = list(parse(nlp, texts, batch_size=batch_size, helper=helper))
    assert [d.text for d in helped] == texts
    assert sum(len(d.ents) for d in helped) > 20
    assert _readings(helped) == _readings(alone)
    assert [[t.lemma_ for t in d] for d in helped] == [[t.lemma_ for t in d] for d in alone]


def test_the_helper_thread_is_not_used_where_an_earlier_component_writes_what_the_entity_networks_read(
    fast_nlp: Language, spacy_nlp: Language
) -> None:
    steps = fast_nlp.pipeline
    split = overlap_point(steps)
    assert split is not None and steps[split][0] == "ner"

    def with_ruler(attrs: dict[str, str]) -> list:
        ruler = AttributeRuler(fast_nlp.vocab)
        ruler.add([[{"LOWER": "troops"}]], attrs)
        return [("ruler", ruler), *steps]

    assert overlap_point(with_ruler({"LEMMA": "troop"})) == split + 1
    assert overlap_point(with_ruler({"NORM": "soldiers"})) is None  # the networks read NORM
    assert overlap_point([("other", object()), *steps]) is None  # a component of unknown writes
    assert overlap_point(steps[:split]) is None  # no entity recogniser
    assert overlap_point(spacy_nlp.pipeline) is None  # spaCy's own recogniser runs its networks itself


# --- the parse cache ---------------------------------------------------------------------------------


def _readings(docs: list) -> list:
    return [(d.text, d.to_array(ATTRS).tolist(), [(e.start, e.end, e.label_) for e in d.ents]) for d in docs]


def test_a_remembered_parse_is_the_parse(nlp: Language) -> None:
    cache = ParseCache(100)
    first = list(cache.parse(nlp, TEXTS))
    again = list(cache.parse(nlp, [*reversed(TEXTS), "A sentence not seen before, with 12 words in it."]))
    assert _readings(again[: len(TEXTS)]) == _readings(list(reversed(first)))
    assert _readings(first) == _readings(list(parse(nlp, TEXTS)))
    assert (cache.hits, cache.misses) == (len(TEXTS), len(TEXTS) + 1)


def test_every_use_of_a_sentence_gets_a_doc_of_its_own(nlp: Language) -> None:
    cache = ParseCache(100)
    text = "Police said 3,200 people were evacuated."
    docs = [*cache.parse(nlp, [text, text]), *cache.parse(nlp, [text])]
    assert len({id(d) for d in docs}) == 3
    assert len(cache) == 1
    assert _readings(docs[:1]) == _readings(docs[1:2]) == _readings(docs[2:])


def test_the_cache_keeps_the_most_recently_used_sentences(nlp: Language) -> None:
    cache = ParseCache(2)
    list(cache.parse(nlp, ["One fell.", "Two fell.", "Three fell."]))
    assert len(cache) == 2
    list(cache.parse(nlp, ["Two fell."]))  # now the most recent
    list(cache.parse(nlp, ["Four fell."]))
    hits = cache.hits
    list(cache.parse(nlp, ["Two fell.", "Four fell."]))
    assert cache.hits == hits + 2
    list(cache.parse(nlp, ["Three fell."]))  # forgotten: parsed again
    assert cache.hits == hits + 2


def test_a_cache_with_a_helper_thread_remembers_the_same_parse(nlp: Language, helper: ThreadPoolExecutor) -> None:
    cache = ParseCache(100)
    helped = list(cache.parse(nlp, TEXTS, helper=helper))
    assert _readings(helped) == _readings(list(parse(nlp, TEXTS)))
    assert _readings(list(cache.parse(nlp, TEXTS))) == _readings(helped)
    assert cache.hits == len(TEXTS)


def test_a_cache_of_size_zero_remembers_nothing(nlp: Language) -> None:
    cache = ParseCache(0)
    assert _readings(list(cache.parse(nlp, TEXTS[:2]))) == _readings(list(parse(nlp, TEXTS[:2])))
    assert len(cache) == 0


def test_the_table_of_valid_entity_moves_is_spacys(spacy_nlp: Language) -> None:
    nlp = spacy_nlp
    # Every state the decoder can be in (no entity open, or one of each label open; the entity
    # may or may not go on; a space token or not), against spaCy's own validity test of each move.
    from spacy.pipeline._parser_internals.stateclass import StateClass

    ner = nlp.get_pipe("ner")
    fast = FastEntityRecognizer.build(ner)
    assert fast is not None
    moves = ner.moves
    names = [moves.get_class_name(i) for i in range(moves.n_moves)]
    text = "Officers  of the New York City Police Department met John Smith in Berlin on Monday"
    labels = sorted({name.partition("-")[2] for name in names if name.partition("-")[2]})
    checked = set()
    for sentence_start in (None, 2, 5, 9):
        for t in range(1, len(nlp.make_doc(text))):
            for label in [None, *labels]:
                doc = nlp.make_doc(text)
                for token in doc:
                    token.is_sent_start = token.i == 0 or token.i == sentence_start
                state = StateClass(doc)
                for _ in range(t - 1):
                    moves.apply_transition(state, "O")
                first = "O" if label is None else f"B-{label}"
                if not moves.is_valid(state, first):
                    continue  # no entity opens on a space, or just before a sentence start
                moves.apply_transition(state, first)
                goes_on = int(t < len(doc) - 1 and not doc[t + 1].is_sent_start)
                if label is None:
                    code = 2 * goes_on + int(doc[t].is_space)
                else:
                    code = 4 + 2 * fast.names.index(nlp.vocab.strings[label]) + goes_on
                expected = [bool(moves.is_valid(state, name)) for name in names]
                assert fast.valid[code].tolist() == expected, (t, label, code)
                checked.add(code)
    assert len(checked) == fast.valid.shape[0]  # every row of the table was compared


def test_the_fast_pipeline_parses_as_spacys_own_loaded_apart(fast_nlp: Language, spacy_nlp: Language) -> None:
    # The faster lemmatizer gives its original's lemma index a set beside each list: the pipeline
    # loaded with spaCy's components only, untouched, parses the same.
    article = SEED.read_text()
    texts = [*TEXTS, *(article[s:e] for s, e in split_sentences(article))]
    expected = list(spacy_nlp.pipe(texts))
    got = list(parse(fast_nlp, texts))
    assert [d.to_array(ATTRS).tolist() for d in got] == [d.to_array(ATTRS).tolist() for d in expected]
    assert [[t.lemma_ for t in d] for d in got] == [[t.lemma_ for t in d] for d in expected]


def test_the_pipeline_serialises_after_a_parse_as_spacys_own(fast_nlp: Language, spacy_nlp: Language) -> None:
    list(parse(fast_nlp, TEXTS))
    assert len(fast_nlp.to_bytes()) > 1_000_000
    for name in ("attribute_ruler", "lemmatizer", "ner"):
        # without the vocab, whose strings grow with every text parsed (as nlp.to_bytes writes them)
        fast, spacys = fast_nlp.get_pipe(name), spacy_nlp.get_pipe(name)
        assert fast.to_bytes(exclude=["vocab"]) == spacys.to_bytes(exclude=["vocab"]), name


def test_a_faster_component_loads_what_its_original_loads(fast_nlp: Language, spacy_nlp: Language) -> None:
    ruler = fast_nlp.get_pipe("attribute_ruler")
    data = spacy_nlp.get_pipe("attribute_ruler").to_bytes()
    assert ruler.from_bytes(data) is ruler
    (got,) = parse(fast_nlp, TEXTS[:1])
    (expected,) = spacy_nlp.pipe(TEXTS[:1])
    assert got.to_array(ATTRS).tolist() == expected.to_array(ATTRS).tolist()


# --- falling back to spaCy's own components ---------------------------------------------------------


def _blank_with_ruler() -> Language:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "troops"}]], {"LEMMA": "troop"})
    return nlp


def test_a_moved_private_name_leaves_spacys_component_in_place_with_a_log_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import service.nlp.ruler
    from service.nlp.component import private
    from service.nlp.load import _swap

    with caplog.at_level("WARNING", logger="numcheck.nlp"):
        assert private("spacy.tokens._retokenize", "no_such_name") is None
    assert "cannot import no_such_name from spacy.tokens._retokenize" in caplog.text
    monkeypatch.setattr(service.nlp.ruler, "set_token_attrs", None)
    nlp = _blank_with_ruler()
    with caplog.at_level("WARNING", logger="numcheck.nlp"):
        _swap(nlp, "attribute_ruler")
    assert components(nlp) == {"attribute_ruler": "attribute_ruler"}
    assert "this pipeline's attribute_ruler is not of a shape numcheck_attribute_ruler covers" in caplog.text
    assert nlp("the troops")[1].lemma_ == "troop"


def test_a_component_whose_internals_changed_is_left_to_spacy_with_a_log_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from service.nlp.load import _swap
    from service.nlp.ruler import FastAttributeRuler

    def broken(cls: type, ruler: object) -> None:
        raise AttributeError("'AttributeRuler' object has no attribute 'patterns'")

    monkeypatch.setattr(FastAttributeRuler, "build", classmethod(broken))
    nlp = _blank_with_ruler()
    with caplog.at_level("WARNING", logger="numcheck.nlp"):
        _swap(nlp, "attribute_ruler")
    assert components(nlp) == {"attribute_ruler": "attribute_ruler"}
    assert "the faster numcheck_attribute_ruler cannot read this pipeline's attribute_ruler" in caplog.text


def test_a_swapped_in_component_runs_as_spacys_own() -> None:
    from service.nlp.load import _swap

    nlp = _blank_with_ruler()
    _swap(nlp, "attribute_ruler")
    assert components(nlp) == {"attribute_ruler": "numcheck_attribute_ruler"}
    assert [t.lemma_ for t in nlp("the troops")] == ["", "troop"]


def test_a_faster_component_cannot_be_added_on_its_own() -> None:
    import spacy

    with pytest.raises(ValueError, match=r"^component 'ner' is one of numcheck's faster components"):
        spacy.blank("en").add_pipe("numcheck_ner", name="ner")
