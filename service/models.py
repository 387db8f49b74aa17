"""The values that flow through the stages and make up the report (contract v1).

Every model is frozen: a stage never changes what an earlier stage produced, it builds new
values. Field names of the report are a contract read by other tools: add, never rename.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from .published import parse_published

Number = int | float


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DocumentFields(Frozen):
    """What describes one account of a story, beside its text."""

    id: str = Field(min_length=1, max_length=200, description="Unique within the request.")
    source: str | None = Field(
        default=None,
        max_length=500,
        description="Who publishes this text; figures stated in the text's own voice get it.",
    )
    url: str | None = Field(
        default=None,
        max_length=2000,
        description="Where the text was published. A document that gives no text is fetched from here.",
    )
    published: str | None = Field(
        default=None,
        max_length=100,
        description="Publication date or date-time, ISO 8601 ('2024-07-09', '2024-07-09T14:30:00+03:00'). "
        "A document fetched from its url takes the page's date where it gives none.",
        json_schema_extra=lambda schema: schema.update(
            anyOf=[
                {"type": "string", "format": "date", "maxLength": 100},
                {"type": "string", "format": "date-time", "maxLength": 100},
                {"type": "null"},
            ]
        ),
    )

    @field_validator("published")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_published(value)
            except ValueError as exc:
                raise PydanticCustomError("published_format", str(exc)) from None
        return value

    @property
    def published_date(self) -> date | None:
        """The date it was published, as the publisher's clock read it; None when not given."""
        return parse_published(self.published) if self.published is not None else None


class Document(DocumentFields):
    """One account of a story, its text as sent or as fetched from its url."""

    text: str = Field(description="The copy, plain text. Offsets in the report index into it.")


AttributionKind = Literal["quote", "reported_speech", "according_to", "document_voice"]


class Attribution(Frozen):
    """Who the text presents as reporting a figure, and how it says so."""

    source: str | None = Field(description="The reporting outlet, body or person, as written.")
    via: str | None = Field(default=None, description="Who relays the source's report, if anyone.")
    kind: AttributionKind
    cue: str | None = Field(default=None, description="The words that attribute it: 'said', 'according to'.")
    cue_start: int | None = None
    cue_end: int | None = None


RelationKind = Literal["coordinated", "from", "change_of", "multiple", "parts", "shares", "share_of", "restates"]


class Relation(Frozen):
    """What the text states between this figure and others, read once at extraction."""

    kind: RelationKind = Field(
        description="coordinated: listed beside the figure before ('10,000 ... and 400'); from: the later value of "
        "a change from the figure named ('from 200 to 250'); change_of: states the change between the two figures "
        "named, before then after ('a 25% rise'); multiple: the later value is `factor` times the one named "
        "('doubled'); parts: a total and its stated parts; shares: shares of one whole; share_of: the share of a "
        "part (first) in a whole (second); restates: the same amount as the figure named, in other units "
        "('27.4 km (about 17 miles)')."
    )
    figure_ids: list[str] = Field(description="The other figures of the relation, in the order the kind gives.")
    cue: str | None = Field(default=None, description="The words that state it, as written.")
    factor: float | None = Field(default=None, description="For multiple: 2 for 'doubled', 0.5 for 'halved'.")
    hedge: str | None = Field(default=None, description="For multiple: 'more than', 'nearly'...")
    exhaustive: bool = Field(default=False, description="For parts: the text says the parts make up the whole.")


class Scope(Frozen):
    """Where, when and over what a figure holds, as far as the text states it."""

    places: list[str] = Field(default_factory=list, description="Places the figure is limited to, lower case.")
    time: list[str] = Field(
        default_factory=list,
        description="What pins its time down: 'day:friday', 'month:july', 'year:2016', 'prior year' "
        "('last year'), 'before week' ('a week earlier'), 'since' (a total since a date).",
    )
    rate: str | None = Field(default=None, description="'per day' for '500 a day'.")
    actor: str | None = Field(default=None, description="Whose figure it is (see Figure.actor).")


