"""How well numcheck's extract stage reads numbers, next to quantulum3 alone, on two public sets.

    python -m bench.extraction [--newsquant PATH] [--measeval DIR] [--limit N] [--errors N] [--json OUT]

NewsQuant (news sentences; `$NUMCHECK_NEWSQUANT`, default
../shared/data/newsquant/formatted_test_set/NewsQuant.json) gives each sentence's quantities with
no offsets, so a prediction matches a gold quantity by value within its sentence. A gold range
"a-b" matches a figure stating that range; NewsQuant also writes "from a to b" as a range, which
numcheck reports as two figures (the values before and after a change), so the two together
match it too. Vague amounts ("thousands of") match a gold range they overlap; small ones ("a
few", "several", "a couple of") are left out, as NewsQuant does not annotate them.

MeasEval's eval split (science paragraphs; `$NUMCHECK_MEASEVAL`, default
../shared/data/measeval/data/eval) gives character offsets, so a prediction matches a gold
quantity whose span it overlaps and one of whose written numbers it equals.

Three levels are scored, each as precision, recall and F1:
- value: the number (and range end) is right;
- value + counted: also what is counted or measured (the counted noun, or the unit: "people",
  "dollars", "km"); a gold quantity with no unit needs only the value;
- value + hedge: also the hedge class: = (none, exactly, a stated range, a vague amount), ~
  (about, nearly, a range stated "about"), > (over, at least), < (up to, fewer than, just
  under), up / down (a
  change stated by a verb or sign: "rose 5%"; "a 5% rise" is "=" in NewsQuant).

Ages ("a 45-year-old") are listed in the report's `ignored` with the reason "age", and "one"
in "one of the best speakers" with the reason "one of a group", not as figures (a fact-checker
checks neither); NewsQuant counts them as quantities, so a second numcheck row ("+ ignored")
adds these readings of numcheck's.

quantulum3 (through service.quantities.baseline_parse) reads the same sentences in the same run;
it has no hedges, so its class is always "=". Words per second are measured on the same texts:
numcheck's full pipeline (parse included) against quantulum3's parser. The data sets are read
from where they lie and never copied.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from service.hedges import change_stated
from service.models import Document, Figure
from service.nlp import load_pipeline
from service.numbers import find_mentions
from service.pipeline import check
from service.quantities import BaselineQuantity, baseline_parse
from service.rules import RuleSet, load_rules
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
NEWSQUANT_DEFAULT = "../shared/data/newsquant/formatted_test_set/NewsQuant.json"
MEASEVAL_DEFAULT = "../shared/data/measeval/data/eval"
BATCH = 64
# Reasons numcheck gives for numbers it does not count as figures by convention, which NewsQuant
# annotates as quantities, and the words they count.
IGNORED_BY_CONVENTION = {"age": frozenset({"age", "year"}), "one of a group": frozenset()}

# Unit names as the gold sets write them, for numcheck's short unit names and codes.
UNIT_NAMES = {
    "usd": "dollar", "cad": "canadian dollar", "aud": "australian dollar", "nzd": "new zealand dollar",
    "hkd": "hong kong dollar", "sgd": "singapore dollar", "gbp": "pound sterling", "gbx": "penny pence p",
    "eur": "euro", "jpy": "japanese yen", "cny": "chinese yuan", "inr": "indian rupee", "rub": "russian ruble",
    "chf": "swiss franc", "usd_cent": "cent", "krw": "south korean won", "myr": "malaysian ringgit",
    "ils": "shekel", "sek": "swedish krona", "nok": "norwegian krone", "dkk": "danish krone",
    "%": "percentage percent", "pp": "percentage point", "km": "kilometre", "m": "metre", "cm": "centimetre",
    "mm": "millimetre", "mi": "mile", "nmi": "nautical mile", "ft": "foot", "in": "inch", "yd": "yard",
    "ha": "hectare", "km2": "square kilometre", "m2": "square metre", "sq mi": "square mile",
    "sq ft": "square foot", "kg": "kilogram", "g": "gram", "t": "tonne", "ton": "ton", "lb": "pound-mass",
    "oz": "ounce", "l": "litre", "ml": "millilitre", "m3": "cubic metre", "gal": "gallon", "bbl": "barrel",
    "km/h": "kilometre per hour", "mph": "mile per hour", "kn": "knot", "m/s": "metre per second",
    "w": "watt", "kw": "kilowatt", "mw": "megawatt", "gw": "gigawatt", "kwh": "kilowatt hour",
    "mwh": "megawatt hour", "gwh": "gigawatt hour", "twh": "terawatt hour", "degc": "celsius degree",
    "degf": "fahrenheit degree", "s": "second", "min": "minute", "h": "hour",
}
_SPELLING = {"meter": "metre", "liter": "litre", "kilometer": "kilometre", "centimeter": "centimetre",
             "millimeter": "millimetre", "kilometers": "kilometre", "meters": "metre", "feet": "foot",
             "inches": "inch", "$": "dollar", "%": "percent", "percentage": "percent", "usd": "dollar",
             "us$": "dollar", "£": "pound", "€": "euro", "¥": "yen", "pence": "penny", "pct": "percent",
             "people": "person", "children": "child", "men": "man", "women": "woman", "mph": "mile",
             "km": "kilometre", "kg": "kilogram", "ft": "foot", "mm": "millimetre", "cm": "centimetre",
             "lbs": "pound", "lb": "pound", "hp": "horsepower", "bhp": "horsepower", "gb": "gigabyte",
             "°c": "celsius", "°f": "fahrenheit", "c": "celsius", "f": "fahrenheit", "yrs": "year",
             "year-old": "year", "years-old": "year", "hz": "hertz", "ghz": "gigahertz", "mhz": "megahertz"}
_STOP = {"of", "per", "a", "an", "the", "and", "-", "", "in", "to", "for", "on", "at", "by"}


# --- the gold sets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gold:
    value: float
    value_to: float | None
    words: frozenset[str]  # what is counted or measured; empty: nothing to check
    hedge: str  # = ~ > < up down
    span: tuple[int, int] | None = None
    numbers: tuple[float, ...] = ()


@dataclass(frozen=True)
class Pred:
    value: float
    value_to: float | None
    low: float
    high: float
    vague: bool
    words: frozenset[str]
    hedge: str
    span: tuple[int, int] | None = None


@dataclass
class Item:
    """One text (a sentence or a paragraph) with its gold quantities and the two readings of it."""

    key: str
    text: str
    gold: list[Gold]
    ours: list[Pred] = field(default_factory=list)
    theirs: list[Pred] = field(default_factory=list)
    ages: list[Pred] = field(default_factory=list)  # ages and "one of" numcheck reads and lists as not figures


def norm_word(word: str) -> str:
    w = word.strip().lower().strip(".,()")
    w = _SPELLING.get(w, w)
    if len(w) > 3 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith(("ches", "shes", "sses", "xes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return _SPELLING.get(w, w)


def words_of(*texts: str | None) -> frozenset[str]:
    out: set[str] = set()
    for text in texts:
        for w in re.split(r"[\s/_]+", (text or "").replace("-", " ")):
            n = norm_word(w)
            if n not in _STOP:
                out.add(n)
    return frozenset(out)


def _gold_value(text: str) -> tuple[float, float | None] | None:
    text = text.strip()
    m = re.fullmatch(r"(-?[\d.]+(?:e[+-]?\d+)?)\s*-\s*(-?[\d.]+(?:e[+-]?\d+)?)", text)
    try:
        if m:
            a, b = float(m.group(1)), float(m.group(2))
            return a, b
        return float(text), None
    except ValueError:
        return None


_CHANGE = {"=": "=", "~": "~", ">": ">", "<": "<", "up": "up", "down": "down"}


def load_newsquant(path: Path) -> list[Item]:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = []
    for n, row in enumerate(data):
        gold = []
        for q in row.get("quantities", []):
            parsed = _gold_value(str(q.get("value", "")))
            if parsed is None:
                continue
            unit = "" if q.get("unit") in (None, "-") else str(q.get("unit"))
            norm = "" if q.get("normalized_unit") in (None, "-") else str(q.get("normalized_unit"))
            gold.append(Gold(parsed[0], parsed[1], words_of(unit, norm), _CHANGE.get(q.get("change", "="), "=")))
        items.append(Item(f"nq{n}", row["text"], gold))
    return items


_NUMBER_IN_GOLD = re.compile(r"\d+(?:[.,]\d+)*")


def load_measeval(folder: Path) -> list[Item]:
    items = []
    text_dir = folder / "text"
    for txt in sorted(text_dir.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        gold: list[Gold] = []
        tsv = folder / "tsv" / (txt.stem + ".tsv")
        rows = list(csv.DictReader(tsv.open(encoding="utf-8"), delimiter="\t")) if tsv.exists() else []
        entity_of: dict[str, str] = {}
        for r in rows:
            other = _json(r.get("other"))
            if r["annotType"] == "MeasuredEntity" and "HasQuantity" in other:
                entity_of[str(other["HasQuantity"])] = r["text"]
        for r in rows:
            if r["annotType"] != "Quantity":
                continue
            other = _json(r.get("other"))
            raw_mods = other.get("mods", [])
            mods = {str(m) for m in raw_mods} if isinstance(raw_mods, list) else set()
            unit = str(other.get("unit", ""))
            counted = entity_of.get(r["annotId"], "") if "IsCount" in mods else ""
            numbers = tuple(float(x.replace(",", "")) for x in _NUMBER_IN_GOLD.findall(r["text"])
                            if _is_float(x.replace(",", "")))
            hedge = "~" if "IsApproximate" in mods else "="
            gold.append(Gold(numbers[0] if numbers else math.nan, None, words_of(unit, counted), hedge,
                             (int(r["startOffset"]), int(r["endOffset"])), numbers))
        items.append(Item(txt.stem, text, gold))
    return items


def _json(raw: str | None) -> dict[str, object]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- the two readers --------------------------------------------------------------------------------


def hedge_class(figure: Figure, text: str = "", rules: RuleSet | None = None) -> str:
    """NewsQuant's class of a figure: ~ approximately (about, nearly), > and < bounds, up and down
    for a change; a stated range and a vague amount (a range too) are "=". A hedged change ("up
    about 19%") takes the hedge's class, as NewsQuant mostly does. NewsQuant marks a change only
    where a verb or sign states it ("rose 5%", "+5%"); a change named by a noun ("a 3% drop", "an
    increase of 12%") is "=" there."""
    hedged = {
        "about": "~", "nearly": "~", "over": ">", "at least": ">", "up to": "<", "fewer than": "<",
        "just under": "<",
    }.get(figure.hedge or "", "=")
    if hedged == "=" and figure.change in ("up", "down"):
        stated = change_stated(rules.relations.changes, text, figure.start, figure.end) if rules and text else None
        if stated is not None and stated[1] == "noun":
            return "="
        return figure.change
    return hedged


def numcheck_reader(rules: RuleSet, nlp: object) -> Callable[[list[Item]], None]:
    def read(items: list[Item]) -> None:
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            docs = [Document(id=str(k), text=item.text, source="bench") for k, item in enumerate(batch)]
            report = check(docs, rules, nlp)  # type: ignore[arg-type]
            for f in report.figures:
                if f.hedge == "vague" and f.high < 10:
                    continue  # "a few", "several": NewsQuant does not annotate small vague amounts
                words = words_of(f.counted, UNIT_NAMES.get((f.unit or "").lower(), f.unit or ""))
                text = batch[int(f.document_id)].text
                batch[int(f.document_id)].ours.append(
                    Pred(float(f.value), None if f.value_to is None else float(f.value_to), float(f.low),
                         float(f.high), f.hedge == "vague", words, hedge_class(f, text, rules), (f.start, f.end))
                )
            for ig in report.ignored:
                mentions = find_mentions(rules, ig.text) if ig.reason in IGNORED_BY_CONVENTION else []
                if mentions:
                    v = mentions[0].value
                    batch[int(ig.document_id)].ages.append(
                        Pred(v, None, v, v, False, IGNORED_BY_CONVENTION[ig.reason], "=", (ig.start, ig.end))
                    )

    return read


def quantulum_read(items: list[Item]) -> None:
    for item in items:
        for q in baseline_parse(item.text):
            item.theirs.append(_from_quantulum(q))


def _from_quantulum(q: BaselineQuantity) -> Pred:
    unit = "" if q.unit == "dimensionless" else q.unit
    return Pred(q.value, None, q.value, q.value, False, words_of(unit), "=", (q.start, q.end))


# --- matching and scoring ---------------------------------------------------------------------------


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    value: int = 0
    counted: int = 0
    hedge: int = 0

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.predicted if self.predicted else 0.0
        r = hits / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return 100 * p, 100 * r, 100 * f


@dataclass
class Miss:
    key: str
    text: str
    gold: list[Gold]
    missed: list[Gold]
    extra: list[Pred]
    wrong: list[tuple[str, Gold, Pred]] = field(default_factory=list)


def _value_match(g: Gold, p: Pred, by_span: bool) -> bool:
    if by_span:
        if g.span is None or p.span is None or not (p.span[0] < g.span[1] and g.span[0] < p.span[1]):
            return False
        if not g.numbers:
            return True
        return any(close(p.value, n) or (p.value_to is not None and close(p.value_to, n)) for n in g.numbers)
    if g.value_to is None:
        return p.value_to is None and not p.vague and close(p.value, g.value)
    lo, hi = min(g.value, g.value_to), max(g.value, g.value_to)
    if p.vague:
        return p.low <= hi and lo <= p.high
    return p.value_to is not None and close(p.value, lo) and close(p.value_to, hi)


def _counted_ok(g: Gold, p: Pred) -> bool:
    return not g.words or bool(g.words & p.words)


def score(items: Iterable[Item], which: str, by_span: bool, misses: list[Miss] | None = None) -> Score:
    s = Score()
    for item in items:
        preds: list[Pred] = list(item.theirs if which == "theirs" else item.ours)
        if which == "ours+ages":
            preds = sorted([*preds, *item.ages], key=lambda p: p.span or (0, 0))
        s.gold += len(item.gold)
        s.predicted += len(preds)
        used = [False] * len(preds)
        missed: list[Gold] = []
        wrong: list[tuple[str, Gold, Pred]] = []
        for g in item.gold:
            found = _take(g, preds, used, by_span)
            if not found:
                missed.append(g)
                continue
            s.value += 1
            counted_ok = any(_counted_ok(g, preds[k]) for k in found)
            hedge_ok = any(preds[k].hedge == g.hedge for k in found)
            s.counted += counted_ok
            s.hedge += hedge_ok
            if not counted_ok:
                wrong.append(("counted", g, preds[found[0]]))
            if not hedge_ok:
                wrong.append(("hedge", g, preds[found[0]]))
            # "from 240 to 273": two figures for one gold range count as one prediction.
            s.predicted -= len(found) - 1
        extra = [p for p, u in zip(preds, used, strict=True) if not u]
        if misses is not None and (missed or extra or wrong):
            misses.append(Miss(item.key, item.text, item.gold, missed, extra, wrong))
    return s


def _take(g: Gold, preds: Sequence[Pred], used: list[bool], by_span: bool) -> list[int]:
    for k, p in enumerate(preds):
        if not used[k] and _value_match(g, p, by_span):
            used[k] = True
            return [k]
    if g.value_to is not None and not by_span:
        lo = [k for k, p in enumerate(preds) if not used[k] and p.value_to is None and close(p.value, g.value)]
        hi = [k for k, p in enumerate(preds) if not used[k] and p.value_to is None and close(p.value, g.value_to)]
        if lo and hi and lo[0] != hi[0]:
            used[lo[0]] = used[hi[0]] = True
            return [lo[0], hi[0]]
    return []


# --- the run -----------------------------------------------------------------------------------------


def _resolve(raw: str) -> Path:
    path = Path(raw)
    if path.is_absolute() or path.exists():
        return path
    return ROOT / raw


def _timed(read: Callable[[list[Item]], None], items: list[Item]) -> float:
    t0 = time.perf_counter()
    read(items)
    return time.perf_counter() - t0


def _row(name: str, s: Score, words: int, seconds: float) -> str:
    cells = [f"{name:<11}"]
    for hits in (s.value, s.counted, s.hedge):
        p, r, f = s.prf(hits)
        cells.append(f"{p:5.1f} {r:5.1f} {f:5.1f}")
    cells.append(f"{words / seconds if seconds else 0:8.0f}")
    return " | ".join(cells)


def _report(title: str, items: list[Item], by_span: bool, t_ours: float, t_theirs: float,
            errors: int) -> dict[str, object]:
    words = sum(len(i.text.split()) for i in items)
    ours_misses: list[Miss] = []
    ours, theirs = score(items, "ours", by_span, ours_misses), score(items, "theirs", by_span)
    print(f"\n{title}: {len(items)} texts, {words} words, {ours.gold} gold quantities")
    print(f"{'':<11} | {'value':^17} | {'value + counted':^17} | {'value + hedge':^17} | words/s")
    print(f"{'':<11} | {'P     R     F1':^17} | {'P     R     F1':^17} | {'P     R     F1':^17} |")
    with_ages = score(items, "ours+ages", by_span)
    print(_row("numcheck", ours, words, t_ours))
    print(_row("  + ignored", with_ages, words, t_ours))
    print(_row("quantulum3", theirs, words, t_theirs))
    for miss in ours_misses[:errors]:
        print(f"  [{miss.key}] {miss.text[:160]}")
        for g in miss.missed:
            print(f"      missed {g.value}{'-' + str(g.value_to) if g.value_to is not None else ''} {sorted(g.words)}")
        for p in miss.extra:
            print(f"      extra  {p.value}{'-' + str(p.value_to) if p.value_to is not None else ''} {sorted(p.words)}")
        for what, g, p in miss.wrong:
            got = p.hedge if what == "hedge" else sorted(p.words)
            want = g.hedge if what == "hedge" else sorted(g.words)
            print(f"      {what:<7} {g.value}: expected {want}, got {got}")
    out: dict[str, object] = {"texts": len(items), "words": words, "gold": ours.gold}
    for name, s, secs in (("numcheck", ours, t_ours), ("numcheck+ages", with_ages, t_ours),
                          ("quantulum3", theirs, t_theirs)):
        out[name] = {
            level: dict(zip(("precision", "recall", "f1"), (round(x, 2) for x in s.prf(hits)), strict=True))
            for level, hits in (("value", s.value), ("value+counted", s.counted), ("value+hedge", s.hedge))
        } | {"words_per_second": round(words / secs if secs else 0.0, 1)}
    return out


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__.split("\n\n")[0])
    parser.add_argument("--newsquant", default=os.environ.get("NUMCHECK_NEWSQUANT", NEWSQUANT_DEFAULT))
    parser.add_argument("--measeval", default=os.environ.get("NUMCHECK_MEASEVAL", MEASEVAL_DEFAULT))
    parser.add_argument("--limit", type=int, default=0, help="read only the first N texts of each set")
    parser.add_argument("--errors", type=int, default=0, help="print numcheck's first N texts with misses")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)

    settings = Settings()
    rules = load_rules(settings.rules_dir)
    nlp = load_pipeline(settings.spacy_pipeline, settings.fast_components)
    read_ours = numcheck_reader(rules, nlp)
    read_ours([Item("warm", "Warm-up: 3 people.", [])])
    quantulum_read([Item("warm", "Warm-up: 3 km.", [])])

    results: dict[str, object] = {}
    sets: list[tuple[str, Path, Callable[[Path], list[Item]], bool]] = [
        ("NewsQuant", _resolve(args.newsquant), load_newsquant, False),
        ("MeasEval eval", _resolve(args.measeval), load_measeval, True),
    ]
    for title, path, load, by_span in sets:
        if not path.exists():
            print(f"\n{title}: not found at {path}; skipped (set the path with the option or its variable).")
            continue
        items = load(path)
        if args.limit:
            items = items[: args.limit]
        t_ours = _timed(read_ours, items)
        t_theirs = _timed(quantulum_read, items)
        results[title] = _report(title, items, by_span, t_ours, t_theirs, args.errors)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not results:
        print("no data set found; nothing measured", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run())
