"""A stored story as its page shows it: the current version's report (see view.py) with, for each
flag, what the desk decided (status, note, assignee), its history in words, and the forms to change
it; the flags an edit resolved; the versions; the story list.

A change that comes back refused (someone changed the flag first, or the form was wrong) is shown
at its flag as a `Draft`: what the person tried, kept in the form, beside the flag as it is now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from ..store import EXPORTS, STATUSES, Flag, HistoryEntry, Story, StoryPage, StorySummary
from . import format as fmt
from .view import ReportView, report_view

EXPORT_LABELS = {
    "flags.csv": "Flags as CSV",
    "flags.md": "Flags as Markdown",
    "report.json": "Report JSON",
    "claim-reviews.jsonld": "ClaimReview JSON-LD",
}


def when(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class Draft:
    """A change to one flag that was not saved: what was sent, and why it was refused."""

    status: str | None
    note: str
    assignee: str
    current: Flag | None = None
    """The flag as someone else left it, when the change was based on an older version."""
    problem: str | None = None
    """What to fix, when the form itself was wrong (a note too long...)."""


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    when: str
    actor: str
    text: str


@dataclass(frozen=True)
class ConflictView:
    by: str
    when: str
    now: list[tuple[str, str]]
    tried: list[tuple[str, str]]
    again: str
    """The button that sends the change again."""


@dataclass(frozen=True)
class FlagTriage:
    id: int
    anchor: str
    version: int
    status: str
    note: str
    assignee: str | None
    state: str
    severity: str
    kind_label: str
    summary: str
    explanation: str
    first_version: int
    last_seen_version: int
    updated: str
    history: list[HistoryLine]
    since: str | None
    """"new in version 3", or "since version 1" when a decision was carried over an edit."""
    note_value: str
    assignee_value: str
    conflict: ConflictView | None = None
    problem: str | None = None
    saved: bool = False


@dataclass(frozen=True)
class ExportLink:
    name: str
    label: str
    href: str


@dataclass(frozen=True)
class StoryView:
    id: int
    title: str
    current_version: int
    versions: list[tuple[int, str, str]]
    created: str
    updated: str
    report: ReportView
    triage: dict[str, FlagTriage]
    """The current flags' triage, by the id of their discrepancy in the current report."""
    resolved: list[FlagTriage]
    exports: list[ExportLink]
    counts: dict[str, int]
    statuses: tuple[str, ...] = STATUSES


def _quoted(text: str | None, empty: str = "none") -> str:
    if not text:
        return empty
    text = " ".join(text.split())
    return f"“{text[:117]}…”" if len(text) > 120 else f"“{text}”"


def history_text(entry: HistoryEntry) -> str:
    if entry.field == "status":
        return f"status {entry.old or 'none'} → {entry.new}"
    if entry.field == "note":
        return "note cleared" if not entry.new else f"note {_quoted(entry.new)}"
    if entry.field == "assignee":
        return f"assigned to {entry.new}" if entry.new else f"unassigned (was {entry.old})"
    if entry.new == "resolved_by_edit":
        return f"gone from version {entry.story_version}: resolved by the edit"
    if entry.old == "resolved_by_edit":
        return f"back in version {entry.story_version}"
    return f"found in version {entry.story_version}"


def _history(flag: Flag) -> list[HistoryLine]:
    return [HistoryLine(e.at, when(e.at), e.actor, history_text(e)) for e in flag.history or []]


def _since(flag: Flag, current_version: int) -> str | None:
    if flag.state == "resolved_by_edit":
        return f"last seen in version {flag.last_seen_version}"
    if current_version == 1:
        return None
    if flag.first_version == current_version:
        return f"new in version {current_version}"
    return f"since version {flag.first_version}"


def _fields(status: str | None, note: str | None, assignee: str | None) -> list[tuple[str, str]]:
    out = []
    if status is not None:
        out.append(("Status", status))
    out.append(("Note", _quoted(note)))
    out.append(("Assignee", assignee or "none"))
    return out


