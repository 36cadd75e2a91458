"""A small data package following the build's table contract, for analysis and notebook tests.

Four documents: two English ones from Russian state media, one Russian article with a
Ukrainian paragraph from a Ukrainian outlet, and one Russian article of unknown outlet and date
whose text carries markup (``<script>``) that every analysis must return as text.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from corpus.paths import Layout

REPO = Path(__file__).resolve().parents[1]

SCRIPT = '<script>alert("x")</script>'

#: (doc_id, outlet_id, perspective, date, date_precision, date_source, language, title, paragraphs)
#: where paragraphs are (language, text).
DOCUMENTS: list[tuple[str, str, str, str, str, str, str, str, list[tuple[str, str]]]] = [
    (
        "000_aaaa-1", "sputnik", "russian-state-media", "2025-08-23", "day", "header", "en",
        "Russia, US Discuss Arctic",
        [
            ("en", "Russia and the United States discussed cooperation in the Arctic, Putin said."),
            ("en", '"We are discussing cooperation in the Arctic," Putin said. Sanctions remain.'),
        ],
    ),
    (
        "001_bbbb-1", "blog-repost", "russian-state-media", "2021-10", "month", "inferred", "en",
        "Moscow Rejects Accusations",
        [
            ("en", "Washington accused Moscow of undermining the talks. "
                   "The so-called experts allegedly blamed Russia."),
            ("en", "Lavrov said cooperation with the US on arms control is possible."),
        ],
    ),
    (
        "002_cccc-1", "lenta-ua", "ukrainian", "2025-03-05", "day", "dateline", "ru",
        "Дмитриев о редкоземельных металлах",
        [
            ("ru", "Дмитриев заявил, что Россия и США обсуждают редкоземельные металлы. "
                   "Против России действуют санкции."),
            ("ru", "По словам Дмитриева, сотрудничество с США возможно, несмотря на санкциями "
                   "ограниченную торговлю."),
            ("uk", "Росія нібито готова до співпраці зі США щодо санкцій."),
        ],
    ),
    (
        "003_dddd-1", "", "ukrainian", "", "unknown", "unknown", "ru",
        "Без даты",
        [
            ("ru", f"{SCRIPT} Санкции против России обсуждались в Вашингтоне."),
            ("ru", "Российский диктатор якобы готов к диалогу с США."),
        ],
    ),
]  # fmt: skip

OUTLETS = [
    ("sputnik", "Sputnik International", "sputnikglobe.com", "russian-state-media"),
    ("blog-repost", "Unidentified blog", "", "russian-state-media"),
    ("lenta-ua", "Lenta.UA", "lenta.ua", "ukrainian"),
]


DOCUMENT_COLUMNS = [
    "doc_id",
    "seed",
    "article",
    "outlet_id",
    "perspective",
    "url",
    "date",
    "date_precision",
    "date_source",
    "date_note",
    "language",
    "language_source",
    "title",
    "title_language",
    "alt_title",
    "author",
    "text",
    "start",
    "end",
    "n_paragraphs",
    "token_count",
    "text_sha256",
]
OUTLET_COLUMNS = [
    "outlet_id",
    "name",
    "domain",
    "other_domains",
    "country",
    "ownership",
    "perspective",
    "site_names",
    "evidence",
]


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def make_project(root: Path) -> Layout:
    """Write the fixture project (catalog, data tables, descriptor) under ``root``."""
    (root / "catalog").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "catalog" / "package.toml", root / "catalog" / "package.toml")
    shutil.copy(REPO / "catalog" / "codebook.toml", root / "catalog" / "codebook.toml")
    doc_rows: list[list[object]] = []
    para_rows: list[list[object]] = []
    for doc_id, outlet, perspective, day, precision, source, lang, title, paras in DOCUMENTS:
        offset = 100  # the article starts after a header in its seed
        text = "\n\n".join(t for _, t in paras)
        for number, (plang, ptext) in enumerate(paras, start=1):
            para_rows.append([doc_id, number, "paragraph", offset, offset + len(ptext), ptext, plang, ""])
            offset += len(ptext) + 2
        doc_rows.append(
            [
                *(doc_id, doc_id.split("-")[0] + ".txt", 1, outlet, perspective, "", day),
                *(precision, source, "", lang, "detected", title, lang, "", "", text, 100),
                *(100 + len(text), len(paras), len(text.split()), "0" * 64),
            ]
        )
    _write(
        root / "data" / "documents.csv",
        DOCUMENT_COLUMNS,
        doc_rows,
    )
    _write(
        root / "data" / "paragraphs.csv",
        ["doc_id", "paragraph", "kind", "start", "end", "text", "language", "repairs"],
        para_rows,
    )
    _write(
        root / "data" / "outlets.csv",
        OUTLET_COLUMNS,
        [[o, n, d, "", "", "", p, n, "fixture"] for o, n, d, p in OUTLETS],
    )
    descriptor = {
        "name": "fixture",
        "resources": [{"name": name, "path": f"data/{name}.csv"} for name in ("documents", "paragraphs", "outlets")],
    }
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return Layout(root)
