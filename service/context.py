"""What a number counts, which subgroup and which time it speaks of: read from the parse.

"10,000 troops from Tajikistan and 400 from Russia": both numbers count troops (the second by
ellipsis), with the qualifiers "from Tajikistan" and "from Russia". "800 pieces of military
hardware" counts hardware, "pieces" being the measure word. "the death toll rose to 19"
counts the toll. "12 had died" counts people, with the status "died".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from . import tokens
from .models import Role
from .numbers import alternation
from .rules import RuleSet, memo

NOUNS = ("NOUN", "PROPN")
_NUMBER_DEPS = ("nummod", "amod", "compound", "appos", "quantmod", "det", "npadvmod", "nmod")
_STATUS_DEPS = ("nsubj", "nsubjpass", "dobj", "attr", "pobj", "appos", "conj")


@dataclass(frozen=True)
class Words:
    """The reader's words (rules/reading.yaml and the lists it shares with other files), compiled once."""

    qualifier_preps: frozenset[str]
    total: tuple[str, ...]
    parts: tuple[str, ...]
    parts_after: tuple[str, ...]
    changes: frozenset[str]
    amount_verbs: frozenset[str]
    container_nouns: frozenset[str]
    group_nouns: frozenset[str]
    participles: frozenset[str]
    hedge_preps: frozenset[str]
    modals: frozenset[str]
    reporting: frozenset[str]
    period: re.Pattern[str]
    total_in_clause: re.Pattern[str]
    scale_tokens: frozenset[str]  # "1.2m children": the scale word after the digits
    money_words: frozenset[str]  # signs, currency names and scales: an amount of money, not a measure's thing
    unit_heads: frozenset[str]  # units and amount words a number's phrase runs through: "182 mm of rain"
    of_number: re.Pattern[str]  # "seven of the nine suspects"
    unit_names: frozenset[str]  # units and currency names: not what a number counts


def words(rules: RuleSet) -> Words:
    return memo(rules.reading, "context-words", lambda: _compile_words(rules))


def _compile_words(rules: RuleSet) -> Words:
    r, c, a, t, n = rules.reading, rules.relations.changes, rules.attribution, rules.time, rules.numbers
    scale_tokens = frozenset(w.lower() for w in (*n.scales, *n.scale_abbreviations, *n.glued_scale_abbreviations))
    periods, units = alternation([*t.prior_words, *t.current_words]), alternation(t.prior_units)
    return Words(
        qualifier_preps=frozenset(r.qualifier_prepositions),
        total=tuple(r.total_words),
        parts=tuple(r.part_words),
        parts_after=tuple(r.part_words_after),
        changes=frozenset(
            w for words in (c.up, c.down, c.up_nouns, c.down_nouns, c.up_comparatives, c.down_comparatives)
            for w in words if " " not in w
        ),
        amount_verbs=frozenset(r.amount_verbs),
        container_nouns=frozenset(r.container_nouns),
        group_nouns=frozenset(r.group_nouns),
        participles=frozenset(r.participles),
        hedge_preps=frozenset(r.hedge_prepositions),
        modals=frozenset(r.modals),
        reporting=frozenset({*a.speech_verbs, *a.object_verbs, *a.estimate_verbs, *a.data_verbs}),
        period=re.compile(rf"\b(?:1[89]|20)\d\d\b|\b(?:{periods})\s+(?:{units})\b", re.I),
        scale_tokens=scale_tokens,
        unit_names=frozenset(w.lower() for u in n.units for w in (*u.words, *u.short, *u.glued))
        | frozenset(n.currencies.names),
        # "9 per cent" is no amount of cents
        money_words=frozenset({*n.currencies.signs, *n.currencies.names, *scale_tokens})
        - {w for phrase in n.percent for w in phrase.lower().split()},
        unit_heads=frozenset(
            w.lower() for words in (
                [*u.words, *u.short, *u.glued] for u in n.units
            ) for phrase in words for w in phrase.split()
        ) | frozenset(w for phrase in n.percent for w in phrase.lower().split()) | scale_tokens
        | frozenset(w for w in n.unit_cues if " " not in w) | frozenset(n.currencies.signs),
        of_number=re.compile(
            rf"^of (?:(?:{alternation(r.whole_determiners)}) )?(?:[\w']+ ){{0,2}}(?:\d|{alternation(n.ones)})"
        ),
        total_in_clause=re.compile(
            rf"\b(?:{alternation(r.clause_total_words)})\b"
        ),
    )


