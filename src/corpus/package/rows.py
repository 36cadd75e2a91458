"""Reading the published tables for validation without trusting them: hand-edited, truncated or
reordered tables become problems that name the table, the row and the field, never a crash.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from corpus.fileio import allow_long_cells

MAX_PROBLEMS_PER_CHECK = 50


class Problems(list[str]):
    """Problems found so far, capped per check so a systematic fault does not flood the output."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}

    def add(self, check: str, message: str) -> None:
        self.counts[check] = self.counts.get(check, 0) + 1
        if self.counts[check] <= MAX_PROBLEMS_PER_CHECK:
            self.append(message)

    def summary(self) -> list[str]:
        extra = [
            f"{check}: {n - MAX_PROBLEMS_PER_CHECK} more problem(s) of this kind not shown"
            for check, n in sorted(self.counts.items())
            if n > MAX_PROBLEMS_PER_CHECK
        ]
        return [*self, *extra]


class Row(dict[str, str]):
    """A table row; a field the row lacks (a truncated row, a renamed column) reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def read_rows(path: Path, name: str, problems: Problems) -> Iterator[tuple[int, Row]]:
    """The rows of a CSV table with their Frictionless row number (the header is row 1).

    A row with more or fewer cells than the header, a file that is not UTF-8 or not CSV, or one
    that cannot be read, is reported in ``problems`` (check ``tables``) and not a crash: short
    rows are yielded with the missing fields empty, and reading stops at an unreadable byte.

    Args:
        path: The table's file.
        name: The resource name, for messages.
        problems: Where problems go.
    """
    allow_long_cells()
    number = 1
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                problems.add("tables", f"{name}: the file is empty (no header row): rebuild with `corpus build`")
                return
            for number, cells in enumerate(reader, start=2):
                if len(cells) != len(header):
                    problems.add(
                        "tables",
                        f"{name} row {number}: {len(cells)} cells where the header has {len(header)} (a truncated or "
                        "hand-edited row): rebuild with `corpus build`",
                    )
                yield number, Row(zip(header, cells, strict=False))
    except (UnicodeDecodeError, csv.Error, OSError) as exc:
        problems.add("tables", f"{name}: cannot be read after row {number} ({exc}): rebuild with `corpus build`")


def as_int(value: str) -> int | None:
    """A cell as a non-negative integer, or None when it is not one."""
    text = value.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def order_problems(rows: Sequence[tuple[int, tuple[Any, ...], str]], *, table: str, order: str) -> list[str]:
    """Name the rows of a table that are not where its order puts them.

    Args:
        rows: ``(row number, sort key, label)`` of every row, in file order; the sort key is where
            the row belongs (documents: seed and article; paragraphs: their document, then number).
        table: The table's name, for messages.
        order: The order the table must follow, for messages.

    Returns:
        One message per misplaced row; two rows that sit in each other's place are named together
        as swapped.
    """
    expected = sorted(rows, key=lambda r: (r[1], r[0]))
    misplaced = [(actual, wanted) for actual, wanted in zip(rows, expected, strict=True) if actual is not wanted]
    if len(misplaced) == 2:
        (a, b), (c, _) = misplaced
        if b is c:
            return [
                f"{table} rows {a[0]} ({a[2]}) and {c[0]} ({c[2]}) are swapped: each sits in the other's place "
                f"({order}); put them back or rebuild with `corpus build`"
            ]
    return [
        f"{table} row {actual[0]} ({actual[2]}): out of place, where {wanted[2]} belongs ({order}); rebuild with "
        "`corpus build`"
        for actual, wanted in misplaced
    ]
