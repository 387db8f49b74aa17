"""How fast the whole check runs over HTTP, next to quantulum3's bare parser in the same run.

    python -m bench speed [--quick] [--rounds N] [--requests N] [--seconds S] [--skip PART]
                          [--profile] [--py-spy SVG] [--checkout DIR] [--json OUT]

Every figure is printed with its target:
- throughput: numcheck over HTTP (one worker, one request at a time) ÷ quantulum3's
  `parser.parse` in this process, on the same texts, rounds interleaved  [≥ 1.0]
- latency of ~600-word articles the server has never seen, sequential requests, on a warm
  server (started for the round, it has checked the labelled cases first; each article is sent
  once): p50 [≤ 60 ms], p95 [≤ 150 ms]; the same on a new server with one request before, and of
  the same articles once the server has checked them (no targets: a server reads words it has
  read before faster)
- peak resident memory (VmHWM) of the server after those runs  [< 600 MB]
- growth: per-word cost of a 30,000-word document ÷ that of a 1,000-word one  [≤ 1.5]; a request
  holding 2,000 figures  [< 2 s]
- re-checks: each article checked, then checked again with one figure changed, as an editor
  re-checks a draft; the server keeps its default parse cache, so only the changed sentence is
  parsed again  [no target; every other figure is measured with the cache off, each text as if
  never seen]
- concurrency: `--workers 2` under 16 clients ÷ (2 × `--workers 1` under 16 clients)  [≥ 0.8],
  with no errors; a saturated worker answers 503 with Retry-After (clients that honour it), and
  the checks it admits still finish in bounded time.

The corpus is NewsQuant's sentences joined into ~600-word articles (`$NUMCHECK_NEWSQUANT`,
default ../shared/data/newsquant/formatted_test_set/NewsQuant.json) plus the documents of the
labelled cases (`$NUMCHECK_CASES`, default ../shared/cases), read where they lie. Servers are
started by the benchmark on loopback, on free ports, and always stopped; every load loop is
bounded in requests and in time. Timings on a shared machine are noisy: each figure is a median
of repeated measurements, the load average is printed beside them, and the CPU time the server
used is shown too (words per CPU-second move less with other work on the machine than words per
second do).

Where the time goes: `--profile` runs the corpus through `pipeline.check` in this process under
pyinstrument and prints the time per stage; `--py-spy SVG` samples the serving process, native
frames (spaCy's compiled parser, the matrix products) included. `--checkout DIR` serves another
checkout's numcheck, to compare two versions on the same machine in the same hour.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.serving import ROOT, Server, ServerError
from bench.texts import Corpus, Request, load_corpus, many_figures, request
from service.settings import Settings

MB = 1024 * 1024
CLIENTS = 16
# Servers for the targets remember no parses: every text is timed as if never seen before.
FIRST_SIGHT = {"NUMCHECK_PARSE_CACHE_SENTENCES": "0"}


@dataclass
class Result:
    name: str
    value: float | None
    shown: str
    target: str = ""
    met: bool | None = None


@dataclass
class Results:
    rows: list[Result] = field(default_factory=list)

    def add(self, name: str, value: float | None, shown: str, target: str = "", met: bool | None = None) -> None:
        row = Result(name, value, shown, target, met)
        self.rows.append(row)
        verdict = "" if met is None else ("  ok" if met else "  MISSED")
        aim = f"  (target {target})" if target else ""
        print(f"  {name:<44} {shown}{aim}{verdict}", flush=True)

    def as_json(self) -> dict[str, Any]:
        return {r.name: {"value": r.value, "shown": r.shown, "target": r.target, "met": r.met} for r in self.rows}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def add_latency(
    results: Results, name: str, times: Sequence[float], targets: tuple[float, float] | None = None
) -> None:
    """The p50 and p95 of `times` (seconds) as two rows, in ms, against (p50, p95) targets if given."""
    for q, target in zip((50, 95), targets or (None, None), strict=True):
        ms = percentile(times, q) * 1000
        if target is None:
            results.add(f"{name} p{q}", ms, f"{ms:.0f} ms")
        else:
            results.add(f"{name} p{q}", ms, f"{ms:.0f} ms", f"≤ {target:.0f} ms", ms <= target)


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def post(client: httpx.Client, url: str, request: Request) -> httpx.Response:
    response = client.post(url + "/v1/check", content=request.body, headers={"Content-Type": "application/json"})
    if response.status_code != 200:
        raise RuntimeError(f"POST /v1/check answered {response.status_code}: {response.text[:300]}")
    return response


def timed_post(client: httpx.Client, url: str, request: Request) -> float:
    t0 = time.perf_counter()
    post(client, url, request)
    return time.perf_counter() - t0


# --- single worker, one request at a time ---------------------------------------------------------


def throughput(server: Server, client: httpx.Client, corpus: Corpus, rounds: int, results: Results) -> None:
    from service.quantities import baseline_parse

    requests = corpus.all_requests
    words = sum(r.words for r in requests)
    texts = [t for r in requests for t in r.texts]
    baseline_parse(texts[0])
    for r in requests[:3]:
        post(client, server.url, r)
    ours, theirs, ratios, cpu_ratios = [], [], [], []
    for n in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        for text in texts:
            baseline_parse(text)
        t_q, c_q = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), server.cpu_seconds()
        for r in requests:
            post(client, server.url, r)
        t_n, c_n = time.perf_counter() - t0, server.cpu_seconds() - c0
        theirs.append(words / t_q)
        ours.append(words / t_n)
        ratios.append(t_q / t_n)
        cpu_ratios.append(c_q / c_n if c_n else 0.0)
        print(f"  round {n + 1}: quantulum3 {words / t_q:,.0f} words/s, numcheck over HTTP {words / t_n:,.0f} "
              f"words/s, ratio {t_q / t_n:.2f}; CPU time ratio {cpu_ratios[-1]:.2f}  (load {load_average()})",
              flush=True)
    print(f"  corpus: {len(requests)} requests, {len(texts)} texts, {words:,} words; {rounds} rounds, medians:")
    results.add("quantulum3 parser.parse, in process", statistics.median(theirs),
                f"{statistics.median(theirs):,.0f} words/s")
    results.add("numcheck over HTTP, 1 worker, sequential", statistics.median(ours),
                f"{statistics.median(ours):,.0f} words/s")
    ratio = statistics.median(ratios)
    results.add("numcheck ÷ quantulum3", ratio, f"{ratio:.2f}", "≥ 1.0", ratio >= 1.0)
    # CPU seconds, the server's against this process's: less moved by other work on the machine.
    cpu = statistics.median(cpu_ratios)
    results.add("the same in CPU time (server vs quantulum3)", cpu, f"{cpu:.2f}")


def first_sight(corpus: Corpus, rounds: int, results: Results, root: Path = ROOT) -> None:
    """Articles the server has never seen, each sent once to a server started for the round.

    A server reads words it has read before faster (the tokenizer, the lemmas and the attribute
    rules remember them), so an article seen before would flatter it. The target is for a warm
    server: one that has checked other news first (the labelled cases, every one of them), as a
    server in use has. A new server, with a single request before, is measured too.
    """
    articles = corpus.articles
    words = statistics.median(a.words for a in articles)
    for warm in (True, False):
        before = corpus.cases if warm else corpus.cases[:1]
        times: list[float] = []
        for _ in range(rounds):
            with Server(workers=1, env=FIRST_SIGHT, root=root) as server, httpx.Client(timeout=120.0) as client:
                for request in before:
                    post(client, server.url, request)
                times.extend(timed_post(client, server.url, article) for article in articles)
        state = f"after the {len(before)} case requests" if warm else f"new, {len(before)} request before"
        print(f"  {len(times)} sequential requests, {rounds} server(s) ({state}) each sent the {len(articles)} "
              f"articles of about {words:.0f} words once (load {load_average()}):")
        if warm:
            add_latency(results, "600-word article never seen, warm server,", times, targets=(60, 150))
        else:
            add_latency(results, "600-word article never seen, new server,", times)


def latency(server: Server, client: httpx.Client, corpus: Corpus, count: int, budget: float,
            results: Results) -> None:
    """The same articles again, on a server that has checked them all before."""
    articles = corpus.articles
    times: list[float] = []
    deadline = time.monotonic() + budget
    while len(times) < count and time.monotonic() < deadline:
        times.append(timed_post(client, server.url, articles[len(times) % len(articles)]))
    print(f"  {len(times)} sequential requests over the same articles, seen before (load {load_average()}):")
    add_latency(results, "600-word article seen before,", times)


def edited(article: Request, k: int) -> Request:
    """The article with one figure changed (in its k-th paragraph, counted round), as an editor would."""
    documents = json.loads(article.body)["documents"]
    paragraphs = documents[0]["text"].split("\n\n")
    for step in range(len(paragraphs)):
        i = (k + step) % len(paragraphs)
        changed = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), paragraphs[i], count=1)
        if changed != paragraphs[i]:
            paragraphs[i] = changed
            break
    documents[0]["text"] = "\n\n".join(paragraphs)
    return request([(d["id"], d["text"], d.get("source")) for d in documents])


def recheck(server: Server, client: httpx.Client, corpus: Corpus, count: int, results: Results) -> None:
    """Each article checked, then checked again with one figure changed: the edited draft's latency.

    Each worker keeps a parse cache of its own, and every check comes back on a new connection
    (the server closes it), so with two workers a re-check finds its draft parsed only when the
    worker that parsed it accepts the new connection.
    """
    articles = corpus.articles[: max(1, count)]
    times: list[float] = []
    for k, article in enumerate(articles):
        post(client, server.url, article)
        times.append(timed_post(client, server.url, edited(article, k)))
    workers = f"--workers {server.workers}"
    print(f"  {workers}: {len(times)} articles, each re-checked after one figure was changed "
          f"(load {load_average()}):")
    add_latency(results, f"600-word draft re-checked after an edit, {workers},", times)


def memory(server: Server, results: Results, label: str, target: bool) -> None:
    peak = server.peak_rss()
    shown = f"{peak.total / MB:.0f} MB"
    if len(peak.per_process) > 1:
        shown += f" (sum over {len(peak.per_process)} processes; largest {peak.largest / MB:.0f} MB)"
    if target:
        results.add(label, peak.total / MB, shown, "< 600 MB", peak.total < 600 * MB)
    else:
        results.add(label, peak.total / MB, shown)


def growth(server: Server, client: httpx.Client, corpus: Corpus, repeats: int, results: Results) -> None:
    small, large = corpus.sized(1_000), corpus.sized(30_000)
    post(client, server.url, small)
    t_small = statistics.median(timed_post(client, server.url, small) for _ in range(max(3, repeats * 2)))
    t_large = statistics.median(timed_post(client, server.url, large) for _ in range(repeats))
    per_small, per_large = t_small / small.words, t_large / large.words
    print(f"  {small.words:,} words: {t_small * 1000:.0f} ms; {large.words:,} words ({large.chars:,} characters): "
          f"{t_large * 1000:.0f} ms  (medians; load {load_average()})")
    ratio = per_large / per_small
    results.add("per-word cost, 30,000 ÷ 1,000 words", ratio, f"{ratio:.2f}", "≤ 1.5", ratio <= 1.5)

    request = many_figures(2_000)
    figures = len(post(client, server.url, request).json()["figures"])
    t = statistics.median(timed_post(client, server.url, request) for _ in range(repeats))
    print(f"  {figures:,} figures in {len(request.texts)} documents, {request.words:,} words, one request")
    results.add("2,000 figures in one request", t, f"{t:.2f} s", "< 2 s", t < 2.0 and figures >= 2_000)


# --- many clients ------------------------------------------------------------------------------------


@dataclass
class Load:
    seconds: float = 0.0
    words: int = 0
    ok: int = 0
    busy: int = 0
    busy_without_retry_after: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


async def _load(url: str, requests: Sequence[Request], clients: int, seconds: float, max_requests: int,
                honour_retry_after: bool) -> Load:
    load = Load()
    issued = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Content-Type": "application/json"}
    start = time.monotonic()
    deadline = start + seconds

    async def client_loop(client: httpx.AsyncClient, offset: int) -> None:
        nonlocal issued
        k = 0
        while time.monotonic() < deadline and issued < max_requests:
            issued += 1
            request = requests[(offset + k) % len(requests)]
            k += 1
            t0 = time.monotonic()
            try:
                response = await client.post(url + "/v1/check", content=request.body, headers=headers)
            except httpx.HTTPError as exc:
                load.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if response.status_code == 200:
                load.ok += 1
                load.words += request.words
                load.latencies.append(time.monotonic() - t0)
            elif response.status_code == 503:
                load.busy += 1
                retry_after = response.headers.get("Retry-After")
                if retry_after is None or not retry_after.isdigit():
                    load.busy_without_retry_after += 1
                elif honour_retry_after:
                    await asyncio.sleep(min(float(retry_after), max(0.0, deadline - time.monotonic())))
            else:
                load.errors.append(f"HTTP {response.status_code}: {response.text[:200]}")

    async with httpx.AsyncClient(timeout=120.0, limits=limits) as client:
        await asyncio.gather(*(client_loop(client, i * 3) for i in range(clients)))
    load.seconds = time.monotonic() - start
    return load


def run_load(server: Server, requests: Sequence[Request], seconds: float, max_requests: int,
             honour_retry_after: bool = False) -> Load:
    return asyncio.run(_load(server.url, requests, CLIENTS, seconds, max_requests, honour_retry_after))


def _warm(server: Server, requests: Sequence[Request]) -> None:
    # Enough concurrent requests that every worker has served some before the clock starts.
    run_load(server, requests, seconds=60.0, max_requests=4 * server.workers * 2)


def scaling(corpus: Corpus, seconds: float, results: Results, root: Path = ROOT) -> None:
    """16 clients against one worker, then against two, every check admitted."""
    print("concurrency:")
    articles = corpus.articles
    roomy = {"NUMCHECK_MAX_CONCURRENT_CHECKS": str(2 * CLIENTS), **FIRST_SIGHT}
    rates: dict[int, Load] = {}
    for workers in (1, 2):
        with Server(workers=workers, env=roomy, root=root) as server:
            _warm(server, articles)
            cpu = server.cpu_by_process()
            load = run_load(server, articles, seconds, max_requests=20_000)
            used = sorted((t - cpu.get(pid, 0.0) for pid, t in server.cpu_by_process().items()), reverse=True)
            cores = sum(used) / load.seconds
            rates[workers] = load
            print(f"  --workers {workers}, {CLIENTS} clients, {load.seconds:.1f} s: {load.ok} checks, "
                  f"{load.rate:,.0f} words/s, p50 {percentile(load.latencies, 50) * 1000:.0f} ms, "
                  f"errors {len(load.errors) + load.busy}; the server used {cores:.2f} cores on average, "
                  f"{load.words / max(cores * load.seconds, 1e-9):,.0f} words per CPU-second"
                  + (f", the busiest processes {' / '.join(f'{u:.1f}' for u in used[:workers])} CPU-s"
                     if workers > 1 else "")
                  + f"  (load {load_average()})", flush=True)
            for error in load.errors[:3]:
                print(f"    {error}")
            if workers == 2:
                memory(server, results, "peak memory, --workers 2 under load", target=False)
    one, two = rates[1], rates[2]
    ratio = two.rate / (2 * one.rate) if one.rate else 0.0
    clean = not (one.errors or two.errors or one.busy or two.busy)
    results.add("--workers 2 ÷ (2 × --workers 1), 16 clients", ratio,
                f"{ratio:.2f} ({two.rate:,.0f} vs {one.rate:,.0f} words/s)", "≥ 0.8, no errors",
                ratio >= 0.8 and clean)


def saturation(corpus: Corpus, seconds: float, results: Results, root: Path = ROOT) -> None:
    """16 clients against one worker that admits its default number of checks."""
    articles = corpus.articles
    capacity = Settings().max_concurrent_checks
    with Server(workers=1, env=FIRST_SIGHT, root=root) as server:
        _warm(server, articles)
        load = run_load(server, articles, seconds, max_requests=20_000, honour_retry_after=True)
    p95 = percentile(load.latencies, 95) if load.latencies else 0.0
    print(f"  saturated: 1 worker admitting {capacity}, {CLIENTS} clients honouring Retry-After, "
          f"{load.seconds:.1f} s: {load.ok} checks (p95 {p95 * 1000:.0f} ms), {load.busy} answered 503, "
          f"{load.busy_without_retry_after} of them without Retry-After, {len(load.errors)} other errors")
    for error in load.errors[:3]:
        print(f"    {error}")
    bounded = load.busy > 0 and load.busy_without_retry_after == 0 and not load.errors
    results.add("saturated worker: 503 + Retry-After", float(load.busy),
                f"{load.busy} × 503, admitted p95 {p95 * 1000:.0f} ms", "503s, all with Retry-After, no errors",
                bounded)


def sample_server(server: Server, out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy recording the server's process (stopped by the caller with SIGINT)."""
    exe = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(exe).exists() or server.proc is None:
        print("  py-spy is not installed (pip install -e '.[bench]'); not sampled")
        return None
    cmd = [exe, "record", "--native", "--rate", "100", "--output", str(out), "--pid", str(server.proc.pid)]
    spy = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)  # let it attach before the clock starts
    return spy


