"""Arithmetic within one text: totals against parts, percentage changes, shares, multiples."""

from __future__ import annotations

from .models import Discrepancy, Figure, Group
from .rules import RuleSet


def check(figures: list[Figure], groups: list[Group], rules: RuleSet) -> list[Discrepancy]:
    return []
