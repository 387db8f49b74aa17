"""spaCy's greedy entity recogniser, its decoding loop done a whole batch of sentences at a time.

spaCy's `EntityRecognizer` runs its networks (a tok2vec of its own, then a layer precomputed
for every token) in Python, and then decodes in C one state at a time: for every token of
every sentence it tests every one of its moves for validity (four per entity label, plus
"O") through function pointers, and takes the GIL back once a step. That loop is most of the
recogniser's time. Here the same networks are called the same way, and the loop is done for
all sentences of a batch at once with array operations: at step t every unfinished sentence
reads its t-th token, the validity of every move is one boolean expression over the batch,
and the hidden-to-output product is BLIS's sgemm on the same matrices spaCy gives it, so the
scores are the same floats and the chosen moves the same moves.

It covers what numcheck's documents are: no entities preset on the tokens. A batch with a
preset entity, or a recogniser of another shape (beam search, other features, no maxout),
goes to spaCy's own code; `tests/test_nlp.py` checks that both give the same entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from blis.py import gemm
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.util import minibatch

# Move kinds, as spaCy's BILUO transition system names them.
_BEGIN, _IN, _LAST, _UNIT, _OUT, _OTHER = range(6)
_KINDS = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT}
_ENT_ATTRS: list[int | str] = ["ENT_IOB", "ENT_TYPE"]
_TOKEN_ATTRS: list[int | str] = ["SENT_START", "IS_SPACE"]


class FastEntityRecognizer:
    """`EntityRecognizer.pipe`, with the greedy decoding done batchwise; the same entities."""

    def __init__(self, ner: EntityRecognizer) -> None:
        self.ner = ner
        model = ner.model
        self.tok2vec = model.layers[0]
        self.lower = model.get_ref("lower")
        self.upper = model.get_ref("upper")
        moves = ner.moves
        kinds: list[int] = []
        labels: list[int] = []
        for i in range(moves.n_moves):
            name = moves.get_class_name(i)
            kind, _, label = name.partition("-")
            if name == "O":
                kinds.append(_OUT)
                labels.append(0)
            else:
                kinds.append(_KINDS.get(kind, _OTHER))
                labels.append(ner.vocab.strings[label] if label else 0)
        self.kind = np.array(kinds)
        self.label = np.array(labels, dtype=np.uint64)
        named = self.label != 0
        self.begin = (self.kind == _BEGIN) & named
        self.inside = (self.kind == _IN) & named
        self.last = (self.kind == _LAST) & named
        self.unit = (self.kind == _UNIT) & named
        self.out = self.kind == _OUT
        self.ends = self.last | self.unit
        self.opens = self.begin | self.unit

    @classmethod
    def build(cls, ner: Any) -> FastEntityRecognizer | None:
        """The fast equivalent of `ner`, or None where it is not of the shape covered here."""
        if type(ner) is not EntityRecognizer or ner.cfg.get("beam_width", 1) != 1 or ner.postprocesses:
            return None
        model = ner.model
        if not model.attrs.get("has_upper") or len(model.layers) != 3:
            return None
        lower = model.get_ref("lower")
        if lower.name != "precomputable_affine" or lower.get_dim("nF") != 3 or lower.get_dim("nP") < 2:
            return None
        try:
            fast = cls(ner)
        except (KeyError, ValueError):
            return None
        return fast if not np.any(fast.kind == _OTHER) else None

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """What `EntityRecognizer.pipe` does: batches, each parsed shortest first in quarters."""
        for batch in minibatch(docs, size=batch_size):
            by_length = sorted(batch, key=len)
            for sub in minibatch(by_length, size=max(batch_size // 4, 2)):
                self._annotate(list(sub))
            yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        if not any(len(doc) for doc in docs) or any(doc.to_array(_ENT_ATTRS).any() for doc in docs if len(doc)):
            self.ner.set_annotations(docs, self.ner.predict(docs))
            return
        for doc, ents in zip(docs, self._decode(docs), strict=True):
            doc.set_ents([Span(doc, start, end, label=label) for start, end, label in ents], default="outside")

    def _decode(self, docs: list[Doc]) -> list[list[tuple[int, int, int]]]:
        tokvecs = self.tok2vec.predict(docs)
        cached, _ = self.lower(tokvecs, False)  # (tokens + 1, features, hidden, pieces); row 0 pads
        bias = self.lower.get_param("b")
        weights = self.upper.get_param("W")
        upper_bias = self.upper.get_param("b")
        unseen = sorted(self.ner.model.attrs.get("unseen_classes") or ())
        n_states = len(docs)
        lengths = np.array([len(doc) for doc in docs])
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        longest = int(lengths.max())
        # Per sentence and position: does the next token start a sentence; is this one a space.
        next_start = np.zeros((n_states, longest + 1), dtype=bool)
        space = np.zeros((n_states, longest + 1), dtype=bool)
        for i, doc in enumerate(docs):
            if len(doc):
                values = doc.to_array(_TOKEN_ATTRS)
                next_start[i, : len(doc) - 1] = values[1:, 0] == 1
                space[i, : len(doc)] = values[:, 1] != 0
        is_open = np.zeros(n_states, dtype=bool)
        open_label = np.zeros(n_states, dtype=np.uint64)
        open_start = np.full(n_states, -1)
        ents: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        features = np.arange(3)
        live = np.flatnonzero(lengths > 0)
        t = 0
        while live.size:
            b0 = offsets[live] + t + 1  # row of the buffer's first token in `cached`
            open_now = is_open[live]
            start = np.where(open_now, offsets[live] + open_start[live] + 1, 0)
            before = np.where(open_now, b0 - 1, 0)
            ids = np.stack([b0, start, before], axis=1)
            rows = cached[ids, features]  # (states, 3, hidden, pieces)
            hidden = rows[:, 0] + rows[:, 1]
            hidden += rows[:, 2]
            hidden += bias
            hidden = hidden.max(axis=2)
            scores = gemm(np.ascontiguousarray(hidden), weights, trans2=True, beta=0.0)
            scores += upper_bias
            if unseen:
                scores[:, unseen] = scores.min()
            room = (lengths[live] - t >= 2)[:, None]
            joins = ~next_start[live, t][:, None]
            blank = space[live, t][:, None]
            same = (open_label[live][:, None] == self.label[None, :])
            opened = open_now[:, None]
            valid = (
                (self.begin & ~opened & room & joins & ~blank)
                | (self.inside & opened & room & same & joins)
                | (self.last & opened & same)
                | (self.unit & ~opened & ~blank)
                | (self.out & ~opened)
            )
            best = np.where(valid, scores, -np.inf).argmax(axis=1)
            stuck = ~valid.any(axis=1)
            for j in np.flatnonzero(self.opens[best] & ~stuck):
                s = live[j]
                is_open[s] = True
                open_label[s] = self.label[best[j]]
                open_start[s] = t
            for j in np.flatnonzero(self.ends[best] & ~stuck):
                s = live[j]
                ents[s].append((int(open_start[s]), t + 1, int(open_label[s])))
                is_open[s] = False
            if stuck.any():
                lengths[live[stuck]] = t  # spaCy forces such a state to its end
            t += 1
            live = live[lengths[live] > t]
        return ents