# --- where the time goes ---------------------------------------------------------------------------------

STAGES = ("read", "extract", "attribute", "group", "compare")


def profile(corpus: Corpus, results: Results) -> None:
    """The whole corpus through `pipeline.check` in this process: time per stage, then where in
    the Python code (pyinstrument; spaCy's compiled code shows at the top of its tree)."""
    print("profile, in this process:")
    import service.pipeline as pipeline
    from service.models import Document
    from service.nlp import load_pipeline
    from service.rules import load_rules

    settings = Settings()
    rules, nlp = load_rules(settings.rules_dir), load_pipeline(settings.spacy_pipeline, settings.fast_components)
    batches = [
        [Document.model_validate(d) for d in json.loads(r.body)["documents"]] for r in corpus.all_requests
    ]
    for documents in batches:  # once untimed: whatever loads lazily loads now
        pipeline.check(documents, rules, nlp)

    spent: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    originals = {name: getattr(pipeline, name) for name in STAGES if callable(getattr(pipeline, name, None))}

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t0

        return wrapper

    for name, func in originals.items():
        setattr(pipeline, name, timed(name, func))
    try:
        t0 = time.perf_counter()
        for documents in batches:
            pipeline.check(documents, rules, nlp).model_dump_json()
        total = time.perf_counter() - t0
    finally:
        for name, func in originals.items():
            setattr(pipeline, name, func)
    words = sum(r.words for r in corpus.all_requests)
    print(f"  {words:,} words in {total:.2f} s ({words / total:,.0f} words/s); by stage:")
    for name, seconds in spent.items():
        print(f"    {name:<10} {seconds:6.2f} s  {100 * seconds / total:5.1f}%")
    rest = total - sum(spent.values())
    print(f"    {'the rest':<10} {rest:6.2f} s  {100 * rest / total:5.1f}%  (the report and its JSON)")
    results.add("in process, whole check", words / total, f"{words / total:,.0f} words/s")

    try:
        from pyinstrument import Profiler
    except ImportError:
        print("  pyinstrument is not installed (pip install -e '.[bench]'): no profile tree")
        return
    profiler = Profiler(interval=0.001)
    profiler.start()
    for documents in batches:
        pipeline.check(documents, rules, nlp)
    session = profiler.stop()
    tree = profiler.output_text(unicode=False, color=False, show_all=False, short_mode=True)
    print("\n".join(tree.splitlines()[:60]))
    del session


