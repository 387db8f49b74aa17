"""Source names: the words that name who reports, what a pronoun or description refers back to,
and one spelling for each source within a document.

A source is named as the text names it ("the Interior Ministry" -> "Interior Ministry"), with a
proper name preferred over the role or kind that goes with it ("Finance minister Claire Dubois"
-> "Claire Dubois", "the TASS news agency" -> "TASS", "a second firm, Meridian Analytics" ->
"Meridian Analytics"). Data and document nouns name their owner ("figures released by Kellwood
Police" -> "Kellwood Police", "X said in its report") or, without one, no source at all; who
owns them is read in attribution/owners.py.

Whether a name is a person or an organisation, which decides what "he" or "the company" can
refer back to, is read first from a kind noun with it ("Software maker Lumora", "Chief
executive Lars Eklund", "Mr Hill"), then from the tagger. A lone word the tagger calls a person,
with no full personal name or role before it ("Lumora said"), may be either.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from . import owners
from .lexicon import Lexicon

NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_LEFT_SKIP = frozenset({"det", "predet", "punct", "cc", "prep", "advmod", "relcl", "acl", "case"})
_RIGHT_NAME = frozenset({"appos", "npadvmod", "compound", "flat", "nmod", "dobj"})


@dataclass(frozen=True)
class Source:
    """A named source: its name as written, head lemma, entity kind and where it is named."""

    name: str
    head: str
    label: str
    offset: int
    described: frozenset[str] = frozenset()
    plural: bool = False
    indefinite: bool = False  # "an official said": someone, not the official named fully elsewhere

    @property
    def words(self) -> frozenset[str]:
        return frozenset(w.removesuffix("'s") for w in self.name.lower().split())


DATA = "DATA"
"""The label of a source named by data or a document ('official figures', 'the finance report'): no
pronoun or description refers back to it."""

SPEAKER = Source("", "", "SPEAKER", -1)
"""The first-person speaker: the quote's speaker inside a quote, else the document itself."""


class _Latest:
    """Sources filed under keys, each key's list in offset order, so that 'the latest one under
    this key before offset x' costs a binary search, however many sources the document names."""

    def __init__(self) -> None:
        self._lists: dict[tuple[str, str, bool], list[tuple[int, int, Source]]] = {}
        self._count = 0

    def add(self, key: tuple[str, str, bool], source: Source) -> None:
        # Sources arrive nearly in offset order, so the insertion point is at or near the end.
        bisect.insort(self._lists.setdefault(key, []), (source.offset, self._count, source))
        self._count += 1

    def latest(self, keys: Iterable[tuple[str, str, bool]], before: int) -> tuple[int, int, Source] | None:
        best: tuple[int, int, Source] | None = None
        for key in keys:
            entries = self._lists.get(key)
            if not entries:
                continue
            i = bisect.bisect_left(entries, (before, -1)) - 1
            if i >= 0 and (best is None or entries[i][:2] > best[:2]):
                best = entries[i]
        return best


