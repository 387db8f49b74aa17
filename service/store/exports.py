"""A story's flags for people and tools outside numcheck: CSV, Markdown and schema.org ClaimReview.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) get a leading apostrophe: flagged copy and notes come from anywhere, and opening an
export must not run what they say.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from .errors import NotFound
from .views import Flag, Story

CSV_COLUMNS = (
    "flag_id",
    "state",
    "status",
    "severity",
    "kind",
    "claims",
    "explanation",
    "note",
    "assignee",
    "first_version",
    "last_seen_version",
    "version",
    "updated_at",
    "updated_by",
    "fingerprint",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REVIEWED = {"confirmed": "Inconsistent figures (confirmed)", "corrected": "Corrected"}


def _cell(value: object) -> str:
    text = "" if value is None else value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(flag: Flag) -> list[str]:
    values: dict[str, object] = {
        "flag_id": flag.id,
        "claims": flag.summary,
        "explanation": flag.discrepancy.explanation,
        **flag.model_dump(include={"state", "status", "severity", "kind", "note", "assignee", "fingerprint"}),
        **flag.model_dump(include={"first_version", "last_seen_version", "version", "updated_by"}),
        "updated_at": flag.updated_at,
    }
    return [_cell(values[column]) for column in CSV_COLUMNS]


def flags_csv(story: Story) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_row(flag) for flag in story.flags)
    return out.getvalue()


def _md(text: str) -> str:
    """User text as Markdown prose: characters that would start markup are escaped."""
    escaped = "".join("\\" + c if c in "\\`*_[]<>|#" else c for c in text)
    return " ".join(escaped.split())


def _counts_line(story: Story) -> str:
    counts = story.flag_counts.model_dump()
    parts = [f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n]
    return ", ".join(parts) if parts else "no flags"


def flags_markdown(story: Story) -> str:
    lines = [
        f"# {_md(story.title)}",
        "",
        f"Story {story.id}, version {story.current_version} (of {story.updated_at:%Y-%m-%d %H:%M} UTC): "
        f"{_counts_line(story)}.",
    ]
    for number, flag in enumerate(story.flags, start=1):
        state = " — resolved by the edit" if flag.state == "resolved_by_edit" else ""
        lines += [
            "",
            f"## {number}. {flag.status.capitalize()}: {flag.kind.replace('_', ' ')} ({flag.severity}){state}",
            "",
            _md(flag.summary),
            "",
            _md(flag.discrepancy.explanation),
            "",
            f"- Assignee: {_md(flag.assignee) if flag.assignee else 'none'}",
            f"- Last change: {_md(flag.updated_by)}, {flag.updated_at:%Y-%m-%d %H:%M} UTC (flag {flag.id}, "
            f"version {flag.version}; first seen in story version {flag.first_version})",
        ]
        if flag.note.strip():
            lines += ["", *(f"> {_md(line)}" if line.strip() else ">" for line in flag.note.splitlines())]
    return "\n".join(lines) + "\n"


def _appearances(story: Story, flag: Flag) -> list[dict[str, Any]]:
    ids = {doc_id for claim in flag.discrepancy.claims for doc_id in claim.document_ids}
    documents = [d for d in story.documents if d.id in ids] or story.documents
    return [
        {"@type": "CreativeWork", "url": d.url}
        if d.url
        else {"@type": "CreativeWork", "name": d.source or d.id}
        for d in documents
    ]


def _claim_authors(flag: Flag) -> list[dict[str, str]]:
    sources = dict.fromkeys(claim.source for claim in flag.discrepancy.claims if claim.source)
    return [{"@type": "Organization", "name": source} for source in sources]


def claim_review(story: Story, flag: Flag) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim", "appearance": _appearances(story, flag)}
    if authors := _claim_authors(flag):
        item["author"] = authors
    return {
        "@type": "ClaimReview",
        "identifier": f"numcheck-story-{story.id}-flag-{flag.id}",
        "datePublished": flag.updated_at.date().isoformat(),
        "claimReviewed": flag.summary,
        "reviewBody": flag.note.strip() or flag.discrepancy.explanation,
        "author": {"@type": "Person", "name": flag.updated_by},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": REVIEWED[flag.status],
            "ratingExplanation": flag.discrepancy.explanation,
        },
        "itemReviewed": item,
    }


def claim_reviews(story: Story) -> str:
    """schema.org ClaimReview JSON-LD, one review per confirmed or corrected flag."""
    graph = [claim_review(story, flag) for flag in story.flags if flag.status in REVIEWED]
    return (
        json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, indent=2) + "\n"
    )


class Export(NamedTuple):
    text: str
    media_type: str
    filename: str


def _report(story: Story) -> str:
    return story.report.model_dump_json(indent=2) + "\n"


EXPORTS: dict[str, tuple[Callable[[Story], str], str]] = {
    "flags.csv": (flags_csv, "text/csv; charset=utf-8"),
    "flags.md": (flags_markdown, "text/markdown; charset=utf-8"),
    "report.json": (_report, "application/json"),
    "claim-reviews.jsonld": (claim_reviews, "application/ld+json"),
}


def export(story: Story, name: str) -> Export:
    if name not in EXPORTS:
        raise NotFound(f"no export {name!r}: choose one of {', '.join(EXPORTS)}")
    render, media_type = EXPORTS[name]
    return Export(render(story), media_type, f"story-{story.id}-v{story.current_version}-{name}")
