"""Validation: Frictionless plus the corpus's own checks, each shown to catch its fault."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from corpus.package.build import build
from corpus.package.validate import validate_package
from corpus.paths import Layout

Row = dict[str, str]


@pytest.fixture
def built(project_copy: Layout) -> Layout:
    build(project_copy)
    return project_copy


def tamper(layout: Layout, table: str, change: Callable[[list[Row]], list[Row]]) -> None:
    """Edit a table and re-seal its bytes and hash, so only the corpus checks can notice."""
    path = layout.data / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = change(list(reader))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    descriptor = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == table:
            raw = path.read_bytes()
            resource["bytes"] = len(raw)
            resource["hash"] = "sha256:" + hashlib.sha256(raw).hexdigest()
    layout.descriptor.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def edit(doc_id: str, **values: str) -> Callable[[list[Row]], list[Row]]:
    def change(rows: list[Row]) -> list[Row]:
        for row in rows:
            if row.get("doc_id") == doc_id and (row.get("paragraph") in (None, "1")):
                row.update(values)
        return rows

    return change


def test_real_package_is_valid(repo: Layout) -> None:
    assert validate_package(repo) == []


def test_upstream_frictionless_cli_says_valid(repo: Layout) -> None:
    cli = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(cli), "validate", "datapackage.json"], cwd=repo.root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]


def test_one_edited_byte_in_a_seed_is_a_hash_error(built: Layout) -> None:
    path = next(built.seeds.glob("002_*.txt"))
    raw = bytearray(path.read_bytes())
    raw[400] = ord("X") if raw[400] != ord("X") else ord("Y")
    path.write_bytes(bytes(raw))
    problems = validate_package(built)
    assert any("seed-002_" in p and "hash-count" in p for p in problems), problems
    cli = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(cli), "validate", "datapackage.json"], cwd=built.root, capture_output=True, text=True)
    assert result.returncode != 0 and "hash-count" in result.stdout


SEALED_FAULTS = [
    (
        "paragraphs",
        edit("001_132fcf242b09236b-1", text="Russia and the United States are on the wrong track."),
        "paragraphs row 12 (001_132fcf242b09236b-1 #1), field text: differs from seeds/001_",
    ),
    ("paragraphs", edit("000_cf7a337e85c81ec2-1", start="3245"), "field text: differs"),
    ("documents", edit("000_cf7a337e85c81ec2-1", text="Another text."), "field text: is not its paragraphs"),
    (
        "documents",
        edit("000_cf7a337e85c81ec2-1", language="ru", language_source="catalog"),
        "field language: declared 'ru' (catalog) but the text is detected as 'en'",
    ),
    ("paragraphs", edit("003_47a6b022a73ab088-1", language="uk"), "field language: 'uk' but detection says 'ru'"),
    ("documents", edit("001_132fcf242b09236b-1", date="1990-01-01"), "field date: 1990-01-01 is outside"),
    ("documents", edit("001_132fcf242b09236b-1", date="2030-01-01"), "field date: 2030-01-01 is outside"),
    ("documents", edit("001_132fcf242b09236b-1", date="2021-10"), "field date_precision: 'day' does not fit"),
    ("documents", edit("001_132fcf242b09236b-1", url="https://example.org/x"), "host 'example.org' is not a domain"),
    ("documents", edit("001_132fcf242b09236b-1", title="Another title"), "field title: differs"),
    ("documents", edit("001_132fcf242b09236b-1", n_paragraphs="9"), "field n_paragraphs"),
    ("paragraphs", lambda rows: [*rows, {**rows[0], "doc_id": "999_ghost-1"}], "'999_ghost-1'"),
    ("paragraphs", lambda rows: [r for r in rows if r["doc_id"] != "004_bf1b9465bd702416-1"], "no paragraphs"),
    ("mentions", lambda rows: [*rows, {**rows[0], "paragraph": "99"}], "mentions row"),
]


@pytest.mark.parametrize(("table", "change", "message"), SEALED_FAULTS)
def test_corpus_checks_catch_what_frictionless_cannot(
    built: Layout, table: str, change: Callable[[list[Row]], list[Row]], message: str
) -> None:
    tamper(built, table, change)
    problems = validate_package(built)
    assert any(message in p for p in problems), problems


def test_duplicate_article_is_caught(built: Layout) -> None:
    def duplicate(rows: list[Row]) -> list[Row]:
        original = next(r for r in rows if r["doc_id"] == "004_bf1b9465bd702416-1")
        copy = {**original, "doc_id": "004_bf1b9465bd702416-2", "article": "2"}
        return [*rows, copy]

    tamper(built, "documents", duplicate)
    problems = validate_package(built)
    assert any("same article as 004_bf1b9465bd702416-1" in p for p in problems), problems


def test_unlisted_seed_is_caught(built: Layout) -> None:
    (built.seeds / "005_new.txt").write_text("A headline\n\nSome text.\n", encoding="utf-8")
    assert any("seeds/005_new.txt is not a resource" in p for p in validate_package(built))


def test_frictionless_schema_errors_name_resource_row_and_field(built: Layout) -> None:
    tamper(built, "documents", edit("001_132fcf242b09236b-1", date_precision="week"))
    problems = validate_package(built)
    assert any("resource documents, row 3, field date_precision: [constraint-error]" in p for p in problems), problems


def test_missing_package(project_copy: Layout) -> None:
    project_copy.descriptor.unlink()
    assert validate_package(project_copy) == ["datapackage.json is missing: run `corpus build`"]


def test_resource_path_escaping_the_project_is_refused(built: Layout) -> None:
    descriptor = json.loads(built.descriptor.read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../outside.csv"
    built.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    problems = validate_package(built)
    assert any("not safe" in p or "outside" in p for p in problems), problems


def test_parallel_validation_reports_the_same_problems(built: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    import corpus.package.frictionless

    tamper(built, "mentions", lambda rows: [*rows, {**rows[0], "paragraph": "99"}])
    sequential = validate_package(built)
    monkeypatch.setattr(corpus.package.frictionless, "PARALLEL_MIN_RESOURCES", 1)
    parallel = validate_package(built)
    assert parallel == sequential
    assert any("[foreign-key]" in p for p in parallel) and any("mentions row" in p for p in parallel)
