"""Worked examples for the stored-story endpoints in the API docs (a test validates each one)."""

from __future__ import annotations

from typing import Any

from .errors import ErrorResponse

TASS = {"id": "tass", "source": "TASS", "text": "Over 3,200 personnel took part in the drills."}
KP = {
    "id": "kp",
    "source": "Khaama Press",
    "text": "At least 10,000 troops from Tajikistan and 400 from Russia took part in the drills.",
}
AT = "2026-12-07T09:30:00Z"
LATER = "2026-12-07T09:41:12Z"

STORY_EXAMPLES: dict[str, dict[str, Any]] = {
    "two-outlets": {
        "summary": "Two accounts of one drill",
        "value": {"title": "Dushanbe drills: troop numbers", "documents": [TASS, KP]},
    },
}
RECHECK_EXAMPLES: dict[str, dict[str, Any]] = {
    "edited-draft": {
        "summary": "The draft after an edit, based on version 1",
        "description": "A paragraph added before the figures: the flag persists, with its status and note.",
        "value": {
            "documents": [{**TASS, "text": "Drills began on Monday. " + str(TASS["text"])}, KP],
            "base_version": 1,
        },
    },
}
FLAG_UPDATE_EXAMPLES: dict[str, dict[str, Any]] = {
    "dismiss": {
        "summary": "Dismiss with a note",
        "value": {"version": 1, "status": "dismissed", "note": "TASS counts only the Russian contingent."},
    },
    "assign": {"summary": "Assign to someone", "value": {"version": 2, "assignee": "sam"}},
    "unassign": {"summary": "Unassign", "value": {"version": 3, "assignee": ""}},
}

_CLAIMS = [
    {
        "source": "TASS",
        "figure_ids": ["f1"],
        "value": 3200,
        "low": 3200,
        "high": 4000,
        "expression": "over 3,200 personnel",
        "document_ids": ["tass"],
    },
    {
        "source": "Khaama Press",
        "figure_ids": ["f2", "f3"],
        "value": 10400,
        "low": 10400,
        "high": 13000,
        "expression": "10,000 + 400 = 10,400",
        "document_ids": ["kp"],
    },
]
_EXPLANATION = (
    "TASS: over 3,200 personnel — Khaama Press: at least 10,000 + 400 = 10,400 troops — 3.25× apart; "
    "the ranges 3,200–4,000 and 10,400–13,000 do not meet."
)
_DISCREPANCY = {
    "id": "d1",
    "kind": "conflicting_accounts",
    "severity": "high",
    "group_id": "g1",
    "figure_ids": ["f1", "f2", "f3"],
    "claims": _CLAIMS,
    "arithmetic": "3,200–4,000 vs 10,400–13,000",
    "ratio": 3.25,
    "explanation": _EXPLANATION,
    "alternatives": [],
}
FLAG: dict[str, Any] = {
    "id": 7,
    "story_id": 3,
    "fingerprint": "v1:d231792601c3cbeea11b4854d3fc7aed374c0857",
    "kind": "conflicting_accounts",
    "severity": "high",
    "status": "dismissed",
    "note": "TASS counts only the Russian contingent.",
    "assignee": "sam",
    "version": 3,
    "state": "current",
    "first_version": 1,
    "last_seen_version": 1,
    "summary": "TASS: over 3,200 personnel — Khaama Press: 10,000 + 400 = 10,400",
    "discrepancy": _DISCREPANCY,
    "created_at": AT,
    "updated_at": LATER,
    "updated_by": "ana",
    "history": [
        {
            "at": AT,
            "actor": "ana",
            "field": "state",
            "old": None,
            "new": "current",
            "flag_version": 1,
            "story_version": 1,
        },
        {
            "at": LATER,
            "actor": "ana",
            "field": "status",
            "old": "open",
            "new": "dismissed",
            "flag_version": 2,
            "story_version": 1,
        },
        {
            "at": LATER,
            "actor": "ana",
            "field": "note",
            "old": "",
            "new": "TASS counts only the Russian contingent.",
            "flag_version": 2,
            "story_version": 1,
        },
        {
            "at": LATER,
            "actor": "ana",
            "field": "assignee",
            "old": None,
            "new": "sam",
            "flag_version": 3,
            "story_version": 1,
        },
    ],
}
_SUMMARY = {
    "id": 3,
    "title": "Dushanbe drills: troop numbers",
    "created_at": AT,
    "created_by": "ana",
    "updated_at": AT,
    "current_version": 1,
    "open_flags": 1,
    "flag_counts": {"open": 1, "confirmed": 0, "dismissed": 0, "corrected": 0, "resolved_by_edit": 0},
}
_FIGURE = {"document_id": "tass", "dimension": "count", "unit": None, "hedge": None, "value_to": None}
STORY: dict[str, Any] = {
    **_SUMMARY,
    "versions": [{"number": 1, "created_at": AT, "created_by": "ana"}],
    "documents": [TASS, KP],
    "report": {
        "figures": [
            {
                **_FIGURE,
                "id": "f1",
                "start": 0,
                "end": 20,
                "text": "Over 3,200 personnel",
                "value": 3200,
                "low": 3200,
                "high": 4000,
                "hedge": "over",
                "counted": "personnel",
                "source": "TASS",
            },
            {
                **_FIGURE,
                "id": "f2",
                "document_id": "kp",
                "start": 0,
                "end": 22,
                "text": "At least 10,000 troops",
                "value": 10000,
                "low": 10000,
                "high": 12500,
                "hedge": "at least",
                "counted": "troops",
                "qualifiers": ["from Tajikistan"],
                "source": "Khaama Press",
            },
            {
                **_FIGURE,
                "id": "f3",
                "document_id": "kp",
                "start": 43,
                "end": 46,
                "text": "400",
                "value": 400,
                "low": 400,
                "high": 500,
                "hedge": "at least",
                "counted": "troops",
                "qualifiers": ["from Russia"],
                "source": "Khaama Press",
            },
        ],
        "groups": [
            {
                "id": "g1",
                "concept": "troops",
                "dimension": "count",
                "figure_ids": ["f1", "f2", "f3"],
                "claims": _CLAIMS,
            }
        ],
        "discrepancies": [_DISCREPANCY],
        "ignored": [],
    },
    "flags": [
        {
            **FLAG,
            "status": "open",
            "note": "",
            "assignee": None,
            "version": 1,
            "updated_at": AT,
            "history": None,
        }
    ],
}
STORY_PAGE: dict[str, Any] = {
    "stories": [_SUMMARY],
    "total": 1,
    "limit": 50,
    "offset": 0,
    "next_offset": None,
}

