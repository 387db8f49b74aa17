"""The `numcheck` command: check files, serve the API, validate a rules folder, manage users and
the story database.

Exit codes, so a desk can use `numcheck check` in a pipeline:
  0  checked, and no flag at or above --min-severity (`rules check`: the rules are valid)
  1  checked, and at least one flag at or above --min-severity (`rules check`: problems listed)
  2  usage or input error (a user name or role included): the message on stderr says what to fix
  3  numcheck cannot run: the rules, the language pipeline or the story database cannot be used
Input is validated by the same model and limits as `POST /v1/check`.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError, NumcheckError, RulesError
from .models import Report
from .rules import load_rules
from .settings import Settings, get_settings
from .store_cli import add_store_commands

EXIT_OK, EXIT_FLAGS, EXIT_INPUT, EXIT_FAILED = 0, 1, 2, 3
SEVERITIES = ("low", "medium", "high")
# A flagged sentence longer than this is shown cut, around its figures.
SENTENCE_CHARS = 300
STDIN = "-"


def _read_bytes(name: str) -> bytes:
    if name == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 text (byte {exc.start}): convert it to UTF-8") from None


def _file_document(name: str, source: str | None) -> dict[str, Any]:
    if name.lower().startswith(("http://", "https://")):
        # A page to fetch: its id is the last part of its path ("drills" for …/news/drills.html).
        path = urlsplit(name).path.rstrip("/")
        doc_id = Path(path).stem or urlsplit(name).hostname or "page"
        return {"id": doc_id, "url": name, "source": source}
    doc_id = "stdin" if name == STDIN else Path(name).stem
    return {"id": doc_id, "text": _decode(name, _read_bytes(name)), "source": source}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_text(report: Report, min_severity: str = "low") -> str:
    """What a person reads: each flag with its severity and explanation, then the document and
    sentence of each figure it rests on (sentences numbered from 1)."""
    from .read import normalise, split_sentences

    texts = {d.id: d.text for d in report.documents}
    spans = {doc_id: split_sentences(normalise(text)) for doc_id, text in texts.items()}
    figures = {f.id: f for f in report.figures}
    checked = f"{_plural(len(report.figures), 'figure')} checked in {_plural(len(report.documents), 'document')}"
    lines = [f"warning: {w.message}" for w in report.warnings]
    if not report.discrepancies:
        lines.append(f"no flags at or above {min_severity} ({checked})")
        return "\n".join(lines)
    lines.append(f"{_plural(len(report.discrepancies), 'flag')} at or above {min_severity} ({checked}):")
    for d in report.discrepancies:
        lines += ["", f"[{d.severity}] {d.kind}: {d.explanation}"]
        places = dict.fromkeys((figures[i].document_id, figures[i].sentence) for i in d.figure_ids if i in figures)
        for doc_id, index in places:
            sentence = ""
            if doc_id in spans and index < len(spans[doc_id]):
                start, end = spans[doc_id][index]
                sentence = _cut(" ".join(texts[doc_id][start:end].split()))
            lines.append(f'  {doc_id}, sentence {index + 1}: "{sentence}"')
    return "\n".join(lines)


def _cut(sentence: str) -> str:
    if len(sentence) <= SENTENCE_CHARS:
        return sentence
    return sentence[:SENTENCE_CHARS].rsplit(" ", 1)[0] + " …"


def _check(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so `numcheck rules check` does not pay for loading spaCy.
    from .api.request import parse_request, to_documents, validate_request
    from .nlp import load_pipeline
    from .pipeline import CheckOptions, check

    if args.request is not None:
        request = parse_request(_read_bytes(args.request), settings)
    else:
        request = validate_request({"documents": [_file_document(name, args.source) for name in args.files]}, settings)
    options = request.options or CheckOptions()
    if args.min_severity is not None:
        options = options.model_copy(update={"min_severity": args.min_severity})
    rules = load_rules(settings.rules_dir)
    nlp = load_pipeline(settings.spacy_pipeline, settings.fast_components)
    report = check(to_documents(request, settings), rules, nlp, options)
    if args.format == "text":
        print(render_text(report, options.min_severity))
    else:
        print(report.model_dump_json(indent=2))
    # The report holds only the flags at or above the threshold.
    return EXIT_FLAGS if report.discrepancies else EXIT_OK


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from .web.session import session_secret

    # Fail here, once, with every problem listed, rather than in each worker process.
    load_rules(settings.rules_dir)
    # numcheck's own log lines (start-up, rules problems, unexpected errors) go where uvicorn's go.
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["numcheck"] = {"handlers": ["default"], "level": settings.log_level.upper()}
    workers = args.workers or settings.workers
    host = args.host or settings.host
    # Each worker reads its settings anew: they learn how many workers share the machine, and where
    # the server listens (which decides whether a single local user may work without a key), from here.
    os.environ["NUMCHECK_WORKERS"] = str(workers)
    os.environ["NUMCHECK_HOST"] = host
    get_settings.cache_clear()
    _upgrade_once(settings)
    try:
        session_secret(settings)  # made once here, not by each worker at once
    except (OSError, ValueError) as exc:
        print(
            f"numcheck: no session secret for the browser's sign-in ({exc}): set NUMCHECK_SESSION_SECRET or "
            f"let numcheck write to {settings.data_dir}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    uvicorn.run(
        "service.api.app:create_app",
        factory=True,
        host=host,
        port=args.port or settings.port,
        workers=workers,
        log_level=settings.log_level,
        log_config=log_config,
        # uvicorn's h11 protocol with header and body deadlines and a bound on connections.
        http="service.api.server:GuardedH11Protocol",
        timeout_keep_alive=settings.keep_alive_seconds,
        # The app drains first (service.api.server.drain_on_signals); this bounds what is left.
        timeout_graceful_shutdown=5,
    )
    return EXIT_OK


def _upgrade_once(settings: Settings) -> None:
    """Upgrade the story database before the workers start, so they do not all try at once. A database
    that cannot be used is reported and left: the server still checks documents."""
    from .store import Store, StoreUnavailable

    try:
        Store.open(settings.store_url).close()
    except StoreUnavailable as exc:
        print(f"numcheck: stored stories unavailable, checks still work: {exc.message}", file=sys.stderr)


def _rules_check(args: argparse.Namespace, settings: Settings) -> int:
    rules = load_rules(args.dir or settings.rules_dir)
    print(f"rules OK: {rules.digest}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="numcheck",
        description="Find the numbers in news copy and flag the ones that cannot all be true.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check files (one document each) or a full request")
    check.add_argument(
        "files", nargs="*", metavar="FILE",
        help="a text file, one document; '-' reads stdin; an http(s) address is fetched and its article read",
    )
    check.add_argument(
        "--request", metavar="FILE", help="a request body as POST /v1/check takes; '-' for stdin"
    )
    check.add_argument("--source", help="who publishes the files' texts (for their own-voice figures)")
    check.add_argument(
        "--format", choices=["json", "text"], default="json",
        help="the report as JSON, or as text: each flag with the document and sentence of its figures",
    )
    check.add_argument(
        "--min-severity", choices=SEVERITIES,
        help="report and count only flags at or above this severity (default: the request's, else low); "
        "the exit code is 1 when any is left, 0 when none",
    )
    check.set_defaults(run=_check)

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", help="address to listen on (NUMCHECK_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (NUMCHECK_PORT)")
    serve.add_argument("--workers", type=int, help="worker processes (NUMCHECK_WORKERS)")
    serve.set_defaults(run=_serve)

    rules = commands.add_parser("rules", help="work with a rules folder")
    rules_commands = rules.add_subparsers(dest="rules_command", required=True)
    rules_check = rules_commands.add_parser("check", help="validate a rules folder, listing every problem")
    rules_check.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="default: NUMCHECK_RULES_DIR")
    rules_check.set_defaults(run=_rules_check)
    add_store_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "check" and (args.request is None) == (not args.files):
        parser.error("check: give FILE... or --request FILE, not both and not neither")
    if args.command == "check" and args.request is not None and args.source:
        parser.error("check: --source applies to FILE... only; a request names each document's source")
    try:
        code: int = args.run(args, get_settings())
    except InputError as exc:
        print(f"numcheck: {exc.message}", file=sys.stderr)
        for detail in exc.details:
            print(f"  {detail.get('location', '')}: {detail.get('message', '')}", file=sys.stderr)
        return EXIT_INPUT
    except RulesError as exc:
        print(f"numcheck: {exc.message}", file=sys.stderr)
        # `rules check` found what it was asked to look for; any other command cannot run.
        return EXIT_FLAGS if args.command == "rules" else EXIT_FAILED
    except NumcheckError as exc:  # the language pipeline or the database: nothing the input can fix
        print(f"numcheck: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
