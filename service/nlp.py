"""The one place that loads a spaCy pipeline (which one is a setting, NUMCHECK_SPACY_PIPELINE) and runs it.

`parse` runs the loaded pipeline like `nlp.pipe`, with two of its rule-based components done
faster: the attribute ruler and the rule lemmatizer spend most of their time in per-token
Python (a Matcher over every pattern and a Span per match; a MorphAnalysis per token), although
what they set for a token depends only on a few of its attributes. Here that dependence is
read from their own patterns and tables once, remembered per distinct token, and the results
are written with spaCy's own setters, so every token gets exactly what the original components
give it. A component whose patterns use anything else is run as it is. The entity recogniser's
decoding loop is done a batch at a time (`service.entities`), to the same entities, and the
networks' maxout layers predict without working out what only training reads.
"""

from __future__ import annotations

import importlib
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, wait
from functools import lru_cache
from typing import Any, cast

import numpy
import spacy
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import AttributeRuler, DependencyParser, EntityRecognizer, Lemmatizer, Tagger, Tok2Vec
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from spacy.util import minibatch
from thinc.api import Model, use_ops
from thinc.layers import maxout
from threadpoolctl import threadpool_limits

from .entities import FastEntityRecognizer
from .errors import PipelineError

# Components numcheck reads: POS tags, the dependency parse, lemmas and entities.
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
# Remembered readings of distinct tokens, per component; cleared when it grows past this.
MEMO_LIMIT = 50_000


@lru_cache(maxsize=4)
def load_pipeline(name: str) -> Language:
    """Load an installed pipeline package (or a path to one) once per process.

    Its networks do their matrix products through numpy's BLAS rather than thinc's default,
    BLIS: on CPUs with AVX-512 that is 1.7 times as fast, and parses are the same. The BLAS
    gets one thread: a worker runs one check at a time, and with a worker per core more
    threads only take turns.
    """
    threadpool_limits(limits=1, user_api="blas")
    try:
        with use_ops("numpy", use_blis=False):
            try:
                nlp = importlib.import_module(name).load()
            except ModuleNotFoundError:
                nlp = spacy.load(name)
    except (OSError, ImportError) as exc:
        raise PipelineError(f"cannot load spaCy pipeline {name!r}: {exc}") from exc
    unused = [p for p in nlp.pipe_names if p not in NEEDED]
    if unused:
        nlp.select_pipes(disable=unused)
    for _name, proc in nlp.pipeline:
        if isinstance(getattr(proc, "model", None), Model):
            for node in proc.model.walk():
                if node._func is maxout.forward:
                    node._func = _maxout_forward
    _steps(nlp)
    return nlp


def _maxout_forward(model: Model, X: Any, is_train: bool) -> tuple[Any, Callable[..., Any]]:
    """thinc's maxout layer, its prediction taking the maximum of the pieces with numpy, one
    piece after another: thinc's loop also finds which piece is largest, which only training
    reads, and takes four times as long. The same product, the same bias, so the same values."""
    if is_train or not isinstance(X, numpy.ndarray) or X.dtype != numpy.float32:
        return maxout.forward(model, X, is_train)
    n_out, pieces, n_in = model.get_dim("nO"), model.get_dim("nP"), model.get_dim("nI")
    weights = model.ops.reshape2f(model.get_param("W"), n_out * pieces, n_in)
    Y: Any = model.ops.gemm(cast(Any, X), weights, trans2=True)
    Y += model.ops.reshape1f(model.get_param("b"), n_out * pieces)
    Z: Any = model.ops.reshape3f(Y, Y.shape[0], n_out, pieces)
    best = Z[:, :, 0].copy()
    for piece in range(1, pieces):
        numpy.maximum(best, Z[:, :, piece], out=best)
    return best, _no_backprop


def _no_backprop(d_best: Any) -> Any:
    raise NotImplementedError("the maxout layers of a loaded pipeline only predict")


@lru_cache(maxsize=4)
def pipeline_name(nlp: Language) -> str:
    meta = nlp.meta  # built anew on every read: the name is remembered
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"


