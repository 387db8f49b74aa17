"""Stage 3, attribute: who the text presents as reporting each figure.

For each figure, in order of precedence:

0. a measure joined to the noun it describes ("the 620-foot tanker") is the writer's
   description, in the document's own voice;
1. a cue in its sentence whose scope holds it (attribution/cues.py: "police said ...", "...,
   according to X", "organisers put the figure at ...", "the ministry gave a toll of ...", "X's
   death toll is at ..."), the narrowest one when cues nest; an outer cue or a named listener
   ("told Reuters") is kept as `via`. A person reporting what an organisation named before
   expects or says ("Chief executive X told reporters the airline expected ...") speaks for it,
   and is the source; coordinated sources paired with figures "respectively" each get theirs;
2. a direct quote around it, attributed by the cue next to the quote, however many sentences
   or paragraphs the quote runs over; a cue inside the quote names the source and the speaker
   relays it;
3. the account of the sentence before, when the sentence continues it (attribution/
   continuation.py): it opens as a continuation ("Two of them were charged."), names the
   account's event or takes a part of what it counted ("902 of the deaths"); or, with no source
   of its own and in the same paragraph, its subject refers back to the account's source ("The
   agency raised its alert ...") or the figure counts what the account counted;
4. otherwise the document's own voice, with the document's `source`.

Descriptions and pronouns ("the agency", "he") resolve to the latest fitting source or subject
before them, also within the sentence ("Textile maker X will close ..., the company said"); an
outlet described ("the broadcaster said") only to a source that reported before. Each source gets
one spelling per document (see attribution/names.py), as the text sent spells it. A document named
with its author ("X said in its annual report") is the author's when it comes back ("according to
the report", "the 96-page report found"); one only seen by someone ("a report seen by the
Observer") is known by its own name ("the internal mission report"), or else by who saw it.

The work is linear in the sentences, figures and sources of a document: cues are found sentence
by sentence, scopes are runs of positions (attribution/spans.py), the cues holding each figure are
found by one sweep per sentence, references by binary search (attribution/names.py), and each
sentence's account and continuation are worked out once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .attribution.continuation import Continuation
from .attribution.cues import Cue, CueFinder
from .attribution.lexicon import Lexicon
from .attribution.names import SPEAKER, Canon, Mentions, Source, acronyms
from .attribution.quotes import Quote, find_quotes
from .attribution.spans import stab
from .budget import checkpoint
from .models import Attribution, AttributionKind, Figure
from .read import ParsedDocument, Sentence
from .rules import RuleSet, memo

_HYPHENED = re.compile(r"\d-[^\W\d]")  # a number joined to its unit by a hyphen: "480-mile"
_VERB = frozenset({"VERB", "AUX"})


def attribute(parsed: Sequence[ParsedDocument], figures: list[Figure], rules: RuleSet) -> list[Figure]:
    """The same figures, in the same order, each with its source and how the text attributes it."""
    lex = memo(rules.attribution, "attribution.lexicon", lambda: Lexicon.from_rules(rules.attribution))
    documents = {p.document.id: p for p in parsed}
    by_document: dict[str, list[Figure]] = {}
    for figure in figures:
        by_document.setdefault(figure.document_id, []).append(figure)
    readers: dict[str, DocumentSources] = {}
    out: list[Figure] = []
    for figure in figures:
        checkpoint()
        doc = documents.get(figure.document_id)
        if doc is None:
            out.append(figure)
            continue
        reader = readers.get(doc.document.id)
        if reader is None:
            reader = readers[doc.document.id] = DocumentSources(doc, lex, by_document[doc.document.id])
        found = reader(figure)
        out.append(figure.model_copy(update={"source": found.source, "attribution": found}))
    return out


@dataclass(frozen=True)
class _Found:
    """A source before its spelling is settled; source None is the document's own voice."""

    source: Source | None
    via: Source | None
    kind: AttributionKind
    cue: Cue | None


_OWN = _Found(None, None, "document_voice", None)