VERSION: dict[str, Any] = {
    "number": 1,
    "created_at": AT,
    "created_by": "ana",
    "documents": [TASS, KP],
    "report": STORY["report"],
}
ME: dict[str, Any] = {
    "user": {
        "name": "ana",
        "role": "checker",
        "key_prefix": "3f9c01ab",
        "created_at": AT,
        "key_created_at": AT,
    },
    "local_mode": False,
    "notice": None,
    "may_change": True,
    "may_delete": False,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "story": STORY,
    "story_page": STORY_PAGE,
    "flag": FLAG,
    "version": VERSION,
    "me": ME,
}


def example_response(status: int, name: str) -> dict[int | str, dict[str, Any]]:
    return {status: {"content": {"application/json": {"example": EXAMPLES[name]}}}}


CONFLICT: dict[str, Any] = {
    "error": {
        "code": "conflict",
        "message": "flag 7 is at version 3, but this change was based on version 2: someone changed it meanwhile "
        "(last ana). The current state is in `current`: review it and send your change again with its version.",
        "details": [{"location": "version", "message": "…", "type": "stale_version", "current": FLAG}],
    }
}


def conflict_response() -> dict[int | str, dict[str, Any]]:
    return {
        409: {
            "model": ErrorResponse,
            "description": "Someone changed the flag first: the current flag is in `error.details[0].current`",
            "content": {"application/json": {"example": CONFLICT}},
        }
    }


EXPORT_EXAMPLES: dict[str, dict[str, Any]] = {
    "text/csv": {
        "example": "flag_id,state,status,severity,kind,claims,explanation,note,assignee,first_version,"
        "last_seen_version,version,updated_at,updated_by,fingerprint\r\n"
        '7,current,dismissed,high,conflicting_accounts,"TASS: over 3,200 personnel — Khaama Press: 10,000 + 400 = '
        '10,400","TASS: over 3,200 personnel — …",TASS counts only the Russian contingent.,sam,1,1,3,'
        "2026-12-07T09:41:12+00:00,ana,v1:d231792601c3cbeea11b4854d3fc7aed374c0857\r\n"
    },
    "text/markdown": {"example": "# Dushanbe drills: troop numbers\n\nStory 3, version 1 …\n"},
    "application/json": {"example": STORY["report"]},
    "application/ld+json": {
        "example": {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "ClaimReview",
                    "identifier": "numcheck-story-3-flag-7",
                    "datePublished": "2026-12-07",
                    "claimReviewed": "TASS: over 3,200 personnel — Khaama Press: 10,000 + 400 = 10,400",
                    "reviewBody": "Khaama Press corrected its count to 3,400.",
                    "author": {"@type": "Person", "name": "ana"},
                    "reviewRating": {
                        "@type": "Rating",
                        "alternateName": "Corrected",
                        "ratingExplanation": "…",
                    },
                    "itemReviewed": {
                        "@type": "Claim",
                        "appearance": [{"@type": "CreativeWork", "name": "TASS"}],
                        "author": [{"@type": "Organization", "name": "TASS"}],
                    },
                }
            ],
        }
    },
}