@dataclass(frozen=True)
class Context:
    counted: str | None
    counted_token: Token | None
    measure_word: str | None
    qualifiers: list[str]
    time_anchor: str | None
    role: Role | None
    counted_is_unitless: bool
    elliptical: bool = False
    predicate: list[str] = field(default_factory=list)
    hypothetical: bool = False
    subject: str | None = None
    places: list[str] = field(default_factory=list)
    actor: str | None = None
    status_word: Token | None = None
    revision: bool = False
    compounds: list[str] = field(default_factory=list)






def _number_token(span: Span, lex: Words) -> Token:
    nums = [t for t in span if t.like_num or t.pos_ == "NUM" or any(ch.isdigit() for ch in t.text)]
    if nums:
        # "1.2m children", "3.4 bn": the scale word after the digits is the number's top token.
        last = nums[-1]
        later = [t for t in span if t.i > last.i and t.lower_ in lex.scale_tokens]
        return later[-1] if later else last
    if span[-1].lower_ == "of":
        return span[-1]
    return span.root


def _climb(t: Token, lex: Words) -> Token:
    """From '2' in '2 million' or '3,200' in 'over 3,200' up to the number's top token."""
    while t.head.i != t.i and t.dep_ in ("compound", "quantmod", "nummod") and (
        t.head.pos_ == "NUM" or t.head.like_num or (t.head.lower_ in lex.scale_tokens and t.head.i == t.i + 1)
    ):
        t = t.head
    return t


def _status_word_after(num: Token, rules: RuleSet) -> Token | None:
    """'920 dead', '620 injured', '49 missing': a status adjective or participle right after a
    number counts the people it describes."""
    if num.i + 1 >= len(num.doc):
        return None
    nxt = num.doc[num.i + 1]
    statuses = {w for words in rules.concepts.statuses.values() for w in words}
    if nxt.pos_ in ("ADJ", "VERB") and nxt.lower_ in statuses and nxt.lower_ in rules.concepts.status_nouns:
        return nxt
    return None


def _subject_noun(verb: Token, order: tuple[str, ...]) -> Token | None:
    for dep in order:
        found = [c for c in verb.children if c.dep_ == dep and c.pos_ in NOUNS
                 and c.ent_type_ not in ("PERSON", "ORG", "GPE", "NORP")]
        if found:
            return found[0]
        if dep == "nsubj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            # Headline grammar: "Afghanistan earthquake death toll soars to 920".
            glued = [c for c in verb.children if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i == verb.i - 1]
            if glued:
                return glued[0]
        if dep == "nsubj":
            # "Paying subscribers more than doubled", parsed as a clause "paying [the] subscribers".
            for c in verb.children:
                objs = [o for o in c.children if o.dep_ == "dobj" and o.i == c.i + 1 and o.tag_ == "NNS"]
                if c.dep_ == "csubj" and c.tag_ == "VBG" and objs:
                    return objs[0]
    return None


