"""Units of measure: recognise the unit written after a number and convert to a base unit.

The words news copy uses are listed here; anything else is looked up in quantulum3's unit
table (through the adapter). pint does the conversion, so 5 km and 5,000 metres compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pint

from . import quantities


@dataclass(frozen=True)
class Unit:
    name: str  # short display name: km, mph, t
    pint: str  # expression pint understands
    dimension: str


def _u(surfaces: str, name: str, pint_expr: str, dimension: str) -> dict[str, Unit]:
    unit = Unit(name, pint_expr, dimension)
    return {s.strip(): unit for s in surfaces.split("|")}


# Surface forms, lower case, longest first when matched.
TABLE: dict[str, Unit] = {
    **_u("km|kms|kilometre|kilometres|kilometer|kilometers", "km", "kilometer", "length"),
    **_u("m|metre|metres|meter|meters|mtr", "m", "meter", "length"),
    **_u("cm|centimetre|centimetres|centimeter|centimeters", "cm", "centimeter", "length"),
    **_u("mm|millimetre|millimetres|millimeter|millimeters", "mm", "millimeter", "length"),
    **_u("mi|mile|miles", "mi", "mile", "length"),
    **_u("nautical mile|nautical miles|nmi", "nmi", "nautical_mile", "length"),
    **_u("ft|foot|feet", "ft", "foot", "length"),
    **_u("in|inch|inches", "in", "inch", "length"),
    **_u("yd|yard|yards", "yd", "yard", "length"),
    **_u("ha|hectare|hectares", "ha", "hectare", "area"),
    **_u("acre|acres", "acre", "acre", "area"),
    **_u("sq km|sq. km|km2|km²|square kilometre|square kilometres|square kilometer|square kilometers",
         "km2", "kilometer**2", "area"),
    **_u("sq m|m2|m²|square metre|square metres|square meter|square meters", "m2", "meter**2", "area"),
    **_u("sq mi|square mile|square miles", "sq mi", "mile**2", "area"),
    **_u("sq ft|square foot|square feet", "sq ft", "foot**2", "area"),
    **_u("kg|kgs|kilo|kilos|kilogram|kilograms|kilogramme|kilogrammes", "kg", "kilogram", "mass"),
    **_u("g|gram|grams|gramme|grammes", "g", "gram", "mass"),
    **_u("t|tonne|tonnes|metric ton|metric tons", "t", "metric_ton", "mass"),
    **_u("ton|tons", "ton", "metric_ton", "mass"),
    **_u("lb|lbs|pound|pounds", "lb", "pound", "mass"),  # "pounds" reaches here only as a weight
    **_u("oz|ounce|ounces", "oz", "ounce", "mass"),
    **_u("l|litre|litres|liter|liters", "l", "liter", "volume"),
    **_u("ml|millilitre|millilitres|milliliter|milliliters", "ml", "milliliter", "volume"),
    **_u("cubic metre|cubic metres|cubic meter|cubic meters|m3|m³|cu m", "m3", "meter**3", "volume"),
    **_u("gallon|gallons|gal", "gal", "gallon", "volume"),
    **_u("barrel|barrels|bbl", "bbl", "oil_barrel", "volume"),
    **_u("km/h|kmh|kph|k.p.h.|km/hr|kilometres per hour|kilometers per hour|kilometres an hour|kilometers an hour",
         "km/h", "kilometer/hour", "speed"),
    **_u("mph|m.p.h.|miles per hour|miles an hour", "mph", "mile/hour", "speed"),
    **_u("knot|knots|kt|kts", "kn", "knot", "speed"),
    **_u("m/s|metres per second|meters per second", "m/s", "meter/second", "speed"),
    **_u("w|watt|watts", "W", "watt", "power"),
    **_u("kw|kilowatt|kilowatts", "kW", "kilowatt", "power"),
    **_u("mw|megawatt|megawatts", "MW", "megawatt", "power"),
    **_u("gw|gigawatt|gigawatts", "GW", "gigawatt", "power"),
    **_u("kwh|kilowatt-hour|kilowatt-hours|kilowatt hours", "kWh", "kilowatt_hour", "energy"),
    **_u("mwh|megawatt-hour|megawatt-hours|megawatt hours", "MWh", "megawatt_hour", "energy"),
    **_u("gwh|gigawatt-hour|gigawatt-hours|gigawatt hours", "GWh", "gigawatt_hour", "energy"),
    **_u("twh|terawatt-hour|terawatt-hours|terawatt hours", "TWh", "terawatt_hour", "energy"),
    **_u("degrees celsius|degrees c|°c|celsius|c|deg c|degc|degree celsius|degrees centigrade|centigrade",
         "degC", "degree_Celsius", "temperature"),
    **_u("degrees fahrenheit|degrees f|°f|fahrenheit|f|deg f|degf|degree fahrenheit", "degF", "degree_Fahrenheit",
         "temperature"),
    **_u("kb|kilobyte|kilobytes", "kB", "kilobyte", "data"),
    **_u("mb|megabyte|megabytes", "MB", "megabyte", "data"),
    **_u("gb|gigabyte|gigabytes|gig|gigs", "GB", "gigabyte", "data"),
    **_u("tb|terabyte|terabytes", "TB", "terabyte", "data"),
    **_u("pb|petabyte|petabytes", "PB", "petabyte", "data"),
    **_u("kbps|kbit/s|kb/s", "kbit/s", "kilobit/second", "data rate"),
    **_u("mbps|mbit/s|mb/s|megabits per second", "Mbit/s", "megabit/second", "data rate"),
    **_u("gbps|gbit/s|gb/s|gigabits per second", "Gbit/s", "gigabit/second", "data rate"),
    **_u("hz|hertz", "Hz", "hertz", "frequency"),
    **_u("khz|kilohertz", "kHz", "kilohertz", "frequency"),
    **_u("mhz|megahertz", "MHz", "megahertz", "frequency"),
    **_u("ghz|gigahertz", "GHz", "gigahertz", "frequency"),
    **_u("hp|bhp|horsepower|brake horsepower|horses", "hp", "horsepower", "power"),
    **_u("ps|metric horsepower", "PS", "metric_horsepower", "power"),
    **_u("mg|milligram|milligrams|milligramme|milligrammes", "mg", "milligram", "mass"),
    **_u("mcg|µg|microgram|micrograms", "µg", "microgram", "mass"),
    **_u("nm|nanometre|nanometres|nanometer|nanometers", "nm", "nanometer", "length"),
    **_u("µm|micron|microns|micrometre|micrometres|micrometer|micrometers", "µm", "micrometer", "length"),
    **_u("mah|milliamp hours|milliampere-hours", "mAh", "milliampere_hour", "charge"),
    **_u("psi", "psi", "psi", "pressure"),
    **_u("rpm|revolutions per minute", "rpm", "revolutions_per_minute", "frequency"),
    **_u("mpg|miles per gallon", "mpg", "mile/gallon", "fuel economy"),
    **_u("cc|cubic centimetres|cubic centimeters", "cc", "cubic_centimeter", "volume"),
    **_u("v|volt|volts", "V", "volt", "voltage"),
    **_u("kv|kilovolt|kilovolts", "kV", "kilovolt", "voltage"),
    **_u("kcal|kilocalorie|kilocalories|calories", "kcal", "kilocalorie", "energy"),
    **_u("ppm|parts per million", "ppm", "ppm", "ratio"),
    **_u("ppb|parts per billion", "ppb", "nanoliter/liter", "ratio"),
    **_u("lb-ft|pound-feet|pound-foot|lb ft", "lbf ft", "foot*force_pound", "torque"),
    **_u("nm of torque|newton-metres|newton metres|newton-meters", "N m", "newton*meter", "torque"),
    **_u("degree|degrees|°|deg", "deg", "degree", "angle"),
    **_u("second|seconds|sec|secs", "s", "second", "duration"),
    **_u("minute|minutes|min|mins", "min", "minute", "duration"),
    **_u("hour|hours|hr|hrs|h", "h", "hour", "duration"),
    **_u("day|days", "day", "day", "duration"),
    **_u("week|weeks", "week", "week", "duration"),
    **_u("month|months", "month", "month", "duration"),
    **_u("year|years|yr|yrs", "year", "year", "duration"),
    # pint's "decade" is a logarithmic unit (a factor of ten); in news copy it is ten years.
    **_u("decade|decades", "decade", "decade_of_years", "duration"),
}
# Surfaces that are only a unit when glued to the number or clearly technical ("5m", "5 m").
SHORT = {"m", "g", "t", "l", "c", "f", "h", "w", "in", "kt", "min", "ha", "gal", "v", "ps", "pb", "gig", "gigs"}

_SURFACES = sorted(TABLE, key=len, reverse=True)
_UNIT_AFTER = re.compile(
    r"(?:\s?-?\s?)(" + "|".join(re.escape(s) for s in _SURFACES) + r")(?![\w²³])", re.IGNORECASE
)


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    ureg: pint.UnitRegistry = pint.UnitRegistry()
    ureg.define("decade_of_years = 10 * year")
    return ureg


def unit_after(text: str, pos: int) -> tuple[Unit, int] | None:
    """The unit written at text[pos:], if any, with the offset where it ends."""
    m = _UNIT_AFTER.match(text, pos)
    if m:
        surface = m.group(1)
        glued = m.start(1) == pos
        low = surface.lower()
        if low in SHORT and not glued and surface not in ("m", "ha", "kt", "min", "h", "t"):
            return None
        if low in SHORT and surface in ("C", "F") and not glued:
            return None
        # "5 in Paris": 'in' only counts as inches when glued ("5in").
        if low == "in" and not glued:
            return None
        # The micro sign and the Greek mu both write micro-.
        return TABLE[low.replace("\u03bc", "\u00b5")], m.end(1)
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
