"""The report page in Chromium: time from pressing Check to the page showing its flags; then the
story page: time to open a saved story with its flags and their triage.

    python -m bench page [--runs N] [--port P]

The seed article (source "Khaama Press") is pasted into the form at / and checked, N times
after one warm-up, on a one-worker `numcheck serve` with its parse cache off, so every submit
parses the article anew as a first check of it would. Two clocks: Python's, from the click to
the first flag being visible (Playwright's round trips included), and the page's own navigation
timing (from the submit: first byte of the answer, which holds the check; the document parsed;
the page loaded). Then the last check is saved as a story (the server runs as the single local
user, on a database of its own in a temporary folder), its flag dismissed with a note, and the
story page opened N times after one warm-up, timed the same way until its flag and the flag's
triage show. Medians are printed with the spread and the load average: the machine may be
shared. Screenshots of the last report page and of the story page are written to
bench/out/report-page.png and bench/out/story-page.png.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from typing import Any

from bench import chromium
from bench.serving import ROOT, Server

SEED = ROOT / "seeds" / "tass-kp-tajikistan-drills" / "article.txt"
OUT = ROOT / "bench" / "out"
FIRST_SIGHT = {"NUMCHECK_PARSE_CACHE_SENTENCES": "0"}
NAVIGATION = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  return {response: n.responseStart, parsed: n.domContentLoadedEventEnd, loaded: n.loadEventEnd};
}"""


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _row(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"  {name:<44} median {statistics.median(ms):6.0f} ms   (min {min(ms):.0f}, max {max(ms):.0f})"


def measure(runs: int, port: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    article = SEED.read_text(encoding="utf-8")
    times: dict[str, list[float]] = {"wall": [], "response": [], "parsed": [], "loaded": []}
    times |= {f"story_{key}": [] for key in ("wall", "response", "parsed", "loaded")}
    data = tempfile.TemporaryDirectory(prefix="numcheck-bench-page-")
    env = {**FIRST_SIGHT, "NUMCHECK_DATA_DIR": data.name}
    with data, Server(env=env, port=port) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium.CHROMIUM), args=chromium.ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for n in range(runs + 1):
            page.goto(server.url + "/")
            page.fill("#doc-0-source", "Khaama Press")
            page.fill("#doc-0-text", article)
            start = time.perf_counter()
            page.click(".check-button")
            page.locator(".flag").first.wait_for(state="visible", timeout=120_000)
            wall = time.perf_counter() - start
            nav: dict[str, Any] = page.evaluate(NAVIGATION)
            if n == 0:
                continue  # the warm-up: the first check of a new server loads what it loads lazily
            times["wall"].append(wall)
            for key in ("response", "parsed", "loaded"):
                times[key].append(float(nav[key]) / 1000)
        flags = page.locator(".flag").count()
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=OUT / "report-page.png")
        story_url = _triaged_story(page)
        for n in range(runs + 1):
            start = time.perf_counter()
            page.goto(story_url)
            page.locator(".flag .triage").first.wait_for(state="visible", timeout=120_000)
            wall = time.perf_counter() - start
            nav = page.evaluate(NAVIGATION)
            if n == 0:
                continue
            times["story_wall"].append(wall)
            for key in ("response", "parsed", "loaded"):
                times[f"story_{key}"].append(float(nav[key]) / 1000)
        page.locator(".flag-select").first.click()
        page.locator(".flag .history summary").first.click()
        page.screenshot(path=OUT / "story-page.png", full_page=True)
        browser.close()
    print(
        f"  {flags} flag(s) shown; screenshots: {(OUT / 'report-page.png').relative_to(ROOT)}, "
        f"{(OUT / 'story-page.png').relative_to(ROOT)}"
    )
    return times


def _triaged_story(page: Any) -> str:
    """Save the report on the page as a story and dismiss its first flag with a note; its address."""
    page.fill("#story-title", "Drills on the Afghan border")
    page.click("text=Save as a story")
    page.locator(".flag .triage").first.wait_for(state="visible", timeout=120_000)
    story_url = str(page.url)
    page.fill(
        ".flag .triage textarea",
        "TASS counts an earlier stage of the drill; KP counts everyone who took part.",
    )
    page.fill(".flag .triage input[name=assignee]", "desk")
    page.click(".flag .triage button[value=dismissed]")
    page.locator(".saved").wait_for(state="visible", timeout=60_000)
    return story_url


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench page", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="timed submits after one warm-up (default 9)")
    ports = chromium.PORTS
    parser.add_argument(
        "--port", type=int, help=f"server port (default: the first free in {ports.start}-{ports.stop - 1})"
    )
    args = parser.parse_args(argv)
    problem = chromium.missing()
    if problem:
        print(f"  {problem}")
        return 1
    print(f"  seed article, one worker, parse cache off, {args.runs} runs; load average {_load()} before")
    times = measure(args.runs, args.port or chromium.free_port())
    print(_row("submit → first flag visible (Python's clock)", times["wall"]))
    print(_row("submit → first byte of the report page", times["response"]))
    print(_row("submit → report page parsed (DOMContentLoaded)", times["parsed"]))
    print(_row("submit → report page loaded", times["loaded"]))
    print(_row("story page: open → flags and triage visible", times["story_wall"]))
    print(_row("story page: first byte", times["story_response"]))
    print(_row("story page: parsed (DOMContentLoaded)", times["story_parsed"]))
    print(_row("story page: loaded", times["story_loaded"]))
    print(f"  load average {_load()} after (the machine is shared: other work slows every figure)")
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
