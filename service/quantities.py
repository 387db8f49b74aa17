"""The only module that imports quantulum3.

numcheck reads numbers itself (quantulum3 reads years as numbers, "2.15pm" as picometres and
"a dozen" as 1); it uses quantulum3's unit table to recognise the rarer units its own table
lacks, and offers quantulum3's parser to the benchmarks as the baseline. quantulum3 keeps
module-level state: it is loaded once here and never changed per request.

Importing quantulum3's unit loader costs about three seconds (it pluralises every unit name
with `inflect`, whose import instruments each of its functions with typeguard): more than the
whole spaCy pipeline takes to load. The part of the table numcheck reads is therefore kept as
a snapshot, `unit_surfaces.json` beside this module, written from quantulum3 itself by
`python -m service.quantities` and checked against it by the tests. The snapshot names the
quantulum3 version it was made from; with any other version installed the table is built
from quantulum3 at run time, as before.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

logger = logging.getLogger("numcheck.quantities")

SNAPSHOT = Path(__file__).resolve().parent / "unit_surfaces.json"

# quantulum3 entity names -> numcheck dimensions; others are not taken from it.
_DIMENSIONS = {
    "length": "length", "area": "area", "volume": "volume", "mass": "mass", "speed": "speed",
    "power": "power", "energy": "energy", "temperature": "temperature", "time": "duration",
    "pressure": "pressure", "data storage": "data", "frequency": "frequency", "force": "force",
    "volume (lumber)": "volume", "fuel economy": "fuel economy", "luminosity": "luminosity",
}
_WORD = re.compile(r"\s?([A-Za-z][A-Za-z.'/-]*(?:\s[a-z][a-z-]*)?)")
_lock = threading.Lock()


@dataclass(frozen=True)
class BaselineQuantity:
    value: float
    unit: str
    entity: str
    surface: str
    start: int
    end: int


def _quantulum3() -> tuple[Any, Any]:
    """quantulum3's unit loader and parser, imported on first use."""
    with warnings.catch_warnings():
        # quantulum3 warns at import that its optional classifier is not installed; numcheck does
        # not use the classifier.
        warnings.simplefilter("ignore")
        from quantulum3 import load, parser
    return load, parser


def build_surfaces() -> dict[str, tuple[str, str]]:
    """Lower-cased unit surface -> (unit name, dimension), for units with one clear reading,
    from quantulum3's own tables (singular and plural surfaces)."""
    load, _ = _quantulum3()
    units: Any = load.units("en_US")
    table: dict[str, tuple[str, str]] = {}
    for surface, candidates in units.surfaces_lower.items():
        readings = {(u.name, _DIMENSIONS.get(u.entity.name, "")) for u in candidates}
        readings = {r for r in readings if r[1]}
        if len(readings) == 1 and len(surface) >= 4:
            table[surface] = next(iter(readings))
    return dict(sorted(table.items()))


@lru_cache(maxsize=1)
def _surfaces() -> dict[str, tuple[str, str]]:
    """The table `build_surfaces` gives, from the snapshot where it was made from the installed quantulum3."""
    try:
        snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        made_from = snapshot["quantulum3"]
        surfaces = {surface: (name, dimension) for surface, (name, dimension) in snapshot["surfaces"].items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("unit table snapshot %s unreadable (%s): building it from quantulum3", SNAPSHOT, exc)
        return build_surfaces()
    if made_from != version():
        logger.warning(
            "unit table snapshot made from quantulum3 %s, %s installed: building it from quantulum3 "
            "(run `python -m service.quantities` to write a new snapshot)", made_from, version()
        )
        return build_surfaces()
    return surfaces


def unit_at(text: str, pos: int) -> tuple[str, str, str, int] | None:
    """A unit name from quantulum3's table written at text[pos:]: (surface, name, dimension, end)."""
    m = _WORD.match(text, pos)
    if not m:
        return None
    table = _surfaces()
    words = m.group(1)
    for candidate in (words, words.split(" ")[0]):
        reading = table.get(candidate.lower())
        if reading:
            name, dimension = reading
            return candidate, name.replace(" ", "_"), dimension, m.start(1) + len(candidate)
    return None


def baseline_parse(text: str) -> list[BaselineQuantity]:
    """quantulum3's own reading of a text, for comparison in the benchmarks."""
    _, parser = _quantulum3()
    with _lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = parser.parse(text)
    out = []
    for q in found:
        start, end = q.span
        out.append(BaselineQuantity(float(q.value), q.unit.name, q.unit.entity.name, q.surface, start, end))
    return out


@lru_cache(maxsize=1)
def version() -> str:
    return metadata.version("quantulum3")


def warm() -> None:
    """Load the unit table now (at start-up), not on the first request."""
    _surfaces()


def write_snapshot(path: Path = SNAPSHOT) -> None:
    """Write the unit table of the installed quantulum3 to `path`."""
    # One surface a line, so a new quantulum3's changes read as a diff.
    rows = ",\n".join(
        f"  {json.dumps(surface, ensure_ascii=False)}: {json.dumps(list(reading), ensure_ascii=False)}"
        for surface, reading in build_surfaces().items()
    )
    path.write_text(f'{{"quantulum3": {json.dumps(version())}, "surfaces": {{\n{rows}\n}}}}\n', encoding="utf-8")


if __name__ == "__main__":
    write_snapshot()
    print(f"wrote {SNAPSHOT} from quantulum3 {version()}", file=sys.stderr)
