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
from service.models import CheckedDocument, Discrepancy, Document, Figure, Report, ReportWarning
from service.pipeline import check
from service.rules import RULE_FILES, RuleSet
from service.settings import Settings, get_settings

TEXT = "Over 3,200 personnel took part. At least 10,000 troops from Tajikistan and 400 from Russia took part."
# Two sources in one text that cannot both be right: a high flag.
FLAGGED = (
    "TASS said over 3,200 personnel took part. "
    "KP says at least 10,000 troops from Tajikistan and 400 from Russia participated."
)


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
    code, out, err = run(capsys, "check", write(tmp_path, "drills.txt", FLAGGED), "--source", "Desk")
    report = Report.model_validate_json(out)
    assert report == check([Document(id="drills", text=FLAGGED, source="Desk")], rules, nlp)
    assert report.discrepancies
    assert (code, err) == (1, "")  # a flag


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
    assert (code, out) == (0, "no flags at or above low (0 figures checked in 1 document)\n")


def test_format_text_names_the_document_and_sentence_of_each_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tass = "The drills began on Monday. Over 3,200 personnel took part, TASS said."
    kp = "At least 10,000 troops from Tajikistan and 400 from Russia took part in the drills."
    code, out, _ = run(
        capsys, "check", "--format", "text", write(tmp_path, "tass.txt", tass), write(tmp_path, "kp.txt", kp)
    )
    assert code == 1
    head, blank, flag, *places = out.splitlines()
    assert (head, blank) == ("1 flag at or above low (3 figures checked in 2 documents):", "")
    assert flag.startswith("[high] conflicting_accounts: TASS: Over 3,200 personnel")
    assert places == [
        '  tass, sentence 2: "Over 3,200 personnel took part, TASS said."',
        f'  kp, sentence 1: "{kp}"',
    ]


def test_format_text_cuts_a_long_sentence_and_lists_warnings() -> None:
    long = "Police said " + "very " * 80 + "many, 12 people died."
    flag = Discrepancy(id="d1", kind="total_mismatch", severity="low", figure_ids=["f1"], explanation="12 ≠ 13.")
    figure = Figure(id="f1", document_id="a", start=len(long) - 16, end=len(long) - 14, text="12", value=12,
                    low=12, high=12, dimension="count", sentence=1)
    report = Report(
        figures=[figure], groups=[], discrepancies=[flag], ignored=[],
        documents=[CheckedDocument(id="a", text=f"First.  {long}")],
        warnings=[ReportWarning(code="not_english", document_id="a", message="Document 'a' reads as Welsh.")],
    )
    lines = cli.render_text(report, "low").splitlines()
    assert lines[:4] == [
        "warning: Document 'a' reads as Welsh.",
        "1 flag at or above low (1 figure checked in 1 document):",
        "",
        "[low] total_mismatch: 12 ≠ 13.",
    ]
    assert lines[4].startswith('  a, sentence 2: "Police said very very') and lines[4].endswith(' very …"')
    frame = len('  a, sentence 2: ""')
    assert frame + cli.SENTENCE_CHARS - 5 <= len(lines[4]) <= frame + cli.SENTENCE_CHARS + 2


@pytest.mark.parametrize(
    ("argv", "code", "severities"),
    [
        ([], 1, {"high"}),
        (["--min-severity", "low"], 1, {"high"}),
        (["--min-severity", "high"], 1, {"high"}),
    ],
)
def test_min_severity_sets_what_is_reported_and_the_exit_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], code: int, severities: set[str]
) -> None:
    got, out, _ = run(capsys, "check", write(tmp_path, "a.txt", FLAGGED), *argv)
    assert got == code
    assert {d.severity for d in Report.model_validate_json(out).discrepancies} == severities


def test_a_flag_below_min_severity_exits_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 10% gap between two accounts is a low or medium flag, never high.
    text = "Police said 100 people were evacuated. The mayor said 112 people were evacuated."
    code, out, _ = run(capsys, "check", write(tmp_path, "a.txt", text), "--format", "json")
    flagged = {d.severity for d in Report.model_validate_json(out).discrepancies}
    assert code == 1 and flagged and "high" not in flagged
    code, out, _ = run(capsys, "check", write(tmp_path, "a.txt", text), "--min-severity", "high", "--format", "text")
    assert (code, out) == (0, "no flags at or above high (2 figures checked in 1 document)\n")


def test_min_severity_overrides_the_requests_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    request = {"documents": [{"id": "a", "text": FLAGGED}], "options": {"min_severity": "high"}}
    stdin(monkeypatch, json.dumps(request))
    assert run(capsys, "check", "--request", "-")[0] == 1
    stdin(monkeypatch, json.dumps({**request, "options": {"min_severity": "low"}}))
    code, out, _ = run(capsys, "check", "--request", "-", "--min-severity", "high")
    assert code == 1 and {d.severity for d in Report.model_validate_json(out).discrepancies} == {"high"}


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
        ["check", "a.txt", "--min-severity", "severe"],
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
    assert kwargs == {
        "factory": True, "host": "0.0.0.0", "port": 9123, "workers": 3, "log_level": "info",
        # Header and body deadlines and a bound on connections (service.api.server); the app drains first.
        "http": "service.api.server:GuardedH11Protocol", "timeout_keep_alive": 5, "timeout_graceful_shutdown": 5,
    }
    # numcheck's own start-up and error lines are shown beside uvicorn's.
    assert log_config["loggers"]["numcheck"] == {"handlers": ["default"], "level": "INFO"}


def test_serve_refuses_broken_rules(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("uvicorn started"))
    monkeypatch.setenv("NUMCHECK_RULES_DIR", str(tmp_path))
    code, _, err = run(capsys, "serve")
    assert code == 3
    # An empty folder: every rule file is missing.
    assert err.splitlines()[0] == f"numcheck: {len(RULE_FILES)} problem(s) in the rules:"
