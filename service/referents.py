"""What a figure borrows from the figures around it: the noun a bare number counts ("cut 1,800
jobs, including 1,100 in Germany"; "Of those arrested, 37 had been charged"), the tally a noun
names ("passenger numbers"), the unit written once ("84.75 cents, the lowest 74.07"; "a 7- or
8-inch screen") and the figure a bracket or "or" restates ("100 km (62 miles)")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from . import tokens
from .candidates import Candidate
from .models import Figure
from .numbers import alternation
from .rules import RuleSet, memo
from .units import Unit, unit_after


@dataclass(frozen=True)
class Words:
    """What borrowing reads (rules/reading.yaml and the lists it shares), compiled once per rule set."""

    tally_nouns: frozenset[str]
    anaphoric: frozenset[str]
    collectives: dict[str, str]
    gatherings: dict[str, str]
    voting: frozenset[str]
    light_heads: frozenset[str]
    part_prepositions: frozenset[str]
    of_them: re.Pattern[str]
    partitive_opener: re.Pattern[str]
    coordinated: re.Pattern[str]
    compared: re.Pattern[str]
    suspended: re.Pattern[str]
    comparative_gap: re.Pattern[str]

    @property
    def all_collectives(self) -> frozenset[str]:
        return frozenset({*self.collectives, *self.gatherings})


def words(rules: RuleSet) -> Words:
    return memo(rules.reading, "referent-words", lambda: _compile(rules))


def _compile(rules: RuleSet) -> Words:
    r, changes = rules.reading, rules.relations.changes
    preps = alternation(r.partitive_prepositions)
    them = alternation(rules.attribution.partitive_words)
    openers = alternation([*rules.attribution.partitive_words, *r.whole_determiners])
    joins = [w for w in rules.numbers.range_words if w.isalpha()]
    comparatives = [*changes.up_comparatives, *changes.down_comparatives, *changes.comparing]
    return Words(
        tally_nouns=frozenset(r.tally_nouns),
        anaphoric=frozenset(r.anaphoric_nouns),
        collectives=dict(r.collectives),
        gatherings=dict(r.gatherings),
        voting=frozenset(r.voting_words),
        light_heads=frozenset(r.light_heads),
        part_prepositions=frozenset(r.part_prepositions),
        of_them=re.compile(rf"^\s*(?:{preps})\s+(?:{them})\b", re.IGNORECASE),
        partitive_opener=re.compile(rf"^\s*(?:{preps})\s+(?:{openers})\b", re.IGNORECASE),
        # Words that set a number beside the one before it: "460 vehicles ... compared with 63".
        coordinated=re.compile(rf"\b(?:{alternation(r.coordinating_words)})\b|,", re.IGNORECASE),
        compared=re.compile(rf"\b(?:{alternation(r.comparing_words)})\b", re.IGNORECASE),
        # "a 7- or 8-inch screen", "four-, five- and six-cylinder engines".
        suspended=re.compile(rf"-,?\s+(?:[\w.]+-,?\s+){{0,3}}(?:{alternation(joins)})\s+[\d.,]+"),
        comparative_gap=re.compile(rf"\b(?:{alternation(comparatives)})\b", re.IGNORECASE),
    )


def tallied(noun: Token, dimension: str, rules: RuleSet, number: Token | None = None) -> str | None:
    """What a tally noun counts: 'passenger numbers' -> passenger, 'the number treated' -> people,
    'turnout' -> people (voters at an election), 'the crowd at 42,000' -> people, '12 crew
    members' -> crew members."""
    w = words(rules)
    low = noun.lower_
    if low in w.collectives:
        if dimension != "count":
            return None
        if low == "turnout" and any(t.lemma_.lower() in w.voting or t.lower_ in w.voting for t in noun.sent):
            return "voters"
        return w.collectives[low]
    if low in w.gatherings and dimension == "count" and number is not None \
            and number.i not in {t.i for t in noun.subtree}:
        return w.gatherings[low]
    if low in w.light_heads:
        inner = [c for c in noun.children if c.dep_ == "compound" and c.i == noun.i - 1 and c.pos_ == "NOUN"]
        return f"{inner[0].lower_} {low}" if inner else None
    if low not in w.tally_nouns:
        return None
    inner = [c for c in noun.children if c.dep_ in ("compound", "amod") and c.pos_ == "NOUN" and c.i == noun.i - 1]
    if inner:
        return inner[0].lower_
    # "the number killed", "the number treated in hospital": people to whom something happened.
    if any(c.dep_ in ("acl", "amod") and c.tag_ == "VBN" and c.i > noun.i for c in noun.children):
        return "people"
    return None


