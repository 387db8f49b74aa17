"""The only module that imports quantulum3.

numcheck reads numbers itself (quantulum3 reads years as numbers, "2.15pm" as picometres and
"a dozen" as 1); it uses quantulum3's unit table to recognise the rarer units its own table
lacks, and offers quantulum3's parser to the benchmarks as the baseline. quantulum3 keeps
module-level state: it is loaded once here and never changed per request.
"""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

with warnings.catch_warnings():
    # quantulum3 warns at import that its optional classifier is not installed; numcheck does
    # not use the classifier.
    warnings.simplefilter("ignore")
    from quantulum3 import load as _q_load
    from quantulum3 import parser as _q_parser

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


@lru_cache(maxsize=1)
def _surfaces() -> dict[str, tuple[str, str]]:
    """Lower-cased unit surface -> (unit name, dimension), for units with one clear reading."""
    units: Any = _q_load.units("en_US")
    table: dict[str, tuple[str, str]] = {}
    for surface, candidates in units.surfaces_lower.items():
        readings = {(u.name, _DIMENSIONS.get(u.entity.name, "")) for u in candidates}
        readings = {r for r in readings if r[1]}
        if len(readings) == 1 and len(surface) >= 4:
            table[surface] = next(iter(readings))
    return table


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
    with _lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = _q_parser.parse(text)
    out = []
    for q in found:
        start, end = q.span
        out.append(BaselineQuantity(float(q.value), q.unit.name, q.unit.entity.name, q.surface, start, end))
    return out


def version() -> str:
    from importlib.metadata import version as _version

    return _version("quantulum3")


def warm() -> None:
    """Load quantulum3's tables now (at start-up), not on the first request."""
    _surfaces()
