"""The `numcheck` command: check, serve and rules check, with their exit codes and output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from service import cli
from service.models import Discrepancy, Document, Report
from service.pipeline import check
from service.rules import RULE_FILES, RuleSet
from service.settings import Settings, get_settings

TEXT = "Over 3,200 personnel took part. At least 10,000 troops from Tajikistan and 400 from Russia took part."


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    # The CLI reads settings from the environment; tests that change it must not leak.
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stdin(monkeypatch: pytest.MonkeyPatch, data: str | bytes) -> None:
    raw = data.encode() if isinstance(data, str) else data
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_check_a_file_prints_the_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rules: RuleSet, nlp: Language
) -> None:
    code, out, err = run(capsys, "check", write(tmp_path, "drills.txt", TEXT), "--source", "Desk")
    assert (code, err) == (0, "")
    report = Report.model_validate_json(out)
    assert report == check([Document(id="drills", text=TEXT, source="Desk")], rules, nlp)


def test_check_several_files_one_document_each(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "check", write(tmp_path, "a.txt", "12 people came."), write(tmp_path, "b.md", TEXT)
    )
    assert code == 0
    report = Report.model_validate_json(out)
    assert report.meta is not None and report.meta.documents == 2
    assert {f.document_id for f in report.figures} <= {"a", "b"}


def test_check_reads_a_document_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, TEXT)
    code, out, _ = run(capsys, "check", "-")
    assert code == 0
    assert {f.document_id for f in Report.model_validate_json(out).figures} <= {"stdin"}


def test_check_request_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, rules: RuleSet, nlp: Language
) -> None:
    request = {
        "documents": [{"id": "tass", "text": TEXT, "source": "TASS"}],
        "options": {"include_ignored": False},
    }
    stdin(monkeypatch, json.dumps(request))
    code, out, err = run(capsys, "check", "--request", "-")
    assert (code, err) == (0, "")
    expected = check([Document(id="tass", text=TEXT, source="TASS")], rules, nlp)
    assert Report.model_validate_json(out) == expected.model_copy(update={"ignored": []})


def test_check_request_from_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "request.json", json.dumps({"documents": [{"id": "x", "text": TEXT}]}))
    code, out, _ = run(capsys, "check", "--request", path)
    assert code == 0
    assert Report.model_validate_json(out).meta is not None


def test_format_text_without_discrepancies(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "check", "--format", "text", write(tmp_path, "a.txt", "Nothing to count here.")
    )
    assert code == 0
    assert out == "no discrepancies (0 figures checked)\n"


def test_format_text_lists_each_discrepancy_with_its_severity() -> None:
    flag = Discrepancy(
        id="d1",
        kind="conflicting_accounts",
        severity="high",
        figure_ids=["f1", "f2"],
        explanation="TASS: over 3,200 personnel; KP: 10,000 + 400 = 10,400 troops.",
    )
    report = Report(
        figures=[], groups=[], discrepancies=[flag, flag.model_copy(update={"severity": "low"})], ignored=[]
    )
    assert cli.render_text(report) == (
        "2 discrepancies (0 figures checked):\n"
        "- [high] conflicting_accounts: TASS: over 3,200 personnel; KP: 10,000 + 400 = 10,400 troops.\n"
        "- [low] conflicting_accounts: TASS: over 3,200 personnel; KP: 10,000 + 400 = 10,400 troops."
    )
    one = report.model_copy(update={"discrepancies": [flag]})
    assert cli.render_text(one).splitlines()[0] == "1 discrepancy (0 figures checked):"


def test_format_text_on_a_real_check(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", "--format", "text", write(tmp_path, "a.txt", TEXT))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(("no discrepancies", "1 discrepancy (", f"{len(lines) - 1} discrepancies ("))
    assert all(line.startswith("- [") for line in lines[1:])


# --- input errors: message on stderr, exit 2 --------------------------------------------------------


def test_input_errors_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases: list[tuple[list[str], str]] = [
        (
            ["check", str(tmp_path / "missing.txt")],
            f"numcheck: cannot read {tmp_path / 'missing.txt'}: No such file",
        ),
        (
            ["check", write(tmp_path, "blank.txt", "  \n")],
            "numcheck: The request is not valid: documents -> 0 -> text: text is empty or only whitespace",
        ),
        (
            ["check", write(tmp_path, "a/same.txt", "1 dog"), write(tmp_path, "b/same.txt", "2 dogs")],
            "document id 'same' is used by documents 0 and 1",
        ),
        (["check", "--request", write(tmp_path, "bad.json", "{not json")], "the body is not valid JSON"),
        (
            [
                "check",
                "--request",
                write(tmp_path, "extra.json", '{"documents": [{"id": "a", "text": "x", "y": 1}]}'),
            ],
            "documents -> 0 -> y: 'y' is not a known field",
        ),
    ]
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 for 3 people".encode("latin-1"))
    cases.append((["check", str(tmp_path / "latin1.txt")], "latin1.txt is not UTF-8 text (byte 3)"))
    for argv, phrase in cases:
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, ""), argv
        assert phrase in err, (argv, err)


def test_the_api_limits_apply(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMCHECK_MAX_DOCUMENT_CHARS", "10")
    monkeypatch.setenv("NUMCHECK_MAX_DOCUMENTS", "2")
    monkeypatch.setenv("NUMCHECK_MAX_BODY_BYTES", "100")
    code, _, err = run(capsys, "check", write(tmp_path, "long.txt", "12 people came to see it."))
    assert code == 2
    assert err.startswith("numcheck: 1 document text(s) longer than 10 characters: shorten or split them.\n")
    assert "  documents -> 0 -> text: 25 characters, at most 10 allowed" in err
    files = [write(tmp_path, f"{n}.txt", "1 dog") for n in "abc"]
    code, _, err = run(capsys, "check", *files)
    assert (code, err.splitlines()[0]) == (
        2,
        "numcheck: Too many documents: 3 sent, at most 2 per request. Split them over several requests.",
    )
    stdin(monkeypatch, json.dumps({"documents": [{"id": "a", "text": "1 dog " * 30}]}))
    code, _, err = run(capsys, "check", "--request", "-")
    assert (code, err.splitlines()[0]) == (
        2,
        "numcheck: The request body is larger than 100 bytes: send fewer or shorter documents.",
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "a.txt", "--request", "r.json"],
        ["check", "--request", "-", "--source", "X"],
        ["nothing"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    assert "usage: numcheck" in capsys.readouterr().err


# --- rules check ------------------------------------------------------------------------------------


def copy_rules(settings: Settings, folder: Path) -> Path:
    for path in settings.rules_dir.glob("*.yaml"):
        write(folder, path.name, path.read_text(encoding="utf-8"))
    return folder


def test_rules_check_on_the_shipped_rules(capsys: pytest.CaptureFixture[str], rules: RuleSet) -> None:
    assert run(capsys, "rules", "check") == (0, f"rules OK: {rules.digest}\n", "")


def test_rules_check_lists_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, settings: Settings
) -> None:
    folder = copy_rules(settings, tmp_path)
    (folder / "concepts.yaml").unlink()
    tolerances = (folder / "tolerances.yaml").read_text(encoding="utf-8")
    (folder / "tolerances.yaml").write_text(tolerances.replace("conflict_gap: 0.0", "conflict_gap: wide"))
    code, out, err = run(capsys, "rules", "check", str(folder))
    assert (code, out) == (1, "")
    assert err == (
        "numcheck: 2 problem(s) in the rules:\n"
        "concepts.yaml: [(top)] file is missing\n"
        "tolerances.yaml: [conflict_gap] Input should be a valid number, unable to parse string as a number\n"
    )


def test_module_runs_as_a_script(settings: Settings) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "rules", "check", str(settings.rules_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("rules OK: ")


# --- serve ----------------------------------------------------------------------------------------------


def test_serve_runs_the_app_factory(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: calls.append((a, k)))
    monkeypatch.setenv("NUMCHECK_PORT", "9123")
    assert run(capsys, "serve", "--workers", "3", "--host", "0.0.0.0")[0] == 0
    [(args, kwargs)] = calls
    log_config = kwargs.pop("log_config")
    assert args == ("service.api.app:create_app",)
    assert kwargs == {"factory": True, "host": "0.0.0.0", "port": 9123, "workers": 3, "log_level": "info"}
    # numcheck's own start-up and error lines are shown beside uvicorn's.
    assert log_config["loggers"]["numcheck"] == {"handlers": ["default"], "level": "INFO"}


def test_serve_refuses_broken_rules(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("uvicorn started"))
    monkeypatch.setenv("NUMCHECK_RULES_DIR", str(tmp_path))
    code, _, err = run(capsys, "serve")
    assert code == 1
    # An empty folder: every rule file is missing.
    assert err.splitlines()[0] == f"numcheck: {len(RULE_FILES)} problem(s) in the rules:"
