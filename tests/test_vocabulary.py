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
from spacy.language import Language

from service.models import Document
from service.pipeline import check
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


# --- every word list changes a reading -------------------------------------------------------------
# The test above finds the keys the service names; these find that each list does something: with
# the list emptied, the sentence next to it reads otherwise. A list added to the rules needs a
# sentence here.

PROBES: dict[str, str] = {
    "numbers.ones": "Six people died.",
    "numbers.tens": "Twenty people died.",
    "numbers.scales": "The state collected Rs 58,300 crore in taxes.",
    "numbers.groups": "A dozen people were hurt.",
    "numbers.scale_abbreviations": "It made a profit of $3.4bn.",
    "numbers.glued_scale_abbreviations": "The club paid £1.2m for him.",
    "numbers.spaced_scale_letters": "About 8 B people live there.",
    "numbers.million_nouns": "About 5 m people live there.",
    "numbers.unit_cues": "They found a 37m-long skeleton.",
    "numbers.fractions": "A third of voters stayed home.",
    "numbers.ordinal_fractions": "Three-fourths of voters stayed home.",
    "numbers.fraction_followers": "A third of voters stayed home.",
    "numbers.half_parts": "Sales of 5,000 cars rose in the second half of the year.",
    "numbers.fraction_alone_before": "Of 300 voters asked, only a third said yes.",
    "numbers.fraction_alone_verbs": "Of 300 voters asked, only a third said yes.",
    "numbers.share_words": "One in five adults smoke.",
    "numbers.share_not_before": "He scored one in three games.",
    "numbers.percent": "Prices rose 5%.",
    "numbers.negative_words": "It was minus 38 degrees.",
    "numbers.range_words": "The army sent 3,000-4,000 troops.",
    "numbers.range_openers": "The army sent between 3,000 and 4,000 troops.",
    "numbers.change_openers": "The toll rose from 40 to 110.",
    "numbers.range_verbs": "Estimates ranged from 40 to 110.",
    "numbers.range_after_opener": "The army sent between 3,000 and 4,000 troops.",
    "numbers.range_alternatives": "12 or 13 people died.",
    "numbers.change_prepositions": "Employment shifted by 150,000 to 1.47 million.",
    "numbers.currencies.signs": "It cost $5 million.",
    "numbers.currencies.glued_signs": "It cost PS35m.",
    "numbers.currencies.codes": "It cost USD10m.",
    "numbers.currencies.names": "It cost 5 crore rupees.",
    "numbers.currencies.words": "It cost £3.4bn.",
    "numbers.currencies.suffixes": "Shares closed at 53.35p.",
    "numbers.units": "They walked 5 km.",
    "not_figures.year_words": "Since 2019 prices rose 5%.",
    "not_figures.identifier_words": "Flight 370 crashed with 239 people on board.",
    "not_figures.phone_words": "Readers can call 101 for help.",
    "not_figures.score_words": "City lost 1-3 to United.",
    "not_figures.noun_reasons": "The report runs to 38 pages.",
    "not_figures.compound_reasons": "The 30-share Sensex fell 2%.",
    "not_figures.ordinal_suffixes": "The fund was set up in the 21ST CENTURY.",
    "not_figures.one_determiners": "Every one of the 12 passengers survived.",
    "not_figures.one_adjectives": "The only one left cost $5.",
    "not_figures.one_counted": "Only one of the 12 passengers survived.",
    "not_figures.year_owners": "Apple said its 2019 sales rose.",
    "not_figures.age_units": "An eight-month-old baby was among 12 hurt.",
    "not_figures.age_adjectives": "A 45-year-old man was among 12 hurt.",
    "not_figures.age_words": "The man, aged 45, was among 12 hurt.",
    "not_figures.age_links": "The government raised the pension age to 67.",
    "not_figures.age_hedges": "The victims were aged between 24 and 51.",
    "not_figures.age_group_nouns": "Families with children under six get a tax credit.",
    "not_figures.age_group_links": "Most of the victims were men between 25 and 54, the coroner said.",
    "not_figures.appositive_verbs": "The driver, 48, said 12 were hurt.",
    "not_figures.glued_letters": "She ran the race in 28.9s.",
    "not_figures.number_prefixes": "The index fell to sub-300 levels.",
    "not_figures.list_joiners": "Junctions 12 and 14 were closed.",
    "not_figures.listed_reasons": "Junctions 12 and 14 were closed.",
    "not_figures.date_joiners": "The festival runs from 4 to 15 March.",
    "not_figures.amount_before": "The count stood at 2483805.",
    "not_figures.amount_nouns": "The death toll 30417 was a record.",
    "not_figures.people_words": "Organisers expected a 2000 person march.",
    "not_figures.name_entities": "In Province 2, 45 people died.",
    "not_figures.street_words": "He lived at 22 Canal Street.",
    "not_figures.street_words_before": "He lived at 14 Rue Montclair.",
    "not_figures.street_articles": "He lived at 8 Rue de la Paix.",
    "not_figures.street_suffixes": "He lived at 27 Friedrichstrasse.",
    "not_figures.patterns": "The train left at 10:30 with 200 people.",
}
# Keys that hold no words: bounds, a length, and the definitions pint is given for units it lacks.
NOT_WORD_LISTS = {"version", "year_min", "year_max", "identifier_digits", "pint_definitions"}


def word_list_keys(model: type[BaseModel], prefix: str) -> Iterator[str]:
    for name, field in model.model_fields.items():
        inner = field.annotation
        if name in NOT_WORD_LISTS:
            continue
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from word_list_keys(inner, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def test_every_word_list_has_a_sentence() -> None:
    keys = {*word_list_keys(NumberRules, "numbers."), *word_list_keys(NotFigureRules, "not_figures.")}
    assert sorted(keys - PROBES.keys()) == [], "a word list with no sentence in PROBES"
    assert sorted(PROBES.keys() - keys) == [], "a sentence in PROBES for no word list"


def emptied(rules: RuleSet, key: str) -> RuleSet:
    """`rules` with the list at `key` ("numbers.currencies.codes") emptied."""
    *path, last = key.split(".")
    models: list[BaseModel] = [rules]
    for name in path:
        models.append(getattr(models[-1], name))
    value: object = type(getattr(models[-1], last))()
    for model, name in zip(reversed(models), reversed([*path, last]), strict=True):
        value = model.model_copy(update={name: value})
    assert isinstance(value, RuleSet)
    return value


def reading(rules: RuleSet, nlp: Language, text: str) -> tuple[list[tuple[object, ...]], list[tuple[str, str]]]:
    report = check([Document(id="d", text=text)], rules, nlp)
    figures = [(f.text, f.value, f.value_to, f.unit, f.counted, f.hedge) for f in report.figures]
    return figures, [(i.text, i.reason) for i in report.ignored]


@pytest.mark.parametrize(("key", "sentence"), PROBES.items(), ids=list(PROBES))
def test_every_word_list_changes_a_reading(rules: RuleSet, nlp: Language, key: str, sentence: str) -> None:
    assert reading(rules, nlp, sentence) != reading(emptied(rules, key), nlp, sentence), (
        f"emptying {key} leaves {sentence!r} read as before"
    )
