"""Stage 1, read: normalise the text, split it into sentences, parse the ones that matter.

Normalisation maps characters one to one (curly quotes to straight, dashes to '-', odd
spaces to ' '), so every offset into the normalised text is an offset into the text as sent.
Sentences are found by a cheap rule-based splitter; only sentences that hold a number, a
number word or a quotation, and the sentence before each of them, go through the parser,
each as its own small Doc, batched through `service.nlp.parse` (spaCy's `nlp.pipe` with its
rule-based components done faster, to the same result).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from .budget import checkpoint
from .models import Document
from .nlp import ParseCache, parse

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\t": " ",
        "\r": " ",
        "\u2028": "\n",
        "\u2029": "\n",
    }
)

# A sentence ends at . ! ? (plus closing quotes or brackets) followed by space and a capital,
# a digit or an opening quote; or at a line break. Abbreviations are kept whole.
_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Capt|Maj|Sen|Rep|Gov|St|Jr|Sr|Inc|Corp|Ltd|Co|"
    r"No|Nos|vs|etc|approx|est|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mt|Ft|Rd|Ave|Blvd|U\.S|U\.K)\.)$"
)
_END = re.compile(r"[.!?]+['\")\]]*(?=\s+['\"(\[]?[A-Z0-9])|\n+")

NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "trillion",
        "dozen",
        "dozens",
        "half",
        "third",
        "quarter",
        "several",
        "scores",
        "double",
        "doubled",
        "triple",
        "tripled",
        "halved",
        "twice",
        "thrice",
        "fifth",
        "tenth",
    ]
)
_HAS_NUMBER = re.compile(
    r"\d|\b(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_HAS_QUOTE = re.compile(r"\"")

# News sentences run to a few hundred characters (the longest in the labelled cases and in
# NewsQuant are under 450). A longer run, such as one endless list, is read in pieces of at most
# this many characters, so the work spent on any one sentence stays bounded.
MAX_SENTENCE_CHARS = 1_000
# Sentences are parsed this many batches at a time, a time-limit checkpoint between.
PARSE_CHUNK_BATCHES = 8
# Where a long run is cut, best first: after a semicolon, after a comma, at any space.
_CUTS = ("; ", ", ", " ")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    doc: Doc | None
    has_number: bool


@dataclass(frozen=True)
class ParsedDocument:
    document: Document
    text: str
    sentences: tuple[Sentence, ...]

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def published(self) -> date | None:
        """When the document was published (given, or read from its page), for stages that date what it says."""
        return self.document.published_date


def normalise(text: str) -> str:
    """Map typographic variants to plain ASCII ones, one character for one; in copy wrapped at a
    fixed width, a line break inside a sentence is a space."""
    text = text.translate(_TRANSLATE)
    breaks = [m.start() for m in _SINGLE_BREAK.finditer(text)]
    inside = [b for b in breaks if _mid_sentence(text, b)]
    long_lines = [b for b in inside if b - (text.rfind("\n", 0, b) + 1) >= _WRAPPED_LINE]
    if len(long_lines) < 3 or 2 * len(long_lines) < len(breaks):
        return text
    chars = list(text)
    for b in long_lines:
        chars[b] = " "
    return "".join(chars)


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group().strip() and _ABBREV.search(text[max(0, m.start() - 12) : m.start() + 1]):
            continue
        if text[start:end].strip():
            spans.extend(_pieces(text, *_strip(text, start, end)))
        start = end
    if text[start:].strip():
        spans.extend(_pieces(text, *_strip(text, start, len(text))))
    return spans


_SINGLE_BREAK = re.compile(r"(?<!\n)\n(?!\n)")
_TERMINAL = frozenset(".!?:;\"')]")  # after normalising: what may end a sentence before a line break
_WRAPPED_LINE = 40  # characters: a shorter line is a heading or a list item, not wrapped copy


def _mid_sentence(text: str, at: int) -> bool:
    """The line break at `at` follows no sentence-final mark."""
    j = at - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return j >= 0 and text[j] not in _TERMINAL and text[j] != "\n"


def _pieces(text: str, start: int, end: int, most: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """The sentence start..end, or, past `most` characters, pieces of it cut at a clause boundary
    in the latter half of each piece (a space at worst; a word is never cut)."""
    out: list[tuple[int, int]] = []
    while end - start > most:
        limit = start + most
        cut = -1
        for mark in _CUTS:
            found = text.rfind(mark, start + most // 2, limit)
            if found >= 0:
                cut = found + len(mark)
                break
        if cut < 0:
            found = text.rfind(" ", start + 1, limit)
            cut = found + 1 if found >= 0 else text.find(" ", limit, end) + 1
        if cut <= 0:
            break
        out.append(_strip(text, start, cut))
        start = _strip(text, cut, end)[0]
    out.append((start, end))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def read(
    documents: Sequence[Document],
    nlp: Language,
    batch_size: int = 128,
    cache: ParseCache | None = None,
    helper: Executor | None = None,
) -> list[ParsedDocument]:
    """Normalise and split every document, and parse the sentences later stages read (or take
    their parses from `cache`; `helper` lends the parse a second thread)."""
    plans: list[tuple[Document, str, list[tuple[int, int]], list[bool], list[bool]]] = []
    to_parse: list[str] = []
    for document in documents:
        text = normalise(document.text)
        spans = split_sentences(text)
        numeric = [bool(_HAS_NUMBER.search(text[s:e])) for s, e in spans]
        wanted = [False] * len(spans)
        for i, (s, e) in enumerate(spans):
            if numeric[i] or _HAS_QUOTE.search(text[s:e]):
                wanted[i] = True
                if i > 0:
                    wanted[i - 1] = True
        plans.append((document, text, spans, numeric, wanted))
        to_parse.extend(text[s:e] for (s, e), w in zip(spans, wanted, strict=True) if w)
    docs = _parse_in_chunks(nlp, to_parse, batch_size, cache, helper)
    out: list[ParsedDocument] = []
    for document, text, spans, numeric, wanted in plans:
        sentences = tuple(
            Sentence(i, s, e, text[s:e], next(docs) if wanted[i] else None, numeric[i])
            for i, (s, e) in enumerate(spans)
        )
        out.append(ParsedDocument(document, text, sentences))
    return out


def _parse_in_chunks(
    nlp: Language, texts: list[str], batch_size: int, cache: ParseCache | None, helper: Executor | None
) -> Iterator[Doc]:
    """The parses of `texts`, a few batches at a time with a checkpoint between (a server's time
    limit may stop a long parse there); whole batches, so each batch holds what it held before."""
    step = batch_size * PARSE_CHUNK_BATCHES
    for at in range(0, len(texts), step):
        checkpoint()
        chunk = texts[at : at + step]
        yield from cache.parse(nlp, chunk, batch_size, helper) if cache is not None else parse(
            nlp, chunk, batch_size, helper
        )
