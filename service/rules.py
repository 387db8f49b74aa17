"""Rule files: the models that describe them and the one loader that reads them.

Every file in the rules folder is YAML with a `version` key and is read into a model with
`extra="forbid"`, so a misspelt key is an error, not a silent default. The loader reads every
file before it fails, and reports each problem as `file: [key -> key] message`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import RulesError

# libyaml's loader where PyYAML was built with it: the same safe loading, a tenth of the time
# (about 80 ms of a command-line check's start-up). A file it refuses is read again by the
# Python loader, whose messages say more ("expected ',' or ']', but got ':'").
_FAST_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_FAST_YAML_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)

T = TypeVar("T")


class RuleModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- hedges.yaml ---------------------------------------------------------------------------------


class Hedge(RuleModel):
    name: str = Field(description="The normalised hedge reported in `figure.hedge`.")
    before: list[str] = Field(default_factory=list, description="Phrases that hedge the number that follows.")
    after: list[str] = Field(default_factory=list, description="Phrases that hedge the number before them.")
    low: float = Field(description="Lower end of the interval as a factor offset: low = value * (1 + low).")
    high: float = Field(description="Upper end of the interval: high = value * (1 + high).")


class Vague(RuleModel):
    phrases: list[str] = Field(description="Words for a vague amount: 'dozens', 'tens of thousands'.")
    value: float = Field(description="The value reported for it (lower end of what it allows).")
    low: float = Field(description="Lowest value the phrase allows.")
    high: float = Field(description="Highest value the phrase allows.")


class Roundness(RuleModel):
    max_relative: float = Field(
        ge=0, le=1, description="A bare round number stands for at most this fraction either side of it."
    )
    min_relative: float = Field(
        ge=0, le=1, description="Even an exact-looking number allows this fraction either side (typos, updates)."
    )


class ChangeWords(RuleModel):
    up: list[str] = Field(description="Words right before the number that state a rise by it: rose, up, gained.")
    down: list[str] = Field(description="Words right before the number that state a fall by it: fell, down, lost.")
    up_nouns: list[str] = Field(description="Nouns for a rise: 'a 3% increase', 'a rise of 5%'.")
    down_nouns: list[str] = Field(description="Nouns for a fall: 'a 3% drop', 'a cut of 800,000 barrels'.")
    comparing: list[str] = Field(
        description="Hedge words that compare when a number stands right before them: '12% above 199.4 million'."
    )
    comparison_ends: list[str] = Field(
        description="Words that end a number compared with the next: '3 points higher than', 'three times more'."
    )
    particle_verbs: list[str] = Field(
        description="Verbs that make a following 'up' or 'down' their particle: 'gave up 517 yards'."
    )
    up_comparatives: list[str] = Field(
        description="Comparatives after a number, before 'than' and a number: '12% more than 199.4 million'."
    )
    down_comparatives: list[str] = Field(
        description="Comparatives after a number, before 'than' and a number: '5% lower than 2,100'."
    )


class HedgeRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    roundness: Roundness = Field(description="How bare numbers are widened by their roundness.")
    hedges: list[Hedge] = Field(description="Hedge phrases, their normalised names and interval widths.")
    vague: list[Vague] = Field(description="Vague magnitudes and the wide intervals they stand for.")
    flag_vague: bool = Field(description="Whether a vague magnitude alone may be the ground of a flag.")

    @model_validator(mode="after")
    def _widths_ordered(self) -> HedgeRules:
        for h in self.hedges:
            if h.low > h.high:
                raise ValueError(f"hedge {h.name!r}: low ({h.low}) is above high ({h.high})")
        for v in self.vague:
            if not v.low <= v.value <= v.high:
                raise ValueError(f"vague {v.phrases[0]!r}: value must lie between low and high")
        return self


# --- concepts.yaml -------------------------------------------------------------------------------


class ConceptRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    classes: dict[str, list[str]] = Field(
        description="Concept name -> nouns (lemmas) that count the same thing: troops, personnel, soldiers."
    )
    statuses: dict[str, list[str]] = Field(
        description="Status name -> words marking a subgroup (killed, injured): different statuses never group."
    )
    distinct_statuses: list[str] = Field(
        description="Statuses that make a different kind of claim (a forecast, a capacity): a figure with one "
        "never groups with a figure without it."
    )
    status_concepts: dict[str, str] = Field(
        description="Status -> concept a count of people with that status counts ('arrested' -> 'arrests')."
    )
    measure_words: list[str] = Field(
        description="Nouns that measure rather than name what is counted: 'pieces' in '800 pieces of hardware'."
    )
    generic_heads: list[str] = Field(
        description="Heads too vague to group on their own ('people', 'number'); their modifiers decide."
    )
    outcome_statuses: list[str] = Field(
        description="Statuses that are fates of the people aboard (dead, rescued, missing): they add up to at "
        "most the number aboard."
    )
    aboard_cues: list[str] = Field(
        description="Words that make a count the number of people aboard: aboard, on board, manifest, carrying."
    )
    light_verbs: list[str] = Field(
        description="Verbs that only state an amount (be, put, reach, involve): a figure with one may group with "
        "a figure that carries a status."
    )
    neutral_modifiers: list[str] = Field(
        description="Modifiers that do not make a subgroup ('some', 'total', 'estimated')."
    )
    partitions: dict[str, dict[str, list[str]]] = Field(
        default_factory=dict,
        description="Class -> its kinds -> the words that name each kind: medals -> gold -> [gold]. A figure naming a "
        "kind counts a part of the class; parts of every kind after a total of the class are the whole of it.",
    )
    event_concepts: dict[str, str] = Field(
        default_factory=dict,
        description="Verb (lemma) -> the class a count of people it is said of counts: employ -> workers.",
    )
    status_nouns: list[str] = Field(
        description="Status words that, right after a number, name what it counts: '920 dead', '620 injured'."
    )
    person_classes: list[str] = Field(
        description="Classes that count people: a count of them with a status counts the status's concept "
        "('14 soldiers were killed' counts deaths), among that population."
    )
    remaining_words: list[str] = Field(
        description="Words that make a figure what is left of a whole: '6,500 were still without water'."
    )
    place_prepositions: list[str] = Field(
        description="Prepositions before a capitalised name that make it the place a figure is limited to: "
        "'from Tajikistan', 'in Gaza'."
    )
    place_nouns: list[str] = Field(
        description="Common nouns that name a place after a place preposition: 'died in the province'."
    )
    where_prepositions: list[str] = Field(
        description="Prepositions whose phrase says where a figure was counted, which another account may leave "
        "out: 'aboard the cruise ship Aurora Star'."
    )
    function_words: list[str] = Field(
        description="Words left out when a modifier is compared: the, of, its."
    )

    @model_validator(mode="after")
    def _words_in_one_class(self) -> ConceptRules:
        seen: dict[str, str] = {}
        for name, words in self.classes.items():
            for w in words:
                if w in seen and seen[w] != name:
                    raise ValueError(f"{w!r} is in both classes {seen[w]!r} and {name!r}")
                seen[w] = name
        return self



# --- reading.yaml --------------------------------------------------------------------------------


class ReadingRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    qualifier_prepositions: list[str] = Field(
        description="Prepositions whose phrase qualifies the counted noun: 'troops from Tajikistan'."
    )
    total_words: list[str] = Field(description="Words around a number that make it a total: 'in all', 'a total of'.")
    clause_total_words: list[str] = Field(
        description="Words anywhere in a number's clause that make it the total: 'raised £9m in total'."
    )
    part_words: list[str] = Field(description="Words before a number that make it a part: 'including 12 children'.")
    part_words_after: list[str] = Field(description="Words right after a number that make it a part: 'two of them'.")
    amount_verbs: list[str] = Field(
        description="Verb lemmas whose object is an amount of their subject: 'sales topped 5m'."
    )
    container_nouns: list[str] = Field(description="Nouns that hold what is counted rather than name it: list, tally.")
    group_nouns: list[str] = Field(
        description="Objects that name a part of the subject: 'formed the largest group, at 1,940'."
    )
    participles: list[str] = Field(
        description="Past participles spelt like nouns that the parser may take for the counted noun: 'set'."
    )
    hedge_prepositions: list[str] = Field(description="Hedge words the parser reads as prepositions: 'well over'.")
    modals: list[str] = Field(description="Auxiliaries that make a clause's number a possibility: 'could reach'.")
    tally_nouns: list[str] = Field(description="Heads that name a tally, not what is tallied: 'the death toll'.")
    anaphoric_nouns: list[str] = Field(
        description="Heads that stand for what an earlier figure counted: 'put the figure at 60,000'."
    )
    collectives: dict[str, str] = Field(
        description="Nouns for a number of people -> what they count: turnout -> people."
    )
    gatherings: dict[str, str] = Field(
        description="Collectives that stand for the people in them when a number is put on them: crowd -> people."
    )
    voting_words: list[str] = Field(description="Words in a sentence that make its turnout a count of voters.")
    light_heads: list[str] = Field(description="Heads too light to name what is counted alone: '12 crew members'.")
    partitive_prepositions: list[str] = Field(description="Prepositions that open a part: 'of those arrested'.")
    part_prepositions: list[str] = Field(
        description="Prepositions whose number is a part of the figure before it: 'including 1,100 in Germany'."
    )
    coordinating_words: list[str] = Field(
        description="Words that set a number beside the one before it: 'and', 'compared with'."
    )
    comparing_words: list[str] = Field(description="Of those, the words that compare the two: than, versus.")
    whole_determiners: list[str] = Field(
        description="Determiners between 'of' and the whole a part is taken from: 'seven of the nine suspects'."
    )


# --- tolerances.yaml -----------------------------------------------------------------------------


class Severity(RuleModel):
    high_ratio: float = Field(gt=1, description="Claims that cannot meet and differ by this ratio or more: high.")
    medium_ratio: float = Field(gt=1, description="Claims that cannot meet and differ by this ratio or more: medium.")


class ToleranceRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    conflict_gap: float = Field(
        ge=0, description="Intervals further apart than this fraction of the larger value conflict."
    )
    sum_relative: float = Field(ge=0, description="A total may differ from the sum of its parts by this fraction.")
    percent_points: float = Field(
        ge=0, description="A stated percentage may differ from the computed one by this many points."
    )
    percent_relative: float = Field(
        ge=0, description="...or by this fraction of the computed one, whichever is larger."
    )
    shares_over: float = Field(ge=0, description="Shares of one whole may add up to 100 plus this many points.")
    multiple_relative: float = Field(ge=0, description="'Doubled' allows this fraction around 2.")
    severity: Severity = Field(description="How far apart claims must be for each severity.")
    max_ratio: float = Field(
        gt=1, description="Claims further apart than this ratio are taken to describe different things."
    )
    max_flags_per_group: int = Field(
        ge=1, description="Conflicting accounts reported for one group at most (the widest apart first)."
    )


# --- numbers.yaml --------------------------------------------------------------------------------


class UnitWords(RuleModel):
    name: str = Field(description="Short display name reported as a figure's `unit`: km, mph, t.")
    pint: str = Field(description="The unit as pint writes it, to convert to the dimension's base unit.")
    dimension: str = Field(description="What the unit measures: length, mass, duration...")
    words: list[str] = Field(description="Forms after a number, glued or spaced, any case: km, kilometres.")
    short: list[str] = Field(
        default_factory=list,
        description="Short forms read glued to the number in any case, and spaced only as written: m, t, h.",
    )
    glued: list[str] = Field(
        default_factory=list, description="Short forms read only glued to the number: in (5in), c (31C), g (5g)."
    )


class CurrencyWords(RuleModel):
    signs: dict[str, str] = Field(
        description="Sign before the digits, a space allowed between -> currency code: $, Rs., ₹, Tk, US$."
    )
    glued_signs: dict[str, str] = Field(
        description="Sign read only glued to two or more digits or a decimal -> currency code: PS (£ transliterated)."
    )
    codes: list[str] = Field(description="ISO currency codes before the digits: USD10m, EUR 50m.")
    names: dict[str, str] = Field(description="Currency word after the number -> code: rupees, euros, yen.")
    words: dict[str, str] = Field(description="Currency code -> the word reported as what an amount counts.")
    suffixes: dict[str, str] = Field(
        description="Letters glued after the digits -> currency code (case-sensitive): p (53.35p) -> GBX."
    )


class NumberRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    ones: dict[str, int] = Field(description="Number words below twenty and their values: one, nineteen.")
    tens: dict[str, int] = Field(description="Words for the tens and their values: twenty, ninety.")
    scales: dict[str, int] = Field(
        description="Words that multiply the number before them: hundred, million, lakh, crore."
    )
    groups: dict[str, int] = Field(description="Words for a group of a size: dozen -> 12.")
    scale_abbreviations: dict[str, int] = Field(
        description="Short scale words after the digits, glued or spaced: bn, mn, cr."
    )
    glued_scale_abbreviations: dict[str, int] = Field(
        description="Short scale words only glued to the digits: k, m, b."
    )
    spaced_scale_letters: dict[str, int] = Field(
        description="Letters that, spaced after the digits, are a scale only before money or `million_nouns` "
        "(case-sensitive): m, B."
    )
    million_nouns: list[str] = Field(description="Nouns before which a spaced scale letter is a scale: 5 m people.")
    unit_cues: list[str] = Field(
        description="Words after a glued scale letter that is also a unit that make it the unit: 37m-long."
    )
    fractions: dict[str, int] = Field(description="Fraction words and their denominators: third -> 3.")
    ordinal_fractions: dict[str, int] = Field(
        description="Fraction words that are also ordinals, fractions only before 'of': fourth -> 4."
    )
    fraction_followers: list[str] = Field(description="Words right after a fraction that make it one: of, the.")
    half_parts: list[str] = Field(description="Words before 'half' that make it a part, not a fraction: second.")
    fraction_alone_before: list[str] = Field(
        description="Words, besides the hedges, before a fraction that ends a clause: than, or, only."
    )
    fraction_alone_verbs: list[str] = Field(description="Verbs right after a fraction standing alone: were, said.")
    share_words: list[str] = Field(description="Words between two numbers that state a share: in, out of.")
    share_not_before: list[str] = Field(
        description="Nouns after 'one in three' that make it a rate of tries, not a share: games, attempts."
    )
    percent: list[str] = Field(description="Signs and words right after a number that make it a percentage.")
    negative_words: list[str] = Field(description="Words before the digits that make them negative: minus.")
    range_words: list[str] = Field(description="Words between two numbers that may make them one range: to, -.")
    range_openers: list[str] = Field(description="Words before a range's first number: between.")
    change_openers: list[str] = Field(
        description="Words before 'X to Y' that make it a change told as two figures: from."
    )
    range_verbs: list[str] = Field(
        description="Verbs before a change opener that make 'from X to Y' a range: ranged from 40 to 110."
    )
    range_after_opener: list[str] = Field(description="Range words that join only after an opener: and.")
    range_alternatives: list[str] = Field(description="Words between two numbers that give alternatives: or.")
    change_prepositions: list[str] = Field(
        description="Besides the change verbs (relations.yaml), words before a number that make it a change: by."
    )
    currencies: CurrencyWords = Field(description="Currency signs, codes and names.")
    units: list[UnitWords] = Field(description="Units of measure written after a number.")
    pint_definitions: dict[str, str] = Field(description="Units defined for pint: name -> definition.")

    @model_validator(mode="after")
    def _one_reading_each(self) -> NumberRules:
        seen: dict[str, str] = {}
        for unit in self.units:
            for form in [*unit.words, *unit.short, *unit.glued]:
                if form.lower() in seen and seen[form.lower()] != unit.name:
                    raise ValueError(f"unit form {form!r} is in both {seen[form.lower()]!r} and {unit.name!r}")
                seen[form.lower()] = unit.name
        for code in self.currencies.words:
            if code not in self.currencies.codes and code not in (
                *self.currencies.signs.values(), *self.currencies.names.values()
            ):
                raise ValueError(f"currencies.words: {code!r} is no currency the signs, codes or names give")
        return self


# --- not_figures.yaml ----------------------------------------------------------------------------


class Pattern(RuleModel):
    pattern: str = Field(description="Regular expression, searched in the text around a number.")
    reason: str = Field(description="Why a match is not a figure: reported in `ignored`.")


class NotFigureRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    year_min: int = Field(description="Smallest bare integer read as a year in a date context.")
    year_max: int = Field(description="Largest bare integer read as a year in a date context.")
    year_words: list[str] = Field(
        description="Words that make a following four-digit number a year: in, since, until, by..."
    )
    identifier_words: list[str] = Field(
        description="Words followed by a number that names something: Route, Boeing, Flight, page..."
    )
    phone_words: list[str] = Field(
        description="Words shortly before a bare number that make it a phone number: call, dial, helpline."
    )
    score_words: list[str] = Field(
        description="Words that make two small numbers joined by a dash a score: beat, won, draw."
    )
    noun_reasons: dict[str, str] = Field(
        description="Noun (singular) after a number -> why the number is not a figure: page -> page count."
    )
    compound_reasons: dict[str, str] = Field(
        description="Noun (singular) joined to a number by a hyphen -> why it is not a figure: 30-share index."
    )
    ordinal_suffixes: list[str] = Field(description="Suffixes of an ordinal in digits: st, nd, rd, th.")
    one_determiners: list[str] = Field(description="Words before 'one' that make it a pronoun: each, the, no.")
    one_adjectives: list[str] = Field(
        description="Adjectives between such a word and 'one' that keep it a pronoun: the only one, the same one."
    )
    one_counted: list[str] = Field(description="Words before 'one of' that keep it a count: only one of the 12.")
    year_owners: list[str] = Field(description="Words before a year that stands before its noun: the 2019 season.")
    age_units: list[str] = Field(description="Periods an age is counted in: year, month (eight-month-old).")
    age_adjectives: list[str] = Field(description="The word after the period in an age: old.")
    age_words: list[str] = Field(description="Words for age before a number: aged, age.")
    age_links: list[str] = Field(description="Words between those and the number: aged of, age to, age rose to.")
    age_hedges: list[str] = Field(description="Hedges between those and the number: aged between, aged over.")
    age_group_nouns: list[str] = Field(description="Nouns for people before an age threshold: children under six.")
    age_group_links: list[str] = Field(
        description="Words between those nouns and an age: under, over, between (men between 25 and 54)."
    )
    appositive_verbs: list[str] = Field(
        description="Words after an age between commas after a name: 'Rui Valente, 49, said'."
    )
    glued_letters: list[str] = Field(
        description="Letters glued after a number that leave it a number, not a name: 28.9s."
    )
    number_prefixes: list[str] = Field(description="Prefixes joined by a hyphen that keep a number: sub-300.")
    list_joiners: list[str] = Field(description="Words that list numbers: junctions 12 and 14.")
    listed_reasons: list[str] = Field(
        description="Reasons a number listed right after a number ignored for one of them shares: identifier."
    )
    date_joiners: list[str] = Field(description="Words between two days of a month: 4 to 15 March.")
    amount_before: list[str] = Field(
        description="Words before a long plain number that make it an amount, not a name: stood at 2483805."
    )
    amount_nouns: list[str] = Field(
        description="Nouns before a plain number that it measures, not names: the total 30417."
    )
    people_words: list[str] = Field(description="Words for people, whatever their tag: people, persons.")
    name_entities: list[str] = Field(
        description="spaCy entity labels of names: a number inside one, after a capitalised word, names it."
    )
    identifier_digits: int = Field(
        ge=5, description="A plain digit string this long, counting nothing, is an identifier (IMO 9387421)."
    )
    street_words: list[str] = Field(
        description="Street words after a number and a capitalised name that make it an address: Street, Row, Quay."
    )
    street_words_before: list[str] = Field(
        description="Street words between a number and a capitalised name that make it an address: Rue, Via."
    )
    street_articles: list[str] = Field(
        description="Articles between a street word before the name and the name: 8 Rue de la Paix."
    )
    street_suffixes: list[str] = Field(
        description="Endings of a one-word street name after a number that make it an address: strasse, gasse."
    )
    patterns: list[Pattern] = Field(description="Further patterns for numbers that are not figures.")


# --- attribution.yaml ----------------------------------------------------------------------------


class AttributionRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    speech_verbs: list[str] = Field(
        description="Lemmas of verbs whose subject reports the clause, quote or sentence they go with: say, add."
    )
    object_verbs: list[str] = Field(
        description="Lemmas of verbs that also report a figure that is their object: report, estimate, count."
    )
    tally_verbs: list[str] = Field(
        description="Object verbs whose subject may be where the figures happened: '(Upper Volta North) recorded'."
    )
    estimate_verbs: list[str] = Field(
        description="Lemmas of verbs that state a figure after 'at' and report only then: put (the toll at 52)."
    )
    data_verbs: list[str] = Field(
        description="Lemmas of verbs that report only with a data or document subject: (figures) show, find."
    )
    opinion_verbs: list[str] = Field(
        default_factory=list,
        description="Lemmas of verbs of opinion or expectation, whose subject holds the view even when counted.",
    )
    phrasal_verbs: list[str] = Field(
        description="Verb and particle lemmas that report only together: 'point out'."
    )
    not_reporting: list[str] = Field(
        description="Verb and preposition lemmas that do not report together: 'count on', 'add to'."
    )
    listener_verbs: list[str] = Field(
        description="Lemmas of reporting verbs whose object is the listener: a named outlet there relays the report."
    )
    quoting_verbs: list[str] = Field(
        description="Lemmas of verbs whose object speaks in 'as saying': 'Reuters quoted the minister as saying'."
    )
    according_to: list[str] = Field(
        description="Phrases followed by the source: 'according to', 'as reported by'."
    )
    based_on: list[str] = Field(
        description="Phrases followed by what a figure rests on, a source only when that is data or a document "
        "with an owner, or a reporter: 'based on', 'as per'."
    )
    data_nouns: list[str] = Field(
        description="Nouns for data that name a source only through an owner: figures, data, results."
    )
    document_nouns: list[str] = Field(
        description="Nouns for documents that name a source through their author, or by their own name: report."
    )
    owner_preps: list[str] = Field(
        description="Prepositions that attach the owner to a data or document noun: figures from X, a report by X."
    )
    agent_preps: list[str] = Field(
        description="Owner prepositions whose object made the data or document: 'a report by X'."
    )
    viewer_verbs: list[str] = Field(
        description="Verbs whose agent only saw or got a document: 'a report seen by X', 'documents obtained by X'."
    )
    generic_sources: list[str] = Field(
        description="Common nouns that name a source on their own (police, organisers) and own data (government)."
    )
    descriptions: list[str] = Field(
        description="Nouns and pronouns that refer back to a source named before them: agency, ministry, he, it."
    )
    source_kinds: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Description or role noun -> spaCy entity labels it may refer back to (agency -> ORG).",
    )
    possessive_pronouns: dict[str, str] = Field(
        default_factory=dict,
        description="Possessive pronoun -> the pronoun (a description) whose source owns the document: its -> it.",
    )
    outlet_nouns: list[str] = Field(
        description="Nouns for news outlets whose name stands before them: TASS news agency -> TASS."
    )
    name_preps: list[str] = Field(
        description="Prepositions kept in a source's name: 'spokeswoman for the operator', 'Ministry of Defence'."
    )
    role_preps: list[str] = Field(
        description="Prepositions kept in a person's role: 'an official at the ministry', 'a doctor from X'."
    )
    strip_words: list[str] = Field(
        description="Words dropped from the start of a source's name: the, a, its."
    )
    first_person: list[str] = Field(
        description="Pronouns for the speaker: inside a quote the quote's speaker, elsewhere the document."
    )
    relative_pronouns: list[str] = Field(
        description="Pronouns that stand for the noun a relative clause hangs on: 'Reuters, which reported'."
    )
    continuation_openers: list[str] = Field(
        description="Sentence openings that continue the account of the sentence before: 'Of those', 'It'."
    )
    partitive_words: list[str] = Field(
        description="Words after 'of' early in a sentence that refer back to the last account: 'two of them'."
    )
    continuation_window: int = Field(
        default=4, ge=0, description="How many words may stand before 'of them' for it to open the sentence."
    )
    data_object_verbs: list[str] = Field(
        description="Lemmas of verbs whose data object is their subject's: '(the ministry) gave a toll of 52', "
        "'raised the toll to 17', 'cut its forecast to 78 million tonnes'."
    )
    reporters: list[str] = Field(
        description="Common nouns for people who report what they saw or counted, beside generic_sources: "
        "witnesses, villagers, sources."
    )
    definite_determiners: list[str] = Field(
        description="Determiners that make a noun refer back to what was named before: 'the company'."
    )
    indefinite_determiners: list[str] = Field(
        description="Determiners that make a source someone not named before: 'an official said'."
    )
    name_joiners: list[str] = Field(
        description="Small words inside a name that its initials skip: 'Office for National Statistics' -> ONS."
    )
    figure_preps: list[str] = Field(
        description="Prepositions after which a verb that reports objects states its figure: 'estimated at'."
    )
    estimate_preps: list[str] = Field(
        description="Prepositions after which an estimate verb states its figure: 'put the toll at 52'."
    )
    complementizers: list[str] = Field(
        description="Words that open a reported clause: 'said in a statement that ...'."
    )
    set_off_marks: list[str] = Field(
        description="Conjunctions that set a cue off from what it reports: 'as police reported'."
    )
    quoting_marks: list[str] = Field(
        description="The word between a quoting verb's object and 'saying': 'quoted the minister as saying'."
    )
    partitive_preps: list[str] = Field(
        description="Prepositions that take partitive_words: 'two of them'."
    )
    gap_preps: list[str] = Field(
        description="Prepositions naming whose count a figure is in a clause whose verb is left out: "
        "'and 570,000 for the ministry'."
    )
    respective_words: list[str] = Field(
        description="Words that pair coordinated sources with coordinated figures in order: 'respectively'."
    )


# --- time.yaml -----------------------------------------------------------------------------------


class TimeRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    weekdays: list[str] = Field(
        min_length=7, max_length=7, description="The seven day names, lower case, in order from Monday."
    )
    months: list[str] = Field(description="Month names, lower case.")
    month_abbreviations: list[str] = Field(description="Month abbreviations, lower case: jan, sept.")
    today_words: dict[str, int] = Field(
        description="Words for a day near the document's own and how many days from its publication they name."
    )
    rate_determiners: list[str] = Field(description="Words before a period that make a rate: 'a day', 'per week'.")
    rate_units: list[str] = Field(description="Periods a rate may be given for: day, week, year.")
    prior_words: list[str] = Field(description="Words before a period that put it before the story's: last, previous.")
    prior_units: list[str] = Field(description="Periods after those words: year, quarter, season, winter.")
    current_words: list[str] = Field(
        description="With prior_words, words before those periods that name one relative to now: 'this year'."
    )
    counted_units: list[str] = Field(description="Periods in 'a year earlier', 'one month before', 'a week ago'.")
    earlier_units: list[str] = Field(description="Periods in 'year earlier', 'month earlier'.")
    revision_cues: list[str] = Field(
        description="Words in a figure's sentence that make it a revision of an earlier count in the same text: "
        "revised, later, initially."
    )
    duration_words: list[str] = Field(
        description="Words after which 'over' and a duration is more than it: 'took over two hours'."
    )
    dating_nouns: list[str] = Field(
        description="Nouns of a time phrase right after a number that date it: 'compared with 63 last year'."
    )
    dating_words: list[str] = Field(description="Words allowed between such a number and its time noun: last, the.")
    back_from_now: list[str] = Field(
        description="Of the prior words, those counted back from now ('last week'), not from the story's own "
        "time ('the previous week')."
    )


# --- relations.yaml ------------------------------------------------------------------------------


class Increments(RuleModel):
    after: list[str] = Field(description="Words right after a number that add it to what was there: '60 more'.")
    before: list[str] = Field(description="Words right before a number that add it: 'another 15'.")


class RelationRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    changes: ChangeWords = Field(
        description="Words that make a figure a change up or down: 'rose 5%', 'a 3% drop', 'an increase of 12%'."
    )
    increments: Increments = Field(
        description="Words that make a figure an addition to an earlier amount: '60 additional officers'."
    )
    coordinators: list[str] = Field(
        description="Words that list a figure beside the one before it: '10,000 troops ... and 400 from Russia'."
    )
    contrast_before: list[str] = Field(
        description="Words that, ending the gap between two figures, set the second against the first: 'up from'."
    )
    alternatives: list[str] = Field(
        description="Words that list figures as choices, never parts of one whole: '10, 15 or 17 rounds'."
    )
    set_against: list[str] = Field(
        description="Words before a figure that set it against an earlier one in its clause: 'compared with'."
    )
    clause_verbs: list[str] = Field(
        description="Words that, between two figures, put the second in another clause than the first: 'said'."
    )
    rate_nouns: list[str] = Field(description="Nouns that name a share of a part in a whole: 'a grant rate of 46%'.")
    determiners: list[str] = Field(description="Determiners between 'of' and the whole it names: 'of the vote'.")
    contrast_anywhere: list[str] = Field(
        description="Words that, anywhere between two figures, make them a change rather than a list."
    )
    multiples: dict[str, float] = Field(
        description="Words for a multiple and the factor they state: doubled -> 2, halved -> 0.5."
    )
    multiple_hedges: list[str] = Field(description="Hedges before a multiple: 'more than doubled', 'nearly halved'.")
    exhaustive: list[str] = Field(
        description="Words that make stated parts the whole of a total: 'in all', 'the rest', 'comprises'."
    )
    remainder_verbs: list[str] = Field(
        description="Verbs after 'other' that name the rest of a whole: 'other candidates took'."
    )
    part_separators: list[str] = Field(
        description="Words between a total and its first part in one sentence: 'including', 'of which'."
    )
    breakdowns: list[str] = Field(
        description="Words that introduce a breakdown whose parts may be named with other nouns: 'comprise'."
    )
    period_prepositions: list[str] = Field(description="Words before a number of periods: 'over three days'.")
    period_nouns: list[str] = Field(description="Periods a total may be broken down into: days, rounds.")
    comparisons: list[str] = Field(
        description="Words between two percentages that compare them rather than list shares of one whole."
    )
    share_wholes: list[str] = Field(description="Wholes after 'of' that make a percentage a share: vote, revenue.")
    share_verbs: list[str] = Field(description="Verbs before a percentage that make it a share: 'accounted for'.")

    @model_validator(mode="after")
    def _factors_positive(self) -> RelationRules:
        for word, factor in self.multiples.items():
            if factor <= 0:
                raise ValueError(f"multiple {word!r}: the factor must be above 0, got {factor}")
        return self


# --- grouping.yaml -------------------------------------------------------------------------------


class Evidence(RuleModel):
    same_head: float = Field(description="Both count the same noun: troops / troops.")
    same_class: float = Field(description="Both count nouns of one synonym class: troops / personnel.")
    same_verb_only: float = Field(
        description="Two amounts or measures named only by the same verb that states them: 'received $210m' / "
        "'received $612 million'."
    )
    people_and_population: float = Field(
        description="One counts 'people', the other a population of people: 31 people on board / 46 passengers."
    )
    same_status: float = Field(description="Both say the same thing happened to what they count: killed / killed.")
    one_sided_status: float = Field(
        description="One says what happened (killed, hired); the other counts with a verb of its own that says "
        "something else."
    )
    generic_one_status: float = Field(
        description="A bare count of 'people' against a count of people something happened to."
    )
    generic: float = Field(description="Both count only 'people', with nothing said of them.")
    same_event: float = Field(description="Both are counted by the same verb: took part / took part.")
    other_event: float = Field(description="Both are counted by verbs that say more than an amount, and differ.")
    shared_mark: float = Field(description="Each modifier both state: 'extra troops' / 'extra soldiers'.")
    one_sided_mark: float = Field(description="Each modifier only one of them states.")
    other_marks: float = Field(description="Both state modifiers and share none: 'Russian' / 'Tajik'.")
    one_sided_descriptor: float = Field(
        description="Each noun glued to what is counted that only one of them states: '42 container ships' / "
        "'67 ships'."
    )
    other_descriptors: float = Field(
        description="Both glue nouns to what is counted, and share none: 'bus drivers' / 'tram drivers'."
    )
    same_actor: float = Field(description="Both are the figures of the same actor: 'Poland deployed' / 'Poland's'.")
    other_actors: float = Field(description="They are the figures of different actors: 'the plant' / 'the company'.")
    other_named_actors: float = Field(description="They are the figures of differently named actors: 'Reyes' / 'Nair'.")
    one_named_actor: float = Field(
        description="Only one is said to be a named actor's: 'Belarus deployed about 2,000 soldiers' / '8,500 troops'."
    )
    shared_place: float = Field(description="Both are limited to the same place.")
    one_sided_place: float = Field(
        description="Only one is limited to a place: '700,000 in Paris' / '3.5 million' (a part, perhaps)."
    )
    shared_time: float = Field(description="Both name the same time.")


class StoryRules(RuleModel):
    overlap: float = Field(
        ge=0, le=1,
        description="Two documents tell one story when the content words they share are at least this part of the "
        "shorter one's.",
    )
    min_words: int = Field(
        ge=0, description="Documents with fewer content words than this are taken as one story with any other."
    )


class GroupingRules(RuleModel):
    version: int = Field(description="Format version of this file.")
    stories: StoryRules = Field(description="When the documents of a request tell one story.")
    threshold: float = Field(description="Figures join one group when their evidence adds up to at least this.")
    evidence: Evidence = Field(description="What each piece of evidence weighs, for (+) or against (-).")


# --- the whole set -------------------------------------------------------------------------------

RULE_FILES: dict[str, type[RuleModel]] = {
    "hedges.yaml": HedgeRules,
    "concepts.yaml": ConceptRules,
    "tolerances.yaml": ToleranceRules,
    "not_figures.yaml": NotFigureRules,
    "numbers.yaml": NumberRules,
    "attribution.yaml": AttributionRules,
    "time.yaml": TimeRules,
    "relations.yaml": RelationRules,
    "grouping.yaml": GroupingRules,
    "reading.yaml": ReadingRules,
}


class RuleSet(RuleModel):
    hedges: HedgeRules
    concepts: ConceptRules
    tolerances: ToleranceRules
    not_figures: NotFigureRules
    numbers: NumberRules
    attribution: AttributionRules
    time: TimeRules
    relations: RelationRules
    grouping: GroupingRules
    reading: ReadingRules
    digest: str = Field(description="sha256 of the rules' content, first 16 hex digits.")
    directory: str

    def public(self) -> dict[str, Any]:
        return self.model_dump(exclude={"directory"})


def _loc(loc: tuple[int | str, ...]) -> str:
    return " -> ".join(str(p) for p in loc) if loc else "(top)"


def _read(path: Path, model: type[RuleModel]) -> tuple[RuleModel | None, list[str]]:
    name = path.name
    try:
        raw = _load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [f"{name}: [(top)] file is missing"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{name}: [(top)] cannot be read: {exc}"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [f"{name}: [(top)] is not valid YAML{where}: {getattr(exc, 'problem', exc)}"]
    if not isinstance(raw, dict):
        return None, [f"{name}: [(top)] must be a mapping of keys, got {type(raw).__name__}"]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, [f"{name}: [{_loc(e['loc'])}] {e['msg']}" for e in exc.errors()]


def load_rules(directory: Path | str) -> RuleSet:
    """Read every rule file in `directory`; raise RulesError listing every problem."""
    folder = Path(directory)
    if not folder.is_dir():
        raise RulesError([f"{folder}: [(top)] is not a folder of rule files"])
    parsed: dict[str, RuleModel] = {}
    problems: list[str] = []
    for filename, model in RULE_FILES.items():
        value, errors = _read(folder / filename, model)
        problems.extend(errors)
        if value is not None:
            parsed[filename.removesuffix(".yaml")] = value
    if problems:
        raise RulesError(problems)
    canonical = json.dumps({k: v.model_dump() for k, v in sorted(parsed.items())}, sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return RuleSet(**parsed, digest=digest, directory=str(folder))  # type: ignore[arg-type]


RuleKind = Literal[
    "hedges", "concepts", "tolerances", "not_figures", "numbers", "attribution", "time", "relations", "grouping",
    "reading",
]


@lru_cache(maxsize=1)
def shipped() -> RuleSet:
    """The rules in the configured folder, loaded once, for the few callers that are not handed
    the rule set of the check they serve (service.links, service.referents and service.context
    read number words, units and currency names through it)."""
    from .settings import Settings

    return load_rules(Settings().rules_dir)


_MEMO: dict[tuple[int, str], tuple[object, object]] = {}


def memo(rules: object, name: str, build: Callable[[], T]) -> T:
    """Compile something from a rule model once per rule object (rule models are not hashable)."""
    key = (id(rules), name)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is rules:
        return hit[1]  # type: ignore[return-value]
    value = build()
    _MEMO[key] = (rules, value)
    return value
