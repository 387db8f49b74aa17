"""The grammar that cues are read with: subjects, complements and clause boundaries in a
spaCy parse, and repairs of the parser's usual slips. Plain functions of tokens, no state."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .lexicon import Lexicon
from .names import PLACE_LABELS, is_name

VERB = frozenset({"VERB", "AUX"})
CLAUSE = frozenset({"ccomp", "xcomp", "csubj"})
OBJECT = frozenset({"dobj", "attr", "oprd"})
LISTENER = frozenset({"dative", "dobj"})
SUBJECT = frozenset({"nsubj", "nsubjpass"})
AFTER_NAME = frozenset({"prep", "appos", "relcl", "acl", "npadvmod"})


def subject_of(verb: Token, lex: Lexicon, depth: int = 0) -> tuple[Token | None, bool]:
    """The verb's subject, or the agent of a passive ('by X'); a conjoined verb shares its subject,
    and 'quoted the minister as saying' has the minister say."""
    for child in verb.children:
        if child.dep_ in {"nsubj", "csubj"}:
            return child, False
    for child in verb.children:
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj, True
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
        return None, True  # "are expected to ...": a passive without 'by X' names no one
    if slipped_acl(verb, lex):
        return verb.head, False  # "..., the returning officer announced on Friday."
    if verb.pos_ == "NOUN":
        for child in verb.lefts:
            if child.dep_ == "compound":
                return child, False
    if verb.dep_ == "conj" and verb.head.pos_ in VERB and depth < 3:
        subj, passive = subject_of(verb.head, lex, depth + 1)
        return subj, passive
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head, False  # "a letter from the governor saying 40 died": the letter says it
    quoting = verb.head.head if verb.dep_ == "pcomp" and verb.head.lower_ in lex.quoting_marks else None
    if quoting is not None and quoting.lemma_.lower() in lex.quoting_verbs:
        return next((c for c in quoting.children if c.dep_ == "dobj"), None), False
    return None, False


def slipped_acl(verb: Token, lex: Lexicon) -> bool:
    """A parser slip: a reporting verb hung on the noun before it as a reduced relative
    ('..., the returning officer announced on Friday.' read as 'the officer (who was)
    announced'). The noun is the verb's subject when the verb is finite, or, for a past form
    that could be a participle, when the noun is one that reports (a source or role word, or a
    name) and stands set off by a comma with no 'by X' after the verb; 'the highest figure
    recorded since 2010' stays a reduced relative."""
    noun = verb.head
    if (
        verb.dep_ != "acl"
        or noun.i > verb.i
        or noun.pos_ not in {"NOUN", "PROPN"}
        or any(c.dep_ in {"nsubj", "nsubjpass", "mark", "agent", "auxpass"} for c in verb.children)
    ):
        return False
    if verb.tag_ in {"VBD", "VBZ", "VBP"}:
        return True
    if verb.tag_ != "VBN":
        return False
    first = noun.left_edge.i
    words = {noun.lemma_.lower(), noun.lower_}
    reporter = bool(words & (lex.generic_sources | lex.descriptions | set(lex.source_kinds))) or is_name(noun)
    return reporter and first > 0 and verb.doc[first - 1].text == ","


def not_reporting(verb: Token, lemma: str, lex: Lexicon) -> bool:
    """'counting on royalties', 'added to the total': the verb and the preposition right after it
    (no object between) mean something else; 'counted 480,000 on its side' still reports."""
    for child in verb.children:
        if child.dep_ != "prep" or (lemma, child.lower_) not in lex.not_reporting:
            continue
        if not any(c.dep_ in OBJECT and verb.i < c.i < child.i for c in verb.children):
            return True
    return False


def is_clause(tok: Token) -> bool:
    """A reported clause rather than an object: 'said (that) 11 were arrested'."""
    return tok.dep_ in CLAUSE or tok.pos_ in VERB


PHRASE = frozenset({"NOUN", "PROPN", "ADJ", "DET"})


def adjacent_subject(verb: Token, subj: Token | None, own: bool, lex: Lexicon) -> Token | None:
    """The noun phrase right before a reporting verb, where the parse gave the verb a subject that
    is not its own or that stands apart from it: in 'Fresh clashes killed 11 people and a human
    rights group estimated that ...' the group estimated, not the clashes; in '..., a 14 per cent
    increase from 630 ..., the Office for National Statistics (ONS) said.' the Office said. The
    phrase must open after a comma, a conjunction or the sentence start, and hold no number."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and doc[i].head.i == verb.i and doc[i].dep_ in BETWEEN:
        i -= 1
    if i > 2 and doc[i].text == "," and doc[i - 1].like_num and doc[i - 2].text == ",":
        i -= 3  # an age between commas: "chief executive Mats Erlandsen, 61, told reporters"
    elif i > 1 and doc[i].text == "," and is_name(doc[i - 1]) and subj is None:
        i -= 1  # a name closing an apposition: "the governor of Kandahar, Asadullah Khalid, confirmed"
    if i > 0 and doc[i].text == ")":  # a short form in brackets: "... Statistics (ONS) said"
        j = i - 1
        while j > 0 and i - j < 4 and doc[j].text != "(":
            j -= 1
        i = j - 1 if doc[j].text == "(" else i
    if i < 0 or doc[i].pos_ not in {"NOUN", "PROPN"}:
        return None
    lo, head = i, i
    while lo > 0:
        t = doc[lo - 1]
        if t.pos_ in PHRASE or t.tag_ == "POS" or (t.text == "-" and lo > 1):
            lo -= 1
        elif t.lower_ in lex.name_preps and is_name(doc[lo]) and lo > 1 and is_name(doc[lo - 2]):
            head = lo - 2  # "Office for National Statistics": the name's head comes before "for"
            lo -= 1
        else:
            break
    opener = doc[lo - 1] if lo > 0 else None
    if opener is not None and opener.text not in {",", ";"} and opener.pos_ != "CCONJ":
        return None
    found = doc[head]
    if subj is not None and lo <= subj.i <= i:
        return None  # the parsed subject is this phrase
    if subj is None or not own:
        # No subject, or one borrowed from the verb it is joined to: "... but state lawmaker Geraldo
        # Moreira said", "... and a human rights group estimated that".
        return found
    listens = verb.lemma_.lower() in lex.listener_verbs  # its object is the listener: "told reporters"
    trailing = not any(
        c.i > verb.i and (c.dep_ in CLAUSE or (c.dep_ in OBJECT and not listens)) for c in verb.children
    )
    if trailing and opener is not None and opener.text == "," and (subj is None or subj.i < lo):
        return found  # "..., the Office for National Statistics (ONS) said."
    return None


RUN = frozenset({"NOUN", "PROPN", "ADJ", "DET", "VERB"})


BETWEEN = frozenset({"aux", "neg", "advmod"})


def named_head(subj: Token, verb: Token) -> Token:
    """A subject that is a run of words ending in a proper name right before its verb is that
    name, however the parser hung the run: in 'Messaging app Kestrel said', read as a gerund
    with objects, and 'Software maker Lumora said', the name is the subject, not 'Messaging'."""
    if is_name(subj) or subj.pos_ == "PRON" or subj.i > verb.i:
        return subj
    doc = verb.doc
    lo, hi = subj.left_edge.i, subj.right_edge.i
    if hi >= verb.i or not is_name(doc[hi]) or hi == lo:
        return subj
    if any(t.pos_ not in RUN or (t.pos_ == "VERB" and t.tag_ not in {"VBG", "VBN"}) for t in doc[lo:hi]):
        return subj
    if any(t.dep_ not in BETWEEN for t in doc[hi + 1 : verb.i]):
        return subj
    return doc[hi]


def stating_prep(verb: Token, lex: Lexicon) -> Token | None:
    """'at' stating the figure of 'put the toll at 52', on the verb or inside its object."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in lex.estimate_preps:
            return child
        if child.dep_ in OBJECT:
            for t in child.subtree:
                if t.dep_ == "prep" and t.lower_ in lex.estimate_preps:
                    return t
    return None


def opens_clause(doc: Doc, i: int) -> bool:
    """Token i starts the sentence or follows a semicolon or colon."""
    j = i - 1
    while j >= 0 and doc[j].is_punct and doc[j].text not in {";", ":"}:
        j -= 1
    return j < 0 or doc[j].text in {";", ":"}


def is_place(tok: Token) -> bool:
    return tok.ent_type_ in PLACE_LABELS


def complements(
    verb: Token, takes_object: bool, passive: bool, listener: Token | None, lex: Lexicon
) -> tuple[list[Token], bool]:
    """What the verb reports: its clause, its object when it reports objects, the subject of a
    passive with 'by X'; and whether it has an object it does not report."""
    comps: list[Token] = []
    blocked = False
    for child in verb.children:
        if child.dep_ in CLAUSE:
            comps.append(child)
        elif child.dep_ in OBJECT and (listener is None or child.i != listener.i):
            # "Ostreva says more than 8,000 of its citizens are still held", read as "says 8,000" and
            # "held" joined to "says": the number is the subject of the clause that follows.
            clause = subjectless_conj(verb, child) if child.like_num else None
            if takes_object or any(t.pos_ in VERB for t in child.subtree):
                comps.append(child)
            elif clause is not None:
                comps += [child, clause]
            else:
                blocked = True
        elif (child.dep_ == "prep" and child.lower_ in lex.figure_preps and takes_object and not is_when(child)) or (
            passive and child.dep_ in {"nsubjpass", "csubjpass"}
        ):
            comps.append(child)
        elif child.dep_ == "npadvmod" and takes_object and any(t.like_num for t in child.subtree):
            comps.append(child)  # "had predicted 2.5%", the percentage read as an adverbial
    if not comps:
        comps.extend(that_clauses(verb, lex))  # "said in a statement that ...": the parser hangs it lower
    return comps, blocked


def subjectless_conj(verb: Token, obj: Token) -> Token | None:
    """A verb joined to `verb` after its object `obj`, with no subject of its own."""
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ in VERB and child.i > obj.i and not has_subject(child):
            return child
    return None


def that_clauses(verb: Token, lex: Lexicon) -> list[Token]:
    """Clauses opened by 'that' inside the verb's prepositional phrases."""
    found = []
    for child in verb.children:
        if child.dep_ != "prep":
            continue
        for t in child.subtree:
            if t.pos_ in VERB and any(c.dep_ == "mark" and c.lower_ in lex.complementizers for c in t.children):
                found.append(t)
    return found


def is_counted(tok: Token) -> bool:
    """A number counting the noun it goes with: '21' in 'the city's 21 branches'."""
    return tok.like_num and tok.dep_ in {"nummod", "compound", "quantmod"} and tok.head.pos_ == "NOUN"


def is_when(prep: Token) -> bool:
    """A preposition whose object is a date or a time: 'announced at 01:45', 'reported on Monday'."""
    return any(o.ent_type_ in {"DATE", "TIME"} for o in prep.children)


def says_more(verb: Token) -> bool:
    """A verb with words after it that say what it reports: 'warned of more rain'; a date or time
    ('reported on Monday') says when, not what."""
    for child in verb.rights:
        if child.dep_ in OBJECT or child.dep_ in CLAUSE:
            return True
        if child.dep_ == "prep" and not is_when(child):
            return True
    return False


def has_subject(verb: Token, counted: bool = True) -> bool:
    """Whether the verb has a subject of its own; without `counted`, a bare number ("and 620
    injured") is none."""
    return any(
        c.dep_ in {"nsubj", "nsubjpass", "csubj", "expl"} and (counted or not c.like_num) for c in verb.children
    )


def unit_start(verb: Token, subj: Token) -> int:
    """Where the words of a cue begin: its subject, or the verb of 'said the minister'."""
    first = min(subj.left_edge.i, verb.i) if subj.i < verb.i else verb.i
    while first < verb.i and verb.doc[first].is_punct:
        first += 1
    return first


def next_noun(doc: Doc, start: int) -> Token | None:
    for tok in doc[start:]:
        if tok.pos_ in {"NOUN", "PROPN", "PRON"}:
            while tok.head.i > tok.i and tok.dep_ in {"compound", "amod", "nmod", "poss"}:
                tok = tok.head
            return tok
        if tok.is_punct:
            return None
    return None
