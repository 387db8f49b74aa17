"""check(documents) -> Report: the five stages, one after the other."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor

from pydantic import BaseModel, ConfigDict, Field
from spacy.language import Language

from . import __version__
from .attribute import attribute
from .budget import checkpoint
from .compare import compare
from .extract import extract
from .group import group
from .language import language_warnings
from .models import CheckedDocument, Document, Report, ReportMeta
from .nlp import ParseCache, pipeline_name
from .read import read
from .rules import RuleSet
from .stories import stories, story_warnings, with_stories


class CheckOptions(BaseModel):
    """What a client may ask of one check."""

    # strict: 0 or "yes" is not a boolean, and a client that sends one should hear so.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    include_ignored: bool = Field(default=True, description="List the numbers that are not figures, with why.")
    include_groups: bool = Field(default=True, description="List the groups of figures that describe one thing.")
    min_severity: str = Field(
        default="low", pattern="^(low|medium|high)$", description="Leave out discrepancies below this severity."
    )


_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}


def check(
    documents: Sequence[Document],
    rules: RuleSet,
    nlp: Language,
    options: CheckOptions | None = None,
    cache: ParseCache | None = None,
    helper: Executor | None = None,
) -> Report:
    """Check the figures of one or more accounts of a story against each other.

    `cache` (a server's) remembers parsed sentences from one check to the next; `helper`, an
    executor with a thread to spare, takes a part of the parse off this thread.
    """
    options = options or CheckOptions()
    # Each stage (and its long loops) passes checkpoints, where a server's time limit stops it.
    checkpoint("read")
    parsed = read(documents, nlp, cache=cache, helper=helper, rules=rules)
    checkpoint("extract")
    figures, ignored = extract(parsed, rules)
    told = stories(parsed, rules)
    checkpoint("attribute")
    figures = attribute(parsed, with_stories(figures, told), rules)
    checkpoint("group")
    groups = group(figures, rules)
    checkpoint("compare")
    discrepancies = compare(figures, groups, rules)
    floor = _SEVERITY_RANK[options.min_severity]
    discrepancies = [d for d in discrepancies if _SEVERITY_RANK[d.severity] >= floor]
    return Report(
        figures=figures,
        groups=groups if options.include_groups else [],
        discrepancies=discrepancies,
        ignored=ignored if options.include_ignored else [],
        documents=[_checked(d) for d in documents],
        warnings=[*language_warnings(documents), *story_warnings(told)],
        stories=told,
        meta=ReportMeta(
            numcheck=__version__,
            pipeline=pipeline_name(nlp),
            rules_digest=rules.digest,
            documents=len(parsed),
            words=sum(p.words for p in parsed),
        ),
    )


def _checked(document: Document) -> CheckedDocument:
    return CheckedDocument(
        id=document.id,
        text=document.text,
        source=document.source,
        url=document.url,
        published=document.published_date,
    )
