"""Units of measure: recognise the unit written after a number and convert to a base unit.

The forms news copy uses are listed in rules/numbers.yaml (`units`); anything else is looked up
in quantulum3's unit table (through the adapter). pint does the conversion, so 5 km and 5,000
metres compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pint

from . import quantities
from .numbers import alternation
from .rules import NumberRules, RuleSet, memo, shipped


@dataclass(frozen=True)
class Unit:
    name: str  # short display name: km, mph, t
    pint: str  # expression pint understands
    dimension: str


@dataclass(frozen=True)
class Table:
    """The unit forms of the rules, compiled: form (lower case) -> unit, and the one pattern."""

    units: dict[str, Unit]
    short: frozenset[str]  # read spaced only as written: "5 m", "2 t"
    glued: frozenset[str]  # read only glued: "5in", "31C"
    pattern: re.Pattern[str]


def table(rules: RuleSet | None = None) -> Table:
    """The units of `rules` (the configured rules when none are given)."""
    chosen = rules or shipped()
    return memo(chosen.numbers, "units", lambda: _build(chosen.numbers))


def _build(n: NumberRules) -> Table:
    units: dict[str, Unit] = {}
    short: set[str] = set()
    glued: set[str] = set()
    for u in n.units:
        unit = Unit(u.name, u.pint, u.dimension)
        for form in [*u.words, *u.short, *u.glued]:
            units[form.lower()] = unit
        short.update(u.short)
        glued.update(f.lower() for f in u.glued)
    # A form's space stands for one space as written ("sq km"); no forms match nothing.
    surfaces = alternation(units, space=" ")
    pattern = re.compile(rf"(?:\s?-?\s?)({surfaces})(?![\w²³])", re.IGNORECASE)
    return Table(units, frozenset(short), frozenset(glued), pattern)


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    ureg: pint.UnitRegistry = pint.UnitRegistry()
    for name, definition in shipped().numbers.pint_definitions.items():
        ureg.define(f"{name} = {definition}")
    return ureg


def unit_after(text: str, pos: int, rules: RuleSet | None = None) -> tuple[Unit, int] | None:
    """The unit written at text[pos:], if any, with the offset where it ends."""
    t = table(rules)
    m = t.pattern.match(text, pos)
    if m:
        surface = m.group(1)
        glued = m.start(1) == pos
        low = surface.lower()
        if not glued and (low in t.glued or (low in t.short and surface not in t.short)):
            return None  # "5 in Paris", "5 C": a short form stands apart from the number only as written
        return t.units[low], m.end(1)
    found = quantities.unit_at(text, pos)
    if found is None:
        return None
    surface, pint_name, dimension, end = found
    return Unit(surface, pint_name, dimension), end


def to_base(value: float, unit: Unit) -> tuple[float, str] | None:
    """value in `unit` as (magnitude, unit) in the dimension's base unit; None if pint cannot."""
    factor = _base_factor(unit.pint, unit.dimension)
    if factor is not None:
        # What pint does for a unit that only scales: value times the factor, the same float.
        return value * factor[0], factor[1]
    return _convert(value, unit.pint, unit.dimension)


@lru_cache(maxsize=512)
def _base_factor(pint_name: str, dimension: str) -> tuple[float, str] | None:
    """A unit's base unit and factor, read from pint once; None if the unit does not only scale
    (temperatures, logarithmic units) or pint does not know it."""
    if dimension == "temperature":
        return None
    try:
        if not registry().Quantity(1.0, pint_name)._is_multiplicative:
            return None
    except (pint.errors.PintError, ValueError, TypeError, AttributeError):
        return None
    return _convert(1.0, pint_name, dimension)


def _convert(value: float, pint_name: str, dimension: str) -> tuple[float, str] | None:
    ureg = registry()
    try:
        q: Any = ureg.Quantity(value, pint_name)
        if dimension == "temperature":
            q = q.to("kelvin")
        else:
            q = q.to_base_units()
    except (pint.errors.PintError, ValueError, TypeError, AttributeError):
        return None
    return float(q.magnitude), str(q.units)


def __getattr__(name: str) -> dict[str, Unit]:
    """`TABLE` (form -> unit) for modules that read it at import (service.context), from the rules."""
    if name == "TABLE":
        return dict(table().units)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
