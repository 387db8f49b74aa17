"""Which documents of a request tell one story: those that share enough of their words.

Two documents are one story when the words they share (content words of four letters or more,
spaCy's stop words left out) are a large enough part of the shorter one's words; stories are the
connected sets, so a third account joins through either of the others. Figures of different
stories are never compared: a fire in one city and a flood in another country are not two
accounts of one event. The threshold is rules/grouping.yaml `stories.overlap`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from .models import Figure, ReportWarning, Story
from .read import ParsedDocument
from .rules import RuleSet

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


def content_words(text: str) -> set[str]:
    """The document's content words, lower case, a plural folded to its singular."""
    out = set()
    for m in _WORD.finditer(text):
        w = m.group(0).lower().removesuffix("'s")
        if w in STOP_WORDS:
            continue
        if w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return out


def stories(parsed: Sequence[ParsedDocument], rules: RuleSet) -> list[Story]:
    """The request's stories, each with the documents it holds and some of the words they share."""
    words = [content_words(f"{p.text} {p.document.source or ''}") for p in parsed]
    parent = list(range(len(parsed)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(parsed)):
        for j in range(i + 1, len(parsed)):
            smaller = min(len(words[i]), len(words[j]))
            # Short texts say too little to tell stories apart: they are taken as one.
            if smaller < rules.grouping.stories.min_words \
                    or len(words[i] & words[j]) / smaller >= rules.grouping.stories.overlap:
                parent[root(j)] = root(i)
    by_root: dict[int, list[int]] = {}
    for i in range(len(parsed)):
        by_root.setdefault(root(i), []).append(i)
    out: list[Story] = []
    for members in by_root.values():
        common = set.intersection(*(words[i] for i in members)) if len(members) > 1 else set()
        out.append(Story(
            id=f"s{len(out) + 1}", document_ids=[parsed[i].document.id for i in members],
            shared=sorted(common, key=lambda w: (-len(w), w))[:8],
        ))
    return out


def with_stories(figures: Sequence[Figure], found: Sequence[Story]) -> list[Figure]:
    """The figures, each frame naming the story of its document."""
    story_of = {d: s.id for s in found for d in s.document_ids}
    return [
        f.model_copy(update={"frame": f.frame.model_copy(update={"story": story_of.get(f.document_id)})})
        if f.frame is not None else f
        for f in figures
    ]


def story_warnings(found: Sequence[Story]) -> list[ReportWarning]:
    if len(found) < 2:
        return []
    parts = "; ".join(f"{s.id}: {', '.join(s.document_ids)}" for s in found)
    return [ReportWarning(
        code="several_stories",
        message=f"The documents tell {len(found)} stories that have little in common ({parts}); figures of "
        "different stories are not compared.",
    )]