@dataclass(frozen=True)
class _QuoteCue:
    quote: Quote
    cue: Cue
    sentence: int


class DocumentSources:
    """Everything one document says about who reports what; call it with a figure."""

    def __init__(self, parsed: ParsedDocument, lex: Lexicon, figures: Sequence[Figure] = ()) -> None:
        self.parsed = parsed
        self.lex = lex
        self.sentences = parsed.sentences
        self.starts = [s.start for s in self.sentences]
        mentions = Mentions(lex)
        finder = CueFinder(lex, mentions)
        self.cues: list[list[Cue]] = []
        self.referents: list[Source | None] = []
        for s in self.sentences:
            self.cues.append(finder(s.doc, s.start) if s.doc is not None else [])
            self.referents.append(finder.referents[-1] if s.doc is not None else None)
        self.by_sentence: dict[int, list[Figure]] = {}
        for f in figures:
            self.by_sentence.setdefault(f.sentence, []).append(f)
        self.continuation = Continuation(parsed, self.cues, figures, lex)
        self._accounts: dict[int, _Found | None] = {}
        self._token_edges: dict[int, tuple[list[int], list[int]]] = {}
        self._covered: dict[tuple[int, int], list[int]] = {}
        self._stabbed: dict[int, dict[int, list[Cue]]] = {}
        self._speech_cues: dict[int, dict[int, Cue]] = {}
        self.quotes = self._quote_cues(find_quotes(parsed.text))
        # The quotes' segments neither overlap nor interleave: in text order, they are in the
        # quotes' order too, so a binary search finds the quote at an offset.
        segments = [(o, c, q) for q in self.quotes for o, c in q.quote.segments]
        self._opens = [o for o, _, _ in segments]
        self._closes = [c for _, c, _ in segments]
        self._segment_quotes = [q for _, _, q in segments]
        self._spelling: dict[str, str] = {}
        self.canon = Canon(mentions.sources, acronyms(parsed.text, lex), parsed.document.source, lex.name_joiners)

    def __call__(self, figure: Figure) -> Attribution:
        return self._finish(self._find(figure))

    # --- one figure ---------------------------------------------------------------------------

    def _find(self, figure: Figure) -> _Found:
        si = self._sentence_of(figure)
        if si is None:
            return _OWN
        token = self._token(self.sentences[si], figure)
        if token is not None and self._attributive(self.sentences[si], token, figure):
            return _OWN
        covering = sorted(self._covering(si, token), key=lambda c: len(c.scope)) if token is not None else []
        quoted = self._quote_at(figure.start)
        if quoted is not None:
            inner = [
                c
                for c in covering
                if quoted.quote.contains(c.start) and c.source not in (None, SPEAKER) and c is not quoted.cue
            ]
            if inner:
                return _Found(inner[0].source, quoted.cue.source, inner[0].kind, inner[0])
            return self._from_cue(quoted.cue, quoted.sentence, "quote")
        named = [c for c in covering if c.source is not None]
        if named:
            cue = self._speaking_for(named)
            found = self._from_cue(cue, si, cue.kind)
            party = self._party(cue, si, figure)
            return found if party is None else _Found(party, found.via, found.kind, cue)
        if covering or si == 0:
            return _OWN  # a cue that names no source: "figures published on Thursday showed"
        account = self._account(si - 1)
        if account is None:
            return _OWN
        if self.continuation.opens(si):
            return account
        # The weaker signs hold only for a sentence with no source of its own, and not for a figure
        # that describes something in passing: "The union, which represents about 11,000 nurses, ...".
        if any(c.source not in (None, SPEAKER) for c in self.cues[si]) or self._described(si, token):
            return _OWN
        if self.continuation.same_thing(si, figure) or self._same_speaker(si, account):
            return account
        return _OWN

    def _described(self, si: int, token: int | None) -> bool:
        doc = self.sentences[si].doc
        if doc is None or token is None:
            return True
        return any(t.dep_ in {"relcl", "acl", "appos"} for t in (doc[token], *doc[token].ancestors))

    def _same_speaker(self, si: int, account: _Found) -> bool:
        """Sentence si's subject refers back, in the paragraph of the account, to the account's
        source: '..., the national disaster agency said. The agency raised its alert ...'."""
        referent, source = self.referents[si], account.source
        if referent is None or source is None or source is SPEAKER or self.continuation.new_paragraph(si):
            return False
        return self.canon(referent).lower() == self.canon(source).lower()

    def _covering(self, si: int, position: int) -> list[Cue]:
        """The cues of sentence si whose scope holds the token at `position`: found for all the
        sentence's figures and cue words at once, by one sweep."""
        found = self._stabbed.get(si)
        if found is None:
            sentence = self.sentences[si]
            points = [c.anchor for c in self.cues[si]]
            points += [t for f in self.by_sentence.get(si, []) if (t := self._token(sentence, f)) is not None]
            found = self._stabbed[si] = stab([(c.scope, c) for c in self.cues[si]], points)
        if position not in found:  # a token no figure stands on: one look at every cue
            found[position] = [c for c in self.cues[si] if position in c.scope]
        return found[position]

    def _party(self, cue: Cue, si: int, figure: Figure) -> Source | None:
        """Of coordinated sources paired with coordinated figures ('... reported tolls of 38,195 and
        30,920, respectively'), the one in the figure's place, when the counts agree."""
        if not cue.parties:
            return None
        covered = self._covered.get((si, cue.anchor))
        if covered is None:
            sentence = self.sentences[si]
            tokens = [(self._token(sentence, f), f.start) for f in self.by_sentence.get(si, [])]
            covered = sorted(start for token, start in tokens if token is not None and token in cue.scope)
            self._covered[(si, cue.anchor)] = covered
        if len(covered) != len(cue.parties) or figure.start not in covered:
            return None
        return cue.parties[covered.index(figure.start)]

    @staticmethod
    def _attributive(sentence: Sentence, token: int, figure: Figure) -> bool:
        """A measure joined to the noun it describes ('the 480-mile Varna', 'the 620-foot tanker') is
        the writer's description of the thing, whoever reports what happened to it."""
        if figure.dimension in {"count", "percent", "money"} or not _HYPHENED.search(figure.text):
            return False
        assert sentence.doc is not None
        tok = sentence.doc[token]
        return tok.dep_ in {"amod", "compound", "nmod", "nummod"} and tok.head.i > tok.i and tok.head.pos_ in {
            "NOUN",
            "PROPN",
        }

    @staticmethod
    def _speaking_for(named: list[Cue]) -> Cue:
        """The narrowest of the cues holding a figure, unless a person reports it about an
        organisation named before, which they speak for: in 'Chief executive Lars Eklund told
        reporters the airline expected 19 million passengers' the source is Eklund."""
        inner = named[0]
        source = inner.source
        if not inner.refers_back or source is None or source is SPEAKER or source.label == "PERSON":
            return inner
        for outer in named[1:]:
            speaker = outer.source
            if (
                speaker is not None
                and speaker is not SPEAKER
                and speaker.label == "PERSON"
                and not outer.parenthetical
                and outer.kind == "reported_speech"
                and inner.anchor in outer.scope
            ):
                return outer
        return inner

    def _from_cue(self, cue: Cue, si: int, kind: AttributionKind) -> _Found:
        if cue.source is SPEAKER:
            return _OWN
        return _Found(cue.source, cue.via or self._relay(cue, si), kind, cue)

    def _relay(self, cue: Cue, si: int) -> Source | None:
        """An outer cue whose scope holds this one: 'KP reported that TASS said' -> KP."""
        if cue.repaired:
            return None  # "X said ... but the governor, Y, confirmed that ...": a second account, not a relayed one
        outer = [
            c
            for c in self._covering(si, cue.anchor)
            if c is not cue
            and not c.parenthetical
            and c.source not in (None, SPEAKER)
        ]
        return min(outer, key=lambda c: len(c.scope)).source if outer else None

    def _finish(self, found: _Found) -> Attribution:
        own = self.parsed.document.source
        if found.source is None or found.source is SPEAKER:
            return Attribution(source=own, kind="document_voice")
        # "an official said" stays someone: not the fuller "railway official" met elsewhere.
        name = self._as_sent(found.source.name if found.source.indefinite else self.canon(found.source))
        via = self._as_sent(self.canon(found.via)) if found.via is not None and found.via is not SPEAKER else None
        cue = found.cue
        return Attribution(
            source=name,
            via=via if via and via.lower() != name.lower() else None,
            kind=found.kind,
            cue=cue.text if cue else None,
            cue_start=cue.start if cue else None,
            cue_end=cue.end if cue else None,
        )

    def _as_sent(self, name: str) -> str:
        """A name as the text sent spells it ("Relief Commissioner’s office"): reading normalised
        the text's quotes and dashes, one character for one, so the same offsets hold the original."""
        spelled = self._spelling.get(name)
        if spelled is None:
            at = self.parsed.text.find(name)
            original = self.parsed.document.text
            # a name run over a line break of wrapped copy is still one line
            spelled = original[at : at + len(name)].replace("\n", " ") if at >= 0 else name
            self._spelling[name] = spelled
        return spelled

    # --- continuation ------------------------------------------------------------------------

    def _account(self, si: int) -> _Found | None:
        """Whose account sentence si gives, for a continuing sentence to keep: its last named cue,
        its quote, or, for a sentence without a cue that continues the one before, that one's."""
        chain: list[int] = []  # sentences that continue the one before, latest first
        i = si
        found: _Found | None = None
        while i not in self._accounts:
            named = [c for c in self.cues[i] if c.source not in (None, SPEAKER)]
            quoted = None if named else self._quote_in(self.sentences[i])
            if named:
                cue = max(named, key=lambda c: c.anchor)
                found = self._from_cue(cue, i, cue.kind)
            elif quoted is not None:
                found = self._from_cue(quoted.cue, quoted.sentence, "quote")
            elif not self.cues[i] and i > 0 and self.continuation.opens(i):
                chain.append(i)
                i -= 1
                continue
            break
        else:
            found = self._accounts[i]
        self._accounts[i] = found
        for j in chain:
            self._accounts[j] = found
        return found

    def _quote_in(self, sentence: Sentence) -> _QuoteCue | None:
        """The first quote with a segment in the sentence."""
        k = bisect.bisect_right(self._closes, sentence.start)
        return self._segment_quotes[k] if k < len(self._opens) and self._opens[k] < sentence.end else None

    def _quote_at(self, offset: int) -> _QuoteCue | None:
        """The quote that holds `offset` (within a segment, its marks left out)."""
        k = bisect.bisect_left(self._opens, offset) - 1
        return self._segment_quotes[k] if k >= 0 and offset < self._closes[k] else None

    # --- quotes ------------------------------------------------------------------------------

    def _quote_cues(self, quotes: list[Quote]) -> list[_QuoteCue]:
        out: list[_QuoteCue] = []
        previous: _QuoteCue | None = None
        for q in quotes:
            found = (self._after(q.end) if q.closed else None) or self._before(q.start)
            if found is None and self._opens_sentence(q.start):
                found = self._speaker_before(q, previous)
            if found is not None:
                previous = _QuoteCue(q, found[0], found[1])
                out.append(previous)
        return out

    def _speaker_before(self, quote: Quote, previous: _QuoteCue | None) -> tuple[Cue, int] | None:
        """A quote without a cue of its own, opening the sentence right after a quote or a
        statement by someone, is theirs: '“...,” he said. “Another 30 are missing.”', 'According
        to the railway official, relief work is over. “Eighty per cent of passengers ...”'."""
        si = self._index(quote.start)
        if previous is not None and 0 <= si - self._index(previous.quote.end) <= 1:
            return previous.cue, previous.sentence
        if si == 0:
            return None
        named = [
            c
            for c in self.cues[si - 1]
            if c.source not in (None, SPEAKER) and (c.kind == "reported_speech" or c.own_end >= 0)
        ]
        return (named[-1], si - 1) if named else None

    def _after(self, close: int) -> tuple[Cue, int] | None:
        """The cue right after a closing mark: ',” TASS noted', ',” said the minister'."""
        si = self._index(close)
        sentence = self.sentences[si]
        if sentence.doc is None:
            return None
        starts, _ = self._edges(si)
        first = bisect.bisect_right(starts, close)
        tail = list(sentence.doc[first : first + 16])
        if not tail:
            nxt = si + 1
            if nxt >= len(self.sentences) or "\n" in self.parsed.text[close : self.starts[nxt]]:
                return None
            doc = self.sentences[nxt].doc
            if doc is None:
                return None
            si, tail = nxt, list(doc[:8])
        cues = self._speech(si)
        for tok in tail:
            if tok.text == '"':
                return None
            if tok.pos_ in _VERB and tok.dep_ not in {"aux", "auxpass"}:
                cue = cues.get(tok.i)
                return (cue, si) if cue is not None and cue.source is not None else None
        return None

    def _before(self, open_: int) -> tuple[Cue, int] | None:
        """The cue that introduces a quote: 'KP reveals, “...', 'he said: “...'."""
        si = self._index(open_)
        sentence = self.sentences[si]
        if sentence.doc is None:
            return None
        _, ends = self._edges(si)
        k = bisect.bisect_right(ends, open_) - 1  # the last token that ends before the mark
        if k < 0:
            if si == 0 or not self.sentences[si - 1].text.rstrip().endswith(":"):
                return None
            si -= 1
            named = [c for c in self.cues[si] if c.source is not None and c.kind == "reported_speech"]
            return (named[-1], si) if named else None
        last = sentence.doc[k]
        cues = self._speech(si)
        opens = last.text in {",", ":", ";"} or last.lower_ in self.lex.complementizers
        if not (opens or last.i in cues or last.head.i in cues):
            return None
        anchors = list(cues)  # in order: the cues were found token by token
        j = bisect.bisect_right(anchors, last.i) - 1
        return (cues[anchors[j]], si) if j >= 0 else None

    def _edges(self, si: int) -> tuple[list[int], list[int]]:
        """Where each token of sentence si starts and ends, as offsets into the text."""
        found = self._token_edges.get(si)
        if found is None:
            sentence = self.sentences[si]
            doc = sentence.doc
            assert doc is not None
            starts = [sentence.start + t.idx for t in doc]
            found = self._token_edges[si] = (starts, [a + len(t.text) for a, t in zip(starts, doc, strict=True)])
        return found

    def _speech(self, si: int) -> dict[int, Cue]:
        """The reporting-verb cues of sentence si that name a source, by the verb's position."""
        found = self._speech_cues.get(si)
        if found is None:
            speech = [c for c in self.cues[si] if c.kind == "reported_speech" and c.source is not None]
            found = self._speech_cues[si] = {c.anchor: c for c in sorted(speech, key=lambda c: c.anchor)}
        return found

    def _opens_sentence(self, offset: int) -> bool:
        si = self._index(offset)
        return not self.parsed.text[self.starts[si] : offset].strip()

    # --- offsets ----------------------------------------------------------------------------

    def _index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def _sentence_of(self, figure: Figure) -> int | None:
        if not self.sentences:
            return None
        si = figure.sentence
        if 0 <= si < len(self.sentences):
            s = self.sentences[si]
            if s.start <= figure.start < s.end:
                return si
        return self._index(figure.start)

    @staticmethod
    def _token(sentence: Sentence, figure: Figure) -> int | None:
        """The figure's head token in its sentence's parse."""
        if sentence.doc is None:
            return None
        start = max(0, figure.start - sentence.start)
        end = min(len(sentence.text), figure.end - sentence.start)
        span = sentence.doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            return span.root.i
        for tok in sentence.doc:
            if tok.idx <= start < tok.idx + len(tok.text) + 1:
                return tok.i
        return None
