"""Every word list lives in rules/, once, and is read: no module of the reading pipeline holds a
list or a regular expression of English words of its own, and every key of every rule file is
read by the code."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy import glossary
from test_rules import fields

from service.rules import RULE_FILES

SERVICE = Path(__file__).resolve().parent.parent / "service"
# The report's and the desk's own vocabulary (severities, statuses, roles, field names) is the
# API's contract, not knowledge of English: those packages are not scanned.
CONTRACT_PACKAGES = ("api", "store", "web")
# Names in the scanned modules whose words are the contract's or the pipeline's, not English.
CONTRACT_NAMES = {
    "SEVERITIES",  # cli: the severities a user may ask for
    "_SEVERITY_RANK",  # pipeline: the order of the report's severities
    "STAGES",  # budget: the names of the pipeline's stages
    "NEEDED",  # nlp: the spaCy components the pipeline needs
    "__all__",
    "_DIMENSIONS",  # quantities: the dimensions the report names
}
WORD = re.compile(r"^[a-z][a-z' -]+$")
# The parser's labels ("nsubj", "dobj", "det") are the grammar's names, not words of the text.
LABELS = frozenset(k.lower() for k in glossary.GLOSSARY)
# An alternation of three or more words in a regular expression: "(?:took|take|lasted)".
ALTERNATION = re.compile(r"\((?:\?:)?((?:[a-z][a-z' ]*\|){2,}[a-z][a-z' ]*)\)")


def modules() -> list[Path]:
    return sorted(
        p for p in SERVICE.rglob("*.py") if p.relative_to(SERVICE).parts[0] not in CONTRACT_PACKAGES
    )


def word_lists(path: Path) -> Iterator[str]:
    """Module-level collections of three or more English words, and regular expressions whose
    alternations list three or more words, as 'name (line)'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
            continue
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        name = getattr(target, "id", "?")
        if name in CONTRACT_NAMES or _literal_type(node.value):
            continue
        strings = [n.value for n in ast.walk(node.value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        words = [s for s in strings if WORD.match(s) and s not in LABELS]
        if len(words) >= 3:
            yield f"{name} (line {node.lineno}): {words[:5]}"
            continue
        for s in strings:
            for m in ALTERNATION.finditer(s):
                alternatives = [a for a in m.group(1).split("|") if len(a) > 1]
                if len(alternatives) >= 3:
                    yield f"{name} (line {node.lineno}): /{m.group(0)}/"
                    break


def _literal_type(value: ast.expr) -> bool:
    """`Severity = Literal["low", "medium", "high"]`: the values a field of the report may take."""
    return isinstance(value, ast.Subscript) and getattr(value.value, "id", "") == "Literal"


def test_the_scan_finds_a_word_list(tmp_path: Path) -> None:
    source = (
        'VERBS = {"rose", "fell", "climbed"}\n'
        'PATTERN = re.compile(r"\\b(?:took|take|lasted)\\b")\n'
        'DEPS = ("nsubj", "dobj", "pobj")\n'
        'Kind = Literal["low", "medium", "high"]\n'
    )
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    assert [w.split(" ")[0] for w in word_lists(path)] == ["VERBS", "PATTERN"]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SERVICE)))
def test_no_module_holds_a_word_list_of_its_own(path: Path) -> None:
    found = list(word_lists(path))
    assert not found, f"{path.name} holds word lists that belong in rules/: {found}"


def _read_in_code() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in SERVICE.rglob("*.py") if p.name != "rules.py")


@pytest.mark.parametrize("filename", sorted(RULE_FILES))
def test_every_rule_key_is_read(filename: str) -> None:
    code = _read_in_code()
    unread = []
    for path, _field in fields(RULE_FILES[filename]):
        name = re.split(r"[.\[\]]+", path.rstrip("[]"))[-1]
        if name == "version":
            continue
        if not re.search(rf"\.{re.escape(name)}\b|[\"']{re.escape(name)}[\"']", code):
            unread.append(path)
    assert not unread, f"{filename}: keys no code reads: {unread}"
