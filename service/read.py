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
from .numbers import alternation
from .rules import RuleSet, memo

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

_ANY = re.compile(r"\S")
_DIGIT_NEXT = re.compile(r"\s*\d")


def number_gate(rules: RuleSet) -> re.Pattern[str]:
    """What a sentence cannot hold a figure without: a digit or a word of the rules that makes a
    number by itself ("six", "a dozen", "lakh", "a third", "doubled", "a few", "a couple of",
    "dozens"). Built from rules/numbers.yaml, the multiples of rules/relations.yaml and the vague
    amounts of rules/hedges.yaml, once per rule set."""

    def build() -> re.Pattern[str]:
        n = rules.numbers
        counted = [*n.scales, *n.groups]
        words = [
            *n.ones, *n.tens, *counted, *(w + "s" for w in counted), *n.fractions, *n.ordinal_fractions,
            *rules.relations.multiples, *(p for v in rules.hedges.vague for p in v.phrases),
        ]
        return re.compile(rf"\d|\b(?:{alternation(words)})\b", re.IGNORECASE)

    return memo(rules, "number-gate", build)


def teach_number_words(nlp: Language, rules: RuleSet) -> None:
    """spaCy's English `like_num` knows the scale words 'hundred' to 'trillion'; the others of the
    rules ('lakh', 'crore') are taught to the pipeline's vocabulary, so that whatever reads the parse
    takes '₹58,300 crore' as one number as it takes '$583 million'. Only the lexical flag changes:
    the networks do not read it, so parses stay the same. A few lookups, made at each read, so any
    vocabulary a check is given has learnt them."""
    for form in _scale_forms(rules):
        lexeme = nlp.vocab[form]
        if not lexeme.like_num:
            lexeme.like_num = True


def _scale_forms(rules: RuleSet) -> tuple[str, ...]:
    return memo(rules, "scale-forms", lambda: tuple(
        {f for w in rules.numbers.scales for f in (w, w.title(), w.upper())}
    ))


def currency_dots(rules: RuleSet) -> re.Pattern[str]:
    """The currency signs of rules/numbers.yaml written with a period ("Rs.", "Tk."), at the end."""

    def build() -> re.Pattern[str]:
        dotted = [s for s in rules.numbers.currencies.signs if s.endswith(".")]
        return re.compile(rf"(?<![A-Za-z])(?:{alternation(dotted)})$")

    return memo(rules, "currency-dots", build)


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


def split_sentences(text: str, signs: re.Pattern[str] | None = None) -> list[tuple[int, int]]:
    """Sentence spans of `text`. With `signs` (see `currency_dots`), a period that closes a
    currency sign before a number ("Rs. 57.46 crore") ends no sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group().strip() and _ABBREV.search(text[max(0, m.start() - 12) : m.start() + 1]):
            continue
        if signs is not None and signs.search(text, max(0, m.start() - 12), m.start() + 1) \
                and _DIGIT_NEXT.match(text, end):
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
    rules: RuleSet | None = None,
) -> list[ParsedDocument]:
    """Normalise and split every document, and parse the sentences later stages read (or take
    their parses from `cache`; `helper` lends the parse a second thread). With `rules`, only the
    sentences that pass their number gate, or hold a quotation, and the sentence before each are
    parsed; without, every sentence is."""
    gate = number_gate(rules) if rules is not None else _ANY
    signs = currency_dots(rules) if rules is not None else None
    if rules is not None:
        teach_number_words(nlp, rules)
    plans: list[tuple[Document, str, list[tuple[int, int]], list[bool], list[bool]]] = []
    to_parse: list[str] = []
    for document in documents:
        text = normalise(document.text)
        spans = split_sentences(text, signs)
        numeric = [bool(gate.search(text[s:e])) for s, e in spans]
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
