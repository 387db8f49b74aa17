"""spaCy's rule lemmatizer, its answer remembered per distinct (form, part of speech, morphology)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.tokens import Doc

from .component import MEMO_LIMIT, Wrapped

_LEMMA_ATTRS: list[int | str] = ["ORTH", "POS", "MORPH", "LEMMA"]


class _Index(list[str]):
    """A list of known lemmas that answers `form in index` at once.

    The rule lemmatizer asks whether a candidate form is a known lemma with `form in index`,
    and its index per part of speech is a list (57,528 nouns): each new word scanned it from
    the start. Serialised, this is the same list (msgpack writes a list subclass as a list).
    """

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__(words)
        self._set = frozenset(self)

    def __contains__(self, form: object) -> bool:
        return form in self._set


class FastLemmatizer(Wrapped):
    """spaCy's rule lemmatizer, its answer remembered per (form, part of speech, morphology).

    The rule lemmatizer reads nothing else of a token, and like it this sets a lemma only where
    none is set yet (the attribute ruler sets some).
    """

    def __init__(self, lemmatizer: EnglishLemmatizer) -> None:
        super().__init__(lemmatizer)
        self.strings = lemmatizer.vocab.strings
        self.memo: dict[tuple[int, int, int], int] = {}
        self.indexed = False

    @classmethod
    def build(cls, lemmatizer: Any) -> FastLemmatizer | None:
        if type(lemmatizer) is not EnglishLemmatizer or lemmatizer.mode != "rule" or lemmatizer.overwrite:
            return None
        return cls(lemmatizer)

    def _index(self) -> None:
        index = self.original.lookups.get_table("lemma_index", {})
        for key, words in list(index.items()):
            if type(words) is list:
                index[key] = _Index(words)
        self.indexed = True

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.original
        if not getattr(lemmatizer, "_validated", True):
            lemmatizer._validate_tables()  # what the original checks first: its tables are loaded
        if not self.indexed:
            self._index()
        memo = self.memo
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array(_LEMMA_ATTRS).tolist()):
            if lemma != 0:
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                found = memo[key] = self.strings.add(lemmatizer.lemmatize(doc[i])[0])
            doc[i].lemma = found
        return doc