def _counted_object(verb: Token, lex: Words) -> Token | None:
    """'completed 12,840 new homes, up from 11,900', 'responded to 312 calls, down from 356': the
    verb's object that a number counts."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [o for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    for c in objects:
        if c.pos_ in NOUNS and c.ent_type_ not in ("DATE", "TIME", "MONEY", "QUANTITY") \
                and not {c.lemma_.lower(), c.lower_} & lex.unit_names \
                and any(n.like_num and n.dep_ == "nummod" for n in c.children):
            return c
    return None


def _noun_for(t: Token, lex: Words, depth: int = 0) -> tuple[Token | None, bool]:
    """The noun a number counts, and whether it was found by ellipsis."""
    head = t.head
    if t.lower_ == "of" and t.dep_ == "prep":
        objs = [c for c in t.children if c.dep_ == "pobj"]
        return (objs[0], False) if objs else (None, False)
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            objs = [o for o in c.children if o.dep_ == "pobj" and o.pos_ in (*NOUNS, "PRON")]
            # "made up 2,240 of the list": a part of a tally counts what the tally counts.
            if objs and objs[0].pos_ in NOUNS and objs[0].lemma_.lower() not in lex.container_nouns:
                return objs[0], False
            # "Four of the injured": a participle or adjective made a noun by its article.
            named = [o for o in c.children if o.dep_ == "pobj" and o.pos_ in ("ADJ", "VERB")
                     and any(d.dep_ == "det" for d in o.children)]
            if named and not objs:
                return named[0], False
    if t.dep_ in _NUMBER_DEPS and head.pos_ in NOUNS and head.i > t.i:
        nxt_head = head.nbor(1) if head.i + 1 < len(head.doc) else None
        if not (head.lower_ in lex.participles and nxt_head is not None and nxt_head.pos_ == "ADP"):
            return head, False
        # "the previous high of 4.6 million set in 2019": 'set' is the verb, the number is the high's.
        if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NOUN":
            return head.head.head, False
        return None, False
    if t.dep_ == "conj" and depth < 3:
        if head.pos_ in NOUNS and any(c.dep_ == "nummod" or c.like_num for c in head.children):
            return head, True
        if head.pos_ == "NUM" or head.like_num:
            return _noun_for(_climb(head, lex), lex, depth + 1)[0], True
    if t.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" and head.head.i < t.i \
            and head.head.lemma_.lower() not in lex.changes:
        # "a crowd of 48,213", "the target of 1.28 million".
        return head.head, False
    if t.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.lower_ in ("to", "at", "from", "by", "of"):
        verb = head.head
        # "rose ... to 4,620 from 2,310": the second phrase hangs on the first.
        while verb.pos_ == "ADP" and verb.dep_ == "prep" and verb.head.i != verb.i:
            verb = verb.head
        # "down from 3,780": the adverb hangs on the verb whose subject is counted.
        if verb.pos_ == "ADV" and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
        # "the toll rose to 19" counts the toll; "organisers put the figure at 60,000" counts
        # the figure (the object), not the organisers; "students formed the largest group, at
        # 1,940" counts the students.
        order = ("dobj", "nsubjpass", "nsubj") if head.lower_ == "at" else ("nsubj", "nsubjpass", "dobj")
        if verb.pos_ in ("VERB", "AUX"):
            found = _counted_object(verb, lex) if head.lower_ in ("to", "from") else None
            found = found or _subject_noun(verb, order)
            if found is not None and found.dep_ == "dobj" and found.lemma_.lower() in lex.group_nouns:
                found = _subject_noun(verb, ("nsubj", "nsubjpass")) or found
            if found is not None:
                return found, False
            # "put the number treated in hospital at 43": the participle's noun.
            if verb.dep_ == "acl" and verb.head.pos_ in NOUNS:
                return verb.head, False
    if t.dep_ == "pobj" and head.lower_ in lex.hedge_preps and head.head.pos_ in ("VERB", "AUX") \
            and head.head.lemma_.lower() in lex.amount_verbs:
        # "turnout was well over 40,000": the hedge parsed as a preposition.
        found = _subject_noun(head.head, ("nsubj", "nsubjpass"))
        if found is not None:
            return found, False
    if t.dep_ in ("attr", "acomp") and head.pos_ in ("VERB", "AUX"):
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in NOUNS]
        if subj:
            return subj[0], False
    if t.dep_ == "dobj" and head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in lex.amount_verbs:
        found = _subject_noun(head, ("nsubj", "nsubjpass"))
        if found is not None:
            return found, False
    # A noun right after the number that the parser attached elsewhere.
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    if nxt is not None and nxt.pos_ in NOUNS and nxt.tag_ in ("NNS", "NNPS") and nxt.dep_ != "npadvmod":
        return nxt, False
    return None, False


def _phrase(t: Token) -> str:
    return " ".join(w.text for w in t.subtree).replace(" ,", ",").strip()


def _statuses(anchor: Token) -> list[str]:
    """Verbs and their complements that say what happened to the counted: killed, taken to hospital."""
    out: list[str] = []
    t = anchor
    hops = 0
    while t.dep_ in (*_STATUS_DEPS, "prep") and t.head.i != t.i and hops < 3:
        t = t.head
        hops += 1
        if t.pos_ in ("VERB", "AUX", "ADJ"):
            break
    if t.pos_ in ("VERB", "AUX", "ADJ") and t.i != anchor.i:
        out.append(t.lemma_.lower())
        if t.dep_ in ("xcomp", "ccomp") and t.head.pos_ == "VERB":
            out.append(t.head.lemma_.lower())  # "expected the rate to fall to 6.1%"
        for c in t.children:
            if c.dep_ in ("acomp", "prt", "xcomp", "oprd", "advmod") and c.pos_ in ("ADJ", "ADV", "VERB", "ADP"):
                out.append(c.lemma_.lower())
            if c.dep_ == "neg":
                out.append("not")  # "did not report for work"
            if c.dep_ == "dobj" and c.i != anchor.i and c.pos_ == "NOUN":
                out.append(c.lemma_.lower())  # "took part", "lost power"
                out.extend(m.lemma_.lower() for m in c.children if m.dep_ == "compound")  # "picket lines"
            if c.dep_ == "prep":
                out.extend(o.lemma_.lower() for o in c.children if o.dep_ == "pobj")
                if c.lower_ == "without":
                    out.append("without")  # "were left without electricity"
    own: list[str] = []
    for c in anchor.children:
        if c.dep_ in ("acl", "relcl", "amod") and c.pos_ in ("VERB", "ADJ"):
            own.append(c.lemma_.lower())
            own.extend(o.lemma_.lower() for p in c.children if p.dep_ == "prep" for o in p.children)
    if anchor.dep_ == "pobj" and any(c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" for c in anchor.children):
        # "Among the 320 workers employed at the depot, many live ...": the clause's verb is said of a
        # part; what the noun's own participle says is said of the whole it counts.
        return own + out
    return out + own


def read(text: str, span: Span | None, rules: RuleSet, counted_known: bool) -> Context:
    """What the number in `span` counts, and how, read from the parse of `text` (its sentence)."""
    if span is None or len(span) == 0:
        return Context(None, None, None, [], None, None, True)
    lex = words(rules)
    num = _climb(_number_token(span, lex), lex)
    noun, elliptical = _noun_for(num, lex)
    if noun is not None and noun.lower_ in ("%", "percent", "per"):
        noun = None
    measure = None
    if noun is not None and noun.lemma_.lower() in rules.concepts.measure_words:
        inner = [o for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                 for o in p.children if o.dep_ == "pobj" and o.pos_ in NOUNS]
        if inner:
            measure, noun = noun.text, inner[0]
    qualifiers: list[str] = []
    compounds: list[str] = []
    if noun is not None and not elliptical:
        mine = _own_range(num, noun)
        for c in noun.children:
            if c.i in range(span.start, span.end) or c.i == num.i:
                continue
            if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("ADJ", "NOUN", "PROPN", "VERB"):
                qualifiers.append(" ".join(w.text for w in c.subtree))
                if c.dep_ == "compound" and c.pos_ == "NOUN" and not c.ent_type_:
                    compounds.append(qualifiers[-1])  # "42 container ships", "port authority workers"
            elif (c.dep_ == "prep" and c.lower_ in lex.qualifier_preps and mine[0] <= c.i < mine[1]
                  and not (measure and c.lower_ == "of")):
                qualifiers.append(_phrase(c))
    if noun is not None and elliptical:
        # "10,000 troops from Tajikistan and 400 from Russia": the parser hangs "from Russia" on
        # "troops"; the phrases after this number, before the next coordinated one, are its own.
        later = [c.i for c in noun.children if c.dep_ == "conj" and (c.like_num or c.pos_ == "NUM") and c.i > num.i]
        stop = min(later) if later else len(num.doc)
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in lex.qualifier_preps and c.lower_ != "of" and num.i < c.i < stop:
                qualifiers.append(_phrase(c))
    for c in num.children:
        if c.dep_ == "prep" and c.lower_ in lex.qualifier_preps and c.lower_ != "of":
            qualifiers.append(_phrase(c))
        elif c.dep_ in ("amod",) and c.pos_ in ("ADJ", "VERB"):
            qualifiers.append(c.text)
    anchor = noun if noun is not None and not elliptical else (span.root if counted_known else num)
    predicate = _statuses(anchor)
    if noun is not None and elliptical:
        predicate.extend(w for w in _statuses(noun) if w not in predicate)
    root = _clause_root(num)
    counted = None
    if noun is not None:
        counted = noun.text.lower() if noun.pos_ != "PROPN" else noun.text
        pair = [c for c in noun.children if c.dep_ == "conj" and c.pos_ == "NOUN" and not c.like_num]
        if pair and not elliptical and not any(c.dep_ == "nummod" for c in pair[0].children):
            qualifiers.append(f"and {pair[0].text.lower()}")  # "homes and businesses"
    return Context(
        counted=counted,
        counted_token=noun if noun is not None and not elliptical else None,
        measure_word=measure,
        qualifiers=list(dict.fromkeys(qualifiers)),
        predicate=predicate,
        hypothetical=_hypothetical(root, lex),
        time_anchor=_with_rate(_time_anchor(num, span, root, lex), noun if noun is not None else num, rules),
        # "Four of the injured": a part of a group named by what happened to it.
        role=_role(num, span, text, root, rules, lex) or (
            "part" if noun is not None and noun.pos_ in ("ADJ", "VERB") and noun.head.head.i == num.i else None
        ),
        counted_is_unitless=noun is None,
        elliptical=elliptical,
        subject=_subject(num, span, lex) if counted_known else None,
        places=_places(num, span, root, noun, rules),
        actor=_actor(anchor, lex),
        status_word=_status_word_after(num, rules) if noun is None and not counted_known else None,
        revision=_revision(root, rules),
        compounds=compounds,
    )


_PLACE_ENTITIES = ("GPE", "LOC", "FAC")


def _places(num: Token, span: Span, root: Token, noun: Token | None, rules: RuleSet) -> list[str]:
    """Places the figure's clause limits it to: 'In Paris, 37,000 people marched', '70,354 migrants
    arrived in Italy', '1,360 died in India'; not the places of another figure of the sentence."""
    mine = set(range(span.start, span.end)) | {num.i}
    tokens_ = [root, num] + ([noun] if noun is not None else [])
    heads = {t.i for t in tokens_}
    preps = set(rules.concepts.place_prepositions)
    place_nouns = set(rules.concepts.place_nouns)
    out: list[str] = []
    # Only a child of one of the heads can qualify: those in the clause are read in the order
    # root.subtree reads them, without walking the whole clause for every figure.
    found = {c.i: c for t in tokens_ for c in [t, *t.children]}
    candidates = [
        c for c in found.values()
        if c.dep_ == "prep" and c.lower_ in preps and c.head.i in heads and (c.i == root.i or root.is_ancestor(c))
    ]
    if len(candidates) > 1:
        candidates.sort(key=lambda c: _subtree_order(root, c))
    for prep in candidates:
        for obj in prep.children:
            if obj.dep_ == "pobj" and not obj.ent_type_ and obj.lemma_.lower() in place_nouns:
                name = f"the {obj.lemma_.lower()}"  # "died in the province": a place, not named
                if name not in out:
                    out.append(name)
                continue
            if obj.dep_ != "pobj" or obj.ent_type_ not in _PLACE_ENTITIES:
                continue
            bounds = tokens.entity_at(num.doc, obj.i)
            ent = num.doc[bounds[0] : bounds[1]] if bounds is not None else None
            if ent is None or _dates_another(ent, mine, num):
                continue
            name = ent.text.lower().removeprefix("the ")
            if name not in out:
                out.append(name)
    return out


