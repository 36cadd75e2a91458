"""Dates of reduced precision: one parser for the catalog, the build, the validation and the analyses."""

from __future__ import annotations

import datetime as dt

import pytest

from corpus.errors import DateError
from corpus.ingest.dates import date_interval, format_date, precision_of


@pytest.mark.parametrize(
    ("value", "first", "last", "precision"),
    [
        ("2025-08-23", "2025-08-23", "2025-08-23", "day"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2023-02", "2023-02-01", "2023-02-28", "month"),
        ("2025", "2025-01-01", "2025-12-31", "year"),
    ],
)
def test_a_date_covers_its_interval(value: str, first: str, last: str, precision: str) -> None:
    assert date_interval(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    assert precision_of(value) == precision


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("23.08.2025", "not an ISO date"),
        ("2025-8", "not an ISO date"),
        ("25", "not an ISO date"),
        ("soon", "not an ISO date"),
        ("", "not an ISO date"),
        ("2025-13", "not a calendar date"),
        ("2025-00", "not a calendar date"),
        ("2025-02-30", "not a calendar date"),
        ("0000", "not a calendar date"),
    ],
)
def test_bad_dates_are_refused_with_the_reason(value: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        date_interval(value)


def test_format_date() -> None:
    assert format_date(2025, 8, 3) == "2025-08-03"
    assert format_date(2025, 8, None) == "2025-08"
