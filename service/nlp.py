"""The one place that loads a spaCy pipeline; which one is a setting (NUMCHECK_SPACY_PIPELINE)."""

from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.language import Language

from .errors import PipelineError

# Components numcheck reads: POS tags, the dependency parse, lemmas and entities.
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@lru_cache(maxsize=4)
def load_pipeline(name: str) -> Language:
    """Load an installed pipeline package (or a path to one) once per process."""
    try:
        try:
            module = importlib.import_module(name)
            nlp = module.load()
        except ModuleNotFoundError:
            nlp = spacy.load(name)
    except (OSError, ImportError) as exc:
        raise PipelineError(f"cannot load spaCy pipeline {name!r}: {exc}") from exc
    unused = [p for p in nlp.pipe_names if p not in NEEDED]
    if unused:
        nlp.select_pipes(disable=unused)
    return nlp


def pipeline_name(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
