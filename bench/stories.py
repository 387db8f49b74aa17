"""Stored stories under load, on SQLite and on PostgreSQL.

    python -m bench stories [--quick] [--backend sqlite|postgresql|both] [--stories N] [--flags N]
                            [--requests N] [--seconds S] [--clients N] [--workers N] [--json OUT]

For each backend a database is filled through the store with `--stories` stories (default 1,000)
holding `--flags` flags in all (default 20,000), some dismissed and some assigned, then a
`numcheck serve` on loopback (port 8100–8149, `--workers` processes, API keys as a client sends
them) is timed:
- the story list: p50 and p95 of `GET /v1/stories`, with and without the status and assignee
  filters and at random pages, one request at a time;
- a flag update: p50 and p95 of `PATCH /v1/stories/{id}/flags/{flag}`, one at a time;
- `--clients` clients (default 8) changing flags of one small set for `--seconds` (default 60),
  each reading a flag and sending a change based on the version it read. Every accepted change
  must then be in the flag's history (lost updates, target 0), and every answer must be 200 or a
  409 whose flag had indeed moved past the version sent (other errors, target 0).

PostgreSQL is a throwaway server (bench/postgres.py) with its default durability (fsync and
synchronous commit on); SQLite runs in WAL mode with synchronous=NORMAL, as the store opens it.
The machine may be shared: the load average is printed, and the figures are medians of nothing,
so compare runs made in the same hour.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update

from bench.postgres import PostgresMissing, PostgresServer
from bench.serving import Server, ServerError, free_port
from bench.speed import Results, add_latency, load_average
from service.models import Discrepancy, Document, Figure, Report
from service.store import LOCAL_USER, Store
from service.store.tables import FlagRow

PORTS = range(8100, 8150)
SOURCES = ["TASS", "Khaama Press", "Reuters", "AP", "Police", "Ministry", "Hospital", "Council"]
NOTE = "note"


@dataclass
class Desk:
    """A filled database: its story and flag ids, and the keys of its users."""

    url: str
    env: dict[str, str]
    stories: list[int]
    flags: list[tuple[int, int]]
    keys: list[str]


def synthetic_report(number: int, flags: int) -> Report:
    """A report of `flags` conflicting accounts, each over two claims, all distinct."""
    figures: list[Figure] = []
    discrepancies: list[Discrepancy] = []
    for k in range(flags):
        ids = []
        for side in range(2):
            value = 1000 + 37 * number + 101 * k + 5000 * side
            fid = f"f{len(figures) + 1}"
            ids.append(fid)
            start = 40 * len(figures)
            figures.append(
                Figure(
                    id=fid, document_id="d", start=start, end=start + 5, text=f"{value:,}", value=value,
                    low=value, high=value, dimension="count", counted="people",
                    source=SOURCES[(k + side) % len(SOURCES)],
                )
            )
        discrepancies.append(
            Discrepancy(
                id=f"d{k + 1}", kind="conflicting_accounts", severity=("high", "medium", "low")[k % 3],
                figure_ids=ids, explanation=f"{figures[-2].text} vs {figures[-1].text}",
            )
        )
    return Report(figures=figures, groups=[], discrepancies=discrepancies, ignored=[])


def fill(store: Store, stories: int, flags: int, clients: int) -> tuple[list[int], list[tuple[int, int]], list[str]]:
    per_story, extra = divmod(flags, stories)
    story_ids: list[int] = []
    flag_ids: list[tuple[int, int]] = []
    for number in range(stories):
        count = per_story + (number < extra)
        document = Document(id="d", text=f"Draft {number}: " + "figures. " * 40, source="Desk")
        story = store.save_story([document], synthetic_report(number, count), LOCAL_USER, title=f"Story {number}")
        story_ids.append(story.id)
        flag_ids += [(story.id, flag.id) for flag in story.flags]
    # Decisions without history (this is the starting state, not a change to measure).
    with store.database.writing() as session:
        session.execute(update(FlagRow).where(FlagRow.id % 4 == 1).values(status="dismissed"))
        session.execute(update(FlagRow).where(FlagRow.id % 9 == 2).values(status="confirmed"))
        for desk in range(clients):
            where = (FlagRow.id % 3 == 0, FlagRow.id % clients == desk)
            session.execute(update(FlagRow).where(*where).values(assignee=f"desk-{desk + 1}"))
    keys = [store.add_user(f"desk-{n + 1}", "checker")[1] for n in range(clients)]
    return story_ids, flag_ids, keys


@contextmanager
def desk(backend: str, stories: int, flags: int, clients: int) -> Iterator[Desk]:
    with tempfile.TemporaryDirectory(prefix="numcheck-stories-") as folder:
        if backend == "sqlite":
            url = f"sqlite:///{folder}/numcheck.sqlite3"
            env = {"NUMCHECK_DATA_DIR": folder, "NUMCHECK_DATABASE_URL": ""}
            server: PostgresServer | None = None
        else:
            server = PostgresServer(durable=True).start()
            url = server.new_database("stories")
            env = {"NUMCHECK_DATABASE_URL": url}
        try:
            store = Store.open(url)
            t0 = time.perf_counter()
            story_ids, flag_ids, keys = fill(store, stories, flags, clients)
            store.close()
            print(f"  filled: {len(story_ids):,} stories, {len(flag_ids):,} flags in {time.perf_counter() - t0:.0f} s")
            yield Desk(url, env, story_ids, flag_ids, keys)
        finally:
            if server is not None:
                server.stop()


def expect(response: httpx.Response, status: int) -> httpx.Response:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.request.url.path} answered "
                           f"{response.status_code}: {response.text[:300]}")
    return response


def timed(call: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - t0, result


def sequential(server: Server, data: Desk, count: int, results: Results, name: str) -> None:
    rng = random.Random(12)
    headers = {"Authorization": f"Bearer {data.keys[0]}"}
    pages = max(1, len(data.stories) // 50)
    queries = [{}, {"status": "open"}, {"assignee": "desk-3"}, {"status": "dismissed", "assignee": "desk-2"}]
    with httpx.Client(base_url=server.url, headers=headers, timeout=60.0) as client:
        expect(client.get("/v1/stories"), 200)  # the first request opens connections
        lists = []
        for n in range(count):
            params = {**queries[n % len(queries)], "offset": 50 * rng.randrange(pages) if n % 2 else 0}
            seconds, response = timed(client.get, "/v1/stories", params=params)
            expect(response, 200)
            lists.append(seconds)
        add_latency(results, f"{name}: story list", lists)
        updates = []
        for n in range(count):
            story_id, flag_id = rng.choice(data.flags)
            path = f"/v1/stories/{story_id}/flags/{flag_id}"
            version = expect(client.get(path), 200).json()["version"]
            seconds, response = timed(client.patch, path, json={"version": version, "note": f"sequential {n}"})
            expect(response, 200)
            updates.append(seconds)
        add_latency(results, f"{name}: flag update", updates)


@dataclass
class Tally:
    accepted: list[tuple[int, int, str]] = field(default_factory=list)  # (flag, version, note)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    patch_seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client_loop(url: str, key: str, name: str, hot: list[tuple[int, int]], seconds: float, tally: Tally) -> None:
    rng = random.Random(name)
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60.0) as client:
        n = 0
        while time.monotonic() < deadline and n < 100_000:
            n += 1
            story_id, flag_id = rng.choice(hot)
            path = f"/v1/stories/{story_id}/flags/{flag_id}"
            note = f"{name} #{n}"
            try:
                read = client.get(path)
                if read.status_code != 200:
                    raise RuntimeError(f"GET {read.status_code}: {read.text[:200]}")
                version = read.json()["version"]
                change = {"version": version, NOTE: note, "status": rng.choice(["open", "confirmed", "dismissed"])}
                seconds, response = timed(client.patch, path, json=change)
            except (httpx.HTTPError, RuntimeError, ValueError) as exc:
                with tally.lock:
                    tally.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with tally.lock:
                tally.patch_seconds.append(seconds)
                if response.status_code == 200:
                    tally.accepted.append((flag_id, response.json()["version"], note))
                elif response.status_code == 409 and _real_conflict(response, version):
                    tally.conflicts += 1
                else:
                    tally.errors.append(f"PATCH {response.status_code}: {response.text[:200]}")


def _real_conflict(response: httpx.Response, sent: int) -> bool:
    """A 409 is a real conflict when the flag it returns has moved past the version sent."""
    try:
        current = response.json()["error"]["details"][0]["current"]
        return bool(current["version"] > sent)
    except (ValueError, KeyError, IndexError, TypeError):
        return False


def lost_updates(url: str, hot: list[tuple[int, int]], tally: Tally) -> tuple[int, int, int]:
    """Accepted changes missing from history, flags whose final state is not their last accepted change,
    and versions accepted twice."""
    last: dict[int, tuple[int, str]] = {}
    for flag_id, version, note in tally.accepted:
        if version > last.get(flag_id, (0, ""))[0]:
            last[flag_id] = (version, note)
    store = Store.open(url)
    try:
        flags = {flag_id: store.flag(story_id, flag_id) for story_id, flag_id in hot}
    finally:
        store.close()
    noted = {(f.id, h.flag_version, h.new) for f in flags.values() for h in f.history or [] if h.field == NOTE}
    lost = sum(change not in noted for change in tally.accepted)
    overwritten = sum((flags[flag_id].version, flags[flag_id].note) != final for flag_id, final in last.items())
    twice = len(tally.accepted) - len({(flag_id, version) for flag_id, version, _ in tally.accepted})
    return lost, overwritten, twice


def concurrent(server: Server, data: Desk, clients: int, seconds: float, results: Results, name: str) -> None:
    hot = random.Random(7).sample(data.flags, min(len(data.flags), 4 * clients))
    tally = Tally()
    threads = [
        threading.Thread(target=client_loop, args=(server.url, data.keys[k % len(data.keys)], f"desk-{k + 1}", hot,
                                                   seconds, tally))
        for k in range(clients)
    ]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    elapsed = time.perf_counter() - t0
    lost, overwritten, duplicates = lost_updates(data.url, hot, tally)
    rate = len(tally.accepted) / elapsed
    results.add(f"{name}: {clients} clients, {len(hot)} flags, {elapsed:.0f} s", len(tally.accepted),
                f"{len(tally.accepted):,} changes accepted ({rate:.0f}/s), {tally.conflicts:,} conflicts (409)")
    results.add(f"{name}: lost updates", lost + overwritten + duplicates,
                f"{lost} not in history, {overwritten} overwritten, {duplicates} versions given twice", "0",
                lost + overwritten + duplicates == 0)
    results.add(f"{name}: errors other than real conflicts", len(tally.errors), str(len(tally.errors)), "0",
                not tally.errors)
    for message in sorted(set(tally.errors))[:5]:
        print(f"    e.g. {message}")
    add_latency(results, f"{name}: flag update under load", tally.patch_seconds)


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench stories", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 100 stories, 2,000 flags, 10 s")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--stories", type=int, help="stories to fill (default 1,000)")
    parser.add_argument("--flags", type=int, help="flags in all (default 20,000)")
    parser.add_argument("--requests", type=int, default=200, help="sequential requests timed of each kind")
    parser.add_argument("--seconds", type=float, help="length of the concurrent run (default 60)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    stories = args.stories or (100 if args.quick else 1000)
    flags = args.flags or (2000 if args.quick else 20_000)
    seconds = args.seconds or (10.0 if args.quick else 60.0)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(f"  {os.cpu_count()} cores; load average {load_average()} (other work on the machine slows every figure)")
    results = Results()
    failed: list[str] = []
    for backend in backends:
        print(f"{backend}:")
        try:
            with desk(backend, stories, flags, args.clients) as data, \
                    Server(workers=args.workers, env=data.env, port=free_port(PORTS)) as server:
                sequential(server, data, args.requests, results, backend)
                concurrent(server, data, args.clients, seconds, results, backend)
        except (ServerError, RuntimeError, httpx.HTTPError, PostgresMissing) as exc:
            print(f"  {backend}: failed: {exc}", flush=True)
            failed.append(backend)
    missed = "; ".join(r.name for r in results.rows if r.met is False)
    print(f"summary (load average now {load_average()}): " + (f"missed: {missed}" if missed else "all targets met")
          + (f"; failed to run: {', '.join(failed)}" if failed else ""))
    if args.json:
        args.json.write_text(json.dumps({"figures": results.as_json(), "failed": failed}, indent=2), encoding="utf-8")
    return 1 if failed or missed else 0
