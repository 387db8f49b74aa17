"""Questions asked of a text again and again, answered without reading it again each time.

A pattern searched in windows of one text that share their start and grow at their end, and
where the last sentence stop before an offset lies. Asked once per figure or per pair of figures,
each cost the text's length (or the window's) a time, so a long text packed with figures cost the
square of its length.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache


class GrowingSearch:
    """Whether `pattern` occurs in text[start:end], for one start and a rising series of ends,
    reading each character a bounded number of times rather than the whole window for each end.

    `longest` bounds the length of a match in this text. A match that starts more than `longest`
    characters before the end of a window already searched would have been found in it, so a
    longer window is searched from there on; one found away from the window's edge is in every
    longer window. The text is cut at `start` once, so that word boundaries there read as in
    the window.
    """

    def __init__(self, pattern: re.Pattern[str], longest: int, text: str, start: int) -> None:
        self.pattern, self.longest, self.text, self.start = pattern, longest, text, start
        self.window = ""
        self.searched = 0  # text[start:start + searched] holds no match
        self.hit_at: int | None = None  # every window this long or longer holds a match

    def found(self, end: int) -> bool:
        stop = max(0, end - self.start)
        if self.hit_at is not None and stop >= self.hit_at:
            return True
        if stop > len(self.window):
            self.window = self.text[self.start : self.start + max(stop, 2 * len(self.window))]
        if stop < self.searched:
            return bool(self.pattern.search(self.window, 0, stop))
        m = self.pattern.search(self.window, max(0, self.searched - self.longest), stop)
        if m is None:
            self.searched = stop
        elif m.end() < stop:
            self.hit_at = m.end() + 1
        return m is not None


_SPACE_RUN = re.compile(r"\s+")


def longest_phrase_match(phrases: list[str], text: str, extra: int = 1) -> int:
    """How long a match of phrases compiled with `\\s+` between their words can be in `text`: the
    phrase's letters, and its gaps each as long as the text's longest run of white space (at
    least `extra`, for patterns that also take a short mark such as ':')."""
    gap = max((len(m) for m in _SPACE_RUN.findall(text)), default=1)
    return max([extra, *(len(p.replace(" ", "")) + (len(p.split()) - 1) * gap for p in phrases)])


@lru_cache(maxsize=8)
def _marks(text: str, marks: str) -> tuple[list[int], list[int]]:
    """Offsets of the marks in `text`: all of them, and those that no digit follows."""
    found = [i for i, ch in enumerate(text) if ch in marks]
    clean = [i for i in found if not (i + 1 < len(text) and text[i + 1].isdecimal())]
    return found, clean


def last_stop(text: str, pos: int, marks: str = ".!?") -> int:
    r"""Where the last mark that no digit follows ends in text[:pos], or 0: the end of the last
    match of `[.!?](?!\d)` in that slice (a mark at its very end has no digit after it there)."""
    if 0 < pos <= len(text) and text[pos - 1] in marks:
        return pos
    clean = _marks(text, marks)[1]
    k = bisect.bisect_left(clean, pos) - 1
    return clean[k] + 1 if k >= 0 else 0


def next_mark(text: str, mark: str, start: int) -> int:
    """`text.find(mark, start)` for a start of 0 or more, by a binary search over the mark's offsets."""
    found = _marks(text, mark)[0]
    k = bisect.bisect_left(found, start)
    return found[k] if k < len(found) else -1


def last_mark(text: str, mark: str, end: int) -> int:
    """`text.rfind(mark, 0, end)` for an end of 0 or more, by a binary search over the mark's offsets."""
    found = _marks(text, mark)[0]
    k = bisect.bisect_left(found, min(end, len(text))) - 1
    return found[k] if k >= 0 else -1
