"""The worked example shown in the API docs: one article citing two conflicting counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# In a checkout the seed article sits beside the package; an installed package uses the short form.
SEED_ARTICLE = Path(__file__).resolve().parents[2] / "seeds" / "tass-kp-tajikistan-drills" / "article.txt"
SHORT_TEXT = (
    "TASS said over 3,200 personnel took part. "
    "KP says at least 10,000 troops from Tajikistan and 400 from Russia participated."
)


def _article() -> str:
    try:
        text = SEED_ARTICLE.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return SHORT_TEXT
    return text or SHORT_TEXT


CHECK_EXAMPLES: dict[str, dict[str, Any]] = {
    "article": {
        "summary": "One article, two accounts of the same drill",
        "description": (
            "TASS puts the drill at over 3,200 personnel; Khaama Press at 10,000 troops from Tajikistan "
            "and 400 from Russia. numcheck sums the parts and flags the conflict."
        ),
        "value": {"documents": [{"id": "kp", "source": "Khaama Press", "text": _article()}]},
    },
    "two-outlets": {
        "summary": "Two documents from two outlets",
        "value": {
            "documents": [
                {"id": "tass", "source": "TASS", "text": "Over 3,200 personnel took part in the drills."},
                {
                    "id": "kp",
                    "source": "Khaama Press",
                    "text": "At least 10,000 troops from Tajikistan and 400 from Russia took part in the drills.",
                },
            ],
            "options": {"min_severity": "medium"},
        },
    },
}
