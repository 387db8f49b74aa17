"""Who owns data and documents: "the ministry's figures", "figures released by X", "a report by
X", "X data", "X said in its annual report" (the report is X's when it comes back), "estimates given
by prisoners". Data or a document with no owner name no source: "figures published on Thursday
showed", "the first census results"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from spacy.tokens import Token

from . import names
from .lexicon import Lexicon

if TYPE_CHECKING:
    from .names import Mentions, Source


def _owner(tok: Token, lex: Lexicon, strict: bool = False) -> Token | None:
    """Whoever owns a data or document noun: its possessor, 'released by X', or 'from/by X'.

    A phrase with a number in it is what the data are about, not their owner: "a survey of
    2,000 adults". With `strict`, 'from X' names an owner only when X is a word for a reporter:
    "reports from the news agency", not "the death toll from Cyclone Tarini".
    """
    candidates = []
    for c in tok.children:
        if c.dep_ == "poss" and c.lower_ not in lex.strip_words:
            # "the Red Crescent, whose previous estimate was ...": the noun before the relative.
            candidates.append(_antecedent(c) if c.lower_ in lex.relative_pronouns else c)
    for child in tok.rights:
        # "figures released by X", "numbers as provided by X"; not "a report seen by X", who only read it.
        if child.dep_ in {"acl", "relcl", "advcl"} and child.lemma_.lower() not in lex.viewer_verbs:
            candidates += _agents(child)
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ in lex.owner_preps:
            # "figures from the ministry", but not "returns from schools" or "reports from villages".
            agent = child.lower_ in lex.agent_preps
            candidates += [
                o
                for o in child.children
                if o.dep_ == "pobj" and names.reports(o, lex) and (agent or not strict or _reporter_word(o, lex))
            ]
    for owner in candidates:
        if not any(t.like_num for t in owner.subtree):
            return owner
    return None


def data_source(tok: Token, base: int, lex: Lexicon, mentions: Mentions, depth: int) -> Source | None:
    lemma = tok.lemma_.lower()
    owner = _owned_by(tok, base, lex, mentions, depth)
    if owner is not None:
        return owner
    named = _named_by_modifier(tok, base, lex, mentions, depth)
    if named is not None:
        return named
    document = _named_document(tok, base, lex, mentions)
    if document is not None:
        return document
    viewer = next(_viewers(tok, lex), None)
    if viewer is not None and depth < 3:
        # "documents obtained by Reuters": a document without a name is known by who saw it.
        return names.name_source(viewer, base, lex, mentions, depth + 1)
    if _definite(tok, lex):
        return mentions.owned.get(lemma)
    # Data named again with the words they had when their owner was named: "provisional figures from
    # the department" ... "Provisional figures show".
    kept = mentions.owned_words.get(lemma)
    words = _describing_words(tok)
    if kept and words == kept and not any(c.dep_ == "det" for c in tok.lefts):
        return mentions.owned.get(lemma)
    return None


def _named_document(tok: Token, base: int, lex: Lexicon, mentions: Mentions) -> Source | None:
    """A document with no owner that its own words name ('the finance report', 'an internal mission
    report'), remembered for 'the report' later."""
    lemma = tok.lemma_.lower()
    if not (lemma in lex.document_nouns or tok.lower_ in lex.document_nouns) or not _naming_modifiers(tok):
        return None
    name = names.strip(names.core_phrase(tok, lex), lex)
    if not name:
        return None
    document = names.Source(name, lemma, names.DATA, base + tok.idx)
    _remember(tok, document, mentions)
    return document


def _viewers(tok: Token, lex: Lexicon) -> Iterator[Token]:
    """Whoever saw or got hold of a document: 'documents obtained by Reuters'."""
    for child in tok.rights:
        if child.dep_ in {"acl", "relcl"} and child.lemma_.lower() in lex.viewer_verbs:
            yield from _agents(child)


def _agents(verb: Token) -> list[Token]:
    """The objects of the verb's 'by' phrase: 'released by X'."""
    return [o for g in verb.children if g.dep_ == "agent" for o in g.children if o.dep_ == "pobj"]


def _naming_modifiers(tok: Token) -> list[Token]:
    """Nouns before a data or document noun that say whose or which it is: 'ONS figures', 'the
    finance report'. An adjective names no one ('official figures show' is the document's own
    account), and a modifier with a number in it describes the data: 'the 96-page report'."""
    return [
        c for c in tok.lefts if c.dep_ in {"compound", "nmod"} and not any(t.like_num for t in c.subtree)
    ]


def _named_by_modifier(tok: Token, base: int, lex: Lexicon, mentions: Mentions, depth: int) -> Source | None:
    """The owner a modifier names: 'Eurostat data', 'government figures'."""
    modifiers = _naming_modifiers(tok)
    named = next((c for c in modifiers if names.is_name(c)), None)
    if named is not None and depth < 3:  # "Eurostat data", "ONS figures"
        return names.name_source(named, base, lex, mentions, depth + 1)
    if any(_owns(c, lex) for c in modifiers):
        name = names.strip(names.core_phrase(tok, lex), lex)
        return names.Source(name, tok.lemma_.lower(), names.DATA, base + tok.idx) if name else None
    return None


def _describing_words(tok: Token) -> frozenset[str]:
    return frozenset(c.lemma_.lower() for c in tok.lefts if c.dep_ == "amod")


def _antecedent(relative: Token) -> Token:
    """The noun a relative pronoun stands for: the one right before it, less its punctuation."""
    i = relative.i - 1
    while i > 0 and relative.doc[i].is_punct:
        i -= 1
    noun = relative.doc[i]
    while noun.dep_ in {"compound", "flat"} and noun.head.i > noun.i:
        noun = noun.head
    return noun if noun.pos_ in {"NOUN", "PROPN"} else relative


def explicit_owner(
    tok: Token, base: int, lex: Lexicon, mentions: Mentions, strict: bool = False
) -> Source | None:
    """The owner a data or document noun names in its own phrase: 'the ministry's figures',
    'figures released by X', 'estimates given by prisoners', 'X data', 'official figures'; not
    'its figures' or a bare 'the report'. For `strict`, see _owner."""
    owner = _owner(tok, lex, strict)
    if owner is not None:
        found = names.name_source(owner, base, lex, mentions, 1)
        if found is not None and found is not names.SPEAKER:
            _remember(tok, found, mentions)
            return found
    return _named_by_modifier(tok, base, lex, mentions, 1)


def _remember(tok: Token, owner: Source, mentions: Mentions) -> None:
    lemma = tok.lemma_.lower()
    mentions.owned[lemma] = owner
    mentions.owned_words[lemma] = _describing_words(tok)


def _owned_by(tok: Token, base: int, lex: Lexicon, mentions: Mentions, depth: int) -> Source | None:
    """The owner of a data or document noun, named ('the agency's report', 'a report by X') or
    by a possessive pronoun ('X said in its annual report'); remembered for 'the report' later."""
    owner = _owner(tok, lex)
    found: Source | None = None
    if owner is not None and depth < 3:
        found = names.name_source(owner, base, lex, mentions, depth + 1)
    if found is None:
        poss = next((c for c in tok.lefts if c.dep_ == "poss" and c.lower_ in lex.possessives), None)
        if poss is not None:
            word = lex.possessives[poss.lower_]
            found = mentions.resolve(word, base + poss.idx, base, by_kind=True, plural=names.is_plural(poss))
    if found is None or found is names.SPEAKER:
        return None
    _remember(tok, found, mentions)
    return found


def note_owner(tok: Token, base: int, lex: Lexicon, mentions: Mentions) -> None:
    """Remember whose data or document a data or document noun is, wherever it stands: 'X said in
    its report', 'provisional figures from the department'."""
    if tok.pos_ == "NOUN" and names.is_data(tok, lex) and _owned_by(tok, base, lex, mentions, 0) is None:
        _named_document(tok, base, lex, mentions)


def _reporter_word(tok: Token, lex: Lexicon) -> bool:
    """A word for those who report in the noun's name or phrase: 'police', 'the Bakhtar News Agency'."""
    lo, hi = tok.left_edge.i, tok.i
    return any(t.lower_ in lex.reporters or t.lemma_.lower() in lex.reporters for t in tok.doc[lo : hi + 1])


def _definite(tok: Token, lex: Lexicon) -> bool:
    """A definite noun with only describing words before it: 'the report', 'the annual report',
    'the 96-page report'; not 'the finance report' or 'the ministry report', which name it."""
    lefts = list(tok.lefts)
    dets = [c for c in lefts if c.dep_ == "det"]
    if len(dets) != 1 or dets[0].lower_ not in lex.definite:
        return False
    for c in lefts:
        if c.dep_ in {"det", "punct", "advmod", "nummod"} or any(t.like_num for t in c.subtree):
            continue
        if c.dep_ != "amod" or names.is_name(c) or _owns(c, lex):
            return False
    rights = [c for c in tok.rights if not c.is_punct and c.dep_ not in {"relcl", "acl"}]
    return not rights


def _owns(tok: Token, lex: Lexicon) -> bool:
    """A word before a data noun that names its owner: 'government figures', 'UN data'."""
    return (
        tok.lower_ in lex.generic_sources
        or tok.lemma_.lower() in lex.generic_sources
        or names.is_name(tok)
        or tok.ent_type_ in names.NAME_LABELS
    )
