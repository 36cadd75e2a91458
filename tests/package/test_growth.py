"""A corpus that grows: seeds without rows, `corpus add`, `corpus status`, other languages, and
the tests of the real seeds still holding on a clone with many more seeds."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
from seed_expectations import check_real_seed_documents, check_real_seed_languages

from corpus.analysis.data import load_tables
from corpus.analysis.select import select
from corpus.errors import CatalogError, SeedError
from corpus.ingest.intake import add_seeds
from corpus.package.build import build
from corpus.package.quality import run_benchmark
from corpus.package.status import status_report
from corpus.package.validate import validate_package
from corpus.paths import Layout

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "extraction"


def documents(layout: Layout) -> dict[str, dict[str, str]]:
    with (layout.data / "documents.csv").open(encoding="utf-8", newline="") as handle:
        return {row["doc_id"]: row for row in csv.DictReader(handle)}


def seed_rows(layout: Layout) -> list[dict[str, str]]:
    with (layout.catalog / "seeds.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def benchmark_pages() -> list[dict[str, str]]:
    with (BENCHMARK / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["page_id"].startswith("b")]


def test_a_seed_with_a_header_on_a_known_domain_needs_no_row(project_copy: Layout) -> None:
    (project_copy.seeds / "005_new.txt").write_text(
        " date 2025-10-20 https://sputnikglobe.com/20251020/lavrov-and-rubio-hold-phone-call-1122.html\n"
        "Lavrov, Rubio Hold Phone Call\n\n"
        "MOSCOW (Sputnik) - Russian Foreign Minister Sergey Lavrov and US Secretary of State Marco Rubio held a "
        "telephone conversation on Monday, the Russian Foreign Ministry said.\n\n"
        "The ministers discussed the preparation of a meeting of the two presidents, the ministry added.\n",
        encoding="utf-8",
    )
    summary = build(project_copy)
    doc = documents(project_copy)["005_new-1"]
    assert (doc["outlet_id"], doc["perspective"], doc["date"], doc["date_source"]) == (
        "sputnik",
        "russian-state-media",
        "2025-10-20",
        "header",
    )
    assert (doc["unreviewed"], doc["missing"], doc["title"]) == ("true", "", "Lavrov, Rubio Hold Phone Call")
    assert "seeds/005_new.txt" in summary
    assert validate_package(project_copy) == []


def test_corpus_add_copies_bytes_under_the_canonical_name_and_writes_a_draft_row(
    project_copy: Layout, tmp_path: Path
) -> None:
    raw = "Заголовок статьи о переговорах\n\nТекст статьи о переговорах в Стамбуле.\n".encode()
    source = tmp_path / "page from the web.txt"
    source.write_bytes(raw)
    (added,) = add_seeds(project_copy, [source], url="https://lenta.ua/news/1.html", outlet="lenta-ua")
    assert added.name == f"005_{hashlib.sha256(raw).hexdigest()[:16]}.txt"
    assert (project_copy.seeds / added.name).read_bytes() == raw
    row = seed_rows(project_copy)[-1]
    assert (row["file"], row["outlet_id"], row["url"], row["review"]) == (
        added.name,
        "lenta-ua",
        "https://lenta.ua/news/1.html",
        "unreviewed",
    )
    with pytest.raises(SeedError, match=rf"same bytes as seeds/{added.name}"):
        add_seeds(project_copy, [source])
    build(project_copy)
    assert documents(project_copy)[f"{added.name[:-4]}-1"]["unreviewed"] == "true"


@pytest.mark.parametrize(
    ("options", "files", "message"),
    [
        ({"url": "https://lenta.ua/a"}, 2, "one file"),
        ({"url": "ftp://lenta.ua/a"}, 1, "not an http"),
        ({"outlet": "nowhere"}, 1, "not in catalog/outlets.csv"),
    ],
)
def test_corpus_add_refuses_bad_options_before_copying(
    project_copy: Layout, tmp_path: Path, options: dict[str, str], files: int, message: str
) -> None:
    paths = []
    for n in range(files):
        paths.append(tmp_path / f"{n}.txt")
        paths[-1].write_text(f"Headline number {n}\n\nSome text of page {n}.\n", encoding="utf-8")
    before = sorted(p.name for p in project_copy.seeds.iterdir())
    with pytest.raises(CatalogError, match=message):
        add_seeds(project_copy, paths, **options)
    assert sorted(p.name for p in project_copy.seeds.iterdir()) == before


def test_corpus_add_refuses_a_legacy_encoding_and_copies_nothing(project_copy: Layout, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("A headline\n\nSome text.\n", encoding="utf-8")
    bad.write_bytes("Заголовок\n\nТекст.\n".encode("cp1251"))
    before = sorted(p.name for p in project_copy.seeds.iterdir())
    with pytest.raises(SeedError, match="cp1251"):
        add_seeds(project_copy, [good, bad])
    assert sorted(p.name for p in project_copy.seeds.iterdir()) == before
    assert len(seed_rows(project_copy)) == 5


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, str, dict[str, str]]:
    """A clone of the project with the 57 benchmark pages added as seeds, none with a catalog row."""
    root = tmp_path_factory.mktemp("grown") / "project"
    repo = Path(__file__).resolve().parents[2]
    for name in ("catalog", "seeds"):
        shutil.copytree(repo / name, root / name)
    (root / "benchmarks" / "extraction").mkdir(parents=True)
    shutil.copy2(repo / "benchmarks" / "extraction" / "scores.csv", root / "benchmarks" / "extraction")
    names = {}
    for number, page in enumerate(benchmark_pages(), start=5):
        raw = (BENCHMARK / page["file"]).read_bytes()
        name = f"{number:03d}_{hashlib.sha256(raw).hexdigest()[:16]}.txt"
        (root / "seeds" / name).write_bytes(raw)
        names[page["page_id"]] = name
    layout = Layout(root)
    return layout, build(layout), names


@pytest.mark.slow
def test_every_seed_without_a_row_is_listed_in_one_run(grown: tuple[Layout, str, dict[str, str]]) -> None:
    layout, summary, names = grown
    assert f"{len(names)} seed(s) built from what their files say" in summary
    for name in names.values():
        assert f"seeds/{name}" in summary
    report = status_report(layout)
    assert f"Seeds not reviewed (add or complete their row in catalog/seeds.csv): {len(names)}" in report


@pytest.mark.slow
def test_a_grown_clone_validates_and_the_real_seeds_keep_their_expectations(
    grown: tuple[Layout, str, dict[str, str]],
) -> None:
    layout, _, _ = grown
    assert validate_package(layout) == []  # every character of every page accounted for
    check_real_seed_documents(layout)
    check_real_seed_languages(layout)


@pytest.mark.slow
def test_a_french_page_is_french_and_never_enters_an_english_analysis(
    grown: tuple[Layout, str, dict[str, str]],
) -> None:
    layout, _, names = grown
    french = [page["page_id"] for page in benchmark_pages() if page["language"] == "fr"]
    docs = documents(layout)
    doc_ids = {f"{names[p][:-4]}-1" for p in french}
    assert {docs[d]["language"] for d in doc_ids} == {"fr"}
    chosen = select(load_tables(layout), languages=["en"])
    assert not doc_ids & set(chosen.documents["doc_id"])


@pytest.mark.slow
def test_committed_extraction_scores_are_current(repo: Layout) -> None:
    run_benchmark(repo, check=True)
