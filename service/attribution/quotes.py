"""Direct quotes, found by one scan over the whole normalised text.

Quotes are paired mark by mark across sentence boundaries, since a quote often runs over
several sentences before its cue ('"... 3,200 personnel ... until 2042," TASS noted'). News
style continues a quote into the next paragraph by leaving the paragraph without a closing mark
and opening the next one with a mark: those paragraphs form one quote of several segments.
Curly quotes arrive here already as straight ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Quote:
    """One quotation: segments are (opening mark, closing mark or paragraph end) offsets."""

    segments: tuple[tuple[int, int], ...]
    closed: bool

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]

    def contains(self, offset: int) -> bool:
        return any(o < offset < c for o, c in self.segments)


def _stray(text: str, i: int) -> bool:
    """An inch or seconds mark after a digit ('a 12" pipe') is no quotation mark."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isdigit() and not after.isalpha()


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in `text`, in order, each with the segments it spans."""
    quotes: list[Quote] = []
    segments: list[tuple[int, int]] = []
    carried = False  # the last paragraph ended inside a quote
    for para in _PARAGRAPH.finditer(text):
        start, end = para.start(), para.end()
        first = start + (len(para.group()) - len(para.group().lstrip()))
        if first >= end:
            continue
        open_at: int | None = None
        skip = -1
        if carried:
            carried = False
            if text[first] == '"':
                open_at, skip = first, first
            else:
                quotes.append(Quote(tuple(segments), closed=False))
                segments = []
        for i in range(first, end):
            if text[i] != '"' or i == skip:
                continue
            if open_at is None:
                if not _stray(text, i):
                    open_at = i
            else:
                segments.append((open_at, i))
                quotes.append(Quote(tuple(segments), closed=True))
                segments, open_at = [], None
        if open_at is not None:
            segments.append((open_at, end))
            carried = True
    if segments:
        quotes.append(Quote(tuple(segments), closed=False))
    return quotes