class Frame(Frozen):
    """Everything the words around a figure say about what it is, read once at extraction; grouping,
    comparison and arithmetic read this, never the text."""

    family: str = Field(description="Dimension, with the base unit for measures: count, money, length:meter.")
    head: str | None = Field(default=None, description="The counted or measured noun, as a lemma.")
    concept: str = Field(description="The synonym class of what is counted (rules/concepts.yaml), else the head; "
                                     "'?' when nothing names it.")
    currency: str | None = None
    statuses: list[str] = Field(default_factory=list, description="What happened to the counted: dead, injured...")
    distinct: list[str] = Field(
        default_factory=list, description="Statuses that make another kind of claim: planned, capacity, prevented."
    )
    marks: list[str] = Field(default_factory=list, description="Modifiers that set a subgroup apart.")
    descriptors: list[str] = Field(
        default_factory=list,
        description="Of the marks, the nouns glued to what is counted ('container ships'): they describe more often "
        "than they restrict.",
    )
    event: str | None = Field(default=None, description="The verb of the figure's clause, as a lemma.")
    light: bool = Field(default=True, description="No verb, or one that only states an amount (be, reach, put).")
    generic: bool = Field(default=False, description="A head too vague to group on its own ('people').")
    person: bool = Field(default=False, description="What it counts are people.")
    period: bool = Field(default=False, description="Counts periods: 'in two seasons', 'three years'.")
    kind: str | None = Field(
        default=None, description="The kind of part it counts of a class split into kinds: 'gold' for '18 gold'."
    )
    weak: bool = Field(
        default=False, description="An amount or measure named only by the verb that states it ('received $210m')."
    )
    group: str | None = Field(
        default=None,
        description="The population a count of people is limited to, where a status names what is counted: "
        "'troops' for '14 soldiers were killed' (which counts deaths).",
    )
    phase: str | None = Field(default=None, description="'still' for what is left: '6,500 were still without water'.")
    scope: Scope = Field(default_factory=Scope)
    paragraph: int = Field(default=0, description="Index of the paragraph in its document.")
    aboard: bool = Field(default=False, description="Counts the people aboard a ship, plane or bus.")
    story: str | None = Field(default=None, description="The story of its document (see Report.stories).")
    relations: list[Relation] = Field(default_factory=list)


Role = Literal["total", "part"]


class Figure(Frozen):
    """A count or quantity stated in a document."""

    id: str
    document_id: str
    start: int = Field(description="Offset of the first character in the document's text.")
    end: int = Field(description="Offset after the last character: text[start:end] == figure.text.")
    text: str
    value: Number = Field(description="The number as stated, after scale words ('1.2m' -> 1200000).")
    value_to: Number | None = Field(default=None, description="Upper end of a stated range, else null.")
    low: Number = Field(description="Lowest value the figure allows, hedge and roundness read.")
    high: Number = Field(description="Highest value the figure allows, hedge and roundness read.")
    hedge: str | None = Field(default=None, description="Normalised hedge phrase: 'over', 'at least', 'about'...")
    unit: str | None = Field(default=None, description="Unit as a short name: 'km', 'USD', '%'; null for counts.")
    dimension: str = Field(description="count, money, percent, length, mass, area, volume, speed, ...")
    counted: str | None = Field(default=None, description="Head noun of what is counted or measured.")
    measure_word: str | None = Field(default=None, description="'pieces' in '800 pieces of hardware'.")
    subject: str | None = Field(
        default=None, description="What an amount or measure describes: 'budget' in 'a C$62.4bn budget'."
    )
    qualifiers: list[str] = Field(default_factory=list, description="What sets this subgroup apart, as written.")
    compounds: list[str] = Field(
        default_factory=list,
        description="Of the qualifiers, the nouns glued to what is counted: 'container' in '42 container ships'.",
    )
    places: list[str] = Field(
        default_factory=list,
        description="Places its clause limits it to, lower case: 'paris' in 'In Paris, 37,000 people marched'.",
    )
    actor: str | None = Field(
        default=None,
        description="Whose figure it is: 'Poland' in 'Poland is deploying 2,000 soldiers', 'plant' in 'the plant "
        "employs 7,400 workers'.",
    )
    predicate: list[str] = Field(
        default_factory=list, description="Lemmas of what the text says happened to it: 'kill', 'take hospital'."
    )
    hypothetical: bool = Field(default=False, description="Stated as a rule, condition or possibility.")
    revision: bool = Field(
        default=False, description="Its sentence revises an earlier count ('the authorities revised the figures')."
    )
    source: str | None = Field(default=None, description="Who reports it (see attribution).")
    attribution: Attribution | None = None
    time_anchor: str | None = Field(default=None, description="When the figure holds, as written in its clause.")
    base_unit: str | None = Field(default=None, description="Unit that base_low/base_high are in.")
    base_low: float | None = Field(default=None, description="low in the base unit of the dimension.")
    base_high: float | None = Field(default=None, description="high in the base unit of the dimension.")
    sentence: int = Field(default=0, description="Index of the sentence in its document.")
    role: Role | None = Field(
        default=None,
        description="total or part when the sentence says so ('a total of 300', 'including 12 children'); else null.",
    )
    change: Literal["up", "down"] | None = Field(
        default=None,
        description="The figure states a change and its direction: 'rose 5%', 'down 19 cents', 'a 3% drop'.",
    )
    refers_to: str | None = Field(
        default=None,
        description="Id of the earlier figure whose counted noun this one takes: 'put the figure at 60,000', "
        "'six of them', '1,800 jobs, including 1,100 in Germany'.",
    )
    frame: Frame | None = Field(default=None, description="What the text says the figure is (see Frame).")