def _subtree_order(root: Token, t: Token) -> list[int]:
    """Where `root.subtree` yields `t`: at each step down from the root, its left children's
    subtrees, then the token, then its right children's subtrees."""
    steps: list[int] = []
    node = t
    while node.i != root.i:
        parent = node.head
        lefts = [c.i for c in parent.lefts]
        if node.i < parent.i:
            steps.append(lefts.index(node.i))
        else:
            steps.append(len(lefts) + 1 + [c.i for c in parent.rights].index(node.i))
        node = parent
    return [*reversed(steps), sum(1 for _ in t.lefts)]


def _own_range(num: Token, noun: Token) -> tuple[int, int]:
    """Token indexes of the noun's phrase that belong to this number, not to a later coordinated one."""
    others = [c.i for c in noun.children if c.dep_ == "conj" and (c.like_num or c.pos_ == "NUM") and c.i > num.i]
    return 0, min(others) if others else len(num.doc)


def _clause_root(t: Token) -> Token:
    while t.head.i != t.i and not (t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp", "advcl", "relcl",
                                                                          "conj", "xcomp", "acl")):
        t = t.head
    return t




_NEAREST_DATES = 8


def _time_anchor(num: Token, span: Span, root: Token, lex: Words) -> str | None:
    """DATE and TIME phrases in the figure's clause; else in its sentence, leaving out the dates
    of the reporting ('said on Tuesday'). A date that belongs to another number ('against 48,000
    last Saturday', 'up from 31,290 in 2023') or describes another thing ('Karsten, founded in
    1911, will cut 2,400 jobs') does not date this figure."""
    sub: set[int] | None = None  # the clause's tokens, found once a date needs them
    in_clause, in_sentence = [], []
    mine = set(range(span.start, span.end)) | {num.i}
    cumulative = False
    dates = [(start, end) for start, end, label in tokens.entities(num.doc)
             if label in ("DATE", "TIME") and not (start < span.end and span.start < end)]
    if len(dates) > _NEAREST_DATES:
        # A clause of dozens of dates (a table run into one sentence) dates a figure by the nearest.
        near = sorted(dates, key=lambda d: min(abs(d[0] - num.i), abs(d[1] - 1 - num.i)))[:_NEAREST_DATES]
        dates = sorted(near)
    for start, end in dates:
        ent = num.doc[start:end]
        if ent.start > 0 and num.doc[ent.start - 1].lower_ in ("since", "until", "till", "before"):
            prep = num.doc[ent.start - 1]
            if prep.lower_ == "since" and prep.head.pos_ in ("VERB", "AUX") and not _dates_another(ent, mine, num):
                cumulative = True  # "96 peacekeepers have been killed since 2014": a total over a period
            continue  # "the largest since 1999" compares; it does not date the figure
        if ent.end < len(num.doc) and num.doc[ent.end].lower_ in ("'s", "'"):
            continue  # "Sunday's earthquake" names the event, not when the figure holds
        if _began(ent, mine):
            cumulative = True  # "since the mission began in 2014"
            continue
        if sub is None:
            sub = {t.i for t in root.subtree}
        if any(t.i in sub for t in ent):
            if not _dates_another(ent, mine, num):
                in_clause.append(ent.text)
            continue
        governor = ent.root.head
        while governor.head.i != governor.i and governor.pos_ not in ("VERB", "AUX"):
            governor = governor.head
        # Outside the clause only a year or a named period counts ("the 2021 exercise").
        if governor.lemma_.lower() not in lex.reporting and lex.period.search(ent.text) \
                and not _dates_another(ent, mine, num):
            in_sentence.append(ent.text)
    found = in_clause or in_sentence
    if cumulative:
        found = [*found, "since then"]
    return "; ".join(found) if found else None