def whole_word(noun: Token) -> str | None:
    """'1,800 e-bikes', parsed as 'e' '-' 'bikes': the hyphenated word the noun begins."""
    doc = noun.doc
    end = noun.i
    while end + 2 < len(doc) and doc[end + 1].text == "-" and doc[end + 1].idx == doc[end].idx + len(doc[end].text) \
            and doc[end + 2].idx == doc[end + 1].idx + 1 and doc[end + 2].is_alpha:
        end += 2
    if end == noun.i:
        return None
    return doc[noun.i : end + 1].text.lower()


def antecedent(
    text: str, c: Candidate, span: Span, earlier: Sequence[Figure], before: Sequence[Figure], index: int,
    base: int, rules: RuleSet, anaphoric: bool = False, collective: bool = False,
    periods: frozenset[str] = frozenset(),
) -> Figure | None:
    """What a number with no noun of its own counts, read from a figure before it.

    In its own sentence: "Three people were killed and eight injured", "cut 1,800 jobs,
    including 1,100 in Germany", "put the number treated at 43, six of them critical". From the
    sentence or two before, when the number stands for them: "Of those arrested, 37 had been
    charged", "About 170,000 were still waiting", "Organisers put the figure at 60,000". A number
    put on a collective ("doubling its attendance from 870,000") takes the noun of a figure it is
    set beside in its own sentence ("welcomed 1.3 million visitors").
    """
    w = words(rules)

    def usable(f: Figure) -> bool:
        # Not a period ("tripled in two seasons, from 4,200 ...").
        return f.dimension == "count" and bool(f.counted) and f.counted not in w.anaphoric \
            and (f.counted or "").lower().rstrip("s") not in periods

    root = span.root
    while root.head.i != root.i and root.dep_ in ("nummod", "quantmod", "compound") and root.head.i in range(
        span.start, span.end
    ):
        root = root.head
    of_them = bool(w.of_them.match(text[c.end :]))
    partitive = bool(w.partitive_opener.match(text)) and c.start < 60
    mine = [f for f in earlier if usable(f)]
    if mine:
        last = mine[-1]
        gap = text[max(0, last.end - base) : c.start]
        coordinated = len(gap) <= 100 and not re.search(r"[;:]|\.(?!\d)", gap) and bool(w.coordinated.search(gap))
        listed = root.dep_ == "pobj" and root.head.lower_ in w.part_prepositions
        # "4.37 million TEU, an increase of 18% from 3.95 million": the value a change starts from.
        listed = listed or (coordinated and root.dep_ == "pobj" and root.head.lower_ in ("from", "against"))
        compared = coordinated and bool(w.compared.search(gap))
        # "Reyes took 24,991 votes and Nair 3,811": the number hangs on the name before it.
        gapped = root.dep_ in ("nummod", "compound") and root.head.i < root.i
        if collective:
            return last if coordinated and (root.dep_ == "pobj" or compared) else None
        if (coordinated and (root.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "appos", "ROOT", "npadvmod")
                             or gapped)) or compared or listed or of_them or partitive or anaphoric:
            return last
    if collective:
        return None
    subject = root.dep_ in ("nsubj", "nsubjpass") or of_them or partitive or anaphoric
    if not (subject or root.dep_ in ("pobj", "dobj", "attr")):
        return None
    # `before` runs in sentence order: read back only over the two sentences before.
    for f in reversed(before):
        if index - f.sentence > 2:
            break
        if usable(f):
            return f
    return None


