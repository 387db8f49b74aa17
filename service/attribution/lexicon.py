"""The attribution rules as sets the other modules look words up in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..rules import AttributionRules


def _words(items: list[str]) -> frozenset[str]:
    return frozenset(i.lower() for i in items)


def _phrases(items: list[str]) -> tuple[tuple[str, ...], ...]:
    """Multi-word phrases as word tuples, longest first so the fullest phrase wins."""
    seqs = {tuple(i.lower().split()) for i in items if i.strip()}
    return tuple(sorted(seqs, key=lambda s: (-len(s), s)))


def _pairs(items: list[str]) -> frozenset[tuple[str, str]]:
    """'point out' -> ('point', 'out'): a verb lemma and the word that goes with it."""
    return frozenset((parts[0], parts[1]) for parts in (i.lower().split() for i in items) if len(parts) == 2)


@dataclass(frozen=True)
class Lexicon:
    object_verbs: frozenset[str]
    estimate_verbs: frozenset[str]
    data_verbs: frozenset[str]
    opinion_verbs: frozenset[str]
    phrasal_verbs: frozenset[tuple[str, str]]
    not_reporting: frozenset[tuple[str, str]]
    listener_verbs: frozenset[str]
    quoting_verbs: frozenset[str]
    according_to: tuple[tuple[str, ...], ...]  # with the based_on phrases
    based_on: frozenset[tuple[str, ...]]
    according_to_first: frozenset[str]  # the words those phrases begin with
    agent_preps: frozenset[str]
    tally_verbs: frozenset[str]
    data_nouns: frozenset[str]
    document_nouns: frozenset[str]
    owner_preps: frozenset[str]
    viewer_verbs: frozenset[str]
    generic_sources: frozenset[str]
    descriptions: frozenset[str]
    possessives: dict[str, str]
    source_kinds: dict[str, frozenset[str]]
    outlet_nouns: frozenset[str]
    name_preps: frozenset[str]
    role_preps: frozenset[str]
    strip_words: frozenset[str]
    first_person: frozenset[str]
    relative_pronouns: frozenset[str]
    openers: tuple[tuple[str, ...], ...]
    partitive_words: frozenset[str]
    window: int
    verbs: frozenset[str]  # every lemma a cue may start from
    plain_verbs: frozenset[str]  # speech, object, estimate and data verbs
    general_verbs: frozenset[str]  # speech and object verbs: they report with any subject
    data_object_verbs: frozenset[str]
    reporters: frozenset[str]  # every common noun that names who reports: generic sources, descriptions, roles
    definite: frozenset[str]
    indefinite: frozenset[str]
    name_joiners: frozenset[str]
    figure_preps: frozenset[str]
    estimate_preps: frozenset[str]
    complementizers: frozenset[str]
    set_off_marks: frozenset[str]
    quoting_marks: frozenset[str]
    partitive_preps: frozenset[str]
    respective_words: frozenset[str]
    gap_preps: frozenset[str]
    acronym: re.Pattern[str]  # a capitalised name followed by its short form in brackets

    @classmethod
    def from_rules(cls, rules: AttributionRules) -> Lexicon:
        phrasal = _pairs(rules.phrasal_verbs)
        according_to = _phrases(rules.according_to + rules.based_on)
        return cls(
            object_verbs=_words(rules.object_verbs),
            estimate_verbs=_words(rules.estimate_verbs),
            data_verbs=_words(rules.data_verbs),
            opinion_verbs=_words(rules.opinion_verbs),
            phrasal_verbs=phrasal,
            not_reporting=_pairs(rules.not_reporting),
            listener_verbs=_words(rules.listener_verbs),
            quoting_verbs=_words(rules.quoting_verbs),
            according_to=according_to,
            based_on=frozenset(_phrases(rules.based_on)),
            according_to_first=frozenset(p[0] for p in according_to),
            agent_preps=_words(rules.agent_preps),
            tally_verbs=_words(rules.tally_verbs),
            data_nouns=_words(rules.data_nouns),
            document_nouns=_words(rules.document_nouns),
            owner_preps=_words(rules.owner_preps),
            viewer_verbs=_words(rules.viewer_verbs),
            generic_sources=_words(rules.generic_sources),
            descriptions=_words(rules.descriptions),
            possessives={k.lower(): v.lower() for k, v in rules.possessive_pronouns.items()},
            source_kinds={k.lower(): frozenset(v) for k, v in rules.source_kinds.items()},
            outlet_nouns=_words(rules.outlet_nouns),
            name_preps=_words(rules.name_preps),
            role_preps=_words(rules.role_preps),
            strip_words=_words(rules.strip_words),
            first_person=_words(rules.first_person),
            relative_pronouns=_words(rules.relative_pronouns),
            openers=_phrases(rules.continuation_openers),
            partitive_words=_words(rules.partitive_words),
            window=rules.continuation_window,
            verbs=_words(rules.speech_verbs + rules.object_verbs + rules.estimate_verbs + rules.data_verbs)
            | _words(rules.data_object_verbs)
            | {v for v, _ in phrasal},
            plain_verbs=_words(rules.speech_verbs + rules.object_verbs + rules.estimate_verbs + rules.data_verbs),
            general_verbs=_words(rules.speech_verbs + rules.object_verbs),
            data_object_verbs=_words(rules.data_object_verbs),
            reporters=_words(rules.reporters + rules.generic_sources + rules.descriptions + list(rules.source_kinds)),
            definite=_words(rules.definite_determiners),
            indefinite=_words(rules.indefinite_determiners),
            name_joiners=_words(rules.name_joiners),
            figure_preps=_words(rules.figure_preps),
            estimate_preps=_words(rules.estimate_preps),
            complementizers=_words(rules.complementizers),
            set_off_marks=_words(rules.set_off_marks),
            quoting_marks=_words(rules.quoting_marks),
            partitive_preps=_words(rules.partitive_preps),
            respective_words=_words(rules.respective_words),
            gap_preps=_words(rules.gap_preps),
            acronym=_acronym(rules.name_joiners),
        )


def _acronym(joiners: list[str]) -> re.Pattern[str]:
    """'Khaama Press (KP)', 'Office for National Statistics (ONS)': a run of capitalised words, which
    the joiners may link, then a short form in brackets."""
    small = "|".join(sorted((re.escape(j.lower()) for j in joiners), key=len, reverse=True)) or "(?!)"
    word = r"[A-Z][\w'&.-]*"
    return re.compile(
        rf"((?:{word}\s+)(?:(?:{small})\s+|{word}\s+)*{word})\s*\(([A-Z][A-Za-z&.]{{1,9}})\)"
    )
