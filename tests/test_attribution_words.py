"""The words attribution reads live in rules/attribution.yaml, once, and every list there is used.

The attribution modules may name the parser's labels (dependency relations, parts of speech,
entity types, morphology), the report's own values and their own keys; any other word in a string
literal is vocabulary, which belongs in the rules.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import re
import typing
from pathlib import Path

import pytest
from spacy.language import Language

from service.attribution.lexicon import Lexicon
from service.models import AttributionKind
from service.rules import AttributionRules

ROOT = Path(__file__).resolve().parent.parent
MODULES = [ROOT / "service" / "attribute.py", *sorted((ROOT / "service" / "attribution").glob("*.py"))]
LEXICON = ROOT / "service" / "attribution" / "lexicon.py"

# The modules' own keys and the data model's values, which are no English the text is read for.
OWN = {
    "word", "lone", "entity", "source",  # index keys of Mentions
    "attribution", "attribution.lexicon",  # fields updated on a Figure, the memo key
    "expand",  # spaCy's alignment mode
    "count", "percent", "money",  # Figure.dimension values
    "_los", "_runs", "Runs(",  # slots and repr of Runs
}  # fmt: skip
WORD = re.compile(r"[a-z]{2,}")


def _labels(nlp: Language) -> set[str]:
    """Every label the pipeline can give: dependencies, tags, parts of speech, entities, morphology."""
    labels: set[str] = set()
    for name in nlp.pipe_names:
        labels |= set(getattr(nlp.get_pipe(name), "labels", ()) or ())
    labels |= {"ROOT", "dep", "case", "flat", "nmod", "Number=Plur"}
    return labels


def _literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module, less its docstrings."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # Attribute docstrings: a string statement right after an assignment.
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            body = getattr(node, field, None)
            if isinstance(body, list):
                for before, after in itertools.pairwise(body):
                    if isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr):
                        docstrings.add(id(after.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_word_list_in_code(path: Path, nlp: Language) -> None:
    """No string literal in an attribution module is a word of English (or a regex of words)."""
    allowed = _labels(nlp) | OWN | set(typing.get_args(AttributionKind))
    words = [
        f"{path.name}:{line}: {value!r}"
        for line, value in _literals(path)
        if WORD.search(value) and value not in allowed
    ]
    assert words == []


def test_every_rule_list_is_read() -> None:
    """Each key of attribution.yaml is read into the lexicon."""
    tree = ast.parse(LEXICON.read_text())
    read = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "rules"
    }
    keys = set(AttributionRules.model_fields) - {"version"}
    assert keys - read == set()


def test_every_lexicon_field_is_used() -> None:
    """Each set of words the lexicon builds is looked up somewhere in attribution."""
    used: set[str] = set()
    for path in MODULES:
        if path == LEXICON:
            continue
        used |= {node.attr for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Attribute)}
    fields = {f.name for f in dataclasses.fields(Lexicon)}
    assert fields - used == set()
