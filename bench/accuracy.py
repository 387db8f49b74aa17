"""Accuracy on labelled news cases: the whole check, scored as ../shared/tools/score_cases.py scores it.

Runs `service.pipeline.check` in process over every case folder given (default: the project's own
held-out sets in bench/ and, when present, the shared cases), and prints the scorer's summary for
each. The scorer is loaded from its path ($NUMCHECK_SCORER, default ../shared/tools/score_cases.py)
so that numbers here are the numbers the scorer gives over HTTP.

    python -m bench.accuracy [CASES_DIR ...] [-v]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCORER = ROOT.parent / "shared" / "tools" / "score_cases.py"
DEFAULT_SETS = [
    ROOT.parent / "shared" / "cases",
    ROOT / "bench" / "cases",
    ROOT / "bench" / "cases-dev",
    ROOT / "bench" / "cases-final",
    ROOT / "bench" / "cases-train",
]


def _scorer() -> ModuleType | None:
    path = Path(os.environ.get("NUMCHECK_SCORER", DEFAULT_SCORER))
    if not path.is_file():
        print(f"accuracy: no scorer at {path} (set NUMCHECK_SCORER); skipped")
        return None
    spec = importlib.util.spec_from_file_location("score_cases", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_folder(folder: Path, scorer: ModuleType, verbose: bool) -> dict[str, Any]:
    from service.models import Document
    from service.nlp import load_pipeline
    from service.pipeline import check
    from service.rules import load_rules
    from service.settings import get_settings

    settings = get_settings()
    nlp = load_pipeline(settings.spacy_pipeline, settings.fast_components)
    rules = load_rules(settings.rules_dir)
    results, elapsed = [], 0.0
    for path in sorted(folder.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        documents = [Document(id=d["id"], source=d.get("source"), text=d["text"]) for d in case["documents"]]
        start = time.perf_counter()
        report = check(documents, rules, nlp)
        elapsed += time.perf_counter() - start
        result = scorer.score_case(case, json.loads(report.model_dump_json()))
        results.append(result)
        if verbose and result["problems"]:
            print(f"== {result['id']}")
            for problem in result["problems"]:
                print(f"   {problem}")
    keys = ("expected", "caught", "reported", "true_flags", "forbidden", "figures", "figures_found",
            "figures_counted", "figures_hedge", "figures_source", "not_figures", "not_figures_reported")
    tot = {k: sum(r[k] for r in results) for k in keys}
    ratio = scorer.ratio
    recall, precision = ratio(tot["caught"], tot["expected"]), ratio(tot["true_flags"], tot["reported"])
    clean = [r for r in results if r["expected"] == 0]
    return {
        "cases": len(results),
        "discrepancy_recall": round(recall, 4),
        "discrepancy_precision": round(precision, 4),
        "false_alarms": tot["reported"] - tot["true_flags"],
        "forbidden_flags": tot["forbidden"],
        "clean_cases_without_flags": f"{sum(1 for r in clean if r['reported'] == 0)}/{len(clean)}",
        "figures_found": round(ratio(tot["figures_found"], tot["figures"]), 4),
        "figure_counted_ok": round(ratio(tot["figures_counted"], tot["figures_found"]), 4),
        "figure_hedge_ok": round(ratio(tot["figures_hedge"], tot["figures_found"]), 4),
        "figure_source_ok": round(ratio(tot["figures_source"], tot["figures_found"]), 4),
        "not_figures_reported": f"{tot['not_figures_reported']}/{tot['not_figures']}",
        "seconds_in_checker": round(elapsed, 3),
    }


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of case files")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every problem")
    args = parser.parse_args(argv)
    scorer = _scorer()
    if scorer is None:
        return 0
    folders = args.folders or [p for p in DEFAULT_SETS if p.is_dir()]
    for folder in folders:
        if not folder.is_dir():
            print(f"accuracy: {folder} is not a folder; skipped")
            continue
        print(f"== accuracy on {folder} ==")
        print(json.dumps(score_folder(folder, scorer, args.verbose), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(run())