def _began(ent: Span, mine: set[int]) -> bool:
    """The date is in a clause that says when the figure's period began: 'killed since the mission
    began in 2014'."""
    since = _since_heads(ent.doc)
    if not since:
        return False
    t = ent.root
    for _ in range(12):
        if t.i in mine or t.head.i == t.i:
            return False
        if t.i in since:
            return True
        t = t.head
    return False


def _since_heads(doc: Doc) -> frozenset[int]:
    """The tokens with a 'since' clause mark, found once a parse (a figure-dense sentence asks for
    each of its figures)."""
    found = doc.user_data.get("numcheck:since-heads")
    if found is None:
        found = doc.user_data["numcheck:since-heads"] = frozenset(
            t.head.i for t in doc if t.dep_ == "mark" and t.lower_ == "since"
        )
    return frozenset(found)


def _revision(root: Token, rules: RuleSet) -> bool:
    """The figure's clause revises an earlier count: 'the authorities revised the figures', 'one more
    passenger died later'; not 'ended two hours later', which only says when."""
    cues = rules.time.revision_cues
    # The answer is the clause's: every figure of a figure-dense clause asks it once.
    cache: dict[int, bool] = root.doc.user_data.setdefault(f"numcheck:revision:{id(cues)}", {})
    found = cache.get(root.i)
    if found is None:
        found = cache[root.i] = _revises(root, cues)
    return found


