"""The one place that loads a spaCy pipeline (which one is a setting, NUMCHECK_SPACY_PIPELINE).

With fast components on (NUMCHECK_FAST_COMPONENTS, the default), three of its components are
replaced, through `nlp.replace_pipe`, by components registered here that give every token
exactly what the originals give it, faster: the attribute ruler and the rule lemmatizer
remember what they set per distinct token, and the entity recogniser decodes a whole batch of
sentences at once. Each falls back to spaCy's own component, with a log line, where its
original is of a shape it does not cover or a private name it needs has moved.
"""

from __future__ import annotations

import importlib
import logging
import threading
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

from ..errors import PipelineError
from .component import Wrapped
from .entities import FastEntityRecognizer
from .lemmatizer import FastLemmatizer
from .ruler import FastAttributeRuler

logger = logging.getLogger("numcheck.nlp")

# Components numcheck reads: POS tags, the dependency parse, lemmas and entities.
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
# The spaCy factory each faster component stands in for, and its own factory name.
FAST: dict[str, tuple[str, type[Wrapped]]] = {
    "attribute_ruler": ("numcheck_attribute_ruler", FastAttributeRuler),
    "lemmatizer": ("numcheck_lemmatizer", FastLemmatizer),
    "ner": ("numcheck_ner", FastEntityRecognizer),
}

# A faster component wraps the very component it replaces, which a factory cannot be given
# through its config: `_swap` leaves it here for the factory, under the pipeline and name.
_handed: dict[tuple[int, str], Wrapped] = {}
_handed_lock = threading.Lock()


def _take(nlp: Language, name: str) -> Wrapped:
    with _handed_lock:
        fast = _handed.pop((id(nlp), name), None)
    if fast is None:
        raise ValueError(f"component '{name}' is one of numcheck's faster components: load the pipeline "
                         "with service.nlp.load_pipeline, which puts it in place of spaCy's own")
    return fast


for _factory, _cls in FAST.values():
    Language.factory(_factory, func=_take)


@lru_cache(maxsize=4)
def load_pipeline(name: str, fast: bool = True) -> Language:
    """Load an installed pipeline package (or a path to one) once per process, with the faster
    components in place of spaCy's where `fast`.

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
    if fast:
        for component in list(nlp.pipe_names):
            _swap(nlp, component)
    return nlp


def _swap(nlp: Language, name: str) -> None:
    """Put the faster component in place of `name`, where there is one that covers it."""
    factory = nlp.get_pipe_meta(name).factory
    if factory not in FAST:
        return
    fast_factory, cls = FAST[factory]
    original = nlp.get_pipe(name)
    try:
        fast = cls.build(original)
    except Exception as exc:  # a library's internals changed: spaCy's own component still works
        logger.warning("the faster %s cannot read this pipeline's %s (%r): spaCy's own runs", fast_factory, name, exc)
        return
    if fast is None:
        logger.warning("this pipeline's %s is not of a shape %s covers: spaCy's own runs", name, fast_factory)
        return
    with _handed_lock:
        _handed[(id(nlp), name)] = fast
    try:
        nlp.replace_pipe(name, fast_factory)
    finally:
        with _handed_lock:
            _handed.pop((id(nlp), name), None)


def components(nlp: Language) -> dict[str, str]:
    """Each enabled component with the factory that made it: spaCy's, or numcheck's faster one."""
    return {name: nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}


def faster(nlp: Language) -> list[str]:
    """The components that run through numcheck's faster equivalents."""
    return [name for name, proc in nlp.pipeline if isinstance(proc, Wrapped)]


@lru_cache(maxsize=4)
def pipeline_name(nlp: Language) -> str:
    meta: dict[str, Any] = nlp.meta  # built anew on every read: the name is remembered
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
