"""What the five real seeds must come out as: expectations per seed, never whole-set equality, so
that they hold in any project holding these seeds (tests/package/test_build.py, test_growth.py)."""

from __future__ import annotations

import csv

from corpus.paths import Layout


def documents(layout: Layout) -> dict[str, dict[str, str]]:
    with (layout.data / "documents.csv").open(encoding="utf-8", newline="") as handle:
        return {row["doc_id"]: row for row in csv.DictReader(handle)}


EXPECTED = {
    # doc_id: outlet, perspective, language, date, precision, source, author, title starts with
    "000_cf7a337e85c81ec2-1": (
        "sputnik",
        "russian-state-media",
        "en",
        "2025-08-23",
        "day",
        "header",
        "",
        "Russia, US Discuss Cooperation",
    ),
    "001_132fcf242b09236b-1": (
        "sputnik",
        "russian-state-media",
        "en",
        "2021-10-21",
        "day",
        "header",
        "",
        "Russia and US Are on the Right Track",
    ),
    "002_5a2deabd0eb3730e-1": (
        "blog-repost",
        "russian-state-media",
        "en",
        "2025-08-23",
        "day",
        "dateline",
        "",
        "Russia rejects accusations",
    ),
    "002_5a2deabd0eb3730e-2": (
        "blog-repost",
        "russian-state-media",
        "en",
        "2025-08-23",
        "day",
        "dateline",
        "",
        "Putin - Russia still working",
    ),
    "003_47a6b022a73ab088-1": (
        "",
        "ukrainian",
        "ru",
        "2026-02-03",
        "day",
        "inferred",
        "Маргарита Волошина",
        "Москва передала США пропозиції",
    ),
    "004_bf1b9465bd702416-1": ("lenta-ua", "ukrainian", "ru", "", "unknown", "unknown", "Евгений Медведев", ""),
}


def check_real_seed_documents(layout: Layout) -> None:
    """The metadata of each real seed's articles, whatever other seeds the project holds."""
    docs = documents(layout)
    assert set(EXPECTED) <= set(docs)  # per-seed expectations: other seeds may be added
    for doc_id, (outlet, perspective, language, date, precision, source, author, title) in EXPECTED.items():
        row = docs[doc_id]
        got = (
            row["outlet_id"],
            row["perspective"],
            row["language"],
            row["date"],
            row["date_precision"],
            row["date_source"],
            row["author"],
        )
        assert got == (outlet, perspective, language, date, precision, source, author), doc_id
        assert row["title"].startswith(title) and bool(row["title"]) == bool(title), doc_id
        assert row["evidence"], doc_id
    assert docs["003_47a6b022a73ab088-1"]["title_language"] == "uk"
    assert "(no year)" in docs["003_47a6b022a73ab088-1"]["date_note"]
    assert "sidebar" in docs["004_bf1b9465bd702416-1"]["date_note"]


def check_real_seed_languages(layout: Layout) -> None:
    """The paragraph languages of the real seeds: the mixed page has Russian, the English ones only English."""
    with (layout.data / "paragraphs.csv").open(encoding="utf-8", newline="") as handle:
        langs = {(r["doc_id"], r["language"]) for r in csv.DictReader(handle)}
    assert ("003_47a6b022a73ab088-1", "ru") in langs
    assert {lang for doc, lang in langs if doc.startswith("00") and doc[:3] in {"000", "001", "002"}} == {"en"}
