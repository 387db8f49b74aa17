"""Reporting cues in one parsed sentence, each with the tokens it reports (its scope).

A cue is a reporting verb with a subject ("police said", "KP points out", "organisers put the
figure at", passive "was reported by X") or an according-to phrase ("according to Reuters").
What it reports follows from the parse: the clause or object a verb takes; for a cue set off by
commas ("..., the coastguard said, while ...") the clause it hangs on; for a cue that ends or
opens the sentence ("..., according to X." / "According to X, ...") the rest of the sentence.
The subject's own phrase is never in scope: "Gerlach, which employs 14,300 people, reported"
does not make Gerlach the source of 14,300. Nested cues nest their scopes, so the narrowest
scope holding a figure names its source ("KP reported that TASS said ...": TASS). A cue that
follows what it reports keeps a verb joined to it without a subject ("..., the company said, and
now make up 7.5% of users"). A subject counted by a number is what a verb's object figures
describe, not their source ("the city's 21 branches recorded 1.7m visits").

Two slips of the parser are read through: a run of words ending in a name before the verb is
that name ("Messaging app Kestrel said", parsed as a gerund with objects), and a reporting verb
hung on the noun before it as a reduced relative has that noun as its subject ("..., the
returning officer announced on Friday.").

The grammar these rules read (subjects, complements, clause boundaries, the parser's slips) is in
attribution/grammar.py; scopes are runs of positions (attribution/spans.py).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from ..models import AttributionKind
from .grammar import (
    AFTER_NAME,
    CLAUSE,
    LISTENER,
    OBJECT,
    SUBJECT,
    VERB,
    adjacent_subject,
    complements,
    has_subject,
    is_clause,
    is_counted,
    is_place,
    named_head,
    next_noun,
    not_reporting,
    opens_clause,
    says_more,
    slipped_acl,
    stating_prep,
    subject_of,
    unit_start,
)
from .lexicon import Lexicon
from .names import (
    SPEAKER,
    Mentions,
    Source,
    is_data,
    is_name,
    name_source,
    refers_back,
    reports,
)
from .owners import explicit_owner, note_owner
from .spans import Runs


@dataclass(frozen=True)
class Cue:
    kind: AttributionKind
    anchor: int
    text: str
    start: int
    end: int
    source: Source | None
    via: Source | None
    scope: Runs
    parenthetical: bool
    refers_back: bool = False  # the subject is a pronoun or description for a source named before
    # Coordinated subjects, in order, when the sentence pairs them with figures ("respectively").
    parties: tuple[Source, ...] = ()
    # The subject was read past the parse, which hung it elsewhere: no cue holding it relays it.
    repaired: bool = False
    own_end: int = -1  # for an according-to phrase, its last word (the source's name included)

    @property
    def names_source(self) -> bool:
        return self.source is not None


def _ids(tok: Token) -> Runs:
    return Runs.subtree(tok)


class CueFinder:
    """Finds the cues of the sentences of one document, in order, naming their sources."""

    def __init__(self, lex: Lexicon, mentions: Mentions) -> None:
        self.lex = lex
        self.mentions = mentions
        # Per sentence, the source its main subject refers back to ("The agency raised its alert"), if any.
        self.referents: list[Source | None] = []
        self._last_word = -1
        self._first_word = 0
        self._counts: list[int] = [0]
        self._semicolons: list[int] = []
        self._respective = False

    def _referent(self, tokens: Sequence[Token], base: int) -> Source | None:
        root = next((t for t in tokens if t.dep_ == "ROOT"), None)
        subj = next((c for c in root.children if c.dep_ in SUBJECT), None) if root is not None else None
        if subj is None or is_name(subj) or not refers_back(subj, self.lex):
            return None
        found = name_source(subj, base, self.lex, self.mentions)
        return found if found is not None and found is not SPEAKER and found.offset < base + subj.idx else None

    def __call__(self, doc: Doc, base: int) -> list[Cue]:
        tokens = list(doc)  # each pass over a Doc makes its Token objects anew
        # Read once per sentence: where its words end, and whether it pairs sources with figures.
        self._last_word = max((t.i for t in tokens if not t.is_punct), default=-1)
        self._first_word = min((t.i for t in tokens if not t.is_punct), default=len(tokens))
        self._counts = list(itertools.accumulate((t.like_num for t in tokens), initial=0))
        self._respective = any(t.lower_ in self.lex.respective_words for t in tokens)
        self._semicolons = [t.i for t in tokens if t.text == ";"]
        self.mentions.add_entities(doc, base, tokens)
        self.referents.append(self._referent(tokens, base))
        cues: list[Cue] = []
        lowers = [t.lower_ for t in tokens]
        firsts = self.lex.according_to_first
        verbs: dict[int, Cue | None] = {}

        def verb_cue(tok: Token) -> Cue | None:
            if tok.i not in verbs:
                verbs[tok.i] = self._verb(tok, base)
            return verbs[tok.i]

        for tok in tokens:
            phrase = self._phrase(doc, lowers, tok.i, base) if lowers[tok.i] in firsts else None
            owned = None
            # Data with an owner, as the subject of a verb that is no cue of its own, report its clause;
            # found here, before the verb, so that a later "the agency" can refer back to the owner.
            if tok.dep_ in SUBJECT and tok.head.i > tok.i and is_data(tok, self.lex) and verb_cue(tok.head) is None:
                owned = self._owned_subject(tok, base)
            for cue in (owned, verb_cue(tok), phrase):
                if cue is not None:
                    self._add(cues, cue)
        for cue in self._gapped(tokens, cues, base):
            self._add(cues, cue)
        _pair_phrases(doc, cues)
        for tok in tokens:
            note_owner(tok, base, self.lex, self.mentions)
        return cues

    def _gapped(self, tokens: Sequence[Token], cues: list[Cue], base: int) -> list[Cue]:
        """Second sources in a clause whose verb is left out, police against organisers: "the
        unions counted 20,000 demonstrators and the prefecture 8,500"; "nearly 2 million people
        demonstrated, according to the CGT, and 570,000 for the Ministry of the Interior"."""
        if not cues:
            return []
        anchors = {c.anchor for c in cues if c.kind == "reported_speech"}
        found: list[Cue] = []
        for tok in tokens:
            if tok.dep_ != "conj":
                continue
            numbers = [c for c in tok.children if c.like_num and c.dep_ in {"nummod", "appos", "npadvmod"}]
            if numbers and tok.head.dep_ in OBJECT and tok.head.head.i in anchors and reports(tok, self.lex):
                scope = Runs().union(_ids(n) for n in numbers)  # "and the prefecture 8,500"
                source_tok = tok
            elif tok.like_num:
                by = next(
                    (
                        o
                        for p in tok.children
                        if p.dep_ == "prep" and p.lower_ in self.lex.gap_preps
                        for o in p.children
                        if o.dep_ == "pobj" and reports(o, self.lex) and not is_data(o, self.lex)
                    ),
                    None,
                )
                if by is None:
                    continue
                scope = _ids(tok) - _ids(by.head)  # "and 570,000 for the Ministry of the Interior"
                source_tok = by
            else:
                continue
            source = name_source(source_tok, base, self.lex, self.mentions)
            if source is None or source is SPEAKER:
                continue
            found.append(
                Cue(
                    kind="according_to",
                    anchor=source_tok.i,
                    text=source_tok.text,
                    start=base + source_tok.idx,
                    end=base + source_tok.idx + len(source_tok.text),
                    source=source,
                    via=None,
                    scope=scope,
                    parenthetical=False,
                    repaired=True,  # a second account beside the first, not one it relays
                )
            )
        return found

    def _add(self, cues: list[Cue], cue: Cue) -> None:
        cues.append(cue)
        if cue.source is not None:
            # Named again here: the nearest mention is now this one.
            self.mentions.add_source(replace(cue.source, offset=cue.start))

    def _owned_subject(self, subj: Token, base: int) -> Cue | None:
        """Data with an owner named in their own phrase report what their clause says, whatever
        its verb: 'The central government's death toll is at 47,700', 'Estimates given by
        prisoners ranged from 40 to 110', 'Earlier reports from the agency spoke of 280 dead'."""
        verb = subj.head
        if verb.pos_ not in VERB and verb.dep_ != "ROOT":  # "numbers ... speak of", "speak" tagged a noun
            return None
        source = explicit_owner(subj, base, self.lex, self.mentions, strict=True)
        if source is None:
            return None
        scope = _ids(verb) - _ids(subj) - Runs.of(verb.i)
        for child in verb.children:
            # Not what the data state: a verb joined with a subject of its own ("..., but regional
            # authorities gave higher figures"; "and 620 injured" is a list, not a clause), an
            # adverbial clause ("Karzai's statement followed comments by X, alleging ...").
            joined = child.dep_ == "conj" and child.pos_ in VERB and has_subject(child, counted=False)
            if joined or (child.dep_ == "advcl" and child.pos_ in VERB):
                scope = scope - _ids(child)
        return Cue(
            kind="according_to",
            anchor=subj.i,
            text=subj.text,
            start=base + subj.idx,
            end=base + subj.idx + len(subj.text),
            source=source,
            via=None,
            scope=scope,
            parenthetical=False,
        )

    # --- reporting verbs ----------------------------------------------------------------------

    def _verb(self, verb: Token, base: int) -> Cue | None:
        lex = self.lex
        lemma = verb.lemma_.lower()
        if lemma not in lex.verbs:
            return None
        # A tagger slip reads "intelligence estimates that ..." as a compound noun with a clause.
        slip = verb.pos_ == "NOUN" and any(c.dep_ in CLAUSE for c in verb.children)
        if verb.pos_ not in VERB and not slip:
            return None
        particle = next((c for c in verb.children if c.dep_ == "prt"), None)
        phrasal = particle is not None and (lemma, particle.lower_) in lex.phrasal_verbs
        # "gave yet another toll", "raised the death toll to 17": a data object makes the verb report.
        data_object = None
        if lemma in lex.data_object_verbs:
            data_object = next((c for c in verb.children if c.dep_ == "dobj" and is_data(c, lex)), None)
        plain = lemma in lex.plain_verbs
        if not (plain or phrasal or data_object is not None):
            return None
        if not_reporting(verb, lemma, lex):
            return None  # "counting on royalties", "added to the total"
        subj, passive = subject_of(verb, lex)
        own = subj is not None and (subj.head.i == verb.i or passive)
        adjacent = adjacent_subject(verb, subj, own, lex)
        subj = adjacent or subj
        if subj is None:
            return None
        subj = named_head(subj, verb)
        if subj.like_num:
            return None  # "more than double the 612 admitted the previous week": a number reports nothing
        if subj.lower_ in lex.relative_pronouns and not subj.text.isupper():
            if verb.dep_ != "relcl":
                return None
            subj = verb.head
        data_subject = is_data(subj, lex)
        general = lex.general_verbs
        if not phrasal and lemma not in general | lex.estimate_verbs and not data_subject and data_object is None:
            return None  # "Television footage showed", "Inspectors found"
        at = stating_prep(verb, lex) if lemma in lex.estimate_verbs else None  # "told reporters at the scene"
        if not phrasal and lemma not in general | lex.data_verbs and at is None and data_object is None:
            return None  # "put" reports only as "put the figure at"
        takes_object = lemma in lex.object_verbs or at is not None or data_subject or data_object is not None
        listener = None
        if lemma in lex.listener_verbs:
            listener = next((c for c in verb.children if c.dep_ in LISTENER), None)
        comps, blocked = complements(verb, takes_object, passive, listener, lex)
        # A semicolon closes a clause: "... can fine companies up to 4%; Meridia reported revenue of
        # €1.9bn" does not make Meridia report the fine, however the parser joined the two.
        # A cue that ends what it reports ("A; B, police said") still reaches back over it.
        semicolon = self._semicolon_before(unit_start(verb, subj))
        if any(c.i > verb.i for c in comps):
            comps = [c for c in comps if c.right_edge.i > semicolon]
        else:
            semicolon = -1
        if blocked and not comps:
            return None  # an object that is not reported: "Dharwa added 1.2 GW"
        if comps and not data_subject and not any(is_clause(c) for c in comps):
            # A verb that reports its object needs someone to report it: "the force had recorded
            # 31,400 offences" and "Upper Volta North recorded a pass rate of 71.2%" do not.
            if not reports(subj, lex):
                return None
            if is_place(subj) and lemma in lex.tally_verbs:
                return None
        counted = any(is_counted(c) for c in subj.children)
        if counted and lemma not in lex.opinion_verbs and not any(c.dep_ in CLAUSE for c in comps):
            # A subject counted by a number is what the figures describe, not who reports them:
            # "241 passengers reported symptoms", "the city's 21 branches recorded 1.7m visits";
            # but "two analysts forecast 3%" holds a view.
            return None
        scope = Runs()
        if comps:
            # The clause the verb heads, less its subject (the part before the verb), the
            # listener and verbs coordinated with it ("said ... and arrested 5 people").
            scope = _ids(verb)
            if subj.i < verb.i:
                scope = scope - _ids(subj).before(verb.i)
            elif subj.i in scope:
                scope = scope - _ids(subj)
            # A cue that follows what it reports keeps a verb joined to it without a subject of its
            # own: "subscribers doubled, the company said, and now make up 7.5% of users".
            trailing = subj.i < verb.i and all(c.right_edge.i < subj.left_edge.i for c in comps)
            for child in verb.children:
                # "reporting 1,000 dead and 1,500 injured": a number as subject makes a list, not a clause.
                listed = has_subject(child) and not has_subject(child, counted=False)
                joined = child.dep_ == "conj" and child.pos_ in VERB and not listed
                if trailing and joined and not has_subject(child):
                    continue
                if child in comps:
                    continue
                if (listener is not None and child.i == listener.i) or joined or child.dep_ == "cc":
                    scope = scope - _ids(child)
            first = unit_start(verb, subj)
            if trailing and first > 0 and verb.doc[first - 1].text == "," and self._ends(verb):
                # "..., and a further 8,500 crossed the border, interior ministry figures show.":
                # a cue closing the sentence reports all of it, however the clauses were joined.
                scope = scope | Runs.span(0, first)
        parenthetical = not comps and self._set_off(verb, subj)
        if parenthetical:
            scope = scope | self._around(verb, subj)
            # "..., police said, and arrested 12 more": the joined verb goes with the report.
            for child in verb.children:
                if child.dep_ == "conj" and child.pos_ in VERB and not has_subject(child):
                    scope = scope | _ids(child)
        scope = scope - Runs.of(verb.i) - Runs.span(0, semicolon + 1)
        if particle is not None:
            scope = scope - Runs.of(particle.i)
        source = name_source(subj, base, lex, self.mentions)
        if data_object is not None:
            # "disputed the police figure of 18,000": a figure with an owner of its own stays theirs.
            source = explicit_owner(data_object, base, lex, self.mentions) or source
        refers_back = source is not None and source is not SPEAKER and source.offset < base + subj.idx
        via = None
        if listener is not None and (listener.pos_ == "PROPN" or listener.ent_type_ == "ORG"):
            via = name_source(listener, base, lex, self.mentions)
            via = None if via is SPEAKER else via
        end = particle if phrasal and particle is not None else verb
        parties = self._parties(subj, base)
        return Cue(
            kind="reported_speech",
            anchor=verb.i,
            text=verb.doc[verb.i : end.i + 1].text,
            start=base + verb.idx,
            end=base + end.idx + len(end.text),
            source=source,
            via=via,
            scope=scope,
            parenthetical=parenthetical,
            refers_back=refers_back,
            parties=parties,
            repaired=adjacent is not None,
        )

    def _parties(self, subj: Token, base: int) -> tuple[Source, ...]:
        """'the Public Security Ministry and National Disaster Management Center have reported
        tolls of 38,195 and 30,920, respectively': each coordinated subject, in order."""
        if not self._respective:
            return ()
        first = subj
        # Up the coordination, but not into a phrase the parser joined it to ("In Sri Lanka, the ministry ...").
        while first.dep_ == "conj" and first.head.pos_ in {"NOUN", "PROPN"} and first.head.i < first.i:
            if first.head.dep_ == "pobj" or is_place(first.head):
                break
            first = first.head
        members = [first]
        for member in members:  # grows as it goes: "A, B and C"
            members += [c for c in member.children if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN"}]
        found = [name_source(m, base, self.lex, self.mentions) for m in sorted(members, key=lambda t: t.i)]
        parties = tuple(f for f in found if f is not None and f is not SPEAKER)
        return parties if len(parties) == len(found) > 1 else ()

    def _set_off(self, verb: Token, subj: Token) -> bool:
        """A cue between commas or ending the sentence ('..., police said'), or 'as X reported'."""
        first = unit_start(verb, subj)
        if verb.dep_ == "ROOT":
            return first > 0
        if slipped_acl(verb, self.lex) and verb.head.i == subj.i:
            return first > 0 and verb.doc[first - 1].is_punct
        if any(c.dep_ == "mark" and c.lower_ in self.lex.set_off_marks for c in verb.children):
            # "as CNN reported", but not "as authorities warned of more rain", which says what it reports.
            return not says_more(verb)
        if verb.dep_ not in {"parataxis", "advcl", "ccomp", "conj", "dep"}:
            return False
        return first > 0 and verb.doc[first - 1].is_punct

    def _around(self, verb: Token, subj: Token) -> Runs:
        """What a set-off cue reports: the clause it hangs on, or all of the sentence before it."""
        scope = Runs()
        if verb.dep_ != "ROOT" and verb.head.i not in {verb.i, subj.i}:
            scope = _ids(verb.head) - _ids(verb)
        if self._ends(verb):
            scope = scope | Runs.span(0, unit_start(verb, subj))
        return scope

    def _semicolon_before(self, i: int) -> int:
        """The position of the last semicolon before token i, or -1."""
        k = bisect.bisect_left(self._semicolons, i) - 1
        return self._semicolons[k] if k >= 0 else -1

    def _ends(self, verb: Token) -> bool:
        """Nothing but punctuation after the verb's own words."""
        return verb.right_edge.i >= self._last_word

    # --- according to X -----------------------------------------------------------------------

    def _phrase(self, doc: Doc, lowers: list[str], i: int, base: int) -> Cue | None:
        words = tuple(lowers[i : i + 6])
        for phrase in self.lex.according_to:
            if words[: len(phrase)] != phrase:
                continue
            last = doc[i + len(phrase) - 1]
            obj = next((c for c in last.children if c.dep_ == "pobj"), None)
            if obj is None:
                obj = next_noun(doc, last.i + 1)
            if obj is None:
                return None
            anchor = doc[i]
            # A phrase with a number after the source is not part of its name but what it reports:
            # "according to a count by the police, against 48,000 demonstrators last Saturday".
            whole = _ids(anchor) | Runs.span(i, i + len(phrase)) | _ids(obj)
            own = whole - self._numbered(anchor if obj.i in _ids(anchor) else obj, obj)
            lo, hi = whole.start, whole.end - 1
            scope = Runs()
            if anchor.head is not anchor and anchor.head.i not in own:
                scope = _ids(anchor.head)
            else:
                scope = Runs.span(0, len(doc))
            if lo <= self._first_word and hi + 1 < len(doc) and doc[hi + 1].text == ",":
                scope = scope | Runs.span(hi + 1, len(doc))
            if lo > 0 and hi >= self._last_word:
                scope = scope | Runs.span(0, lo)
            return Cue(
                kind="according_to",
                anchor=i,
                text=doc[i : i + len(phrase)].text,
                start=base + anchor.idx,
                end=base + last.idx + len(last.text),
                source=self._named(obj, phrase, base),
                via=None,
                scope=scope - own,
                parenthetical=False,
                own_end=own.end - 1,
            )
        return None

    def _numbered(self, top: Token, obj: Token) -> Runs:
        """The phrases after `obj` under `top` that hold a number, walked without entering them."""
        found = Runs()
        stack = list(top.children)
        while stack:
            t = stack.pop()
            if t.i > obj.i and t.dep_ in AFTER_NAME and self._has_number(t):
                found = found | _ids(t)
            elif self._has_number(t):
                stack.extend(t.children)
        return found

    def _has_number(self, tok: Token) -> bool:
        """Whether the subtree of `tok` holds a number, from the sentence's running count."""
        return self._counts[tok.right_edge.i + 1] > self._counts[tok.left_edge.i]

    def _named(self, obj: Token, phrase: tuple[str, ...], base: int) -> Source | None:
        """Whom an according-to phrase names; after 'based on' only data, a document or a reporter
        name anyone: 'based on current trends' names no one."""
        if phrase in self.lex.based_on and not reports(obj, self.lex):
            return None
        return name_source(obj, base, self.lex, self.mentions)


def _pair_phrases(doc: Doc, cues: list[Cue]) -> None:
    """Several according-to phrases in a sentence pair off with the figures next to them: one
    right after a figure reports the figures since the phrase before it ("turnout was 37,000
    according to police, 450,000 according to the CGT"); one set off before its clause reports the
    figures up to the next phrase ("according to police, 37,000 marched; according to the CGT,
    450,000 did")."""
    at = sorted((c.anchor, k) for k, c in enumerate(cues) if c.own_end >= 0)
    phrases = [cues[k] for _, k in at]
    if len(phrases) < 2:
        return
    start = 0
    for n, cue in enumerate(phrases):
        before = cue.anchor - 1
        while before >= start and doc[before].is_punct:
            before -= 1
        last = doc[before] if before >= start else None
        following = phrases[n + 1].anchor if n + 1 < len(phrases) else len(doc)
        counted = last is not None and last.pos_ in {"NOUN", "PROPN"} and any(
            c.like_num and c.dep_ == "nummod" for c in last.children
        )
        if last is not None and (last.like_num or counted):  # "37,000 according to", "450,000 marchers according to"
            scope = Runs.span(start, cue.anchor)
        elif opens_clause(doc, cue.anchor) and cue.own_end + 1 < len(doc) and doc[cue.own_end + 1].text == ",":
            scope = Runs.span(cue.own_end + 1, following)
        else:
            scope = cue.scope
        cues[at[n][1]] = replace(cue, scope=scope)
        start = cue.own_end + 1