def parse(
    nlp: Language, texts: Iterable[str], batch_size: int = 64, helper: Executor | None = None
) -> Iterator[Doc]:
    """`nlp.pipe(texts, batch_size=...)`, with the faster equivalents where there are any.

    Given `helper` (an executor with a thread to spare), the entity recogniser's networks run
    there while this thread runs the components before it, where none of those writes a token
    attribute the networks read (see `overlap_point`); every component still sees the same
    batches, so the parses are the same.
    """
    steps = _steps(nlp)
    split = overlap_point(steps) if helper is not None else None
    if helper is None or split is None:
        return iter(_apply(steps, (nlp.make_doc(text) for text in texts), batch_size))
    return _overlapped(nlp, steps, split, texts, batch_size, helper)


def _apply(steps: Sequence[Step], docs: Iterable[Doc], batch_size: int) -> Iterable[Doc]:
    for _name, proc, fast in steps:
        if isinstance(fast, FastEntityRecognizer):
            docs = fast.pipe(docs, batch_size=batch_size)
        elif fast is not None:
            docs = map(fast, docs)
        elif hasattr(proc, "pipe"):
            docs = proc.pipe(docs, batch_size=batch_size)
        else:
            docs = map(proc, docs)
    return docs


def _overlapped(nlp: Language, steps: list[Step], split: int, texts: Iterable[str], batch_size: int,
                helper: Executor) -> Iterator[Doc]:
    ner = steps[split][2]
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
    EnglishLemmatizer: frozenset({"LEMMA"}),
    Lemmatizer: frozenset({"LEMMA"}),
}


def overlap_point(steps: Sequence[Step]) -> int | None:
    """The step whose entity networks can run beside the steps before it, or None.

    They can when the recogniser reads tokens through features of its own and no earlier
    component writes one of those features (an attribute ruler may set any attribute: its
    patterns are read).
    """
    for k, (_name, _proc, fast) in enumerate(steps):
        if not isinstance(fast, FastEntityRecognizer):
            continue
        reads = fast.reads
        if reads is None:
            return None
        for _, earlier, _ in steps[:k]:
            if type(earlier) is AttributeRuler:
                strings = earlier.vocab.strings  # its attributes are kept by ID, IDs name themselves there
                writes = frozenset(strings[key] if isinstance(key, int) else key for a in earlier.attrs for key in a)
            else:
                writes = _WRITES.get(type(earlier), reads)  # unknown: assume it writes what is read
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


def faster(nlp: Language) -> list[str]:
    """The components `parse` runs through a faster equivalent."""
    return [name for name, _proc, fast in _steps(nlp) if fast is not None]


# --- the steps of a pipeline ---------------------------------------------------------------------------

# (component name, component, its faster equivalent or None)
Step = tuple[str, Any, Callable[[Doc], Doc] | FastEntityRecognizer | None]
_STEPS: weakref.WeakKeyDictionary[Language, list[Step]] = weakref.WeakKeyDictionary()
_STEPS_LOCK = threading.Lock()


def _steps(nlp: Language) -> list[Step]:
    """The enabled components, each with its faster equivalent; built again if they change."""
    pipeline = nlp.pipeline
    with _STEPS_LOCK:
        steps = _STEPS.get(nlp)
        if steps is None or [(n, p) for n, p, _ in steps] != pipeline:
            steps = _STEPS[nlp] = [(name, proc, _faster(proc)) for name, proc in pipeline]
        return steps


def _faster(proc: Any) -> Callable[[Doc], Doc] | FastEntityRecognizer | None:
    if type(proc) is EntityRecognizer:
        return FastEntityRecognizer.build(proc)
    if type(proc) is AttributeRuler:
        return FastAttributeRuler.build(proc)
    if type(proc) is EnglishLemmatizer and proc.mode == "rule" and not proc.overwrite:
        return FastLemmatizer(proc)
    return None


# --- the attribute ruler -------------------------------------------------------------------------------

# A token as the ruler's patterns read it: tag, lower-case form, dependency label, is-space.
TokenKey = tuple[int, int, int, int]
_KEY_ATTRS: list[int | str] = ["TAG", "LOWER", "DEP", "IS_SPACE"]
_STRING_ATTRS = {"TAG": 0, "LOWER": 1, "DEP": 2}


