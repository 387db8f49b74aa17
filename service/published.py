"""A document's publication date, read from the ISO 8601 date or date-time a client or a page gives."""

from __future__ import annotations

import re
from datetime import date, datetime

# RFC 3339 allows a lower-case 't' and 'z' and a leap second, which Python's ISO reader does not.
_LEAP_SECOND = re.compile(r"(T\d\d:\d\d):60")


def parse_published(value: str) -> date:
    """The date of an ISO 8601 date or date-time ('2024-07-09', '2024-07-09T14:30:00Z',
    '2024-07-09 14:30+03:00'). A date-time gives the date on the publisher's own clock, its
    offset kept: late evening in New York is still that day there."""
    try:
        return datetime.fromisoformat(_LEAP_SECOND.sub(r"\1:59", value.strip().upper())).date()
    except ValueError:
        raise ValueError(
            f"published '{value}' is not an ISO 8601 date or date-time: send it as 2024-07-09 or 2024-07-09T14:30:00Z"
        ) from None
