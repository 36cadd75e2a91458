"""Reading the published tables for validation without trusting them: hand-edited, truncated or
reordered tables become problems that name the table, the row and the field, never a crash.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

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


def order_problems(keys: list[tuple[int, str]], *, table: str, what: str) -> list[str]:
    """Name the rows that break the grouping of a table whose rows must come in groups of one key.

    The paragraphs of a document must be one run of consecutive rows, in the order of the
    documents. A row outside its key's main run (a row swapped with a row of another document,
    or moved) is named with the run it sits in and the rows of its own key.

    Args:
        keys: ``(row number, key)`` of every row, in file order.
        table: The table's name, for messages.
        what: What the key names (``document``).

    Returns:
        One message per misplaced row (two swapped rows are named together).
    """
    runs: list[tuple[str, int, int]] = []  # key, first row, last row
    for number, key in keys:
        if runs and runs[-1][0] == key:
            runs[-1] = (key, runs[-1][1], number)
        else:
            runs.append((key, number, number))
    main: dict[str, tuple[str, int, int]] = {}
    for run in runs:
        if run[0] not in main or run[2] - run[1] > main[run[0]][2] - main[run[0]][1]:
            main[run[0]] = run
    stray = [run for run in runs if main[run[0]] is not run]
    messages: list[str] = []
    named: set[int] = set()
    for key, first, last in stray:
        if first in named:
            continue
        rows = f"row {first}" if first == last else f"rows {first}-{last}"
        home = main[key]
        partner = next((r for r in stray if r[0] != key and home[1] <= r[1] <= home[2] and r[1] not in named), None)
        if partner is not None and partner[2] - partner[1] == last - first:
            other = partner[1]
            named.update({first, other})
            messages.append(
                f"{table} {rows} ({what} {key}) and row {other} ({what} {partner[0]}) are swapped: each sits among "
                f"the rows of the other's {what}; put them back (or rebuild with `corpus build`)"
            )
            continue
        named.add(first)
        messages.append(
            f"{table} {rows} ({what} {key}) sit apart from the rows of their {what} (rows {home[1]}-{home[2]}): "
            f"a {what}'s rows must be consecutive; rebuild with `corpus build`"
        )
    return messages
