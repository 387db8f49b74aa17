"""A desk's decisions on flags: status, note and assignee, each change versioned and kept in history.

A change names the flag version it was based on. When that is no longer the current version,
someone else changed the flag first: the change is refused with the flag's current state
(Conflict), so nothing is overwritten unseen. Every accepted change raises the version by one
and writes one history entry per field it changed, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Discrepancy
from .errors import Conflict, NotFound
from .reconcile import PRESENT, RESOLVED
from .tables import NAME_LENGTH, EventRow, FlagRow, StoryRow, now
from .views import Flag, HistoryEntry, Status

NOTE_LENGTH = 10_000
TRIAGE_FIELDS = ("status", "note", "assignee")


class FlagUpdate(BaseModel):
    """A change to one flag. Fields left out stay as they are; an empty `assignee` unassigns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(
        ge=1, description="The flag version this change is based on (from the flag as read)."
    )
    status: Status | None = Field(default=None, description="open, confirmed, dismissed or corrected.")
    note: str | None = Field(
        default=None, max_length=NOTE_LENGTH, description="Replaces the note; '' clears it."
    )
    assignee: str | None = Field(
        default=None,
        max_length=NAME_LENGTH,
        description="Who should look at it (any name); '' or null unassigns.",
    )

    @field_validator("assignee")
    @classmethod
    def _blank_unassigns(cls, assignee: str | None) -> str | None:
        return (assignee or "").strip() or None

    @model_validator(mode="after")
    def _changes_something(self) -> FlagUpdate:
        if "status" in self.model_fields_set and self.status is None:
            raise PydanticCustomError(
                "null_status", "status cannot be null: use open, confirmed, dismissed or corrected"
            )
        if not self.changes():
            raise PydanticCustomError("no_change", "give at least one of status, note and assignee to change")
        return self

    def changes(self) -> dict[str, Any]:
        wanted = {name: getattr(self, name) for name in TRIAGE_FIELDS if name in self.model_fields_set}
        if wanted.get("note") is None:
            wanted.pop("note", None)
        return wanted


def history_entry(row: EventRow) -> HistoryEntry:
    return HistoryEntry(
        at=row.at,
        actor=row.actor,
        field=row.field,  # type: ignore[arg-type]  # written only by this package, from the Literal's values
        old=row.old,
        new=row.new,
        flag_version=row.flag_version,
        story_version=row.story_version,
    )


def flag_view(row: FlagRow, history: list[EventRow] | None = None) -> Flag:
    return Flag(
        id=row.id,
        story_id=row.story_id,
        fingerprint=row.fingerprint,
        kind=row.kind,
        severity=row.severity,
        status=row.status,  # type: ignore[arg-type]  # only Status values are written
        note=row.note,
        assignee=row.assignee,
        version=row.version,
        state=PRESENT if row.present else RESOLVED,
        first_version=row.first_version,
        last_seen_version=row.last_seen_version,
        summary=row.summary,
        discrepancy=Discrepancy.model_validate(row.discrepancy),
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        history=None if history is None else [history_entry(event) for event in history],
    )


def _history(session: Session, flag_id: int) -> list[EventRow]:
    return list(session.scalars(select(EventRow).where(EventRow.flag_id == flag_id).order_by(EventRow.id)))


def histories(session: Session, flag_ids: list[int]) -> dict[int, list[EventRow]]:
    """The histories of several flags in one query, each oldest first."""
    out: dict[int, list[EventRow]] = {}
    if flag_ids:
        query = select(EventRow).where(EventRow.flag_id.in_(flag_ids)).order_by(EventRow.id)
        for row in session.scalars(query):
            out.setdefault(row.flag_id, []).append(row)
    return out


def _flag_row(session: Session, story_id: int, flag_id: int, lock: bool = False) -> FlagRow:
    query = select(FlagRow).where(FlagRow.id == flag_id, FlagRow.story_id == story_id)
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound(f"story {story_id} has no flag {flag_id}: GET /v1/stories/{story_id} lists its flags")
    return row


def load_flag(session: Session, story_id: int, flag_id: int) -> Flag:
    row = _flag_row(session, story_id, flag_id)
    return flag_view(row, _history(session, row.id))


def update_flag(session: Session, story_id: int, flag_id: int, update: FlagUpdate, actor: str) -> Flag:
    # Locked (PostgreSQL) or under the write lock (SQLite): the version read is the one replaced.
    row = _flag_row(session, story_id, flag_id, lock=True)
    if row.version != update.version:
        current = flag_view(row, _history(session, row.id))
        raise Conflict(
            f"flag {flag_id} is at version {row.version}, but this change was based on version "
            f"{update.version}: someone changed it meanwhile (last {row.updated_by}). The current state is in "
            "`current`: review it and send your change again with its version.",
            current.model_dump(mode="json"),
        )
    changed = {name: value for name, value in update.changes().items() if getattr(row, name) != value}
    if not changed:
        return flag_view(row, _history(session, row.id))
    story_version = session.scalar(select(StoryRow.current_version).where(StoryRow.id == story_id)) or 0
    at, version = now(), row.version + 1
    session.add_all(
        EventRow(
            flag_id=row.id,
            at=at,
            actor=actor,
            field=name,
            old=getattr(row, name),
            new=value,
            flag_version=version,
            story_version=story_version,
        )
        for name, value in changed.items()
    )
    for name, value in changed.items():
        setattr(row, name, value)
    row.version, row.updated_at, row.updated_by = version, at, actor
    session.flush()
    return flag_view(row, _history(session, row.id))
