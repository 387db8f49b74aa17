"""Reports made to measure for the store's tests: flags over given claims, with figure ids and
offsets that can be shifted the way an edit above the figures shifts them."""

from __future__ import annotations

from service.models import Discrepancy, Document, Figure, Report

Claim = tuple[str, float]  # (source, value)
FlagSpec = tuple[str, list[Claim]]  # (kind, claims)

DRILL: FlagSpec = ("conflicting_accounts", [("TASS", 3200), ("Khaama Press", 10400)])
BUDGET: FlagSpec = ("percent_change_mismatch", [("Desk", 15), ("Desk", 200), ("Desk", 250)])
TOLL: FlagSpec = ("conflicting_accounts", [("Police", 12), ("Hospital", 19)])
DOCUMENTS = [
    Document(id="kp", text="The draft as sent.", source="Khaama Press", url="https://example.org/kp")
]


def report(*flags: FlagSpec, shift: int = 0, severity: str = "high") -> Report:
    """A report with one discrepancy per spec; `shift` renumbers figures and moves offsets."""
    figures: list[Figure] = []
    discrepancies: list[Discrepancy] = []
    for number, (kind, claims) in enumerate(flags, start=1):
        ids = []
        for source, value in claims:
            n = len(figures) + 1 + shift
            ids.append(f"f{n}")
            figures.append(
                Figure(
                    id=f"f{n}",
                    document_id="kp",
                    start=10 * n,
                    end=10 * n + 5,
                    text=f"{value:,g}",
                    value=value,
                    low=value,
                    high=value,
                    dimension="count",
                    counted="troops",
                    source=source,
                )
            )
        discrepancies.append(
            Discrepancy(
                id=f"d{number}",
                kind=kind,
                severity=severity,  # type: ignore[arg-type]
                figure_ids=ids,
                explanation=f"{kind}: " + " vs ".join(f"{s} {v:,g}" for s, v in claims),
            )
        )
    return Report(figures=figures, groups=[], discrepancies=discrepancies, ignored=[])
