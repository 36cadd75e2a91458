"""The extraction benchmark's scorer: the labels match their pages, each check can fail, the
table is what the README and the published resource show."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corpus.ingest.catalog import load_catalog
from corpus.ingest.furniture import repeated_lines
from corpus.ingest.rules import load_rules
from corpus.package.quality import (
    SCORE_FIELDS,
    load_benchmark,
    markdown,
    score_benchmark,
    score_table,
)
from corpus.paths import Layout

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "catalog" / "rules.toml")
LABELS = {
    "blank",
    "title",
    "alt_title",
    "byline",
    "date",
    "text",
    *(f"furniture:{k}" for k in ("caption", "credit", "nav", "related", "promo", "meta", "duplicate", "other")),
}


def test_the_benchmark_labels_match_their_pages(repo: Layout) -> None:
    pages = load_benchmark(repo.benchmark)
    assert len(pages) == 62
    assert {p.split for p in pages} == {"dev", "holdout"}
    for page in pages:
        assert {label for _, label in page.labels} <= LABELS, page.page_id
        assert len(page.labels) == len(page.line_spans), page.page_id
        for note in page.notes:
            start, end = page.line_spans[note.line - 1]
            assert note.fragment in page.text[start:end], (page.page_id, note.line)


PAGE = (
    "Skip to content\n"
    "Lavrov and Rubio discuss the next round of talks\n"
    "\n"
    "The foreign ministers spoke by phone on Monday, the ministry in Moscow said in a statement.\n"
    "\n"
    "They agreed to keep in touch about a meeting of the two presidents, the statement added.\n"
    "\n"
    "Read more\n"
    "Another story about something else entirely\n"
)
#: (article, label) per line of PAGE, as a curator would label it.
GOLD = [
    "|furniture:nav",
    "1|title",
    "|blank",
    "1|text",
    "|blank",
    "1|text",
    "|blank",
    "|furniture:related",
    "|furniture:related",
]


def write_benchmark(
    folder: Path, gold: list[str], *, title: str = "Lavrov and Rubio discuss the next round of talks"
) -> None:
    (folder / "pages").mkdir(parents=True)
    (folder / "labels").mkdir()
    (folder / "pages" / "b001.txt").write_text(PAGE, encoding="utf-8")
    lines = PAGE.split("\n")[:-1]
    rows = ["line\tarticle\tlabel\ttext"] + [
        f"{n}\t{g.split('|')[0]}\t{g.split('|')[1]}\t{line}"
        for n, (g, line) in enumerate(zip(gold, lines, strict=True), 1)
    ]
    (folder / "labels" / "b001.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with (folder / "sources.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["page_id", "file", "url", "domain", "split"])
        writer.writerow(["b001", "pages/b001.txt", "https://www.example-news.com/x.html", "example-news.com", "dev"])
    fields = ["page_id", "article", "title", "date", "date_precision", "author", "language", "outlet_domain"]
    with (folder / "articles.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*fields, "first_words", "last_words"])
        words = ["The foreign ministers spoke", "the statement added."]
        writer.writerow(["b001", "1", title, "", "unknown", "", "en", "example-news.com", *words])
    (folder / "line_notes.csv").write_text('"page_id","line","kind","fragment","note"\n', encoding="utf-8")


def table(folder: Path, repo: Layout) -> dict[tuple[str, str], dict[str, str]]:
    scores = score_benchmark(folder, RULES, load_catalog(repo.catalog, repo.seeds))
    return {(r["split"], r["measure"]): r for r in score_table(scores)}


def test_a_page_extracted_right_scores_right(tmp_path: Path, repo: Layout) -> None:
    write_benchmark(tmp_path, GOLD)
    rows = table(tmp_path, repo)
    assert rows[("dev", "articles fully right")]["right"] == "1"
    assert (rows[("dev", "furniture lines: recall")]["right"], rows[("dev", "furniture lines: recall")]["total"]) == (
        "3",
        "3",
    )
    assert rows[("dev", "furniture lines: precision")]["share"] == "1.000"
    assert rows[("holdout", "pages")]["total"] == "0"


@pytest.mark.parametrize(
    ("gold", "title", "failed"),
    [
        # the teaser labelled as the article's text: removing it drops text and costs precision
        ([*GOLD[:8], "1|text"], "Lavrov and Rubio discuss the next round of talks", "nothing dropped"),
        # a different headline expected
        (GOLD, "Another headline", "title"),
        # the second paragraph labelled as furniture: it is left in the text
        (
            [*GOLD[:5], "|furniture:promo", *GOLD[6:]],
            "Lavrov and Rubio discuss the next round of talks",
            "no furniture left",
        ),
    ],
)
def test_each_check_can_fail(tmp_path: Path, repo: Layout, gold: list[str], title: str, failed: str) -> None:
    write_benchmark(tmp_path, gold, title=title)
    rows = table(tmp_path, repo)
    assert rows[("dev", failed)]["right"] == "0"
    assert rows[("dev", "articles fully right")]["right"] == "0"


def test_the_readme_shows_the_committed_scores(repo: Layout) -> None:
    with (repo.benchmark / "scores.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == SCORE_FIELDS
        rows = list(reader)
    assert markdown(rows) in (repo.root / "README.md").read_text(encoding="utf-8")


def test_repeated_lines_depend_on_the_set_of_pages_not_their_order() -> None:
    pages = {
        "a.txt": ("site", {"subscribe now", "menu"}),
        "b.txt": ("site", {"menu", "one headline"}),
        "c.txt": ("other", {"menu"}),
        "d.txt": ("", {"menu"}),
    }
    forward = repeated_lines(pages)
    backward = repeated_lines(dict(reversed(list(pages.items()))))
    assert forward == backward == {"a.txt": frozenset({"menu"}), "b.txt": frozenset({"menu"}), "c.txt": frozenset()}
