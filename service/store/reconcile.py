"""A new version of a story against its flags: what persists, what an edit resolved, what is new.

A flag persists when the new report has a discrepancy with its fingerprint (see fingerprint.py):
it keeps its status, note, assignee and history, and takes the new version's discrepancy. A flag
the new report lacks is resolved by the edit (its decision is kept, should it come back). A
discrepancy no flag matches is a new, open flag.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Discrepancy, Figure, Report
from .fingerprint import fingerprints
from .tables import EventRow, FlagRow

PRESENT: Final = "current"
RESOLVED: Final = "resolved_by_edit"


def summary(discrepancy: Discrepancy, figures: dict[str, Figure]) -> str:
    """The claims side by side in one line: 'TASS: over 3,200 personnel — Khaama Press: 10,000 + 400 = 10,400'."""
    if discrepancy.claims:
        return " — ".join(
            f"{claim.source or 'unattributed'}: {claim.expression}" for claim in discrepancy.claims
        )
    by_source: dict[str, list[str]] = defaultdict(list)
    for fid in discrepancy.figure_ids:
        if fid in figures:
            by_source[figures[fid].source or "unattributed"].append(figures[fid].text)
    return " — ".join(f"{source}: {', '.join(texts)}" for source, texts in by_source.items())


def _state_event(flag: FlagRow, old: str | None, new: str, actor: str, at: datetime, number: int) -> EventRow:
    return EventRow(
        flag_id=flag.id,
        at=at,
        actor=actor,
        field="state",
        old=old,
        new=new,
        flag_version=flag.version,
        story_version=number,
    )


def reconcile(session: Session, story_id: int, number: int, report: Report, actor: str, at: datetime) -> None:
    """Bring the story's flags in line with version `number`, whose report is `report`."""
    figures = {figure.id: figure for figure in report.figures}
    prints = fingerprints(report.discrepancies, report.figures)
    # Locked (on PostgreSQL) so that a flag changed meanwhile waits for this version, not the reverse.
    existing = {
        flag.fingerprint: flag
        for flag in session.scalars(select(FlagRow).where(FlagRow.story_id == story_id).with_for_update())
    }
    appeared: list[tuple[FlagRow, str | None]] = []
    events: list[EventRow] = []
    for discrepancy, print_ in zip(report.discrepancies, prints, strict=True):
        flag = existing.pop(print_, None)
        if flag is None:
            flag = FlagRow(
                story_id=story_id,
                fingerprint=print_,
                status="open",
                note="",
                assignee=None,
                version=1,
                present=True,
                first_version=number,
                created_at=at,
                updated_at=at,
                updated_by=actor,
            )
            session.add(flag)
            old_state = None
        elif not flag.present:
            flag.present, flag.version = True, flag.version + 1
            flag.updated_at, flag.updated_by = at, actor
            old_state = RESOLVED
        else:
            old_state = PRESENT
        flag.kind, flag.severity = discrepancy.kind, discrepancy.severity
        flag.last_seen_version = number
        flag.summary = summary(discrepancy, figures)
        flag.discrepancy = discrepancy.model_dump(mode="json")
        if old_state != PRESENT:
            appeared.append((flag, old_state))
    for flag in existing.values():
        if flag.present:
            flag.present, flag.version = False, flag.version + 1
            flag.updated_at, flag.updated_by = at, actor
            events.append(_state_event(flag, PRESENT, RESOLVED, actor, at, number))
    session.flush()  # ids for the new flags' first events
    events += [_state_event(flag, old, PRESENT, actor, at, number) for flag, old in appeared]
    session.add_all(events)
