"""A story's exports read back: CSV rows, ClaimReview JSON-LD, Markdown and the report."""

from __future__ import annotations

import csv
import io
import json

import pytest
from storyfactory import BUDGET, DOCUMENTS, DRILL, TOLL, report

from service.models import Report
from service.store import LOCAL_USER, FlagUpdate, Store, Story
from service.store.exports import CSV_COLUMNS


@pytest.fixture
def story(store: Store) -> Story:
    """Four flags: confirmed with a note, corrected and then resolved by the edit, open, dismissed."""
    saved = store.save_story(DOCUMENTS, report(DRILL, BUDGET, TOLL), LOCAL_USER, title="Drills")
    drill, budget, toll = saved.flags
    changes = [
        (drill, {"status": "confirmed", "note": 'Ministry confirms 3,400.\n=HYPERLINK("x")'}),
        (budget, {"status": "corrected", "assignee": "sam"}),
        (toll, {"status": "dismissed", "note": "Different days"}),
    ]
    for flag, change in changes:
        store.update_flag(saved.id, flag.id, FlagUpdate(version=1, **change), LOCAL_USER)
    new_spec = ("conflicting_accounts", [("Army", 40), ("Navy", 90)])
    return store.recheck(saved.id, DOCUMENTS, report(DRILL, TOLL, new_spec), LOCAL_USER)


def test_csv_has_a_row_per_flag_with_status_and_note(store: Store, story: Story) -> None:
    export = store.export(story.id, "flags.csv")
    assert export.media_type == "text/csv; charset=utf-8"
    assert export.filename == f"story-{story.id}-v2-flags.csv"
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    got = {(r["claims"], r["state"], r["status"], r["note"], r["assignee"], r["version"]) for r in rows}
    assert got == {
        (
            "TASS: 3,200 — Khaama Press: 10,400",
            "current",
            "confirmed",
            'Ministry confirms 3,400.\n=HYPERLINK("x")',
            "",
            "2",
        ),
        ("Police: 12 — Hospital: 19", "current", "dismissed", "Different days", "", "2"),
        ("Army: 40 — Navy: 90", "current", "open", "", "", "1"),
        ("Desk: 15, 200, 250", "resolved_by_edit", "corrected", "", "sam", "3"),
    }
    assert {r["flag_id"] for r in rows} == {str(f.id) for f in story.flags}


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(store: Store) -> None:
    saved = store.save_story(DOCUMENTS, report(DRILL), LOCAL_USER)
    store.update_flag(
        saved.id, saved.flags[0].id, FlagUpdate(version=1, note="=1+2", assignee="@sam"), LOCAL_USER
    )
    (row,) = csv.DictReader(io.StringIO(store.export(saved.id, "flags.csv").text))
    assert (row["note"], row["assignee"]) == ("'=1+2", "'@sam")


def test_claim_reviews_cover_confirmed_and_corrected_flags(store: Store, story: Story) -> None:
    export = store.export(story.id, "claim-reviews.jsonld")
    assert export.media_type == "application/ld+json"
    document = json.loads(export.text)
    assert document["@context"] == "https://schema.org"
    reviews = {review["claimReviewed"]: review for review in document["@graph"]}
    assert set(reviews) == {"TASS: 3,200 — Khaama Press: 10,400", "Desk: 15, 200, 250"}
    confirmed = reviews["TASS: 3,200 — Khaama Press: 10,400"]
    assert confirmed["@type"] == "ClaimReview"
    assert confirmed["reviewRating"]["alternateName"] == "Inconsistent figures (confirmed)"
    assert confirmed["reviewBody"].startswith("Ministry confirms 3,400.")
    assert confirmed["author"] == {"@type": "Person", "name": "local"}
    assert confirmed["itemReviewed"]["appearance"] == [
        {"@type": "CreativeWork", "url": "https://example.org/kp"}
    ]
    assert reviews["Desk: 15, 200, 250"]["reviewRating"]["alternateName"] == "Corrected"
    assert (
        reviews["Desk: 15, 200, 250"]["reviewBody"]
        == "percent_change_mismatch: Desk 15 vs Desk 200 vs Desk 250"
    )


def test_markdown_lists_each_flag_with_its_decision(store: Store, story: Story) -> None:
    text = store.export(story.id, "flags.md").text
    assert text.startswith("# Drills\n\nStory ")
    assert f"version {story.current_version}" in text
    assert "1 open, 1 confirmed, 1 dismissed, 1 resolved by edit." in text
    assert "Corrected: percent change mismatch (high) — resolved by the edit" in text
    assert '> Ministry confirms 3,400.\n> =HYPERLINK("x")' in text
    assert "- Assignee: sam" in text


def test_the_report_export_is_the_current_versions_report(store: Store, story: Story) -> None:
    export = store.export(story.id, "report.json")
    assert Report.model_validate_json(export.text) == story.report
    assert len(story.report.discrepancies) == 3
