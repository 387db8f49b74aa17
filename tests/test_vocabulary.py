"""The words that find and read numbers live in rules/, once, and every one of those lists is read.

The modules that find numbers (numbers, candidates, units, notfigures, and the parse gate in
read) keep the grammar of their patterns in code and take every word from the rules: no
module-level list of words, no pattern that spells out alternative words. And every key of
rules/numbers.yaml and rules/not_figures.yaml is read by the service, so no list is dead.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from service.rules import NotFigureRules, NumberRules, RuleSet, TimeRules

SERVICE = Path(__file__).resolve().parent.parent / "service"
WORD_MODULES = ["numbers.py", "candidates.py", "units.py", "notfigures.py"]
# Two words of two or more letters as alternatives in one pattern: "(?:rose|fell)".
ALTERNATIVE_WORDS = re.compile(r"(?<![\\\w])[A-Za-z]{2,}\|[A-Za-z]{2,}(?!\w)")


def strings(tree: ast.Module) -> Iterator[ast.Constant]:
    """Every string constant of a module that is not a docstring."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


def word_collections(tree: ast.Module) -> Iterator[tuple[int, list[str]]]:
    """Module-level sets, lists, tuples and mappings that hold two or more words."""
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if isinstance(value, ast.Call) and value.args:  # frozenset([...]), set(...)
            value = value.args[0]
        if isinstance(value, (ast.Set, ast.List, ast.Tuple)):
            items = value.elts
        elif isinstance(value, ast.Dict):
            items = [k for k in value.keys if k is not None]
        else:
            continue
        words = [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)
                 and re.search(r"[A-Za-z]{2,}", i.value)]
        if len(words) >= 2:
            yield node.lineno, words


@pytest.mark.parametrize("module", WORD_MODULES)
def test_no_word_list_in_code(module: str) -> None:
    tree = ast.parse((SERVICE / module).read_text(encoding="utf-8"))
    lists = list(word_collections(tree))
    assert not lists, f"service/{module} keeps words in code; move them to rules/: {lists}"


@pytest.mark.parametrize("module", WORD_MODULES)
def test_no_pattern_spells_out_words(module: str) -> None:
    tree = ast.parse((SERVICE / module).read_text(encoding="utf-8"))
    found = [(s.lineno, m.group()) for s in strings(tree) for m in ALTERNATIVE_WORDS.finditer(s.value)]
    assert not found, f"service/{module} has patterns of words; build them from rules/: {found}"


def test_the_parse_gate_holds_no_number_word(rules: RuleSet) -> None:
    tree = ast.parse((SERVICE / "read.py").read_text(encoding="utf-8"))
    number_words = {*rules.numbers.ones, *rules.numbers.tens, *rules.numbers.scales}
    spelt = sorted({w for s in strings(tree) for w in re.findall(r"[a-z]+", s.value.lower())} & number_words)
    assert not spelt, f"service/read.py spells out number words: {spelt}"


def test_the_checks_catch_what_they_look_for() -> None:
    planted = ast.parse('WORDS = {"rose", "fell"}\nP = r"\\b(?:rose|fell)\\b"\nQ = r"(?:k|m)\\s+(?P<x>an?|\\d)"\n')
    assert [w for _, w in word_collections(planted)] == [["rose", "fell"]]
    assert [m.group() for s in strings(planted) for m in ALTERNATIVE_WORDS.finditer(s.value)] == ["rose|fell"]


def keys(model: type[BaseModel]) -> Iterator[str]:
    for name, field in model.model_fields.items():
        yield name
        inner = field.annotation
        args = getattr(inner, "__args__", ())
        for candidate in (inner, *args):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                yield from keys(candidate)


def read_attributes() -> set[str]:
    """Every attribute name the service reads: `rules.numbers.scales` reads 'numbers' and 'scales'."""
    names: set[str] = set()
    for path in SERVICE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
    return names


@pytest.mark.parametrize("model", [NumberRules, NotFigureRules])
def test_every_word_list_is_read(model: type[BaseModel]) -> None:
    unread = sorted(set(keys(model)) - {"version"} - read_attributes())
    assert not unread, f"{model.__name__} has keys the service never reads: {unread}"


def test_not_figures_take_the_month_names_of_the_time_rules() -> None:
    assert "months" not in NotFigureRules.model_fields
    assert "weekdays" not in NotFigureRules.model_fields
    assert {"months", "month_abbreviations", "weekdays"} <= set(TimeRules.model_fields)
    assert {"months", "month_abbreviations", "weekdays"} <= read_attributes()
