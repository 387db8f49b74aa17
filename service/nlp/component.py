"""What the faster components share: the component each replaces, and guarded private imports.

A faster component keeps the spaCy component it replaces (`original`). The original still
serialises (so `nlp.to_bytes()` gives what spaCy's own pipeline gives) and answers whatever the
fast path does not cover.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.tokens import Doc
from spacy.util import SimpleFrozenList

logger = logging.getLogger("numcheck.nlp")

# Remembered readings of distinct tokens, per component; cleared when it grows past this.
MEMO_LIMIT = 50_000


def private(module: str, name: str) -> Any:
    """`module.name`, where a library keeps something numcheck's fast path needs out of its public
    API; None (and a log line) when a new version has moved it, so that start-up goes on with
    spaCy's own component instead."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        logger.warning("cannot import %s from %s (%s): its faster component is not used", name, module, exc)
        return None


class Wrapped:
    """A faster stand-in for the spaCy component `original`, which it serialises as."""

    def __init__(self, original: Any) -> None:
        self.original = original

    def __call__(self, doc: Doc) -> Doc:
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        data: bytes = self.original.to_bytes(exclude=exclude)
        return data

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        self.original.to_disk(path, exclude=exclude)

    @classmethod
    def build(cls, original: Any) -> Wrapped | None:
        """The faster stand-in for `original`, or None where it is not of a shape covered here."""
        raise NotImplementedError

    # A load changes the original: what the fast path worked out from it is worked out again.
    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()) -> Wrapped:
        self.original.from_bytes(bytes_data, exclude=exclude)
        return self._rebuilt()

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> Wrapped:
        self.original.from_disk(path, exclude=exclude)
        return self._rebuilt()

    def _rebuilt(self) -> Wrapped:
        fresh = type(self).build(self.original)
        if fresh is None:
            raise ValueError(
                f"the loaded {type(self.original).__name__} is not of a shape {type(self).__name__} covers: "
                "load the pipeline with NUMCHECK_FAST_COMPONENTS=false"
            )
        self.__dict__.update(fresh.__dict__)
        return self
