"""A report as the page shows it: documents cut into marked runs, figures with what was read,
flags in severity order with their claims side by side.

`report_view` takes any report, fresh from a check or stored with a story; `statuses` gives a
flag's triage status where one is kept (every flag is "open" otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..models import Claim, Discrepancy, Document, Figure, Group, Report
from . import format as fmt
from .marks import Segment, Span, segments

# Group colours on the page (CSS classes gc-0 ... gc-7); more groups reuse them in turn.
PALETTE_SIZE = 8
DEFAULT_STATUS = "open"
_RANK = {severity: rank for rank, severity in enumerate(fmt.SEVERITIES)}
# A group's evidence names the two figures it weighed by id: "f4 ~ f2: same class 'troops' +1.6".
_WEIGHED = re.compile(r"^(\S+) ~ (\S+): (.+)$", re.DOTALL)


@dataclass(frozen=True)
class FigureView:
    id: str
    text: str
    document_label: str
    value: str
    interval: str
    hedge: str | None
    counted: str | None
    scope: list[str]
    time: str | None
    dimension: str
    role: str | None
    source: str | None
    via: str | None
    cue: str | None
    cue_kind: str | None
    group_id: str | None = None
    group_concept: str | None = None
    colour: int | None = None
    flag_ids: list[str] = field(default_factory=list)
    severity: str | None = None


@dataclass(frozen=True)
class IgnoredView:
    key: str
    document_label: str
    text: str
    reason: str


@dataclass(frozen=True)
class Run:
    """A run of a document's text: plain, or a mark for its figures (or ignored numbers)."""

    text: str
    start: int
    figures: list[FigureView] = field(default_factory=list)
    ignored: list[IgnoredView] = field(default_factory=list)

    @property
    def marked(self) -> bool:
        return bool(self.figures or self.ignored)

    @property
    def figure_ids(self) -> str:
        return " ".join(f.id for f in self.figures)

    @property
    def flag_ids(self) -> str:
        return " ".join(dict.fromkeys(i for f in self.figures for i in f.flag_ids))

    @property
    def classes(self) -> str:
        if not self.figures:
            return "ign"
        classes = ["fig"]
        colour = next((f.colour for f in self.figures if f.colour is not None), None)
        if colour is not None:
            classes.append(f"gc-{colour}")
        severities = [f.severity for f in self.figures if f.severity]
        if severities:
            classes += ["flagged", f"sev-{min(severities, key=_RANK.__getitem__)}"]
        return " ".join(classes)


@dataclass(frozen=True)
class DocumentView:
    id: str
    index: int
    label: str
    source: str | None
    runs: list[Run]
    figure_count: int


@dataclass(frozen=True)
class ClaimView:
    source: str
    text: str
    interval: str
    figure_ids: list[str]
    where: str | None


@dataclass(frozen=True)
class Evidence:
    """One reason a group was joined; `pair` is the two figures' texts where it names them."""

    text: str
    pair: tuple[str, str] | None = None


@dataclass(frozen=True)
class GroupRef:
    id: str
    concept: str
    colour: int | None
    evidence: list[Evidence]


@dataclass(frozen=True)
class FlagView:
    id: str
    kind: str
    kind_label: str
    severity: str
    status: str
    claims: list[ClaimView]
    figures: list[FigureView]
    arithmetic: str | None
    explanation: str
    alternatives: list[str]
    group: GroupRef | None
    figure_ids: list[str]


@dataclass(frozen=True)
class ReportView:
    documents: list[DocumentView]
    flags: list[FlagView]
    figures: dict[str, FigureView]
    ignored: list[IgnoredView]
    severity_counts: dict[str, int]
    kinds: list[tuple[str, str]]
    statuses: tuple[str, ...] = fmt.STATUSES
    severities: tuple[str, ...] = fmt.SEVERITIES


def _labels(documents: Sequence[Document]) -> dict[str, str]:
    return {d.id: d.source or f"Document {n}" for n, d in enumerate(documents, 1)}


def _colours(groups: Sequence[Group]) -> dict[str, int]:
    """A colour for each group of two figures or more, in report order."""
    shared = [g for g in groups if len(g.figure_ids) > 1]
    return {g.id: n % PALETTE_SIZE for n, g in enumerate(shared)}


def _counted(figure: Figure) -> str | None:
    if figure.counted and figure.measure_word:
        return f"{figure.measure_word} of {figure.counted}"
    return figure.counted or figure.subject


def _figure(
    figure: Figure, label: str, group: Group | None, colour: int | None, flags: list[Discrepancy]
) -> FigureView:
    value = fmt.number(figure.value)
    if figure.value_to is not None:
        value = f"{value}–{fmt.number(figure.value_to)}"
    attribution = figure.attribution
    flags = sorted(flags, key=lambda d: _RANK[d.severity])
    return FigureView(
        id=figure.id,
        text=figure.text,
        document_label=label,
        value=fmt.with_unit(value, figure.unit),
        interval=fmt.interval(figure.low, figure.high, figure.unit),
        hedge=figure.hedge,
        counted=_counted(figure),
        scope=list(figure.qualifiers),
        time=figure.time_anchor,
        dimension=figure.dimension,
        role=figure.role,
        source=(attribution.source if attribution else None) or figure.source,
        via=attribution.via if attribution else None,
        cue=attribution.cue if attribution else None,
        cue_kind=fmt.ATTRIBUTION_LABELS.get(attribution.kind) if attribution else None,
        group_id=group.id if group else None,
        group_concept=group.concept if group else None,
        colour=colour,
        flag_ids=[d.id for d in flags],
        severity=flags[0].severity if flags else None,
    )


