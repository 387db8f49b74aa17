"""What the store gives back: frozen pydantic values, the same the JSON API answers with."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import Discrepancy, Document, Report

Status = Literal["open", "confirmed", "dismissed", "corrected"]
STATUSES: tuple[Status, ...] = ("open", "confirmed", "dismissed", "corrected")
State = Literal["current", "resolved_by_edit"]
Role = Literal["viewer", "checker", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "checker", "admin")


class View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class User(View):
    """Someone the store knows, or the single local user of a loopback server with no users."""

    name: str
    role: Role
    key_prefix: str | None = Field(
        default=None, description="The first characters of the key, to tell keys apart."
    )
    created_at: datetime | None = None
    key_created_at: datetime | None = None
    local: bool = Field(
        default=False, description="The single local user of a loopback server with no users."
    )


class HistoryEntry(View):
    """One change of one field of a flag."""

    at: datetime
    actor: str = Field(description="Who made the change: a user's name, or 'local'.")
    field: Literal["status", "note", "assignee", "state"] = Field(
        description="The field that changed; `state` is the flag appearing or going away with a new version."
    )
    old: str | None = None
    new: str | None = None
    flag_version: int = Field(description="The flag's version after this change.")
    story_version: int = Field(description="The story's version when the change was made.")


class Flag(View):
    """A discrepancy of a stored story, with what the desk decided about it."""

    id: int
    story_id: int
    fingerprint: str = Field(description="The flag's identity across versions: kind + sources + values.")
    kind: str
    severity: str
    status: Status
    note: str
    assignee: str | None = None
    version: int = Field(description="Send it back with a change; a change based on an older one gets 409.")
    state: State = Field(description="`resolved_by_edit` when the story's current version no longer has it.")
    first_version: int = Field(description="The story version in which the flag first appeared.")
    last_seen_version: int = Field(description="The newest story version that has the flag.")
    summary: str = Field(description="The claims side by side, as one line.")
    discrepancy: Discrepancy = Field(description="The flag as in the report of `last_seen_version`.")
    created_at: datetime
    updated_at: datetime
    updated_by: str
    history: list[HistoryEntry] | None = Field(
        default=None, description="Every change, oldest first (when asked for one flag)."
    )


class VersionInfo(View):
    number: int
    created_at: datetime
    created_by: str


class StoryVersion(VersionInfo):
    documents: list[Document]
    report: Report


class FlagCounts(View):
    open: int = 0
    confirmed: int = 0
    dismissed: int = 0
    corrected: int = 0
    resolved_by_edit: int = 0


class StorySummary(View):
    id: int
    title: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    current_version: int
    open_flags: int = Field(description="Flags of the current version still open.")
    flag_counts: FlagCounts = Field(description="Current flags by status, and those resolved by an edit.")


class Story(StorySummary):
    versions: list[VersionInfo]
    documents: list[Document] = Field(description="The current version's documents.")
    report: Report = Field(description="The current version's report.")
    flags: list[Flag] = Field(description="Current flags by severity, then those resolved by an edit.")


class StoryPage(View):
    stories: list[StorySummary] = Field(description="Newest first (by last change of the story).")
    total: int = Field(description="Stories that match the filters.")
    limit: int
    offset: int
    next_offset: int | None = Field(
        default=None, description="The offset of the next page, or null on the last one."
    )


def dump(value: BaseModel) -> dict[str, Any]:
    return value.model_dump(mode="json")
