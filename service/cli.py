"""The `numcheck` command: check files, serve the API, validate a rules folder.

Exit codes: 0 done; 1 the rules or the language pipeline cannot be loaded; 2 the input
cannot be checked as given (the message on stderr says why). Input is validated by the
same model and limits as `POST /v1/check`.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
from pathlib import Path
from typing import Any

from .errors import InputError, NumcheckError
from .models import Report
from .rules import load_rules
from .settings import Settings, get_settings

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
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
    doc_id = "stdin" if name == STDIN else Path(name).stem
    return {"id": doc_id, "text": _decode(name, _read_bytes(name)), "source": source}


def render_text(report: Report) -> str:
    """A short list a person can read: one line per discrepancy, with its severity."""
    if not report.discrepancies:
        return f"no discrepancies ({len(report.figures)} figures checked)"
    count = len(report.discrepancies)
    lines = [f"{count} discrepanc{'y' if count == 1 else 'ies'} ({len(report.figures)} figures checked):"]
    lines += [f"- [{d.severity}] {d.kind}: {d.explanation}" for d in report.discrepancies]
    return "\n".join(lines)


def _check(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so `numcheck rules check` does not pay for loading spaCy.
    from .api.request import parse_request, validate_request
    from .nlp import load_pipeline
    from .pipeline import check

    if args.request is not None:
        request = parse_request(_read_bytes(args.request), settings)
    else:
        documents = [_file_document(name, args.source) for name in args.files]
        request = validate_request({"documents": documents}, settings)
    rules = load_rules(settings.rules_dir)
    report = check(request.documents, rules, load_pipeline(settings.spacy_pipeline), request.options)
    print(render_text(report) if args.format == "text" else report.model_dump_json(indent=2))
    return EXIT_OK


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    # Fail here, once, with every problem listed, rather than in each worker process.
    load_rules(settings.rules_dir)
    # numcheck's own log lines (start-up, rules problems, unexpected errors) go where uvicorn's go.
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["numcheck"] = {"handlers": ["default"], "level": settings.log_level.upper()}
    workers = args.workers or settings.workers
    # Each worker reads its settings anew: they learn how many workers share the machine from here.
    os.environ["NUMCHECK_WORKERS"] = str(workers)
    get_settings.cache_clear()
    uvicorn.run(
        "service.api.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=workers,
        log_level=settings.log_level,
        log_config=log_config,
    )
    return EXIT_OK


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
    check.add_argument("files", nargs="*", metavar="FILE", help="a text file, one document; '-' reads stdin")
    check.add_argument(
        "--request", metavar="FILE", help="a request body as POST /v1/check takes; '-' for stdin"
    )
    check.add_argument("--source", help="who publishes the files' texts (for their own-voice figures)")
    check.add_argument(
        "--format", choices=["json", "text"], default="json", help="report as JSON or a short list"
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
    except NumcheckError as exc:  # the rules or the pipeline: nothing the input can fix
        print(f"numcheck: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
