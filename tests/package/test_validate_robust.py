"""Hand-edited tables: validate reports every bad cell (Frictionless findings included) and never crashes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from corpus.cli import main
from corpus.package.build import build
from corpus.package.validate import validate_package
from corpus.paths import Layout

BAD_CELLS = ["", "abc", "2025-0x-01", "-1", "99999999999999999999", "1.5", "\x00", "٣", "https://[::1/x", "=1+1"]
TABLES = ("documents", "paragraphs", "outlets", "seed_files", "boilerplate", "mentions")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One built copy of the project, copied again by each test that breaks it."""
    from conftest import copy_project

    layout = copy_project(tmp_path_factory.mktemp("pristine") / "project")
    build(layout)
    return layout.root


@pytest.fixture
def layout(pristine: Path, tmp_path: Path) -> Layout:
    import shutil

    shutil.copytree(pristine, tmp_path / "project")
    return Layout(tmp_path / "project")


def set_cell(layout: Layout, table: str, field: str, value: str, row: int = 1) -> None:
    """Edit one cell by hand, as a spreadsheet user would (the descriptor is not resealed)."""
    path = layout.data / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[row][rows[0].index(field)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def fields(layout: Layout, table: str) -> list[str]:
    with (layout.data / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


@pytest.mark.slow
def test_every_bad_value_in_every_cell_of_a_row_is_reported_not_raised(
    layout: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep: each field of each table gets each bad value; the corpus checks return problems every time.

    Frictionless (which reports every such edit as a hash error) is left out to keep the sweep fast;
    the tests below show its findings are reported beside the corpus checks'.
    """
    import corpus.package.validate

    class NoFrictionless:
        def __init__(self, *args: object) -> None:
            pass

        def abandon(self) -> None:
            pass

        def problems(self) -> list[str]:
            return []

    monkeypatch.setattr(corpus.package.validate, "FrictionlessRun", NoFrictionless)
    original = {t: (layout.data / f"{t}.csv").read_bytes() for t in TABLES}
    checked = 0
    for table in TABLES:
        for field in fields(layout, table):
            current = next(csv.DictReader(io.StringIO(original[table].decode(), newline="")))[field]
            for value in BAD_CELLS:
                if value == current:
                    continue
                set_cell(layout, table, field, value, row=2 if table == "paragraphs" else 1)
                validate_package(layout)  # must not raise; whether the value is wrong depends on the field
                checked += 1
            (layout.data / f"{table}.csv").write_bytes(original[table])
    assert checked > 500


@pytest.mark.parametrize(
    ("field", "value", "corpus_message"),
    [
        ("title_start", "abc", "fields title_start/title_end: not both offsets into the seed"),
        ("date", "2025-0x-01", "field date: date '2025-0x-01' is not an ISO date"),
        ("start", "abc", "not the span of its paragraphs"),
        ("url", "https://[::1/x", "field url: 'https://[::1/x' is malformed"),
        ("url", "https://evil.com\\@lenta.ua/x", "has whitespace or a backslash"),
    ],
)
def test_hand_edited_cells_name_row_and_field_beside_frictionless(
    layout: Layout, field: str, value: str, corpus_message: str
) -> None:
    set_cell(layout, "documents", field, value)
    problems = validate_package(layout)
    assert any("resource documents" in p and "[hash-count]" in p for p in problems), problems  # Frictionless
    assert any(p.startswith("documents row 2") and corpus_message in p for p in problems), problems


def test_a_truncated_table_is_reported_with_everything_else(layout: Layout) -> None:
    path = layout.data / "paragraphs.csv"
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])  # cut in the middle of a row, perhaps inside a quoted cell
    set_cell(layout, "documents", "date", "2025-0x-01")
    problems = validate_package(layout)
    assert any("resource paragraphs" in p for p in problems), problems
    assert any("field date: date '2025-0x-01'" in p for p in problems), problems


def test_a_table_that_is_not_utf8_is_reported(layout: Layout) -> None:
    path = layout.data / "outlets.csv"
    path.write_bytes(path.read_bytes() + "ünïcode\n".encode("latin-1"))
    problems = validate_package(layout)
    assert any(p.startswith("outlets: cannot be read after row") for p in problems), problems


def _swap_rows(layout: Layout, table: str, a: int, b: int) -> None:
    path = layout.data / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[a], rows[b] = rows[b], rows[a]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_two_paragraph_rows_swapped_across_documents_are_named(layout: Layout) -> None:
    with (layout.data / "paragraphs.csv").open(encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table))
    first = next(i for i, r in enumerate(rows) if r["doc_id"].startswith("000_") and r["paragraph"] == "2")
    second = next(i for i, r in enumerate(rows) if r["doc_id"].startswith("003_") and r["paragraph"] == "2")
    _swap_rows(layout, "paragraphs", first + 1, second + 1)
    problems = validate_package(layout)
    a, b = first + 2, second + 2  # Frictionless row numbers (header = 1)
    assert any(f"paragraphs rows {a} (" in p and f"and {b} (" in p and "are swapped" in p for p in problems), problems
    assert not any("no paragraphs" in p for p in problems), "a swap must not cascade into every later document"


def test_two_document_rows_swapped_are_named(layout: Layout) -> None:
    _swap_rows(layout, "documents", 2, 4)
    problems = validate_package(layout)
    assert any("documents rows 3 (" in p and " and 5 (" in p and "are swapped" in p for p in problems), problems


def test_cli_validate_lists_every_problem_without_a_traceback(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(layout, "documents", "title_start", "abc")
    set_cell(layout, "paragraphs", "start", "x", row=3)
    monkeypatch.chdir(layout.root)
    assert main(["validate", "-q"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "title_start/title_end" in err and "paragraphs row 4" in err