class Mentions:
    """Sources and named entities seen so far in one document, for resolving references.

    They are indexed as they come, so resolving a reference costs a few lookups rather than a
    pass over every source and entity named before it."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.sources: list[Source] = []
        self.owned: dict[str, Source] = {}  # data or document lemma -> its last named owner
        self.owned_words: dict[str, frozenset[str]] = {}  # ... and the words that described it then
        self.people: set[str] = set()  # words of the full personal names given so far
        self.surnames: set[str] = set()  # their last words
        self._latest = _Latest()

    def add_entities(self, doc: Doc, base: int, tokens: Sequence[Token]) -> None:
        """Remember the named entities of `doc` (its `tokens`), and its proper-name subjects."""
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent) > 1 and _descriptor_label(ent.root, self.lex) != "ORG":
                self.people.update(t.lower_ for t in ent if is_name(t))
                self.surnames.add(ent[-1].lower_)
        for ent in doc.ents:
            if ent.label_ not in NAME_LABELS or _sentence_capital(ent):
                continue
            name = strip(ent, self.lex)
            if name:
                label = self.settle(_descriptor_label(ent.root, self.lex) or ent.label_, name, ent.root)
                source = Source(name, ent.root.lemma_.lower(), label, base + ent.start_char)
                self._add_entity(source, _subject_like(ent.root))
        # A proper-name subject (or a subject's owner) the tagger left unlabelled ("Tesla delivered
        # ...", "Varnholt's profit rose ...") may be either kind.
        for tok in tokens:
            if _subject_like(tok) and tok.dep_ != "nsubjpass" and is_name(tok) and not tok.ent_type_:
                name = _proper(tok, self.lex)
                if name:
                    self._add_entity(Source(name, tok.lemma_.lower(), "NAME", base + tok.idx), True)

    def _add_entity(self, source: Source, subject: bool) -> None:
        self._latest.add(("entity", source.label, subject), source)

    def settle(self, label: str, name: str, tok: Token) -> str:
        """The kind of a named source, read past the tagger's slips: a name whose words were given
        before as a full personal name is that person ("Yenar" after "Ahmet Yenar", whatever the
        tagger says); the tagger's PERSON for a lone word that no full personal name or role
        before it supports ("Lumora said") is as likely an organisation: either kind then."""
        words = name.lower().split()
        if len(words) == 1 and words[0] in self.surnames and _descriptor_label(tok, self.lex) is None:
            return "PERSON"
        if label != "PERSON" or len(words) > 1:
            return label
        return label if _descriptor_label(tok, self.lex) == "PERSON" else "NAME"

    def add_source(self, source: Source) -> None:
        if source is SPEAKER:
            return
        self.sources.append(source)
        for word in {source.head} | source.words | source.described:
            self._latest.add(("word", word, source.plural), source)
        self._latest.add(("source", source.label, source.plural), source)
        if len(source.words) == 1 and source.name[:1].isupper() and not source.name.isupper():
            self._latest.add(("lone", "", source.plural), source)

    def resolve(
        self,
        word: str,
        before: int,
        sentence: int,
        *,
        by_kind: bool,
        plural: bool = True,
        also: frozenset[str] = frozenset(),
        reported: bool = False,
    ) -> Source | None:
        """The nearest earlier source with this head word; with by_kind, else one of a fitting kind.

        Of a fitting kind, the latest source or clause subject comes first, then other named
        entities. Named entities count from earlier sentences, and in the sentence itself (which
        starts at offset `sentence`) only as a clause's subject: "Apple sold 52m iPhones, the
        company said". A singular description ("the company", "it") finds no plural source
        ("analysts"). Found by its word, the source must also have the words `also` ("the news
        agency" is not the "disaster relief agency"). With `reported`, of a fitting kind only a
        source that reported before will do: "the broadcaster" is no club that was merely named.
        """
        numbers = (False, True) if plural else (False,)
        found = self._latest.latest((("word", word, n) for n in numbers), before)
        # "the news agency" is not the latest agency of any kind: one described as news, or by kind.
        if found is not None and also <= found[2].words | found[2].described:
            return found[2]
        if not by_kind:
            return None
        kinds = self.lex.source_kinds.get(word, frozenset())
        if not kinds:
            return None
        labels = kinds | {"NAME"}
        # A lone name that reported, whatever the tagger called it ("Charron said"), may be the "he"
        # or "she" of a later sentence.
        lone = [("lone", "", n) for n in numbers] if "ORG" not in kinds else []
        subjects = [] if reported else [("entity", label, True) for label in labels]
        salient = self._latest.latest(
            [("source", label, n) for label in labels for n in numbers] + subjects + lone,
            before,
        )
        if salient is not None or reported:
            return salient[2] if salient is not None else None
        other = self._latest.latest([("entity", label, False) for label in labels], sentence)
        if other is not None:
            return other[2]
        if "ORG" in kinds:
            # "Ardena Mining produced 174,500 tonnes ..., the company said", with the company tagged
            # a person: the subject of the sentence itself, whatever its label.
            here = self._latest.latest([("entity", label, True) for label in NAME_LABELS], before)
            if here is not None and here[0] >= sentence:
                return replace(here[2], label="ORG")  # what the description says it is
        return None


def strip(span: Span, lex: Lexicon) -> str:
    """The span's text without leading determiners or trailing punctuation."""
    tokens = [t for t in span]
    while tokens and (tokens[0].lower_ in lex.strip_words or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ == "'s"):
        tokens = tokens[:-1]
    if not tokens:
        return ""
    doc = span.doc
    return doc[tokens[0].i : tokens[-1].i + 1].text


def is_name(tok: Token) -> bool:
    """A proper noun as written ('the city electoral commission' is tagged PROPN too), or an
    acronym whatever its tag ('WHO')."""
    if len(tok.text) > 1 and tok.text.isupper() and tok.text.isalpha():
        return True
    return tok.pos_ == "PROPN" and tok.text[:1].isupper()


def _sentence_capital(ent: Span) -> bool:
    """An entity of common nouns capitalised only because it opens the sentence: 'Software maker
    X' tagged with 'Software' as an organisation."""
    if any(is_name(t) for t in ent):
        return False
    first = next((t for t in ent.doc if not t.is_punct), None)
    return first is not None and all(t.i == first.i or not t.text[:1].isupper() for t in ent)


def _subject_like(tok: Token) -> bool:
    """A clause's subject, or the owner of one: 'Lumora's sales rose ..., the company said'."""
    if tok.dep_ in {"nsubj", "nsubjpass"}:
        return True
    return tok.dep_ == "poss" and tok.head.dep_ in {"nsubj", "nsubjpass"}


def _kind_label(word: Token, lex: Lexicon) -> str | None:
    kinds = lex.source_kinds.get(word.lemma_.lower()) or lex.source_kinds.get(word.lower_)
    if not kinds:
        return None
    return "PERSON" if "PERSON" in kinds and "ORG" not in kinds else "ORG"


def _descriptor_label(tok: Token, lex: Lexicon) -> str | None:
    """The kind a common noun gives the proper name it goes with, read from the words rather than
    the parse: right before the name ('Messaging app Kestrel', 'Chief executive Lars Eklund',
    'Mr Hill') or in apposition after it ('Kestrel, the messaging app')."""
    doc = tok.doc
    lo = hi = tok.i
    while lo > 0 and _runs_on(doc[lo - 1]) and _kind_label(doc[lo - 1], lex) is None:
        lo -= 1
    while hi + 1 < len(doc) and _runs_on(doc[hi + 1]):
        hi += 1
    if lo > 0:
        before = doc[lo - 1]
        if before.pos_ in {"NOUN", "PROPN"}:
            found = _kind_label(before, lex)
            if found is not None:
                return found
    for t in doc[lo : hi + 1]:
        for child in t.rights:
            if child.dep_ == "appos" and not is_name(child):
                found = _kind_label(child, lex)
                if found is not None:
                    return found
    return None


def _entity(tok: Token) -> Span | None:
    """The named entity `tok` is part of, found from its IOB tags without a scan of the sentence."""
    if tok.ent_type_ not in NAME_LABELS:
        return None
    doc = tok.doc
    lo, hi = tok.i, tok.i + 1
    while lo > 0 and doc[lo].ent_iob_ == "I":
        lo -= 1
    while hi < len(doc) and doc[hi].ent_iob_ == "I":
        hi += 1
    return doc[lo:hi]


def _own_phrase(ent: Span, tok: Token) -> Span:
    """The part of an entity that is `tok`'s own phrase: the tagger may run two names into one
    ('President of the Supreme Election Council Ahmet Yener said' as one organisation) where the
    parse keeps them apart."""

    def top(t: Token) -> int:
        while t.head.i != t.i and ent.start <= t.head.i < ent.end:
            t = t.head
        return t.i

    mine = top(tok)
    kept = [t.i for t in ent if top(t) == mine]
    return ent.doc[min(kept) : max(kept) + 1]


def _proper(tok: Token, lex: Lexicon) -> str:
    """The proper name that `tok` is part of: its entity, else its run of proper nouns."""
    ent = _entity(tok)
    doc = tok.doc
    if ent is not None and tok.ent_type_ in {"PERSON", "ORG"} and _all_names(ent, lex):
        ent = _own_phrase(ent, tok)
        lo = ent.start
        if tok.ent_type_ == "PERSON":
            while lo < tok.i and _title(doc[lo], lex):
                lo += 1  # "Founder Nils Arden", tagged as one name at the start of a sentence
        return strip(doc[lo : ent.end], lex)
    lo = hi = tok.i
    while lo > 0 and _runs_on(doc[lo - 1]) and not _title(doc[lo - 1], lex):
        lo -= 1
    while hi + 1 < len(doc) and _runs_on(doc[hi + 1]):
        hi += 1
    # "Ministry of Defence": a proper name may run on through "of" and more proper nouns.
    while hi + 2 < len(doc) and doc[hi + 1].lower_ in lex.name_preps and is_name(doc[hi + 2]):
        hi += 2
        while hi + 1 < len(doc) and _runs_on(doc[hi + 1]):
            hi += 1
    return strip(doc[lo : hi + 1], lex)


def _title(tok: Token, lex: Lexicon) -> bool:
    """A person's role or title before their name, capitalised as titles are: 'Mayor', 'Dr'."""
    return _kind_label(tok, lex) == "PERSON"


def _all_names(span: Span, lex: Lexicon) -> bool:
    """An entity made of names only, not 'TASS news agency' (whose name is TASS)."""
    words = [t for t in span if t.lower_ not in lex.strip_words and not t.is_punct]
    return all(is_name(t) or t.lower_ in lex.name_joiners or t.lower_ == "'s" for t in words)


def _runs_on(tok: Token) -> bool:
    return is_name(tok) and tok.ent_type_ not in {"DATE", "TIME", "CARDINAL"}


def core_phrase(tok: Token, lex: Lexicon) -> Span:
    """The head noun with its modifiers and name-forming phrases, as one span."""
    keep = {tok.i}
    for child in tok.lefts:
        if child.dep_ not in _LEFT_SKIP:
            keep.update(t.i for t in child.subtree)
    last = tok.i
    for child in tok.rights:
        if child.i != last + 1:
            break
        if child.dep_ == "prep" and (
            child.lower_ in lex.name_preps or (child.lower_ in lex.role_preps and _is_person_noun(tok, lex))
        ):
            keep.update(t.i for t in child.subtree)
        elif child.dep_ in _RIGHT_NAME and is_name(child):
            keep.update(t.i for t in child.subtree if not t.is_punct)
        else:
            break
        last = max(keep)
    return tok.doc[min(keep) : max(keep) + 1]


def _is_person_noun(tok: Token, lex: Lexicon) -> bool:
    kinds = lex.source_kinds.get(tok.lemma_.lower()) or lex.source_kinds.get(tok.lower_) or frozenset()
    return "PERSON" in kinds


def _name_part(tok: Token, lex: Lexicon) -> Token | None:
    """A proper noun that names what a common-noun head describes."""
    for child in tok.rights:
        if child.dep_ == "appos" and is_name(child):
            return child
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and _runs_on(nxt):
        return nxt  # "the news site Kama Today", however the parser hangs the name
    for child in tok.lefts:
        if child.dep_ == "compound" and is_name(child) and _outlet_name(child, tok, lex):
            return child
    return None


def _outlet_name(name: Token, head: Token, lex: Lexicon) -> bool:
    """'the TASS news agency' and 'the Kommersant newspaper' name TASS and Kommersant; 'the UN
    refugee agency' and 'the UN agency' are not the UN."""
    words = [t.lemma_.lower() for t in head.doc[name.i + 1 : head.i + 1]]
    between, last = words[:-1], words[-1]
    if not all(w in lex.outlet_nouns for w in between):
        return False
    return bool(between) or last in lex.outlet_nouns


def _label(tok: Token, core: Span, lex: Lexicon) -> str:
    """PERSON or ORG (or the entity label): a kind noun in the phrase outranks the tagger."""
    for t in reversed(core):
        if t.pos_ not in {"NOUN", "PROPN"} or is_name(t):
            continue
        kinds = lex.source_kinds.get(t.lemma_.lower()) or lex.source_kinds.get(t.lower_)
        if kinds:
            person = "PERSON" in kinds and "ORG" not in kinds and t.tag_ != "NNS"
            return "PERSON" if person else "ORG"  # "analysts", "officials": a body of people
    if is_name(tok):
        found = _descriptor_label(tok, lex)  # the parser may have hung the kind noun elsewhere
        if found is not None:
            return found
    if tok.ent_type_ in NAME_LABELS:
        return tok.ent_type_
    return "ORG"


def _definite_bare(tok: Token, lex: Lexicon) -> bool:
    """A definite noun that refers back rather than names: 'the company', 'the Copenhagen-based
    company', 'the Lima-listed miner'; not 'the defence ministry' or 'the Afghan ministry', whose
    words before the noun say which one it is."""
    lefts = list(tok.lefts)
    rights = [c for c in tok.rights if not c.is_punct and c.dep_ not in {"relcl", "acl"}]
    if rights or not any(c.dep_ == "det" and c.lower_ in lex.definite for c in lefts):
        return False
    return all(
        (c.dep_ == "det" and c.lower_ in lex.definite)
        or _describes(c)
        or (c.dep_ == "compound" and c.lower_ in lex.outlet_nouns)  # "the news agency"
        for c in lefts
    )


def refers_back(tok: Token, lex: Lexicon) -> bool:
    """A pronoun or a definite description that stands for a source named before: 'it', 'the
    agency', 'the Copenhagen-based company'."""
    if tok.pos_ == "PRON":
        return tok.lower_ in lex.descriptions
    return tok.pos_ == "NOUN" and _definite_bare(tok, lex)


def _describes(tok: Token) -> bool:
    """An adjective or participle before a noun that describes it without naming which one it is:
    'Copenhagen-based', 'state-owned', 'embattled'; not 'Afghan' or 'Russian'."""
    return (
        tok.dep_ == "amod"
        and tok.pos_ in {"ADJ", "VERB"}
        and not tok.ent_type_
        and not is_name(tok)
        and not any(t.like_num for t in tok.subtree)
    )


def name_source(tok: Token, base: int, lex: Lexicon, mentions: Mentions, depth: int = 0) -> Source | None:
    """The source `tok` (the head of a subject or of 'according to X') names, if any."""
    lower, lemma = tok.lower_, tok.lemma_.lower()
    offset = base + tok.idx
    if tok.pos_ != "PROPN" and is_name(tok):
        return Source(tok.text, lower, "ORG", offset)  # "The WHO said", tagged a pronoun
    if lower in lex.first_person:
        return SPEAKER
    if tok.pos_ == "PRON":
        if lower in lex.descriptions:
            return mentions.resolve(lower, offset, base, by_kind=True, plural=is_plural(tok))
        return None
    if (
        lemma in lex.data_nouns
        or lower in lex.data_nouns
        or lemma in lex.document_nouns
        or lower in lex.document_nouns
    ):
        return owners.data_source(tok, base, lex, mentions, depth)
    core = core_phrase(tok, lex)
    described = frozenset(t.lemma_.lower() for t in core if t.pos_ in {"NOUN", "PROPN"} and t.i != tok.i)
    label = _label(tok, core, lex)
    if is_name(tok):
        name = _proper(tok, lex)
        if not name:
            return None
        ent = _entity(tok)
        if ent is not None and len(_own_phrase(ent, tok)) < len(ent):
            label = "NAME"  # the tagger ran two names into one: its label is for neither
        label = mentions.settle(label, name, tok)
        return Source(name, _head_word(name, lemma), label, offset, described, is_plural(tok))
    part = _name_part(tok, lex)
    if part is not None:
        name = _proper(part, lex)
        if name:
            return Source(name, _head_word(name, part.lemma_.lower()), label, offset, described | {lemma})
    if _definite_bare(tok, lex):
        outlet = frozenset(c.lower_ for c in tok.lefts if c.dep_ == "compound")  # "the news agency"
        found = mentions.resolve(
            lemma,
            offset,
            base,
            by_kind=lemma in lex.descriptions,
            plural=is_plural(tok),
            also=outlet,
            reported=lemma in lex.outlet_nouns,  # an outlet is known by what it reported
        )
        if found is not None:
            return found
    name = strip(core, lex)
    if not name:
        return None
    indefinite = any(c.dep_ == "det" and c.lower_ in lex.indefinite for c in tok.lefts)
    return Source(name, lemma, label, offset, described, is_plural(tok), indefinite)


def is_plural(tok: Token) -> bool:
    return tok.tag_ in {"NNS", "NNPS"} or "Number=Plur" in str(tok.morph)


def _head_word(name: str, lemma: str) -> str:
    return lemma if lemma else name.lower().split()[-1]


def is_data(tok: Token, lex: Lexicon) -> bool:
    words = {tok.lower_, tok.lemma_.lower()}
    return bool(words & (lex.data_nouns | lex.document_nouns))


def reports(tok: Token, lex: Lexicon) -> bool:
    """Whether a noun can name who reports: a pronoun, a name that is not a place, a common noun
    for those who report ('police', 'the agency', 'analysts', 'witnesses', 'air force'), or data."""
    if tok.pos_ == "PRON":
        return True
    if is_name(tok) or tok.ent_type_ in NAME_LABELS:
        return True
    words = {tok.lower_, tok.lemma_.lower()}
    if words & lex.reporters or is_data(tok, lex):
        return True
    compounds = [c.lower_ for c in tok.lefts if c.dep_ == "compound"]
    return bool(compounds) and " ".join([*compounds, tok.lower_]) in lex.reporters


# --- one spelling per source ------------------------------------------------------------------

def initials(name: str, joiners: frozenset[str] = frozenset()) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in joiners).lower()


