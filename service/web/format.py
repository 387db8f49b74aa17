"""How numbers, intervals and labels are written on the page."""

from __future__ import annotations

from ..models import Number

# Digits kept after the point for a value that is not whole: enough for "11.5" or "3.25",
# never the float noise of "880.0000000000001".
_DECIMALS = 4

KIND_LABELS = {
    "conflicting_accounts": "Conflicting accounts",
    "parts_exceed_total": "Parts exceed the total",
    "total_mismatch": "Total does not add up",
    "percent_change_mismatch": "Percent change does not match",
    "shares_exceed_whole": "Shares exceed the whole",
    "multiple_mismatch": "Multiple does not match",
    "share_mismatch": "Share does not match",
}

ATTRIBUTION_LABELS = {
    "quote": "quoted",
    "reported_speech": "reported speech",
    "according_to": "“according to”",
    "document_voice": "the document's own voice",
}

SEVERITIES = ("high", "medium", "low")
STATUSES = ("open", "confirmed", "dismissed", "corrected")


def number(value: Number) -> str:
    """3200 -> "3,200"; 11.5 -> "11.5"; 880.0000000000001 -> "880"."""
    rounded = round(float(value), _DECIMALS)
    if rounded.is_integer():
        return f"{int(rounded):,}"
    return f"{rounded:,.{_DECIMALS}f}".rstrip("0").rstrip(".")


def with_unit(text: str, unit: str | None) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def interval(low: Number, high: Number, unit: str | None = None) -> str:
    """The range a figure allows: "3,200–4,000", or one number when both ends agree."""
    text = number(low) if number(low) == number(high) else f"{number(low)}–{number(high)}"
    return with_unit(text, unit)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
