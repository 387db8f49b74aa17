"""spaCy's greedy entity recogniser, its decoding loop done a whole batch of sentences at a time.

spaCy's `EntityRecognizer` runs its networks (a tok2vec of its own, then a layer precomputed
for every token) in Python, and then decodes in C one state at a time: for every token of
every sentence it tests every one of its moves for validity (four per entity label, plus
"O") through function pointers, and takes the GIL back once a step. That loop is most of the
recogniser's time. Here the same networks are called the same way, and the loop is done for
all sentences of a batch at once with array operations: at step t every unfinished sentence
reads its t-th token, the valid moves of each are looked up in a table worked out once from
spaCy's rules for each move, and the hidden-to-output product is BLIS's sgemm on the same
matrices spaCy gives it, so the scores are the same floats and the chosen moves the same moves.

It covers what numcheck's documents are: no entities preset on the tokens. A batch with a
preset entity, or a recogniser of another shape (beam search, other features, no maxout),
goes to spaCy's own code; `tests/test_nlp.py` checks that both give the same entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .component import Wrapped, private

# The matrix product spaCy's own decoding calls, on the same matrices, so the scores are the same floats.
gemm = private("blis.py", "gemm")

# Move kinds, as spaCy's BILUO transition system names them.
_BEGIN, _IN, _LAST, _UNIT, _OUT, _OTHER = range(6)
_KINDS = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT}
_ENT_ATTRS: list[int | str] = ["ENT_IOB", "ENT_TYPE"]
_TOKEN_ATTRS: list[int | str] = ["SENT_START", "IS_SPACE"]


class FastEntityRecognizer(Wrapped):
    """`EntityRecognizer.pipe`, with the greedy decoding done batchwise; the same entities."""

    def __init__(self, ner: EntityRecognizer) -> None:
        super().__init__(ner)
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
        self.ends = np.isin(self.kind, (_LAST, _UNIT))
        self.opens = np.isin(self.kind, (_BEGIN, _UNIT))
        self.names = sorted({int(x) for x in self.label if x})
        # The state code a move that opens an entity leads to (see _validity), else -1.
        self.opened_code = np.array(
            [4 + 2 * self.names.index(int(x)) if opens and x else -1
             for x, opens in zip(self.label, self.opens, strict=True)]
        )
        self.valid = self._validity()
        self.any_valid = np.asarray(self.valid.any(axis=1))

    # Which moves are valid depends, with no entity preset, only on whether an entity is open (and
    # its label), whether the entity may go on past this token (it is not the last, and the next
    # does not start a sentence) and whether this token is a space. A state is reduced to a code:
    #   no entity open: 2 * goes_on + is_space          (codes 0-3)
    #   entity open:    4 + 2 * label index + goes_on   (codes 4 and up)
    # and the valid moves of every code are worked out once, from spaCy's rules for each move.
    def _validity(self) -> np.ndarray:
        named = self.label != 0
        begin, inside = (self.kind == _BEGIN) & named, (self.kind == _IN) & named
        last, unit, out = (self.kind == _LAST) & named, (self.kind == _UNIT) & named, self.kind == _OUT
        table = np.zeros((4 + 2 * len(self.names), len(self.kind)), dtype=bool)
        for goes_on in (0, 1):
            for space in (0, 1):
                # B: not the last token, no sentence start next, not a space; U: not a space; O.
                table[2 * goes_on + space] = (begin & bool(goes_on) & (not space)) | (unit & (not space)) | out
            for k, name in enumerate(self.names):
                same = self.label == name
                # I: same label, the entity may go on; L: same label.
                table[4 + 2 * k + goes_on] = (inside & same & bool(goes_on)) | (last & same)
        return table

    @classmethod
    def build(cls, ner: Any) -> FastEntityRecognizer | None:
        """The fast equivalent of `ner`, or None where it is not of the shape covered here."""
        if gemm is None or type(ner) is not EntityRecognizer or ner.cfg.get("beam_width", 1) != 1 or ner.postprocesses:
            return None
        model = ner.model
        if not model.attrs.get("has_upper") or len(model.layers) != 3:
            return None
        lower = model.get_ref("lower")
        if lower.name != "precomputable_affine" or lower.get_dim("nF") != 3 or lower.get_dim("nP") < 2:
            return None
        try:
            fast = cls(ner)
        except (KeyError, ValueError, AttributeError, TypeError):
            return None
        return fast if not np.any(fast.kind == _OTHER) else None

    def __call__(self, doc: Doc) -> Doc:
        self.annotate([[doc]])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """What `EntityRecognizer.pipe` does: batches, each parsed shortest first in quarters."""
        for batch in minibatch(docs, size=batch_size):
            self.annotate(self.sub_batches(batch, batch_size))
            yield from batch

    @staticmethod
    def sub_batches(batch: list[Doc], batch_size: int) -> list[list[Doc]]:
        """The groups spaCy runs one batch of `pipe` in: shortest first, a quarter batch each."""
        by_length = sorted(batch, key=len)
        return [list(sub) for sub in minibatch(by_length, size=max(batch_size // 4, 2))]

    @property
    def reads(self) -> frozenset[str] | None:
        """The token attributes its networks read (the rest of the pipeline does not feed them), or
        None when they take another component's output."""
        for node in self.tok2vec.walk():
            if node.name == "extract_features":
                return frozenset(node.attrs["columns"])
        return None

    def networks(self, groups: list[list[Doc]]) -> np.ndarray:
        """Its networks' output for the docs of `groups`, run a group at a time as spaCy runs them,
        in one array: per token of the docs in order (row 0 pads), features, hidden, pieces."""
        parts = [np.asarray(self.lower(self.tok2vec.predict(group), False)[0]) for group in groups]
        return np.concatenate([parts[0][:1], *(part[1:] for part in parts)])

    def annotate(self, groups: list[list[Doc]], cached: np.ndarray | None = None) -> None:
        """Set the entities of the docs of `groups` (from `sub_batches`); `cached` is
        `networks(groups)` where it has been computed. The groups are decoded together: the moves
        of each sentence depend on its own scores alone."""
        for_spacy = [self._for_spacy(group) for group in groups]
        if any(for_spacy):
            for group, spacys in zip(groups, for_spacy, strict=True):
                if spacys:
                    self.ner.set_annotations(group, self.ner.predict(group))
                else:
                    self._set(group, self._decode(group, self.networks([group])))
            return
        docs = [doc for group in groups for doc in group]
        self._set(docs, self._decode(docs, self.networks(groups) if cached is None else cached))

    @staticmethod
    def _for_spacy(docs: list[Doc]) -> bool:
        """Entities already set, or nothing to read: left to spaCy's own recogniser."""
        return not any(len(doc) for doc in docs) or any(doc.to_array(_ENT_ATTRS).any() for doc in docs if len(doc))

    @staticmethod
    def _set(docs: list[Doc], ents: list[list[tuple[int, int, int]]]) -> None:
        for doc, found in zip(docs, ents, strict=True):
            doc.set_ents([Span(doc, start, end, label=label) for start, end, label in found], default="outside")

    def _decode(self, docs: list[Doc], cached: np.ndarray) -> list[list[tuple[int, int, int]]]:
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
        goes_on = np.zeros((n_states, longest + 1), dtype=np.int64)
        goes_on[:, :longest] = ~next_start[:, :longest] & (np.arange(longest)[None, :] < lengths[:, None] - 1)
        closed_code = 2 * goes_on + space
        open_code = np.full(n_states, -1)  # 4 + 2 * label index while an entity is open, else -1
        open_start = np.full(n_states, -1)
        ents: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        # The three features of a state: the buffer's first token, the open entity's first token
        # and the token before the buffer (the last two only while an entity is open; else row 0).
        buffer_rows, start_rows, before_rows = (np.ascontiguousarray(cached[:, f]) for f in range(3))
        live = np.flatnonzero(lengths > 0)
        t = 0
        while live.size:
            b0 = offsets[live] + t + 1  # row of the buffer's first token in `cached`
            opened = open_code[live] >= 0
            start = np.where(opened, offsets[live] + open_start[live] + 1, 0)
            before = np.where(opened, b0 - 1, 0)
            hidden = buffer_rows[b0] + start_rows[start]  # (states, hidden, pieces)
            hidden += before_rows[before]
            hidden += bias
            # Maxout over the pieces, two at a time: a reduction over so short an axis costs more.
            maxed = hidden[:, :, 0]
            for piece in range(1, hidden.shape[2]):
                maxed = np.maximum(maxed, hidden[:, :, piece])
            scores = gemm(np.ascontiguousarray(maxed), weights, trans2=True, beta=0.0)
            scores += upper_bias
            if unseen:
                scores[:, unseen] = scores.min()
            code = np.where(opened, open_code[live] + goes_on[live, t], closed_code[live, t])
            scores[~self.valid[code]] = -np.inf
            best = scores.argmax(axis=1)
            moving = self.any_valid[code]
            opening = self.opens[best] & moving
            open_code[live[opening]] = self.opened_code[best[opening]]
            open_start[live[opening]] = t
            for j in np.flatnonzero(self.ends[best] & moving):
                s = live[j]
                ents[s].append((int(open_start[s]), t + 1, self.names[(open_code[s] - 4) // 2]))
                open_code[s] = -1
            if not moving.all():
                lengths[live[~moving]] = t  # spaCy forces such a state to its end
            t += 1
            live = live[lengths[live] > t]
        return ents
