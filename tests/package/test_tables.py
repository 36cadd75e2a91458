"""The package's tables: their order in the descriptor, their columns, and how cells are written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from corpus.package.tables import TABLES, TableWriter, resource_name
from corpus.paths import Layout


def test_the_descriptor_lists_every_table_in_order_with_its_licence(repo: Layout) -> None:
    descriptor = json.loads(repo.descriptor.read_text(encoding="utf-8"))
    tables = [r for r in descriptor["resources"] if r.get("type") == "table"]
    assert [r["name"] for r in tables] == [spec.name for spec in TABLES]
    licences = {"texts": "LICENSES/publisher-copyright.txt", "metadata": "CC-BY-4.0"}
    assert [r["licenses"][0].get("name") or r["licenses"][0]["path"] for r in tables] == [
        licences[spec.licence] for spec in TABLES
    ]


def test_every_table_has_its_schema_columns(repo: Layout) -> None:
    for spec in TABLES:
        with (repo.data / f"{spec.name}.csv").open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [f["name"] for f in spec.schema["fields"]], spec.name


def test_cells_follow_the_table_schema_conventions(tmp_path: Path) -> None:
    schema = {"fields": [{"name": n} for n in ("text", "flag", "count", "empty", "items")]}
    with TableWriter(tmp_path / "t.csv", schema) as table:
        table.write({"text": 'a "quoted", text', "flag": True, "count": 3, "empty": None, "items": ["x", "ы"], "x": 1})
        assert table.rows == 1
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == (
        'text,flag,count,empty,items\n"a ""quoted"", text",true,3,,"[""x"", ""ы""]"\n'
    )


def test_seed_resource_names_are_lowercase_stems() -> None:
    assert resource_name("000_CF7a.txt") == "seed-000_cf7a"
