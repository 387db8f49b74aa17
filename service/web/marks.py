"""Cut a document's text into plain runs and marked runs, one mark per figure or ignored number.

Spans that overlap (a figure inside another, or an ignored number inside a figure) become one
mark that names all of them, so no figure is dropped from the page and the text is shown once,
unchanged: joining the segments gives back the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: str
    ignored: bool = False


@dataclass(frozen=True)
class Segment:
    """A run of the text; a mark when it names figures or ignored numbers."""

    text: str
    start: int
    figure_ids: tuple[str, ...] = ()
    ignored_keys: tuple[str, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.figure_ids or self.ignored_keys)


@dataclass
class _Cluster:
    start: int
    end: int
    spans: list[Span] = field(default_factory=list)


def _clusters(spans: Iterable[Span], length: int) -> list[_Cluster]:
    usable = sorted(
        (s for s in spans if 0 <= s.start < s.end <= length), key=lambda s: (s.start, -s.end, s.key)
    )
    clusters: list[_Cluster] = []
    for span in usable:
        if clusters and span.start < clusters[-1].end:
            clusters[-1].end = max(clusters[-1].end, span.end)
            clusters[-1].spans.append(span)
        else:
            clusters.append(_Cluster(span.start, span.end, [span]))
    return clusters


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """The text as plain and marked runs, in order; spans outside the text are left out."""
    out: list[Segment] = []
    at = 0
    for cluster in _clusters(spans, len(text)):
        if cluster.start > at:
            out.append(Segment(text[at : cluster.start], at))
        out.append(
            Segment(
                text[cluster.start : cluster.end],
                cluster.start,
                figure_ids=tuple(s.key for s in cluster.spans if not s.ignored),
                ignored_keys=tuple(s.key for s in cluster.spans if s.ignored),
            )
        )
        at = cluster.end
    if at < len(text) or not out:
        out.append(Segment(text[at:], at))
    return out