def _revises(root: Token, cues: list[str]) -> bool:
    def cue(t: Token) -> bool:
        if t.lower_ not in cues and t.lemma_.lower() not in cues:
            return False
        return not (t.i > 0 and t.doc[t.i - 1].pos_ == "NOUN")  # "two hours later" only says when

    if any(cue(t) for t in root.subtree):
        return True
    # "the authorities revised the figures, with Sharma saying there was one death": a clause above.
    t = root
    while t.head.i != t.i:
        t = t.head
        if cue(t) or any(cue(c) for c in t.children if c.dep_ in ("advmod", "dobj", "npadvmod")):
            return True
    return False


def _with_rate(anchor: str | None, after: Token, rules: RuleSet) -> str | None:
    """The time anchor, with a rate said right after what is counted: '500 migrants arrive a day'."""
    doc = after.doc
    time = rules.time
    for i in range(after.i + 1, min(after.i + 5, len(doc) - 1)):
        if doc[i].lower_ in time.rate_determiners and doc[i + 1].lemma_.lower() in time.rate_units:
            phrase = f"{doc[i].text} {doc[i + 1].text}"
            return phrase if not anchor else anchor if phrase in anchor else f"{anchor}; {phrase}"
        if doc[i].is_punct:
            break
    return anchor


def _is_number(t: Token) -> bool:
    return (t.like_num or t.pos_ == "NUM") and t.ent_type_ not in ("DATE", "TIME")


_PERIOD_MARKS = ("until", "till")


def _dates_another(ent: Span, mine: set[int], num: Token) -> bool:
    """Whether the date hangs on another number or on a description of another thing: on its way up
    the parse it meets another number, a noun that another number counts, or a clause that
    describes a noun (relative clause, participle, apposition)."""
    before = ent.start - 1
    if before >= 0 and num.doc[before].pos_ == "ADP":
        before -= 1
    if before >= 0 and _is_number(num.doc[before]) and ":" not in num.doc[before].text and before not in mine:
        return True  # "down 4.6% from 31,290 in 2023": the year is the 31,290's
    t = ent.root
    for _ in range(12):
        if t.i in mine:
            return False
        if any(c.dep_ == "mark" and c.lower_ in _PERIOD_MARKS for c in t.children):
            return True  # "since the ministry declared an outbreak on 2 June": when another thing began
        head = t.head
        if head.i == t.i:
            return False
        if head.i in mine:
            return False
        if _is_number(head) and head.i not in range(ent.start, ent.end):
            return True
        if any(c.dep_ == "nummod" and _is_number(c) and c.i not in mine for c in head.children):
            return True  # "the 1.38 million cast at the previous election in 2020"
        if t.dep_ in ("acl", "relcl", "appos") and head.pos_ in NOUNS and head.ent_type_ not in ("DATE", "TIME") \
                and not (mine & {c.i for c in head.subtree} - {c.i for c in t.subtree}):
            return True
        t = head
    return False


