"""Reading the published package: strings stay strings, the schemas' integers become integers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from corpus.analysis.data import Tables, load_tables
from corpus.errors import PackageError
from corpus.paths import Layout


def test_load_tables_keeps_strings_and_types_integers(tables: Tables) -> None:
    assert tables.documents["start"].dtype == "int64"
    undated = tables.documents.set_index("doc_id").loc["003_dddd-1"]
    assert undated["date"] == "" and undated["outlet_id"] == ""  # not NaN
    assert len(tables.mentions) > 0 and tables.mentions["para_start"].dtype == "int64"


def test_load_tables_without_a_package(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match=r"datapackage\.json not found"):
        load_tables(Layout(tmp_path))


def test_analyses_read_the_published_package_and_nothing_upstream(tmp_path: Path) -> None:
    """No catalog, no seeds: the codebook and the mentions are the published tables."""
    from builder import write_project

    from corpus.text.codebook import load_codebook

    layout = write_project(tmp_path / "project")
    catalog_codebook = load_codebook(layout.catalog / "codebook.toml")
    shutil.rmtree(layout.catalog)
    shutil.rmtree(layout.seeds)
    tables = load_tables(layout)
    assert tables.codebook.concepts == catalog_codebook.concepts
    published = pd.read_csv(layout.data / "mentions.csv", dtype=str, keep_default_na=False)
    assert tables.mentions.astype(str).equals(published)


def test_integer_columns_come_from_the_published_schemas(tables: Tables) -> None:
    assert list(tables.documents.select_dtypes("int64").columns) == [
        "article", "start", "end", "n_paragraphs", "token_count",
    ]  # fmt: skip
    # optional integers stay strings: an empty cell is an unknown value, never NaN
    assert not pd.api.types.is_integer_dtype(tables.documents["title_start"])
    assert list(tables.mentions.select_dtypes("int64").columns) == [
        "paragraph",
        "start",
        "end",
        "para_start",
        "para_end",
    ]


def test_a_resource_missing_from_the_descriptor_is_named(tmp_path: Path) -> None:
    from builder import write_project

    layout = write_project(tmp_path / "project")
    descriptor = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "mentions"]
    layout.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(PackageError, match=r"datapackage.json has no resource 'mentions'"):
        load_tables(layout)


def test_a_broken_published_codebook_is_a_package_error(tmp_path: Path) -> None:
    from builder import write_project

    layout = write_project(tmp_path / "project")
    path = layout.data / "codebook.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('"[""', '"[bad', 1), encoding="utf-8")
    with pytest.raises(PackageError, match=r"data/codebook.csv: concept .* not a JSON array"):
        load_tables(layout)
