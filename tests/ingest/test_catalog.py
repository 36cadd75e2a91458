"""The curated catalog: every malformed cell is refused naming file, line and field."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corpus.errors import CatalogError, UnsafePathError
from corpus.ingest.catalog import SEED_FIELDS, check_coverage, check_date, host_in_domains, load_catalog
from corpus.ingest.seeds import seed_names
from corpus.paths import Layout


def rewrite_seed_rows(layout: Layout, change: dict[str, str], row: int = 0) -> None:
    path = layout.catalog / "seeds.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row].update(change)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(SEED_FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_real_catalog_covers_every_seed(repo: Layout) -> None:
    catalog = load_catalog(repo.catalog, repo.seeds)
    check_coverage(catalog, seed_names(repo.seeds))
    assert {"sputnik", "lenta-ua", "blog-repost"} <= set(catalog.outlets)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"file": "../outside.txt"}, "outside seeds/"),
        ({"file": "/etc/passwd"}, "outside seeds/"),
        ({"file": "sub/x.txt"}, "directly inside seeds/"),
        ({"date": "2025-02-30", "date_precision": "day", "date_source": "inferred"}, r"line 2, field date.*calendar"),
        ({"date": "23.08.2025", "date_precision": "day", "date_source": "inferred"}, "YYYY"),
        ({"date": "2025-08", "date_precision": "day", "date_source": "inferred"}, "needs date_precision 'month'"),
        ({"date": "2025-08-01", "date_precision": "day", "date_source": ""}, "needs a source"),
        ({"date_precision": "day"}, "without a date"),
        ({"outlet_id": "nowhere"}, "not in catalog/outlets.csv"),
        ({"perspective": "pro-kremlin"}, "field perspective"),
        ({"language": "xx"}, "field language: 'xx' is not an ISO 639-1 code"),
        ({"language": "fra"}, "field language"),
        ({"url": "ftp://x"}, "field url"),
        ({"article": "0"}, "field article"),
        ({"evidence": ""}, "field evidence"),
    ],
)
def test_bad_catalog_cells(project_copy: Layout, change: dict[str, str], message: str) -> None:
    rewrite_seed_rows(project_copy, change)
    with pytest.raises((CatalogError, UnsafePathError), match=message):
        load_catalog(project_copy.catalog, project_copy.seeds)


def test_catalog_row_for_a_missing_seed(project_copy: Layout) -> None:
    rewrite_seed_rows(project_copy, {"file": "999_missing.txt"})
    catalog = load_catalog(project_copy.catalog, project_copy.seeds)
    with pytest.raises(CatalogError, match=r"seeds/999_missing.txt does not exist"):
        check_coverage(catalog, seed_names(project_copy.seeds))


def test_seeds_without_a_reviewed_row_are_listed_not_refused(project_copy: Layout) -> None:
    (project_copy.seeds / "005_new.txt").write_text("A headline here\n\nSome text.\n", encoding="utf-8")
    (project_copy.seeds / "006_draft.txt").write_text("Another headline\n\nMore text.\n", encoding="utf-8")
    with (project_copy.catalog / "seeds.csv").open("a", encoding="utf-8", newline="") as handle:
        row = dict.fromkeys(SEED_FIELDS, "") | {"file": "006_draft.txt", "review": "unreviewed", "evidence": "Draft."}
        csv.DictWriter(handle, fieldnames=list(SEED_FIELDS), lineterminator="\n").writerow(row)
    catalog = load_catalog(project_copy.catalog, project_copy.seeds)
    assert check_coverage(catalog, seed_names(project_copy.seeds)) == ["005_new.txt", "006_draft.txt"]
    assert catalog.reviewed("000_cf7a337e85c81ec2.txt") and not catalog.reviewed("006_draft.txt")


def test_review_must_be_reviewed_or_unreviewed(project_copy: Layout) -> None:
    rewrite_seed_rows(project_copy, {"review": "maybe"})
    with pytest.raises(CatalogError, match=r"line 2, field review: 'maybe' is not one of reviewed, unreviewed"):
        load_catalog(project_copy.catalog, project_copy.seeds)


def test_any_iso_language_is_accepted(project_copy: Layout) -> None:
    rewrite_seed_rows(project_copy, {"language": "fr"})
    catalog = load_catalog(project_copy.catalog, project_copy.seeds)
    assert catalog.overrides("000_cf7a337e85c81ec2.txt", 1)[0]["language"] == "fr"


def test_wrong_header(project_copy: Layout) -> None:
    path = project_copy.catalog / "seeds.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("date_source", "source", 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"missing \['date_source'\]; unknown \['source'\]"):
        load_catalog(project_copy.catalog, project_copy.seeds)


def test_duplicate_outlet(project_copy: Layout) -> None:
    path = project_copy.catalog / "outlets.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="listed twice"):
        load_catalog(project_copy.catalog, project_copy.seeds)


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2025", True), ("2025-08", True), ("2025-08-23", True), ("2025-13", False), ("2025-8-1", False), ("", False)],
)
def test_check_date(value: str, ok: bool) -> None:
    if ok:
        check_date(value, where="here")
    else:
        with pytest.raises(CatalogError, match="here"):
            check_date(value, where="here")


def test_catalog_must_be_utf8(project_copy: Layout) -> None:
    path: Path = project_copy.catalog / "outlets.csv"
    path.write_bytes(
        path.read_text(encoding="utf-8").replace("–", "-").encode("cp1251", errors="replace") + "é".encode("latin-1")
    )
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_catalog(project_copy.catalog, project_copy.seeds)


@pytest.mark.parametrize(
    ("host", "domains", "matches"),
    [
        ("sputnikglobe.com", ["sputnikglobe.com"], True),
        ("www.sputnikglobe.com", ["sputnikglobe.com"], True),
        ("WWW.SputnikGlobe.com", ["sputnikglobe.com"], True),
        ("news.lenta.ua", ["lenta.ua"], True),
        ("sputniknews.com", ["sputnikglobe.com", "sputniknews.com"], True),  # a former domain
        ("notlenta.ua", ["lenta.ua"], False),
        ("lenta.ua.example.org", ["lenta.ua"], False),
        ("example.org", ["", "lenta.ua"], False),
        ("", [""], False),
    ],
)
def test_host_in_domains(host: str, domains: list[str], matches: bool) -> None:
    assert host_in_domains(host, domains) is matches
