"""Stories: saved checks, each re-check a new version, listed newest first with their open flags."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from ..models import Document, Report
from .errors import Conflict, NotFound
from .reconcile import reconcile
from .tables import TITLE_LENGTH, FlagRow, StoryRow, VersionRow, now
from .triage import flag_view, histories
from .views import STATUSES, FlagCounts, Story, StoryPage, StorySummary, StoryVersion, VersionInfo

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def default_title(documents: Sequence[Document]) -> str:
    """The first line of the first document, shortened: what a desk would call the story."""
    first = documents[0]
    line = next((line.strip() for line in first.text.splitlines() if line.strip()), first.id)
    title = line if len(line) <= 120 else line[:119].rstrip() + "…"
    return f"{first.source}: {title}" if first.source else title


def _story_row(session: Session, story_id: int, lock: bool = False) -> StoryRow:
    query = select(StoryRow).where(StoryRow.id == story_id)
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound(f"no story {story_id}: GET /v1/stories lists the stories there are")
    return row


def _add_version(
    session: Session, story: StoryRow, documents: Sequence[Document], report: Report, actor: str, at: datetime
) -> None:
    number = story.current_version + 1
    session.add(
        VersionRow(
            story_id=story.id,
            number=number,
            created_at=at,
            created_by=actor,
            documents=[document.model_dump(mode="json") for document in documents],
            report=report.model_dump(mode="json"),
        )
    )
    story.current_version, story.updated_at = number, at
    reconcile(session, story.id, number, report, actor, at)


def create(
    session: Session, documents: Sequence[Document], report: Report, actor: str, title: str | None
) -> int:
    at = now()
    story = StoryRow(
        title=(title or default_title(documents))[:TITLE_LENGTH],
        created_at=at,
        created_by=actor,
        updated_at=at,
        current_version=0,
    )
    session.add(story)
    session.flush()
    _add_version(session, story, documents, report, actor, at)
    return story.id


def add_version(
    session: Session,
    story_id: int,
    documents: Sequence[Document],
    report: Report,
    actor: str,
    base_version: int | None,
) -> None:
    # Locked: two re-checks of one story become versions n+1 and n+2, never two n+1.
    story = _story_row(session, story_id, lock=True)
    if base_version is not None and base_version != story.current_version:
        raise Conflict(
            f"story {story_id} is at version {story.current_version}, but this re-check was based on version "
            f"{base_version}: someone re-checked it meanwhile. Review the current version and re-check again.",
            _summary(story, _counts(session, [story.id]).get(story.id, FlagCounts())).model_dump(mode="json"),
        )
    _add_version(session, story, documents, report, actor, now())


def delete(session: Session, story_id: int) -> None:
    session.delete(_story_row(session, story_id))


def _counts(session: Session, story_ids: list[int]) -> dict[int, FlagCounts]:
    if not story_ids:
        return {}
    query = (
        select(FlagRow.story_id, FlagRow.present, FlagRow.status, func.count())
        .where(FlagRow.story_id.in_(story_ids))
        .group_by(FlagRow.story_id, FlagRow.present, FlagRow.status)
    )
    tallies: dict[int, dict[str, int]] = {}
    for story_id, present, status, count in session.execute(query):
        key = status if present else "resolved_by_edit"
        tally = tallies.setdefault(story_id, {})
        tally[key] = tally.get(key, 0) + count
    return {story_id: FlagCounts(**tally) for story_id, tally in tallies.items()}


def _summary(row: StoryRow, counts: FlagCounts) -> StorySummary:
    return StorySummary(
        id=row.id,
        title=row.title,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        current_version=row.current_version,
        open_flags=counts.open,
        flag_counts=counts,
    )


def listing(session: Session, status: str | None, assignee: str | None, limit: int, offset: int) -> StoryPage:
    """Stories newest first; with `status` or `assignee`, those with a current flag that has both."""
    query = select(StoryRow)
    if status is not None or assignee is not None:
        conditions: list[ColumnElement[bool]] = [FlagRow.story_id == StoryRow.id, FlagRow.present.is_(True)]
        if status is not None:
            assert status in STATUSES
            conditions.append(FlagRow.status == status)
        if assignee is not None:
            conditions.append(FlagRow.assignee == assignee)
        query = query.where(exists().where(and_(*conditions)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        session.scalars(
            query.order_by(StoryRow.updated_at.desc(), StoryRow.id.desc()).limit(limit).offset(offset)
        )
    )
    counts = _counts(session, [row.id for row in rows])
    return StoryPage(
        stories=[_summary(row, counts.get(row.id, FlagCounts())) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=offset + limit if offset + limit < total else None,
    )


def _version_row(session: Session, story_id: int, number: int) -> VersionRow:
    row = session.scalar(
        select(VersionRow).where(VersionRow.story_id == story_id, VersionRow.number == number)
    )
    if row is None:
        _story_row(session, story_id)  # no story at all: say that instead
        raise NotFound(f"story {story_id} has no version {number}")
    return row


def load_version(session: Session, story_id: int, number: int) -> StoryVersion:
    row = _version_row(session, story_id, number)
    return StoryVersion(
        number=row.number,
        created_at=row.created_at,
        created_by=row.created_by,
        documents=[Document.model_validate(document) for document in row.documents],
        report=Report.model_validate(row.report),
    )


def load(session: Session, story_id: int, history: bool = False) -> Story:
    story = _story_row(session, story_id)
    # Only the current version's documents and report are read: older ones can be large.
    versions = session.execute(
        select(VersionRow.number, VersionRow.created_at, VersionRow.created_by)
        .where(VersionRow.story_id == story_id)
        .order_by(VersionRow.number)
    ).all()
    current = _version_row(session, story_id, story.current_version)
    flags = sorted(
        session.scalars(select(FlagRow).where(FlagRow.story_id == story_id)),
        key=lambda flag: (not flag.present, SEVERITY_ORDER.get(flag.severity, 3), flag.id),
    )
    events = histories(session, [flag.id for flag in flags]) if history else None
    return Story(
        **_summary(story, _counts(session, [story_id]).get(story_id, FlagCounts())).model_dump(),
        versions=[VersionInfo(number=n, created_at=at, created_by=by) for n, at, by in versions],
        documents=[Document.model_validate(document) for document in current.documents],
        report=Report.model_validate(current.report),
        flags=[flag_view(flag, None if events is None else events.get(flag.id, [])) for flag in flags],
    )
