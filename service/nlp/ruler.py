"""spaCy's attribute ruler, what it sets for a token worked out once per distinct token.

The attribute ruler spends most of its time in per-token Python (a Matcher over every pattern
and a Span per match), although what it sets for a token depends only on a few of its
attributes. Here that dependence is read from its own patterns once, remembered per distinct
token, and the results are written with spaCy's own setter, so every token gets exactly what
the original gives it. A ruler whose patterns read anything else is not replaced.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from .component import MEMO_LIMIT, Wrapped, private

# spaCy's own setter for the attributes a match assigns; private, so it may move.
set_token_attrs = private("spacy.tokens._retokenize", "set_token_attrs")

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


class FastAttributeRuler(Wrapped):
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
        super().__init__(ruler)
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
    def build(cls, ruler: Any) -> FastAttributeRuler | None:
        """The fast equivalent of `ruler`, or None where its patterns read what is not covered here."""
        if type(ruler) is not AttributeRuler or set_token_attrs is None:
            return None
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
