"""`python -m bench [NAME [OPTIONS...]]`: run every benchmark, or the one named.

NAME is `accuracy`, `extraction`, `speed`, `page`, `stories` or `adversarial`; options after it go to
that benchmark (`python -m bench speed --help`). With no NAME each benchmark runs with its defaults, one
after the other.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable

BENCHMARKS = ("accuracy", "extraction", "speed", "page", "stories", "adversarial")


def _load(name: str) -> Callable[[list[str]], int] | None:
    try:
        module = importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"bench.{name}":
            raise
        return None
    run: Callable[[list[str]], int] = module.run
    return run


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if argv and not argv[0].startswith("-"):
        name, rest = argv[0], argv[1:]
        if name not in BENCHMARKS:
            print(f"no benchmark {name!r}: choose one of {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
        names: tuple[str, ...] = (name,)
    elif argv:
        print("options need a benchmark's name first, e.g. `python -m bench speed --quick`", file=sys.stderr)
        return 2
    else:
        names, rest = BENCHMARKS, []
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {os.cpu_count()} cores ({usable} usable by this process), Python {sys.version.split()[0]}")
    worst = 0
    for name in names:
        run = _load(name)
        if run is None:
            print(f"\n== {name}: bench/{name}.py is missing; skipped")
            continue
        print(f"\n== {name}", flush=True)
        worst = max(worst, run(list(rest)))
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