class _Spec:
    """One token of a Matcher pattern, for the predicates the ruler's patterns use."""

    def __init__(self, spec: dict[str, Any]) -> None:
        # (operator, field of the token tuple, argument)
        self.tests: list[tuple[str, int, Any]] = []
        for attr, cond in spec.items():
            if attr == "IS_SPACE" and isinstance(cond, bool):
                self.tests.append(("eq", 3, cond))
                continue
            if attr not in _STRING_ATTRS:
                raise _Unsupported(attr)
            k = _STRING_ATTRS[attr]
            if isinstance(cond, str):
                self.tests.append(("eq", k, cond))
            elif isinstance(cond, dict) and len(cond) == 1:
                ((op, arg),) = cond.items()
                if op in ("IN", "NOT_IN") and isinstance(arg, list):
                    self.tests.append((op, k, frozenset(arg)))
                elif op == "REGEX" and isinstance(arg, str):
                    self.tests.append((op, k, re.compile(arg)))
                else:
                    raise _Unsupported(f"{attr} {op}")
            else:
                raise _Unsupported(attr)

    def allows_tag(self, tag: str) -> bool:
        """False only when the spec's own tag test rules this tag out."""
        return all(self._passes(op, arg, tag) for op, k, arg in self.tests if k == 0)

    @staticmethod
    def _passes(op: str, arg: Any, value: str | bool) -> bool:
        if op == "eq":
            return bool(value == arg)
        if op == "IN":
            return value in arg
        if op == "NOT_IN":
            return value not in arg
        return isinstance(value, str) and arg.search(value) is not None

    def __call__(self, token: tuple[str, str, str, bool]) -> bool:
        return all(self._passes(op, arg, token[k]) for op, k, arg in self.tests)


class _Unsupported(Exception):
    """A pattern uses something the fast ruler does not read: run the original instead."""


# What the ruler's patterns make of one distinct token: the single-token patterns it matches (by
# number), their attributes merged in that order, and the (pattern, alternative, position) of
# each multi-token pattern's token it matches.
Reading = tuple[tuple[int, ...], dict[int, Any], frozenset[tuple[int, int, int]]]
_NO_PARTS: frozenset[tuple[int, int, int]] = frozenset()


