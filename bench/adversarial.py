"""The worst inputs under the default limits: what one costs per character, and what a server holds.

    python -m bench adversarial [--chars N] [--only NAME ...] [--skip-server] [--json OUT]

Each input is one document of up to `--chars` characters (default: the server's limit, 200,000),
made to strain one part of the check: the issue's "Police said N died." sentences, many sources,
many figures, one endless sentence, repeated names, long lists, deep and open quotes, pronouns,
shares, and more. Each is checked in this process, under the server's default time limit, and its
CPU time per character is printed against that of the ~600-word news articles [target: ≤ 3×].
A check that runs into the time limit is reported as such (the limit holds; its input is beyond
what the server checks).

Then, against a server on loopback (skipped with --skip-server): a request at the body limit (20
documents of the worst input) must be answered within the time limit plus a margin, and the
worker must be back under 400 MB a few seconds after it; a few hundred slow clients (headers or
bodies never finished) must be closed within the deadlines, with the connections beyond the bound
refused, while /healthz still answers. The machine is shared: the per-character ratios are CPU
time, which other work moves less than wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import socket
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.serving import ROOT, Server, closed_within
from bench.texts import load_corpus
from service.budget import Budget
from service.errors import TimeLimitError
from service.models import Document
from service.nlp import load_pipeline
from service.pipeline import check
from service.rules import load_rules
from service.settings import Settings

TARGET_RATIO = 3.0
MEMORY_TARGET_MB = 400
SYLLABLES = ["var", "nol", "tek", "mar", "isa", "ron", "bel", "kus", "dra", "fen", "lo", "mi", "sta", "qua", "zen"]


def _name(i: int) -> str:
    rnd = random.Random(i)
    return "".join(rnd.choice(SYLLABLES) for _ in range(3)).capitalize()


def _fill(chars: int, piece: Callable[[int], str], sep: str = " ") -> str:
    out: list[str] = []
    size = 0
    i = 0
    while True:
        p = piece(i)
        if size + len(p) + len(sep) > chars:
            return sep.join(out)
        out.append(p)
        size += len(p) + len(sep)
        i += 1


KINDS = ["Group", "Agency", "Press", "Council", "Institute"]
NOUNS = ["cars", "trucks", "buses", "vans", "boats"]
# name -> a document of about `chars` characters
INPUTS: dict[str, Callable[[int], str]] = {
    "police said N died": lambda c: _fill(c, lambda i: f"Police said {i + 3} died."),
    "many sources": lambda c: _fill(c, lambda i: f"{_name(i)} {KINDS[i % 5]} said {3 + (i * 37) % 900} people died."),
    "many figures": lambda c: "Police said " + _fill(c - 40, lambda i: f"{i + 3} cars", ", ") + " were damaged.",
    "falling figures, many nouns": lambda c: "Officials said "
    + _fill(c - 40, lambda i: f"{100000 - i} {_name(i).lower()}s", ", ")
    + " were counted.",
    "one endless sentence": lambda c: "Police said that "
    + _fill(c - 40, lambda i: f"{i + 3} people died in {_name(i)}", " and ")
    + ".",
    "repeated names": lambda c: _fill(
        c, lambda i: f"Kellwood Police said {i + 3} died. Police said {i + 4} were hurt."
    ),
    "pronouns": lambda c: "The ministry spoke. "
    + _fill(c - 20, lambda i: f"It said {i + 3} people died, the agency said."),
    "long list of parts": lambda c: "Officials said "
    + _fill(c - 60, lambda i: f"{(i % 90 + 1) * 100} troops from {_name(i)}", ", ")
    + " took part.",
    "quotes": lambda c: _fill(c, lambda i: f'"{i + 3} people died," the minister said.'),
    "open quotes": lambda c: _fill(c, lambda i: f'"The minister said {i + 3} people died.', "\n"),
    "deep quotes": lambda c: 'He said "' + _fill(c - 40, lambda i: f'she said "{i + 3} died') + '"',
    "shares": lambda c: _fill(c, lambda i: f"The party won {40 + i % 7}% of the vote."),
    "changes": lambda c: _fill(c, lambda i: f"Sales rose from {200 + i} to {250 + i}, a {i % 30 + 5}% increase."),
    "one line a figure": lambda c: _fill(c, lambda i: f"{i + 3} died in the north and {i + 2} in the south", "\n"),
    "one endless number": lambda c: "Police said " + "9" * (c - 30) + " died.",
}


def _cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def in_process(chars: int, only: list[str], settings: Settings) -> tuple[list[dict[str, Any]], bool]:
    rules = load_rules(settings.rules_dir)
    nlp = load_pipeline(settings.spacy_pipeline)
    corpus = load_corpus(ROOT)
    articles = [json.loads(r.body)["documents"][0]["text"] for r in corpus.articles[:10]]
    if not articles:
        print("no ~600-word articles found (see python -m bench speed --help): nothing to compare against")
        return [], False
    for text in articles[:2]:  # warm: lexemes, memos
        check([Document(id="w", text=text)], rules, nlp)
    normal = statistics.median(_cpu(lambda t=text: _check(t, rules, nlp))[0] / len(text) for text in articles)
    print(f"normal ~600-word article: {normal * 1e6:.1f} µs of CPU per character (median of {len(articles)})")
    print(f"{'input':30} {'chars':>8} {'figures':>8} {'CPU s':>8} {'× normal':>9}  target ≤ {TARGET_RATIO:g}")
    rows: list[dict[str, Any]] = []
    met = True
    for name, make in INPUTS.items():
        if only and name not in only:
            continue
        text = make(chars)
        budget = Budget(settings.check_time_limit_seconds)
        with budget.active():
            cpu, report = _cpu(lambda t=text: _guarded(lambda: _check(t, rules, nlp)))
        ratio = cpu / len(text) / normal
        figures = len(report.figures) if report is not None else None
        stopped = report is None
        ok = ratio <= TARGET_RATIO and not stopped
        met = met and ok
        shown = "stopped by the time limit" if stopped else ("ok" if ok else "MISSED")
        print(f"{name:30} {len(text):8,} {figures if figures is not None else '-':>8} {cpu:8.2f} {ratio:9.2f}  {shown}",
              flush=True)
        rows.append({"input": name, "chars": len(text), "figures": figures, "cpu_seconds": round(cpu, 3),
                     "ratio": round(ratio, 3), "stopped_by_time_limit": stopped})
    worst = max(rows, key=lambda r: r["ratio"]) if rows else None
    if worst is not None:
        print(f"worst: {worst['input']}, {worst['ratio']:.2f}× a normal article per character  [≤ {TARGET_RATIO:g}]")
    return rows, met


def _check(text: str, rules: Any, nlp: Any) -> Any:
    return check([Document(id="a", text=text, source="Desk")], rules, nlp)


def _guarded(run: Callable[[], Any]) -> Any:
    try:
        return run()
    except TimeLimitError:
        return None


def against_server(chars: int, settings: Settings) -> tuple[dict[str, Any], bool]:
    env = {"NUMCHECK_PARSE_CACHE_SENTENCES": "0", "NUMCHECK_MAX_CONNECTIONS": "200"}
    out: dict[str, Any] = {}
    met = True
    with Server(env=env) as server:
        worker = max(server.pids())
        body = {"documents": [{"id": f"d{i}", "text": INPUTS["police said N died"](min(chars, 99_000))}
                              for i in range(settings.max_documents)]}
        raw = json.dumps(body).encode()
        limit = settings.check_time_limit_seconds
        started = time.monotonic()
        response = httpx.post(server.url + "/v1/check", content=raw, headers={"content-type": "application/json"},
                              timeout=limit + 60)
        took = time.monotonic() - started
        in_time = took <= limit + 5
        print(f"a {len(raw):,}-byte request of {settings.max_documents} documents: {response.status_code} "
              f"in {took:.1f} s  [≤ {limit:g} s time limit + 5 s]  {'ok' if in_time else 'MISSED'}")
        time.sleep(3)
        rss = _rss_mb(worker)
        small = rss is not None and rss < MEMORY_TARGET_MB
        print(f"worker resident 3 s later: {rss:.0f} MB  [< {MEMORY_TARGET_MB} MB]  {'ok' if small else 'MISSED'}"
              if rss is not None else "worker resident: cannot be read")
        slow = _slow_clients(server.port, 300, 200)
        healthy = httpx.get(server.url + "/healthz", timeout=5).status_code == 200
        print(f"300 slow clients: {slow['refused']} refused at once (bound 200), all closed within "
              f"{slow['closed_in']:.1f} s  [≤ 30 s, +1 s to be scheduled]; /healthz {'200' if healthy else 'FAILED'}")
        met = in_time and (small or rss is None) and slow["closed_in"] <= 31 and healthy
        out = {"large_request_status": response.status_code, "large_request_seconds": round(took, 2),
               "resident_after_mb": rss, **slow, "healthz_after": healthy}
    return out, met


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _slow_clients(port: int, count: int, bound: int) -> dict[str, Any]:
    socks = []
    for i in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        # Half never finish their headers; half send headers and part of a body.
        sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n" if i % 2 else
                     b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"documents\"")
        socks.append(sock)
    started = time.monotonic()
    refused = 0
    for sock in socks[bound:]:
        sock.settimeout(2)
        with contextlib.suppress(OSError):
            refused += sock.recv(200).startswith(b"HTTP/1.1 503")
    closed = all(closed_within(sock, 40) for sock in socks)
    for sock in socks:
        sock.close()
    return {"refused": refused, "closed_in": time.monotonic() - started if closed else float("inf")}


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench adversarial", description=__doc__.split("\n\n")[0])
    settings = Settings()
    parser.add_argument("--chars", type=int, default=settings.max_document_chars, help="characters per input")
    parser.add_argument("--only", action="append", default=[], help="only this input (repeatable)")
    parser.add_argument("--skip-server", action="store_true", help="only the in-process inputs")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    rows, met = in_process(args.chars, args.only, settings)
    served: dict[str, Any] = {}
    if not args.skip_server:
        served, served_met = against_server(args.chars, settings)
        met = met and served_met
    if args.json:
        args.json.write_text(json.dumps({"inputs": rows, "server": served}, indent=2))
    print("targets met" if met else "some targets missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