def acronyms(text: str, lex: Lexicon) -> dict[str, str]:
    """Short forms defined in the text: 'Khaama Press (KP)' -> {'kp': 'Khaama Press'}."""
    found: dict[str, str] = {}
    for m in lex.acronym.finditer(text):
        long, short = m.group(1), m.group(2).replace(".", "")
        words = long.split()
        # The long form is the shortest tail of the capitalised run whose initials spell the acronym.
        for k in range(len(words)):
            tail = " ".join(words[k:])
            if initials(tail, lex.name_joiners) == short.lower():
                found[short.lower()] = tail
                break
    return found


class Canon:
    """Maps each source in a document to one spelling: the fullest form the text gives it.

    From the source outward, nearest first (ties in the order the sources were found), a form
    with more words replaces the best so far when it has the best's head and all its words, or
    when it is what a short capitalised name abbreviates. The forms that can replace a given best
    are indexed once, so each call costs a few binary searches, not a scan of every source.
    """

    def __init__(
        self,
        sources: list[Source],
        defined: dict[str, str],
        own: str | None,
        joiners: frozenset[str] = frozenset(),
    ) -> None:
        self.sources = sources
        self.defined = defined
        self.own = own
        self._own_initials = initials(own, joiners) if own else ""
        self._words = [s.words for s in sources]
        self._by_head_word: dict[tuple[str, str], list[int]] = {}
        self._by_head: dict[str, list[int]] = {}
        self._by_initials: dict[str, list[int]] = {}
        for i, (s, words) in enumerate(zip(sources, self._words, strict=True)):
            self._by_head.setdefault(s.head, []).append(i)
            for w in words:
                self._by_head_word.setdefault((s.head, w), []).append(i)
            self._by_initials.setdefault(initials(s.name, joiners), []).append(i)
        self._fuller: dict[tuple[str, frozenset[str], str | None], list[tuple[int, int]]] = {}

    def __call__(self, source: Source) -> str:
        name = source.name
        low = name.lower()
        if low in self.defined:
            return self.defined[low]
        short = name.isupper() and 1 < len(name) <= 6
        if self.own and short and self._own_initials == low:
            return self.own
        best = source
        at: tuple[int, int] | None = None  # (distance, index) of the best, in scan order
        while True:
            fuller = self._fuller_forms(best.head, best.words, low if short else None)
            found = _next_in_scan(fuller, source.offset, at)
            if found is None:
                break
            at, best = found, self.sources[found[1]]
        if best is not source and best.name.lower() in self.defined:
            return self.defined[best.name.lower()]
        return best.name

    def _fuller_forms(
        self, head: str, words: frozenset[str], spelled: str | None
    ) -> list[tuple[int, int]]:
        """(offset, index) of every source that can replace a best with this head and words,
        sorted: the same head with more words, all of these among them, or, for a short
        capitalised name, more words whose initials spell it."""
        key = (head, words, spelled)
        found = self._fuller.get(key)
        if found is None:
            if words:
                pool = min((self._by_head_word.get((head, w), []) for w in words), key=len)
            else:
                pool = self._by_head.get(head, [])
            chosen = {i for i in pool if len(self._words[i]) > len(words) and words <= self._words[i]}
            if spelled is not None:
                chosen.update(i for i in self._by_initials.get(spelled, []) if len(self._words[i]) > len(words))
            found = self._fuller[key] = sorted((self.sources[i].offset, i) for i in chosen)
        return found


def _next_in_scan(
    entries: list[tuple[int, int]], x: int, after: tuple[int, int] | None
) -> tuple[int, int] | None:
    """Of `entries` ((offset, index), sorted), the first met when scanning by distance from `x`,
    ties by index, after the point `after` (distance, index) of that scan; as (distance, index)."""
    d, i = after if after is not None else (0, -1)
    # Right of x (offset >= x): ordered by offset, then index, which is the scan's order.
    j = bisect.bisect_right(entries, (x + d, i))
    right = (entries[j][0] - x, entries[j][1]) if j < len(entries) else None
    # Left of x: farther left is later; at one offset, the lower index first.
    left = None
    edge = x - d
    if d > 0:
        k = bisect.bisect_right(entries, (edge, i))
        if k < len(entries) and entries[k][0] == edge:
            left = (d, entries[k][1])
    if left is None:
        k = bisect.bisect_left(entries, (edge, -1)) - 1
        if k >= 0:
            offset = entries[k][0]
            first = bisect.bisect_left(entries, (offset, -1))
            left = (x - offset, entries[first][1])
    if left is None or (right is not None and right < left):
        return right
    return left