class FastAttributeRuler:
    """What spaCy's AttributeRuler sets, computed per distinct token rather than by a Matcher.

    The ruler matches every pattern, sorts the matches by pattern number and sets each match's
    attributes on its target token in that order, so later patterns win. Here every pattern's
    tokens are tested once per distinct (tag, lower, dep, is-space), only against the patterns
    that allow its tag, and the merged attributes are remembered; a multi-token pattern is then
    checked only where a token matches its first position.

    Lower-case forms that no pattern names all read alike (unless a pattern's regular expression
    tells them apart), so they share one reading: text never seen before costs a lookup per
    token, not a test of every pattern.
    """

    def __init__(self, ruler: AttributeRuler, single: list[tuple[int, list[_Spec]]],
                 multi: list[tuple[int, list[list[_Spec]]]]) -> None:
        self.strings = ruler.vocab.strings
        self.single = single
        self.multi = multi
        self.attrs: list[dict[int, Any]] = ruler.attrs
        self.indices: list[int] = ruler.indices
        self.memo: dict[TokenKey, Reading] = {}
        self.merged: dict[tuple[int, ...], dict[int, Any]] = {}
        self.for_tag: dict[str, list[tuple[int, list[_Spec]]]] = {}
        specs = [sp for _, alts in single for sp in alts] + [sp for _, alts in multi for p in alts for sp in p]
        lower_tests = [(op, arg) for sp in specs for op, k, arg in sp.tests if k == 1]
        named: set[str] = set()
        for op, arg in lower_tests:
            if op == "eq":
                named.add(arg)
            elif op in ("IN", "NOT_IN"):
                named.update(arg)
        self.named_lowers = frozenset(named)
        self.lower_regexes = [arg for op, arg in lower_tests if op == "REGEX"]
        # lower-case form -> the form whose reading it shares (itself, if a pattern names it)
        self.lower_class: dict[int, int] = {}
        self.representative: dict[tuple[bool, ...], int] = {}

    def _lower_class(self, lower: int) -> int:
        found = self.lower_class.get(lower)
        if found is None:
            if len(self.lower_class) >= MEMO_LIMIT:
                self.lower_class.clear()
            text = self.strings[lower]
            if text in self.named_lowers:
                found = lower
            else:
                found = self.representative.setdefault(
                    tuple(rx.search(text) is not None for rx in self.lower_regexes), lower
                )
            self.lower_class[lower] = found
        return found

    @classmethod
    def build(cls, ruler: AttributeRuler) -> FastAttributeRuler | None:
        single: list[tuple[int, list[_Spec]]] = []
        multi: list[tuple[int, list[list[_Spec]]]] = []
        try:
            entries: list[Any] = ruler.patterns
            for attr_id, entry in enumerate(entries):
                alternatives = [[_Spec(t) for t in pattern] for pattern in entry["patterns"]]
                if any(not p for p in alternatives):
                    return None
                if all(len(p) == 1 for p in alternatives):
                    single.append((attr_id, [p[0] for p in alternatives]))
                else:
                    multi.append((attr_id, alternatives))
        except (_Unsupported, TypeError, KeyError):
            return None
        return cls(ruler, single, multi)

    def _patterns_for(self, tag: str) -> list[tuple[int, list[_Spec]]]:
        patterns = self.for_tag.get(tag)
        if patterns is None:
            patterns = self.for_tag[tag] = [
                (attr_id, alts) for attr_id, alts in self.single if any(spec.allows_tag(tag) for spec in alts)
            ]
        return patterns

    def _reading(self, key: TokenKey) -> Reading:
        reading = self.memo.get(key)
        if reading is None:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            s = self.strings
            token = (s[key[0]], s[key[1]], s[key[2]], bool(key[3]))
            ids = tuple(attr_id for attr_id, alts in self._patterns_for(token[0]) if any(sp(token) for sp in alts))
            parts = frozenset(
                (m, a, j)
                for m, (_, alternatives) in enumerate(self.multi)
                for a, pattern in enumerate(alternatives)
                for j, spec in enumerate(pattern)
                if spec(token)
            )
            reading = self.memo[key] = (ids, self._merge(ids), parts or _NO_PARTS)
        return reading

    def _merge(self, ids: tuple[int, ...]) -> dict[int, Any]:
        merged = self.merged.get(ids)
        if merged is None:
            merged = {}
            for attr_id in ids:
                merged.update(self.attrs[attr_id])
            self.merged[ids] = merged
        return merged

    def __call__(self, doc: Doc) -> Doc:
        reading, lower_class = self._reading, self._lower_class
        readings = [
            reading((tag, lower_class(lower), dep, space))
            for tag, lower, dep, space in doc.to_array(_KEY_ATTRS).tolist()
        ]
        extra = self._multi_token(readings)
        for i, (ids, merged, _) in enumerate(readings):
            if i in extra:
                merged = self._merge(tuple(sorted(ids + tuple(extra[i]))))
            if merged:
                set_token_attrs(doc[i], merged)
        return doc

    def _multi_token(self, readings: list[Reading]) -> dict[int, list[int]]:
        """Token index -> the multi-token patterns (by number) that set something on it."""
        extra: dict[int, list[int]] = {}
        n = len(readings)
        for start, (_, _, parts) in enumerate(readings):
            for m, a, j in parts:
                if j != 0:
                    continue
                attr_id, alternatives = self.multi[m]
                width = len(alternatives[a])
                if start + width <= n and all((m, a, k) in readings[start + k][2] for k in range(1, width)):
                    index = self.indices[attr_id]
                    target = start + index if index >= 0 else start + width + index
                    if start <= target < start + width and attr_id not in extra.get(target, []):
                        extra.setdefault(target, []).append(attr_id)
        return extra


# --- the lemmatizer --------------------------------------------------------------------------------------

_LEMMA_ATTRS: list[int | str] = ["ORTH", "POS", "MORPH", "LEMMA"]


class FastLemmatizer:
    """spaCy's rule lemmatizer, its answer remembered per (form, part of speech, morphology).

    The rule lemmatizer reads nothing else of a token, and like it this sets a lemma only where
    none is set yet (the attribute ruler sets some). It asks whether a candidate form is a known
    lemma with `form in index`, and its index of known lemmas per part of speech is a list
    (57,528 nouns): each new word scanned it from the start. The lists are made sets once (in
    this process's copy of the tables), which answers the same, at once.
    """

    def __init__(self, lemmatizer: EnglishLemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self.memo: dict[tuple[int, int, int], int] = {}
        self.indexed = False

    def _index_as_sets(self) -> None:
        index = self.lemmatizer.lookups.get_table("lemma_index", {})
        for key, words in list(index.items()):
            if isinstance(words, list):
                index[key] = frozenset(words)
        self.indexed = True

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if not getattr(lemmatizer, "_validated", True):
            lemmatizer._validate_tables()  # what the original checks first: its tables are loaded
        if not self.indexed:
            self._index_as_sets()
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