def pronoun_noun(text: str, c: Candidate, span: Span, rules: RuleSet) -> str | None:
    """'throw packages overboard, but 14 of them were fished out': with no figure to borrow from,
    'of them' stands for the nearest plural noun before it in the sentence."""
    if not words(rules).of_them.match(text[c.end :]):
        return None
    for t in reversed(span.doc[: span.start]):
        if t.tag_ == "NNS" and t.is_alpha and t.dep_ not in ("compound", "npadvmod"):
            return t.lower_
    return None


_BRACKETED = re.compile(r"\s*(?:[a-z]+\s*)?[(/]\s*")  # "27.4 km long (about 17 miles)", "224 kW / 300 PS"
_OR = re.compile(r"\s*,?\s*or\s*")  # "lost 190 points, or 0.6%"
_APPOSED = re.compile(r"\s+of\s+[^,;:.()]{1,60},\s*")  # "22 tonnes of tobacco, some 48,500 pounds"


def restating_gap(gap: str, apposed: bool = False) -> str | None:
    """How the words between two figures make the second a restatement of the first: 'bracketed'
    (brackets or a slash), 'or'; with `apposed`, also 'apposed' (after the first's of-phrase and a
    comma, which is a restatement only where the units differ)."""
    if _BRACKETED.fullmatch(gap):
        return "bracketed"
    if _OR.fullmatch(gap):
        return "or"
    if apposed and _APPOSED.fullmatch(gap):
        return "apposed"
    return None


def restated(text: str, start: int, earlier: Sequence[Figure], base: int) -> tuple[Figure | None, bool]:
    """The figure this one restates in other units or terms, right before it, and whether as a
    conversion (in brackets or after a slash): "more than 100 kilometres (60 miles)", "lost 190
    points, or 0.6%"."""
    if not earlier:
        return None, False
    how = restating_gap(text[max(0, earlier[-1].end - base) : start])
    return (earlier[-1], how == "bracketed") if how else (None, False)


def suspended_unit(text: str, end: int, rules: RuleSet) -> tuple[Unit, str] | None:
    m = words(rules).suspended.match(text, end)
    if m is None:
        return None
    found = unit_after(text, m.end(), rules)
    if found is None:
        return None
    return found[0], text[m.end() : found[1]].strip(" -").lower()


def hyphen_noun(doc: Doc, end: int) -> str | None:
    """'a 300-bed hospital', 'a 52,000-capacity ground': the noun glued to the number counts."""
    t = tokens.token_starting_at(doc, end)
    if t is not None and t.text == "-" and t.i + 1 < len(doc):
        nxt = doc[t.i + 1]
        if nxt.pos_ == "NOUN" and nxt.is_alpha and nxt.is_lower and nxt.idx == end + 1 and \
                not (nxt.i + 1 < len(doc) and doc[nxt.i + 1].text == "-"):
            return nxt.lower_
    return None


def carried_unit(
    text: str, c: Candidate, counted: str | None, dimension: str, earlier: Sequence[Figure], base: int,
    rules: RuleSet,
) -> Figure | None:
    """The figure before a bare number in its sentence whose unit or currency the number shares:
    'the highest is 84.75 cents, the lowest 74.07', 'from 20 mpg in 2008 to 29', 'up from 5% to 7'."""
    if dimension != "count" or counted is not None or c.vague is not None or c.fraction or not earlier:
        return None
    last = earlier[-1]
    if last.dimension in ("count", "age", "temperature", "duration", "share") or last.hedge == "vague":
        return None
    gap = text[max(0, last.end - base) : c.start]
    w = words(rules)
    if len(gap) > 60 or re.search(r"[.;:]", gap) or not w.coordinated.search(gap):
        return None
    if last.dimension in ("percent", "percentage points") and (w.comparative_gap.search(gap) or abs(c.value) > 100):
        # "12% more than 199.4 million": a difference, then the number it is taken from; "38% of
        # loans, or about 912,000": the share restated as a count.
        return None
    return last
