"""The texts the speed benchmark sends: news articles, the labelled cases, and made-up large requests.

The data sets are read from where they lie (their licences keep them out of this repository).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

NEWSQUANT_DEFAULT = "../shared/data/newsquant/formatted_test_set/NewsQuant.json"
CASES_DEFAULT = "../shared/cases"
ARTICLE_WORDS = 600
SENTENCES_PER_PARAGRAPH = 3
MAX_CHARS = 200_000  # the server's default NUMCHECK_MAX_DOCUMENT_CHARS


@dataclass(frozen=True)
class Request:
    """One POST /v1/check body, ready to send."""

    body: bytes
    texts: tuple[str, ...]

    @property
    def words(self) -> int:
        return sum(len(t.split()) for t in self.texts)

    @property
    def chars(self) -> int:
        return sum(len(t) for t in self.texts)


def request(documents: Sequence[tuple[str, str, str | None]]) -> Request:
    """A request for documents given as (id, text, source)."""
    body = {"documents": [{"id": i, "text": t, "source": s} for i, t, s in documents]}
    return Request(json.dumps(body).encode(), tuple(t for _, t, _ in documents))


@dataclass
class Corpus:
    articles: list[Request] = field(default_factory=list)  # NewsQuant sentences, ~600 words each
    cases: list[Request] = field(default_factory=list)  # one request per labelled case, all its documents
    paragraphs: list[str] = field(default_factory=list)  # every paragraph above, to build sized texts
    notes: list[str] = field(default_factory=list)

    @property
    def all_requests(self) -> list[Request]:
        return self.articles + self.cases

    def sized(self, words: int) -> Request:
        """One document of about `words` words (never above the default size limit), from the paragraphs."""
        out: list[str] = []
        count = chars = 0
        k = 0
        while count < words and self.paragraphs:
            paragraph = self.paragraphs[k % len(self.paragraphs)]
            k += 1
            if chars + len(paragraph) + 2 > MAX_CHARS:
                break
            out.append(paragraph)
            count += len(paragraph.split())
            chars += len(paragraph) + 2
        return request([("sized", "\n\n".join(out), "Bench Desk")])


def _resolve(root: Path, raw: str) -> Path:
    path = Path(raw)
    return path if path.is_absolute() or path.exists() else root / raw


def _paragraphs(sentences: list[str]) -> list[str]:
    return [
        " ".join(sentences[i : i + SENTENCES_PER_PARAGRAPH])
        for i in range(0, len(sentences), SENTENCES_PER_PARAGRAPH)
    ]


def load_corpus(root: Path) -> Corpus:
    corpus = Corpus()
    newsquant = _resolve(root, os.environ.get("NUMCHECK_NEWSQUANT", NEWSQUANT_DEFAULT))
    cases = _resolve(root, os.environ.get("NUMCHECK_CASES", CASES_DEFAULT))
    if newsquant.is_file():
        sentences = [str(item["text"]).strip() for item in json.loads(newsquant.read_text(encoding="utf-8"))]
        article: list[str] = []
        for paragraph in _paragraphs([s for s in sentences if s]):
            article.append(paragraph)
            corpus.paragraphs.append(paragraph)
            if sum(len(p.split()) for p in article) >= ARTICLE_WORDS:
                n = len(corpus.articles)
                corpus.articles.append(request([(f"nq{n}", "\n\n".join(article), "Bench Desk")]))
                article = []
    else:
        corpus.notes.append(f"NewsQuant not found at {newsquant} (set NUMCHECK_NEWSQUANT): its articles are skipped")
    if cases.is_dir():
        for path in sorted(cases.glob("*.json")):
            case = json.loads(path.read_text(encoding="utf-8"))
            documents = [(d["id"], d["text"], d.get("source")) for d in case["documents"]]
            corpus.cases.append(request(documents))
            corpus.paragraphs.extend(p for _, t, _ in documents for p in t.split("\n\n") if p.strip())
    else:
        corpus.notes.append(f"cases not found at {cases} (set NUMCHECK_CASES): they are skipped")
    if not corpus.articles and corpus.cases:
        # No NewsQuant: the ~600-word articles are the cases' paragraphs, joined.
        corpus.articles = [corpus.sized(ARTICLE_WORDS)]
    return corpus


# --- a request with many figures ---------------------------------------------------------------------

OUTLETS = ["Reuters", "TASS", "Interfax", "Khaama Press", "AFP", "the BBC", "Al Jazeera", "AP", "DPA", "Xinhua"]
PLACES = ["Marlow", "Kessock", "Alder Ridge", "Port Aldren", "Havenstad", "Norland", "Westmoor", "Calder",
          "Halden", "Rivermouth", "Eastfield", "Millbrook"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
# Each sentence states four figures of one event, in the place and on the day it names.
TEMPLATES = [
    "{a:,} people were killed and {b:,} injured in {place} on {day}, police said, and {c:,} homes and "
    "{d:,} cars were destroyed there.",
    "{a:,} troops, {b:,} tanks, {c:,} aircraft and {d:,} ships took part in the drills near {place} on {day}.",
    "{a:,} residents of {place} were evacuated on {day}, {b:,} of them were taken to hospital, {c:,} shelters "
    "opened in {place} and {d:,} volunteers helped.",
    "On {day} the council of {place} set aside ${a:,} million for roads, ${b:,} million for schools, "
    "${c:,} million for hospitals and ${d:,} million for housing.",
]


def many_figures(figures: int, outlets: int = 10, seed: int = 6) -> Request:
    """`outlets` accounts of the same events, four figures a sentence, `figures` figures in all.

    Every outlet reports every event (a place, a day, what happened), mostly with the same
    numbers; in one event of five the outlets' numbers differ by a quarter or a half, so the
    accounts of an event group together and some of them conflict.
    """
    rng = random.Random(seed)
    events = -(-figures // (4 * outlets))
    stories = []
    for k in range(events):
        # A date of its own for each event: figures anchored to different days are different things.
        place, day = PLACES[k % len(PLACES)], f"{k % 28 + 1} {MONTHS[(k // 28) % len(MONTHS)]}"
        values = [rng.choice([12, 40, 150, 320, 1200, 2500, 4000, 10_000]) for _ in range(4)]
        stories.append((TEMPLATES[k % len(TEMPLATES)], place, day, values))
    docs = []
    for i in range(outlets):
        sentences = []
        for k, (template, place, day, values) in enumerate(stories):
            scale = 1 + 0.25 * (i % 3) if k % 5 == 0 else 1
            numbers = {n: max(1, round(v * scale)) for n, v in zip("abcd", values, strict=True)}
            sentences.append(template.format(place=place, day=day, **numbers))
        docs.append((f"o{i}", "\n\n".join(_paragraphs(sentences)), OUTLETS[i % len(OUTLETS)]))
    return request(docs)