class Ignored(Frozen):
    """A number in the text that is not a figure, and why."""

    document_id: str
    start: int
    end: int
    text: str
    reason: str


class Claim(Frozen):
    """What one source says about the thing a group describes."""

    source: str | None
    figure_ids: list[str]
    value: Number
    low: Number
    high: Number
    expression: str = Field(description="How the value is read: '10,000 + 400 = 10,400'.")
    document_ids: list[str] = Field(default_factory=list)


class Group(Frozen):
    """Figures that describe the same thing."""

    id: str
    concept: str
    dimension: str
    figure_ids: list[str]
    claims: list[Claim]
    evidence: list[str] = Field(
        default_factory=list,
        description="Why its figures were joined: for each figure that joined, the figure it was weighed "
        "against and the evidence, with its weights (rules/grouping.yaml).",
    )


Severity = Literal["low", "medium", "high"]
DiscrepancyKind = Literal[
    "conflicting_accounts",
    "total_mismatch",
    "parts_exceed_total",
    "percent_change_mismatch",
    "multiple_mismatch",
    "share_mismatch",
    "shares_exceed_whole",
    "conversion_mismatch",
]


class Discrepancy(Frozen):
    """Figures that cannot all be true as stated."""

    id: str
    kind: DiscrepancyKind = Field(
        description="conflicting_accounts: claims about one thing that cannot all be true; the others: arithmetic "
        "the text states that does not hold (a total and its parts, a percent change, a multiple, a share, shares "
        "of one whole, a conversion between units)."
    )
    severity: Severity
    group_id: str | None = None
    figure_ids: list[str]
    claims: list[Claim] = Field(default_factory=list)
    arithmetic: str | None = Field(default=None, description="The computation the flag rests on.")
    ratio: float | None = Field(default=None, description="How far apart: larger over smaller.")
    explanation: str
    alternatives: list[str] = Field(default_factory=list, description="Other readings that would remove the flag.")


class ReportMeta(Frozen):
    numcheck: str
    pipeline: str
    rules_digest: str
    documents: int
    words: int


class CheckedDocument(Frozen):
    """A document as it was checked: the text that figures' offsets index, and where it came from."""

    id: str
    text: str = Field(description="The text checked: as sent, or as extracted from `url`.")
    source: str | None = None
    url: str | None = None
    published: date | None = Field(default=None, description="Publication date, as given or as fetched.")


class ReportWarning(Frozen):
    """Something about the input that makes the report less sure, said once."""

    code: str = Field(description="Stable, machine-readable: not_english, several_stories.")
    document_id: str | None = None
    message: str
    language: str | None = Field(default=None, description="ISO 639-1 code of the language the text reads as.")


class Story(Frozen):
    """Documents of a request that tell one story; figures of different stories are not compared."""

    id: str
    document_ids: list[str]
    shared: list[str] = Field(
        default_factory=list, description="The named things its documents share, which tie them into one story."
    )


class Report(Frozen):
    figures: list[Figure]
    groups: list[Group]
    discrepancies: list[Discrepancy]
    ignored: list[Ignored]
    documents: list[CheckedDocument] = Field(default_factory=list, description="Each document as it was checked.")
    warnings: list[ReportWarning] = Field(default_factory=list)
    stories: list[Story] = Field(
        default_factory=list,
        description="Which documents tell one story. Documents of different stories are not compared with each "
        "other; a request with more than one story also says so in `warnings`.",
    )
    meta: ReportMeta | None = None
