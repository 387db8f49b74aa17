"""What makes a flag "the same flag" in two versions of a story.

A flag is the same when it is the same kind of discrepancy over the same claims. A claim here
is who says it and what number they state: for each figure the flag rests on, its source, its
dimension and unit, and its value (and the upper end of a stated range). Figure ids, offsets,
the wording of hedges, severity and explanation are left out on purpose: an edit elsewhere in
the draft renumbers figures and moves offsets, "over 3,200" may become "more than 3,200", and a
rules update may change a severity, and none of these makes it another flag. A changed number,
source or unit does: that is another claim, so the old flag is resolved by the edit and the new
one is open.

Two flags of one report with the same fingerprint (the same conflict stated twice) are told
apart by their order: the second gets "#2", and so on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from ..models import Discrepancy, Figure

RULE = "v1"


def _number(value: float | None) -> str | None:
    # 3200 and 3200.0 are one value; 12 significant digits outlast any float noise of a sum.
    return None if value is None else format(float(value), ".12g")


def _claim(figure: Figure) -> tuple[str, str, str, str | None, str | None]:
    source = " ".join((figure.source or "").split()).casefold()
    return (source, figure.dimension, figure.unit or "", _number(figure.value), _number(figure.value_to))


def fingerprint(discrepancy: Discrepancy, figures: dict[str, Figure]) -> str:
    """The flag's identity across versions of a story (a hex digest with the rule's version)."""
    claims = sorted(_claim(figures[fid]) for fid in discrepancy.figure_ids if fid in figures)
    material = json.dumps([discrepancy.kind, claims], separators=(",", ":"), ensure_ascii=False)
    return f"{RULE}:{hashlib.sha256(material.encode()).hexdigest()[:40]}"


def fingerprints(discrepancies: Sequence[Discrepancy], figures: Sequence[Figure]) -> list[str]:
    """The fingerprint of each discrepancy of one report, repeated ones numbered in order."""
    by_id = {figure.id: figure for figure in figures}
    seen: dict[str, int] = {}
    result = []
    for discrepancy in discrepancies:
        base = fingerprint(discrepancy, by_id)
        seen[base] = seen.get(base, 0) + 1
        result.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return result