def _hypothetical(root: Token, lex: Words) -> bool:
    """The figure's clause (under `root`) is a rule, a condition or a possibility, not a report of
    fact ('exercises involving 13,000 or more troops must be opened to observers')."""
    t = root
    for _ in range(4):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in lex.modals for c in t.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children):
            return True
        if t.head.i == t.i or t.lemma_.lower() in lex.reporting:
            break
        t = _clause_root(t.head)
    return False




def _span_text(text: str, doc: Doc, start: int, end: int) -> str:
    """`doc[start:end].text`, cut from `text` (the doc's text) instead of joined token by token."""
    end = min(end, len(doc))
    if start >= end:
        return ""
    last = doc[end - 1]
    return text[doc[start].idx : last.idx + len(last)]


def _role(num: Token, span: Span, text: str, root: Token, rules: RuleSet, lex: Words) -> Role | None:
    doc = num.doc
    left = _span_text(text, doc, max(0, span.start - 4), span.start).lower()
    right = _span_text(text, doc, span.end, span.end + 4).lower()
    around = f"{left} | {right}"
    if re.fullmatch(r"\W*(?:among|of)(?:\s+(?:the|its|their))?\s*", _span_text(text, doc, 0, span.start).lower()):
        return None  # "Among the 320 workers employed there, many ...": the whole a part is taken from
    if any(p in left for p in lex.parts) or right.startswith(lex.parts_after):
        return "part"
    # A projective parse: the clause is its root's subtree.
    clause = _span_text(text, doc, root.left_edge.i, root.right_edge.i + 1).lower()
    if re.search(r"\b(?:alone|respectively)\b", clause):
        # "on Tuesday alone, 4,300 crossed"; "girls and boys, with pass rates of 81.2% and 75.5%
        # respectively": values for a subgroup, not for the whole.
        return "part"
    wider = _span_text(text, doc, span.end, span.end + 6).lower()
    if lex.of_number.match(wider):
        return "part"  # "seven of the nine suspects"
    if re.match(r"of\s+the\s+\w", wider) and (
        (root.lemma_ == "be" and any(c.dep_ in ("attr", "acomp") for c in root.children))
        or any(left.endswith(v) for v in rules.relations.share_verbs)
    ):
        # "74 of the deaths were pedestrians", "pedestrians accounted for 74 of the deaths": a part of
        # the whole, said to be of a kind.
        return "part"
    if re.search(r"\b(?:other|remaining|rest)\s*$", left):
        return "part"  # "the other two are Belgian"
    if any(p in around for p in lex.total):
        return "total"
    if lex.total_in_clause.search(clause):
        return "total"  # "runners raised more than £9m for good causes in total"
    return None


def _antecedent(t: Token) -> Token:
    """'which' in a relative clause -> the noun the clause hangs on ('a line between Calder and
    Wexham, which will be 142 km long' -> line, not Wexham)."""
    if t.lower_ in ("which", "that", "who", "it") and t.head.dep_ == "relcl":
        t = t.head.head
        for _ in range(3):
            if t.dep_ == "conj":
                t = t.head
            elif t.dep_ == "pobj" and t.pos_ == "PROPN" and t.head.head.pos_ == "NOUN":
                t = t.head.head
            else:
                break
    return t


