"""Dates printed on a page ("March 18, 2025", "23:50 29.12.2025", "Вторник 03 февраля 2026 03:06").

A line is read as a date line only when it is short, holds a digit and few words besides the
date: the rules' dateline patterns first, then `dateparser` in the languages the rules list. The
clock never enters: dateparser's relative base is fixed, and a date without a year is returned
without one (never completed with "this year").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import regex
from dateparser.date import DateDataParser

from corpus.ingest.lines import Line
from corpus.ingest.rules import Rules

#: dateparser's "today", never the clock: a page's relative dates ("6 days ago") are not read anyway.
RELATIVE_BASE = dt.datetime(2000, 1, 1)
_YEAR = regex.compile(r"(?<!\d)(?:19[9]\d|20\d\d)(?!\d)")
_PIECES = regex.compile(r"\s*[|/()·•]\s*|\s+[-–—]\s+|,\s+")
_WORD = regex.compile(r"\p{L}+")


@dataclass(frozen=True)
class PageDate:
    """A date read from a line of the page; parts the line lacks are ``None``."""

    line: int
    text: str
    year: int | None
    month: int | None
    day: int | None


@lru_cache(maxsize=8)
def _parser(languages: tuple[str, ...], with_year: bool) -> DateDataParser:
    parts = ["year", "month"] if with_year else ["month", "day"]
    # Day before month: "12.08.2025" is 12 August wherever dots separate the parts.
    settings = {
        "RELATIVE_BASE": RELATIVE_BASE,
        "REQUIRE_PARTS": parts,
        "DATE_ORDER": "DMY",
        "PARSERS": ["custom-formats", "absolute-time"],  # never "3 days ago"
    }
    return DateDataParser(languages=list(languages), settings=settings)


def _clean(text: str, rules: Rules) -> str:
    for _ in range(3):
        text = rules.date_noise.sub("", text)
    return text


def _candidates(text: str, rules: Rules) -> list[str]:
    """The line without its noise, then its pieces holding a digit, then without its first words."""
    cleaned = _clean(text, rules)
    pieces = [_clean(p, rules) for p in _PIECES.split(cleaned) if any(ch.isdigit() for ch in p)]
    tails = [" ".join(cleaned.split()[k:]) for k in (1, 2)]
    return [c for c in dict.fromkeys([cleaned, *pieces, *tails]) if c]


@lru_cache(maxsize=4096)  # pages of one site repeat their date formats; dateparser is slow
def _parse(text: str, languages: tuple[str, ...], with_year: bool) -> tuple[int | None, int, int | None] | None:
    data = _parser(languages, with_year).get_date_data(text)
    if data.date_obj is None:
        return None
    day = data.date_obj.day if data.period == "day" else None
    return (data.date_obj.year if with_year else None), data.date_obj.month, day


def _looks_like_date(text: str, rules: Rules) -> bool:
    words = text.split()
    if not 1 <= len(words) <= rules.date_max_words or not any(ch.isdigit() for ch in text):
        return False
    letters = [w for w in _WORD.findall(text) if len(w) > 2]
    return len(letters) <= 5


def read_date(line: Line, rules: Rules) -> PageDate | None:
    """The date a short date line states (None if the line is not a date line)."""
    text = line.text
    if not _looks_like_date(text, rules):
        return None
    for with_year in (True, False):
        if with_year and not _YEAR.search(text):
            continue
        for candidate in _candidates(text, rules):
            if with_year and not _YEAR.search(candidate):
                continue
            if not with_year and not any(w.casefold().rstrip(".") in rules.months for w in _WORD.findall(candidate)):
                continue  # without a year, only a month named in words makes a date ("19 мая", not "2 of 3")
            parsed = _parse(candidate, rules.date_languages, with_year)
            if parsed is not None:
                year, month, day = parsed
                return PageDate(line.number, text, year, month, day)
    return None