def _claim(claim: Claim, figures: Mapping[str, Figure], labels: Mapping[str, str]) -> ClaimView:
    text = claim.expression
    members = [figures[i] for i in claim.figure_ids if i in figures]
    counted = next((f.counted for f in members if f.counted), None)
    if len(members) > 1 and counted and not text.endswith(counted):
        text = f"{text} {counted}"
    source = claim.source or next((labels[i] for i in claim.document_ids if i in labels), "Unattributed")
    # Which account a claim is read in matters only where there are several.
    places = (
        [labels[i] for i in claim.document_ids if i in labels and labels[i] != source]
        if len(labels) > 1
        else []
    )
    return ClaimView(
        source=source,
        text=text,
        interval=fmt.interval(claim.low, claim.high, members[0].unit if members else None),
        figure_ids=list(claim.figure_ids),
        where=", ".join(places) or None,
    )


def report_view(
    report: Report, documents: Sequence[Document], statuses: Mapping[str, str] | None = None
) -> ReportView:
    labels = _labels(documents)
    colours = _colours(report.groups)
    group_of = {fid: g for g in report.groups for fid in g.figure_ids}
    flags_of: dict[str, list[Discrepancy]] = {}
    for d in report.discrepancies:
        for fid in d.figure_ids:
            flags_of.setdefault(fid, []).append(d)
    figures = {
        f.id: _figure(
            f,
            labels.get(f.document_id, f.document_id),
            group_of.get(f.id),
            colours.get(group_of[f.id].id) if f.id in group_of else None,
            flags_of.get(f.id, []),
        )
        for f in report.figures
    }
    ignored = [
        IgnoredView(f"i{n}", labels.get(i.document_id, i.document_id), i.text, i.reason)
        for n, i in enumerate(report.ignored, 1)
    ]
    ignored_by_key = {i.key: i for i in ignored}
    docs = []
    for index, document in enumerate(documents):
        spans = [Span(f.start, f.end, f.id) for f in report.figures if f.document_id == document.id]
        spans += [
            Span(i.start, i.end, view.key, ignored=True)
            for i, view in zip(report.ignored, ignored, strict=True)
            if i.document_id == document.id
        ]
        docs.append(
            DocumentView(
                id=document.id,
                index=index,
                label=labels[document.id],
                source=document.source,
                runs=[_run(seg, figures, ignored_by_key) for seg in segments(document.text, spans)],
                figure_count=sum(1 for s in spans if not s.ignored),
            )
        )
    by_id = {f.id: f for f in report.figures}
    groups = {g.id: g for g in report.groups}
    flags = [
        _flag(d, by_id, figures, groups, colours, labels, (statuses or {}).get(d.id, DEFAULT_STATUS))
        for d in sorted(report.discrepancies, key=lambda d: _RANK[d.severity])
    ]
    counts = {s: sum(1 for f in flags if f.severity == s) for s in fmt.SEVERITIES}
    kinds = sorted({(f.kind, f.kind_label) for f in flags}, key=lambda k: k[1])
    return ReportView(docs, flags, figures, ignored, counts, kinds)


def _run(segment: Segment, figures: Mapping[str, FigureView], ignored: Mapping[str, IgnoredView]) -> Run:
    return Run(
        segment.text,
        segment.start,
        [figures[i] for i in segment.figure_ids if i in figures],
        [ignored[k] for k in segment.ignored_keys if k in ignored],
    )


def _evidence(group: Group, figures: Mapping[str, Figure]) -> list[Evidence]:
    out = []
    for item in group.evidence:
        match = _WEIGHED.match(item)
        if match and match.group(1) in figures and match.group(2) in figures:
            pair = (figures[match.group(1)].text, figures[match.group(2)].text)
            out.append(Evidence(match.group(3), pair))
        else:
            out.append(Evidence(item))
    return out


def _flag(
    d: Discrepancy,
    by_id: Mapping[str, Figure],
    figures: Mapping[str, FigureView],
    groups: Mapping[str, Group],
    colours: Mapping[str, int],
    labels: Mapping[str, str],
    status: str,
) -> FlagView:
    group = groups.get(d.group_id) if d.group_id else None
    return FlagView(
        id=d.id,
        kind=d.kind,
        kind_label=fmt.kind_label(d.kind),
        severity=d.severity,
        status=status,
        claims=[_claim(c, by_id, labels) for c in d.claims],
        figures=[figures[i] for i in d.figure_ids if i in figures],
        arithmetic=d.arithmetic,
        explanation=d.explanation,
        alternatives=list(d.alternatives),
        group=GroupRef(group.id, group.concept, colours.get(group.id), _evidence(group, by_id))
        if group
        else None,
        figure_ids=list(d.figure_ids),
    )
