"""Running the loaded pipeline: `parse` is `nlp.pipe` with, where a thread is spare, the entity
recogniser's networks beside the components before it; `ParseCache` remembers parsed sentences."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, wait
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import AttributeRuler, DependencyParser, Lemmatizer, Tagger, Tok2Vec
from spacy.tokens import Doc
from spacy.util import minibatch

from .entities import FastEntityRecognizer
from .lemmatizer import FastLemmatizer
from .ruler import FastAttributeRuler

# (component name, component), as `nlp.pipeline` lists them
Step = tuple[str, Any]


def parse(
    nlp: Language, texts: Iterable[str], batch_size: int = 64, helper: Executor | None = None
) -> Iterator[Doc]:
    """`nlp.pipe(texts, batch_size=...)`.

    Given `helper` (an executor with a thread to spare), the entity recogniser's networks run
    there while this thread runs the components before it, where none of those writes a token
    attribute the networks read (see `overlap_point`); every component still sees the same
    batches, so the parses are the same.
    """
    steps = nlp.pipeline
    split = overlap_point(steps) if helper is not None else None
    if helper is None or split is None:
        return iter(_apply(steps, (nlp.make_doc(text) for text in texts), batch_size))
    return _overlapped(nlp, steps, split, texts, batch_size, helper)


def _apply(steps: Sequence[Step], docs: Iterable[Doc], batch_size: int) -> Iterable[Doc]:
    for _name, proc in steps:
        if hasattr(proc, "pipe"):
            docs = proc.pipe(docs, batch_size=batch_size)
        else:
            docs = map(proc, docs)
    return docs


def _overlapped(nlp: Language, steps: list[Step], split: int, texts: Iterable[str], batch_size: int,
                helper: Executor) -> Iterator[Doc]:
    ner = steps[split][1]
    assert isinstance(ner, FastEntityRecognizer)
    for batch in minibatch(texts, size=batch_size):
        docs = [nlp.make_doc(text) for text in batch]
        groups = ner.sub_batches(docs, batch_size)
        networks = helper.submit(ner.networks, groups)
        try:
            docs = list(_apply(steps[:split], docs, batch_size))
        finally:
            wait([networks])  # never leave the helper working on these docs
        ner.annotate(groups, networks.result())
        yield from _apply(steps[split + 1 :], docs, batch_size)


# The token attributes a component sets (beside the tensor), for the components that may run
# while the entity recogniser's networks read the same docs on another thread.
_WRITES: dict[type, frozenset[str]] = {
    Tok2Vec: frozenset(),
    Tagger: frozenset({"TAG"}),
    DependencyParser: frozenset({"HEAD", "DEP", "SENT_START"}),
    Lemmatizer: frozenset({"LEMMA"}),
    FastLemmatizer: frozenset({"LEMMA"}),
}


def overlap_point(steps: Sequence[Step]) -> int | None:
    """The step whose entity networks can run beside the steps before it, or None.

    They can when the recogniser reads tokens through features of its own and no earlier
    component writes one of those features (an attribute ruler may set any attribute: its
    patterns are read).
    """
    for k, (_name, ner) in enumerate(steps):
        if not isinstance(ner, FastEntityRecognizer):
            continue
        reads = ner.reads
        if reads is None:
            return None
        for _, earlier in steps[:k]:
            if isinstance(earlier, FastAttributeRuler):
                earlier = earlier.original
            if type(earlier) is AttributeRuler:
                strings = earlier.vocab.strings  # its attributes are kept by ID, IDs name themselves there
                writes = frozenset(strings[key] if isinstance(key, int) else key for a in earlier.attrs for key in a)
            else:
                # (the English lemmatizer is a Lemmatizer; unknown: assume it writes what is read)
                writes = next((w for cls, w in _WRITES.items() if isinstance(earlier, cls)), reads)
            if writes & reads:
                return None
        return k
    return None


class ParseCache:
    """Sentences already parsed, by their text, so a re-checked draft is parsed only where it changed.

    Every sentence is parsed as a Doc of its own, so its parse depends on its text alone and a
    remembered parse is the parse. Each use gets a copy of its own; the copies kept here hold no
    tensor (no stage reads one). The least recently used go first once `size` are kept. One
    cache serves one pipeline: given another, it starts again.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._docs: OrderedDict[str, Doc] = OrderedDict()
        self._pipeline: int | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._docs)

    def parse(
        self, nlp: Language, texts: Sequence[str], batch_size: int = 64, helper: Executor | None = None
    ) -> Iterator[Doc]:
        """`parse(nlp, texts, ...)`, with the sentences seen before taken from here."""
        if self.size <= 0:
            return parse(nlp, texts, batch_size, helper)
        with self._lock:
            if self._pipeline != id(nlp):
                self._docs.clear()
                self._pipeline = id(nlp)
            distinct = dict.fromkeys(texts)
            known = {text: doc for text in distinct if (doc := self._docs.get(text)) is not None}
            for text in known:
                self._docs.move_to_end(text)
        unknown = [text for text in distinct if text not in known]
        fresh = dict(zip(unknown, parse(nlp, unknown, batch_size, helper), strict=True))
        kept: dict[str, Doc] = {}
        for text, doc in fresh.items():
            kept[text] = doc.copy()
            kept[text].tensor = _NO_TENSOR
        with self._lock:
            self.hits += len(texts) - len(unknown)
            self.misses += len(unknown)
            self._docs.update(kept)
            while len(self._docs) > self.size:
                self._docs.popitem(last=False)
        # Each sentence gets a Doc of its own, even a sentence that comes twice.
        out = []
        for text in texts:
            doc = fresh.pop(text, None)
            out.append(doc if doc is not None else (known[text] if text in known else kept[text]).copy())
        return iter(out)


_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")
