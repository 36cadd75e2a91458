"""Dates of reduced precision: the one home of the corpus's date rules.

A date in the corpus is an ISO 8601 calendar date written as precisely as it is known:
``YYYY-MM-DD`` (day), ``YYYY-MM`` (month) or ``YYYY`` (year); unknown dates are empty. The
catalog, the build, the validation and the analyses all parse dates with :func:`date_interval`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Final, Literal, get_args

from corpus.errors import DateError

#: The written form of a date of reduced precision.
DATE_PATTERN: Final[re.Pattern[str]] = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

Precision = Literal["day", "month", "year", "unknown"]
PRECISIONS: Final[tuple[Precision, ...]] = get_args(Precision)
#: Where a date comes from: the file's header line, a dateline in the page, a curator's inference, unknown.
DATE_SOURCES: Final[tuple[str, ...]] = ("header", "dateline", "inferred", "unknown")
#: The earliest plausible date: the corpus is about post-Soviet relations.
EARLIEST: Final[dt.date] = dt.date(1991, 1, 1)


def precision_of(value: str) -> Precision:
    """The precision a date of reduced precision expresses (``unknown`` for anything else)."""
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "unknown")  # type: ignore[return-value]


def date_interval(value: str) -> tuple[dt.date, dt.date]:
    """The calendar days a date of reduced precision covers, first and last.

    ``2025-08-23`` covers one day, ``2025-08`` the whole month, ``2025`` the whole year.

    Raises:
        DateError: If ``value`` is not written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or names
            no real calendar day.
    """
    if not DATE_PATTERN.match(value):
        raise DateError(f"date {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = [int(p) for p in value.split("-")]
    try:
        if len(parts) == 1:
            return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1] if 1 <= parts[1] <= 12 else 0
            return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last)
        day = dt.date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise DateError(f"date {value!r} is not a calendar date ({exc})") from exc
    return day, day


def format_date(year: int, month: int, day: int | None) -> str:
    """Write a date of day or month precision (``day`` None) as ``YYYY-MM[-DD]``."""
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
