"""Which language a document is written in: numcheck reads English, and says so when a text is not.

Telling 75 languages apart (lingua, its models in the wheel: nothing is downloaded) costs about
half a second the first time, more than a whole check. Most news copy sent here is English and
shows it at once: about 40% of an English article's words are English function words (spaCy's
English stop words), against 0 to 21% in the German, Dutch, French, Spanish, Norwegian,
Afrikaans, Indonesian and Tagalog news texts and the English text with a German quote that
`tests/test_language.py` holds. A text of `MIN_WORDS` words or more that clears
`ENGLISH_SHARE` is therefore read as English at no cost; any other text goes to the detector.

The detector runs in its low-accuracy mode (the high-accuracy one took 35 s and 1 GB to load
all its models), which its authors find reliable from about 120 characters on. On 831 English
texts from the tests, benchmarks and shared cases it named another language for none of the
128 with `MIN_LETTERS` letters or more that the word test did not settle, and for 150 of the
shorter ones ("The hospital has 300 beds." reads as Danish): a text with fewer letters is
too short to tell, and gets no warning.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from .models import Document, ReportWarning

ENGLISH_SHARE = 0.30
MIN_WORDS = 20
MIN_LETTERS = 60
# The detector reads this much of a text: enough to tell its language, and a bound on the work.
SAMPLE_CHARS = 20_000
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")

_lock = threading.Lock()
_detector: Any = None


def _detect() -> Any:
    """The lingua detector, built once; its models load as texts need them (see `warm`)."""
    global _detector
    with _lock:
        if _detector is None:
            from lingua import LanguageDetectorBuilder

            _detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
        return _detector


def warm() -> None:
    """Load the detector's models now (at a server's start-up), not on the first request that needs them."""
    _detect().compute_language_confidence_values("numcheck reads the figures in news copy.")


def reads_as_english(text: str) -> bool:
    """True for a text long enough to judge whose words are English function words at least
    ENGLISH_SHARE of the time."""
    words = _WORD.findall(text.lower())
    return len(words) >= MIN_WORDS and sum(w in STOP_WORDS for w in words) >= ENGLISH_SHARE * len(words)


def language_of(text: str) -> tuple[str, str] | None:
    """(ISO 639-1 code, English name) of the language a text is written in, or None when it
    cannot be told (no letters, or too little text)."""
    sample = text[:SAMPLE_CHARS]
    if reads_as_english(sample):
        return "en", "English"
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    language = _detect().detect_language_of(sample)
    if language is None:
        return None
    return language.iso_code_639_1.name.lower(), language.name.capitalize()


def language_warnings(documents: Sequence[Document]) -> list[ReportWarning]:
    """A warning for each document whose text is not English."""
    warnings = []
    for document in documents:
        found = language_of(document.text)
        if found is None or found[0] == "en":
            continue
        code, name = found
        warnings.append(
            ReportWarning(
                code="not_english",
                document_id=document.id,
                language=code,
                message=f"Document '{document.id}' reads as {name} ({code}), not English: numcheck reads figures "
                "by English rules, so figures in it may be missed or misread.",
            )
        )
    return warnings
