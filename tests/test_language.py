"""A text that is not English is reported as such, never read silently as English."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from service.language import language_of, reads_as_english
from service.models import Report

CheckText = Callable[..., Report]
SEED = Path(__file__).resolve().parent.parent / "seeds" / "tass-kp-tajikistan-drills" / "article.txt"

GERMAN = (
    "Die Polizei sagte, mehr als 3.200 Soldaten hätten an der Übung teilgenommen. Nach Angaben des Ministeriums "
    "waren es so viele wie nie zuvor, und die Regierung will die Zahl im nächsten Jahr noch erhöhen."
)
TEXTS = [
    (SEED.read_text(encoding="utf-8"), "en"),
    (GERMAN, "de"),
    ("De politie zei dat meer dan 3.200 militairen aan de oefening hebben deelgenomen. Volgens het ministerie was "
     "het de grootste oefening in jaren, en het kabinet wil het aantal volgend jaar verhogen.", "nl"),
    ("La police a déclaré que plus de 3 200 militaires avaient participé à l'exercice. Selon le ministère, "
     "c'était le plus grand exercice depuis des années.", "fr"),
    ("La policía dijo que más de 3.200 militares participaron en el ejercicio. Según el ministerio, fue el mayor "
     "ejercicio en años y el gobierno quiere aumentar la cifra el próximo año.", "es"),
    ("Polisi mengatakan lebih dari 3.200 personel ikut serta dalam latihan itu. Menurut kementerian, ini adalah "
     "latihan terbesar dalam beberapa tahun terakhir.", "id"),
    ("Die polisie het gesê meer as 3 200 soldate het aan die oefening deelgeneem. Volgens die ministerie was dit "
     "die grootste oefening in jare, en die regering wil die getal volgende jaar verhoog.", "af"),
    ("Полиция сообщила, что в учениях приняли участие более 3200 военнослужащих, по данным министерства.", "ru"),
    # English with a long German quote: more German than English.
    ("The minister said: «Mehr als 3.200 Soldaten haben teilgenommen, und wir sind stolz darauf.» "
     "He added that 400 came from Russia.", "de"),
    # English without many function words, long enough to tell.
    ("Police said 3,200 personnel joined drills near Dushanbe; Russian officers counted 400 more troops, "
     "armoured vehicles and helicopters.", "en"),
    # Too short to tell: no judgement rather than a guess ("The hospital has 300 beds." once read as Danish).
    ("The hospital has 300 beds.", None),
    ("Die Polizei zählte 3.200 Soldaten.", None),
    ("12 34 56", None),
]


@pytest.mark.parametrize(("text", "language"), TEXTS, ids=[f"{n}-{lang}" for n, (_, lang) in enumerate(TEXTS)])
def test_the_language_of_a_text(text: str, language: str | None) -> None:
    found = language_of(text)
    assert (found[0] if found else None) == language


def test_an_english_article_is_told_by_its_function_words_without_the_detector() -> None:
    assert reads_as_english(SEED.read_text(encoding="utf-8"))
    assert not reads_as_english(GERMAN)
    code = (
        "import sys; from service.language import language_of; "
        f"print(language_of(open({str(SEED)!r}).read()), 'lingua' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "('en', 'English') False"


def test_a_report_warns_of_each_document_that_is_not_english(check_text: CheckText) -> None:
    english = "Police said over 3,200 personnel took part in the drills, and that 400 of them came from Russia."
    report = check_text(("de", GERMAN, None), ("en", english, None))
    [warning] = report.warnings
    assert warning.model_dump() == {
        "code": "not_english",
        "document_id": "de",
        "language": "de",
        "message": "Document 'de' reads as German (de), not English: numcheck reads figures by English rules, "
        "so figures in it may be missed or misread.",
    }


def test_an_english_report_has_no_warnings(check_text: CheckText) -> None:
    assert check_text(SEED.read_text(encoding="utf-8")).warnings == []