def _triage(flag: Flag, anchor: str, current_version: int, draft: Draft | None, saved: bool) -> FlagTriage:
    conflict = None
    shown = flag
    if draft is not None and draft.current is not None:
        shown = draft.current
        conflict = ConflictView(
            by=shown.updated_by,
            when=when(shown.updated_at),
            now=_fields(shown.status, shown.note, shown.assignee),
            tried=_fields(draft.status, draft.note, draft.assignee),
            again=draft.status.capitalize() if draft.status else "Save note and assignee",
        )
    return FlagTriage(
        id=shown.id,
        anchor=anchor,
        version=shown.version,
        status=shown.status,
        note=shown.note,
        assignee=shown.assignee,
        state=shown.state,
        severity=shown.severity,
        kind_label=fmt.kind_label(shown.kind),
        summary=shown.summary,
        explanation=shown.discrepancy.explanation,
        first_version=shown.first_version,
        last_seen_version=shown.last_seen_version,
        updated=f"{shown.updated_by}, {when(shown.updated_at)}",
        history=_history(shown),
        since=_since(shown, current_version),
        note_value=draft.note if draft is not None else shown.note,
        assignee_value=draft.assignee if draft is not None else (shown.assignee or ""),
        conflict=conflict,
        problem=draft.problem if draft is not None else None,
        saved=saved,
    )


def story_view(
    story: Story, drafts: Mapping[int, Draft] | None = None, saved: int | None = None
) -> StoryView:
    """The page of a story read with its flags' history (`Store.story(id, history=True)`)."""
    drafts = drafts or {}
    current = {f.discrepancy.id: f for f in story.flags if f.state == "current"}
    statuses = {disc_id: flag.status for disc_id, flag in current.items()}
    for disc_id, flag in current.items():
        draft = drafts.get(flag.id)
        if draft is not None and draft.current is not None:
            statuses[disc_id] = draft.current.status
    triage = {
        disc_id: _triage(
            flag, f"flag-{disc_id}", story.current_version, drafts.get(flag.id), saved == flag.id
        )
        for disc_id, flag in current.items()
    }
    resolved = [
        _triage(flag, f"resolved-{flag.id}", story.current_version, drafts.get(flag.id), saved == flag.id)
        for flag in story.flags
        if flag.state == "resolved_by_edit"
    ]
    return StoryView(
        id=story.id,
        title=story.title,
        current_version=story.current_version,
        versions=[(v.number, when(v.created_at), v.created_by) for v in story.versions],
        created=f"{story.created_by}, {when(story.created_at)}",
        updated=when(story.updated_at),
        report=report_view(story.report, story.documents, statuses),
        triage=triage,
        resolved=resolved,
        exports=[ExportLink(n, EXPORT_LABELS[n], f"/stories/{story.id}/exports/{n}") for n in EXPORTS],
        counts=story.flag_counts.model_dump(),
    )


# --- the story list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryRow:
    id: int
    title: str
    href: str
    open_flags: int
    others: str
    version: int
    updated: str
    created_by: str


@dataclass(frozen=True)
class StoryListView:
    rows: list[StoryRow]
    total: int
    first: int
    last: int
    status: str
    assignee: str
    newer: str | None
    older: str | None
    statuses: tuple[str, ...] = STATUSES
    filtered: bool = False
    assignees: list[str] = field(default_factory=list)


def _others(summary: StorySummary) -> str:
    counts = summary.flag_counts
    parts = [
        (counts.confirmed, "confirmed"),
        (counts.dismissed, "dismissed"),
        (counts.corrected, "corrected"),
        (counts.resolved_by_edit, "resolved by an edit"),
    ]
    return ", ".join(f"{n} {word}" for n, word in parts if n) or "none"


def _page_link(status: str, assignee: str, offset: int) -> str:
    query = {k: v for k, v in (("status", status), ("assignee", assignee)) if v}
    if offset:
        query["offset"] = str(offset)
    return "/stories" + ("?" + urlencode(query) if query else "")


def story_list_view(page: StoryPage, status: str, assignee: str, assignees: Sequence[str]) -> StoryListView:
    rows = [
        StoryRow(
            id=s.id,
            title=s.title,
            href=f"/stories/{s.id}",
            open_flags=s.open_flags,
            others=_others(s),
            version=s.current_version,
            updated=when(s.updated_at),
            created_by=s.created_by,
        )
        for s in page.stories
    ]
    newer = _page_link(status, assignee, max(0, page.offset - page.limit)) if page.offset > 0 else None
    older = _page_link(status, assignee, page.next_offset) if page.next_offset is not None else None
    return StoryListView(
        rows=rows,
        total=page.total,
        first=page.offset + 1 if rows else 0,
        last=page.offset + len(rows),
        status=status,
        assignee=assignee,
        newer=newer,
        older=older,
        filtered=bool(status or assignee),
        assignees=list(assignees),
    )