def _subject(num: Token, span: Span, lex: Words) -> str | None:
    """The noun an amount or measure describes: its head ('a 142 km line', 'the 410-metre bridge'),
    what it is 'of' ('40,000 litres of diesel', 'a budget of C$62.4bn'), or the subject of 'be'."""
    doc = num.doc
    inside = range(span.start, span.end)
    # Walk up through the unit word(s) glued to the number: "142 km", "189-metre".
    t = num
    hops = 0
    while t.head.i != t.i and (t.head.i in inside or t.head.pos_ in ("NUM", "SYM") or (t.dep_ in ("nummod",
                               "quantmod", "compound") and t.head.i - t.i <= 3 and t.head.lemma_.lower()
                               in lex.unit_heads)) and hops < 4:
        t = t.head
        hops += 1
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            objs = [o for o in c.children if o.dep_ == "pobj" and o.pos_ in NOUNS]
            if objs:
                return _name(objs[0], lex)
    head = t.head
    if t.dep_ in ("amod", "compound", "nummod", "nmod", "npadvmod") and head.pos_ in NOUNS and head.i > t.i:
        return _name(head, lex)
    if t.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in NOUNS:
        return _name(head.head, lex)
    if t.dep_ == "npadvmod" and head.pos_ in ("ADJ", "ADV") and head.dep_ in ("acomp", "advmod"):
        t, head = head, head.head  # "which will be 142 km long"
    if t.dep_ in ("attr", "acomp", "npadvmod", "dobj", "advmod") and head.pos_ in ("AUX", "VERB"):
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if head.lemma_ == "be" and subj:
            return _name(_antecedent(subj[0]), lex)
        if t.dep_ == "dobj":
            # "the wildfire has burned 5,000 hectares" measures the fire; "the plant will cost
            # $500m": money is named by what is done with it.
            nouns = [c for c in subj if c.pos_ == "NOUN"]
            if nouns and t.lemma_.lower() not in lex.money_words:
                return _name(_owner(_antecedent(nouns[0])), lex)
            return head.lemma_.lower()
    if t.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        verb = head.head
        nouns = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"]
        if nouns and t.lemma_.lower() not in lex.money_words:
            # "the tornado stayed on the ground for 42 miles", "the tornado's track ran for 38 km"
            return _name(_owner(_antecedent(nouns[0])), lex)
        return verb.lemma_.lower()
    del doc
    return None


def _owner(t: Token) -> Token:
    """'the tornado's track' -> tornado: a measure of a thing's part is a measure of the thing."""
    owners = [c for c in t.children if c.dep_ == "poss" and c.pos_ == "NOUN"]
    return owners[0] if owners else t


def _name(t: Token, lex: Words) -> str:
    compounds = [c.text for c in t.children if c.dep_ == "compound" and c.i < t.i
                 and c.lemma_.lower() not in lex.unit_heads and not c.like_num]
    word = t.text if t.pos_ == "PROPN" else t.lemma_.lower()
    return " ".join([*compounds, word]) if t.pos_ == "PROPN" else word


_ACTOR_ENTITIES = ("GPE", "NORP", "ORG", "PERSON", "")


def _actor(anchor: Token, lex: Words) -> str | None:
    """Whose figure it is: the owner ('the Democrats' 47 seats') or the subject of the verb whose
    object it is ('Poland is deploying about 2,000 soldiers', 'the plant employs 7,400 workers',
    'Reyes finished with 38.9%'). A name keeps its spelling; a common noun is given as its lemma;
    a pronoun, or the subject of a reporting verb, is nobody's."""
    for c in anchor.children:
        if c.dep_ == "poss" and c.pos_ == "PROPN" and c.ent_type_ in _ACTOR_ENTITIES:
            return _proper_name(c)
    if anchor.dep_ == "nummod" and anchor.head.pos_ == "PROPN" and anchor.head.i < anchor.i:
        # "The Social Democrats took 47 seats, the Green Alliance 22 and the Farmers' Party nine":
        # the verb left out, the number hangs on whose it is.
        return _proper_name(anchor.head)
    if anchor.dep_ == "dobj":
        verb = anchor.head
    elif anchor.dep_ == "pobj" and anchor.head.dep_ == "prep":
        verb = anchor.head.head
    else:
        return None
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in lex.reporting:
        return None
    while verb.dep_ in ("advcl", "xcomp", "conj") and not any(c.dep_ == "nsubj" for c in verb.children):
        verb = verb.head
    for c in verb.children:
        if c.dep_ != "nsubj" or c.pos_ == "PRON" or c.lower_ in ("which", "that", "who"):
            continue
        if c.pos_ == "PROPN":
            # A place or an event named as the subject ("Northern Shield brought together ...") is
            # where or what, not whose.
            return _proper_name(c) if c.ent_type_ in _ACTOR_ENTITIES else None
        if c.pos_ == "NOUN" and c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON"):
            return _proper_name(c)  # a name the tagger took for a noun: "Reyes finished with 38.9%"
        if c.pos_ == "NOUN":
            owner = _owner(c)  # "the tornado's track" is the tornado's
            return _proper_name(owner) if owner.pos_ == "PROPN" else owner.lemma_.lower()
    return None


def _proper_name(t: Token) -> str:
    ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
    if ent is not None:
        return ent.text.removeprefix("the ").removeprefix("The ")
    parts = [c.text for c in t.children if c.dep_ == "compound" and c.i < t.i] + [t.text]
    return " ".join(parts)

