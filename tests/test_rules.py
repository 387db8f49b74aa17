"""The rules: the loader's messages, and the README that documents every key."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from service.errors import RulesError
from service.rules import RULE_FILES, RuleSet, load_rules
from service.settings import Settings

README = Path(__file__).resolve().parent.parent / "rules" / "README.md"


def nested_models(annotation: object) -> Iterator[tuple[str, type[BaseModel]]]:
    """Models inside an annotation, with the path suffix for them: '.' for a field, '[].' for a list item."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield ".", annotation
        return
    origin = typing.get_origin(annotation)
    for arg in typing.get_args(annotation):
        for suffix, model in nested_models(arg):
            yield ("[]." if origin is list and suffix == "." else suffix), model


def fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    """Every key a rule file may hold, as a path (`roundness.max_relative`, `hedges[].low`), with its field."""
    for name, field in model.model_fields.items():
        path = prefix + name
        yield path, field
        for suffix, inner in nested_models(field.annotation):
            yield from fields(inner, path + suffix)


def keys(model: type[BaseModel]) -> Iterator[str]:
    return (path for path, _ in fields(model))


def documented_rows(filename: str) -> dict[str, str]:
    """Key -> type column of the table under the file's heading in rules/README.md."""
    text = README.read_text(encoding="utf-8")
    section = re.search(rf"^## `{re.escape(filename)}`\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert section, f"rules/README.md has no section '## `{filename}`'"
    return dict(re.findall(r"^\| `([^`]+)` \| ([^|]*) \|", section.group(1), re.MULTILINE))


def documented_keys(filename: str) -> set[str]:
    return set(documented_rows(filename))


def test_key_paths_reach_into_nested_models() -> None:
    assert {"roundness.max_relative", "hedges[].low", "vague[].phrases"} <= set(
        keys(RULE_FILES["hedges.yaml"])
    )
    assert "severity.high_ratio" in set(keys(RULE_FILES["tolerances.yaml"]))
    assert "patterns[].reason" in set(keys(RULE_FILES["not_figures.yaml"]))


@pytest.mark.parametrize("filename", sorted(RULE_FILES))
def test_every_rule_key_is_documented(filename: str) -> None:
    missing = sorted(set(keys(RULE_FILES[filename])) - documented_keys(filename))
    assert not missing, f"rules/README.md does not document these keys of {filename}: {missing}"


@pytest.mark.parametrize("filename", sorted(RULE_FILES))
def test_readme_documents_no_key_that_does_not_exist(filename: str) -> None:
    stale = sorted(documented_keys(filename) - set(keys(RULE_FILES[filename])))
    assert not stale, f"rules/README.md documents keys that {filename} does not have: {stale}"


@pytest.mark.parametrize("filename", sorted(RULE_FILES))
def test_readme_marks_exactly_the_optional_keys(filename: str) -> None:
    rows = documented_rows(filename)
    wrong = [
        path
        for path, field in fields(RULE_FILES[filename])
        if path in rows and ("optional" in rows[path]) == field.is_required()
    ]
    assert not wrong, (
        f"rules/README.md marks these keys of {filename} optional when they are not, or not when they are"
    )


def all_models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    yield model
    for field in model.model_fields.values():
        for _, inner in nested_models(field.annotation):
            yield from all_models(inner)


@pytest.mark.parametrize("filename", sorted(RULE_FILES))
def test_every_rule_key_has_a_description(filename: str) -> None:
    undescribed = [
        f"{m.__name__}.{name}"
        for m in all_models(RULE_FILES[filename])
        for name, field in m.model_fields.items()
        if not field.description
    ]
    assert not undescribed


def test_readme_names_every_rule_file() -> None:
    headings = re.findall(r"^## `([^`]+\.yaml)`$", README.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(headings) == sorted(RULE_FILES)


# --- the loader -------------------------------------------------------------------------------------


@pytest.fixture
def folder(settings: Settings, tmp_path: Path) -> Path:
    """A copy of the shipped rules, to break."""
    for path in settings.rules_dir.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def edit(folder: Path, filename: str, old: str, new: str) -> None:
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_rules_load(settings: Settings) -> None:
    rules = load_rules(settings.rules_dir)
    assert isinstance(rules, RuleSet)
    assert re.fullmatch(r"[0-9a-f]{16}", rules.digest)


def test_a_copy_loads_with_the_same_digest(folder: Path, rules: RuleSet) -> None:
    assert load_rules(folder).digest == rules.digest


def test_digest_follows_the_values(folder: Path, rules: RuleSet) -> None:
    edit(folder, "tolerances.yaml", "conflict_gap: 0.0", "conflict_gap: 0.05")
    assert load_rules(folder).digest != rules.digest


def test_broken_yaml(folder: Path) -> None:
    (folder / "concepts.yaml").write_text("version: 1\nclasses:\n  a: [x\n  b: y\n", encoding="utf-8")
    with pytest.raises(
        RulesError,
        match=r"^1 problem\(s\) in the rules:\n"
        r"concepts\.yaml: \[\(top\)\] is not valid YAML at line 4, column 4: expected ',' or '\]', but got ':'$",
    ):
        load_rules(folder)


def test_wrong_type(folder: Path) -> None:
    edit(folder, "tolerances.yaml", "conflict_gap: 0.0", "conflict_gap: wide")
    with pytest.raises(
        RulesError,
        match=r"^1 problem\(s\) in the rules:\n"
        r"tolerances\.yaml: \[conflict_gap\] Input should be a valid number, unable to parse string as a number$",
    ):
        load_rules(folder)


def test_unknown_key(folder: Path) -> None:
    edit(folder, "hedges.yaml", "max_relative: 0.1", "max_relativ: 0.1")
    with pytest.raises(
        RulesError,
        match=r"^2 problem\(s\) in the rules:\n"
        r"hedges\.yaml: \[roundness -> max_relative\] Field required\n"
        r"hedges\.yaml: \[roundness -> max_relativ\] Extra inputs are not permitted$",
    ):
        load_rules(folder)


def test_missing_file(folder: Path) -> None:
    (folder / "attribution.yaml").unlink()
    with pytest.raises(
        RulesError, match=r"^1 problem\(s\) in the rules:\nattribution\.yaml: \[\(top\)\] file is missing$"
    ):
        load_rules(folder)


def test_not_a_mapping(folder: Path) -> None:
    (folder / "not_figures.yaml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(
        RulesError,
        match=r"^1 problem\(s\) in the rules:\nnot_figures\.yaml: \[\(top\)\] must be a mapping of keys, got list$",
    ):
        load_rules(folder)


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(
        RulesError,
        match=rf"^1 problem\(s\) in the rules:\n{re.escape(str(tmp_path / 'nope'))}: "
        r"\[\(top\)\] is not a folder of rule files$",
    ):
        load_rules(tmp_path / "nope")


def test_problems_in_two_files_are_listed_at_once(folder: Path) -> None:
    (folder / "attribution.yaml").unlink()
    edit(folder, "tolerances.yaml", "high_ratio: 1.5", "high_ratio: 0.5")
    edit(folder, "hedges.yaml", "flag_vague: false", "flag_vague: sometimes")
    with pytest.raises(RulesError) as raised:
        load_rules(folder)
    assert raised.value.problems == [
        "hedges.yaml: [flag_vague] Input should be a valid boolean, unable to interpret input",
        "tolerances.yaml: [severity -> high_ratio] Input should be greater than 1",
        "attribution.yaml: [(top)] file is missing",
    ]
    assert raised.value.details == [{"problem": p} for p in raised.value.problems]


def test_cross_field_checks_name_the_culprit(folder: Path) -> None:
    edit(folder, "concepts.yaml", "beds: [bed]", "beds: [bed, troop]")
    with pytest.raises(
        RulesError,
        match=r"^1 problem\(s\) in the rules:\n"
        r"concepts\.yaml: \[\(top\)\] Value error, 'troop' is in both classes 'troops' and 'beds'$",
    ):
        load_rules(folder)


def test_keys_walker_handles_optional_models() -> None:
    class Inner(BaseModel):
        leaf: int

    class Outer(BaseModel):
        maybe: Inner | None
        many: dict[str, Inner]

    assert list(keys(Outer)) == ["maybe", "maybe.leaf", "many", "many.leaf"]
