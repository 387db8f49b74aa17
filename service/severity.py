"""How serious a discrepancy is, and how numbers are written in explanations."""

from __future__ import annotations

from .models import Severity
from .rules import ToleranceRules


def severity(tolerances: ToleranceRules, ratio: float, meet: bool = False) -> Severity:
    """high when the readings cannot meet and differ by the high ratio or more (rules/tolerances.yaml)."""
    if meet:
        return "low"
    if ratio >= tolerances.severity.high_ratio:
        return "high"
    if ratio >= tolerances.severity.medium_ratio:
        return "medium"
    return "low"


def fmt(value: float) -> str:
    """3200 -> '3,200'; 10400.5 -> '10,400.5'; 2.1e9 -> '2.1bn'."""
    magnitude = abs(value)
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if magnitude >= size and round(value / size, 3) * size == round(value, 0):
            return f"{value / size:,.3f}".rstrip("0").rstrip(".") + suffix
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