# --- the run -----------------------------------------------------------------------------------------


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and shorter loads (a smoke run)")
    parser.add_argument("--rounds", type=int, help="throughput rounds (default 3, quick 1)")
    parser.add_argument("--requests", type=int, help="sequential latency requests (default 100, quick 20)")
    parser.add_argument("--seconds", type=float, help="length of each concurrent load (default 20, quick 5)")
    parser.add_argument("--skip", action="append", default=[], choices=["throughput", "latency", "growth",
                        "recheck", "concurrency"], help="leave a part out (repeatable)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the check in this process (pyinstrument): where the time goes")
    parser.add_argument("--py-spy", type=Path, metavar="SVG",
                        help="sample the one-worker server with py-spy during throughput and latency, "
                             "native frames included, into this flame graph")
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="serve the numcheck of this checkout instead (to compare two versions)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 3)
    count = args.requests or (20 if args.quick else 100)
    seconds = args.seconds or (5.0 if args.quick else 20.0)

    corpus = load_corpus(ROOT)
    for note in corpus.notes:
        print(f"  {note}")
    if not corpus.all_requests:
        print("  no corpus: speed not measured")
        return 0
    print(f"  {os.cpu_count()} cores; load average {load_average()} (other work on the machine slows every figure)")
    results = Results()
    failed: list[str] = []

    def one_worker() -> None:
        with Server(workers=1, env=FIRST_SIGHT, root=args.checkout) as server, \
                httpx.Client(timeout=120.0) as client:
            spy = sample_server(server, args.py_spy) if args.py_spy else None
            try:
                if "throughput" not in args.skip:
                    print("throughput, one worker, one request at a time:")
                    throughput(server, client, corpus, rounds, results)
                if "latency" not in args.skip:
                    print("latency of the same articles, seen before:")
                    latency(server, client, corpus, count, budget=max(60.0, count * 1.0), results=results)
            finally:
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(60)
                    print(f"  py-spy: the server's samples (native frames included) are in {args.py_spy}")
            print("memory:")
            memory(server, results, "peak memory of the server (VmHWM)", target=True)
            if "growth" not in args.skip:
                print("growth:")
                growth(server, client, corpus, repeats=1 if args.quick else 3, results=results)
                memory(server, results, "peak memory after the large requests", target=False)

    def never_seen() -> None:
        print("latency of articles never seen (servers started for each round):")
        first_sight(corpus, rounds, results, args.checkout)

    def drafts() -> None:
        print("re-checks (the default parse cache on):")
        for workers in (1, 2):
            with Server(workers=workers, root=args.checkout) as server, httpx.Client(timeout=120.0) as client:
                recheck(server, client, corpus, count=min(count, len(corpus.articles)), results=results)

    parts: list[tuple[str, Callable[[], None]]] = []
    if "latency" not in args.skip:
        parts.append(("first sight", never_seen))
    if {"throughput", "latency", "growth"} - set(args.skip):
        parts.append(("one worker", one_worker))
    if "recheck" not in args.skip:
        parts.append(("re-checks", drafts))
    if "concurrency" not in args.skip:
        parts.append(("concurrency", lambda: scaling(corpus, seconds, results, args.checkout)))
        parts.append(("saturation", lambda: saturation(corpus, seconds, results, args.checkout)))
    if args.profile:
        parts.insert(0, ("profile", lambda: profile(corpus, results)))
    for name, part in parts:
        try:
            part()
        except (ServerError, RuntimeError, httpx.HTTPError) as exc:
            print(f"  {name}: failed: {exc}", flush=True)
            failed.append(name)
    met = sum(r.met is True for r in results.rows)
    missed = "; ".join(r.name for r in results.rows if r.met is False)
    print(f"summary ({os.cpu_count()} cores, load average now {load_average()}): {met} targets met"
          + (f", missed: {missed}" if missed else "") + (f"; failed to run: {', '.join(failed)}" if failed else ""))
    if args.json:
        summary = {"cores": os.cpu_count(), "figures": results.as_json(), "failed": failed}
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run())
