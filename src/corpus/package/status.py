"""What needs a human: ``corpus status`` reads the published package and lists, per seed, what
nobody knows yet and the extractor's decisions worth a look.

* seeds no curator has reviewed (no row, or a draft row from ``corpus add``), with what is missing;
* outlets the catalog does not know, by the registrable domain of their URLs (add them to
  ``catalog/outlets.csv``, and every seed on that domain gets its outlet);
* articles without a date, or without a headline;
* lines removed by judgement (position, neighbourhood, repetition) rather than by a rule's
  pattern or word: the low-confidence decisions of the extractor.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from corpus.errors import PackageError
from corpus.fileio import read_csv_rows
from corpus.ingest.catalog import registrable_domain
from corpus.ingest.extract import JUDGEMENT_KINDS
from corpus.paths import Layout


def _rows(path: Path) -> list[dict[str, str]]:
    return read_csv_rows(path, error=PackageError, missing="run `corpus build` first")


def status_report(layout: Layout) -> str:
    """The curation view of the published package, as plain text (one section per kind of need)."""
    documents = _rows(layout.data / "documents.csv")
    boilerplate = _rows(layout.data / "boilerplate.csv")
    unreviewed = sorted({(d["seed"], d["missing"]) for d in documents if d["unreviewed"] == "true"})
    domains = Counter(registrable_domain(d["url"]) or "(no URL)" for d in documents if not d["outlet_id"])
    undated = [d["doc_id"] for d in documents if not d["date"]]
    untitled = [d["doc_id"] for d in documents if not d["title"]]
    judged = Counter(r["seed"] for r in boilerplate if r["kind"] in JUDGEMENT_KINDS)
    sections = [
        (
            "Seeds not reviewed (add or complete their row in catalog/seeds.csv)",
            [f"seeds/{seed}: missing {missing or 'nothing'}" for seed, missing in unreviewed],
        ),
        ("Outlets not in catalog/outlets.csv, by domain (articles)", [f"{d}: {n}" for d, n in sorted(domains.items())]),
        ("Articles without a date", undated),
        ("Articles without a headline", untitled),
        (
            "Lines removed by judgement, not by a rule's pattern (check data/boilerplate.csv)",
            [f"seeds/{seed}: {n}" for seed, n in sorted(judged.items())],
        ),
    ]
    out = []
    for title, items in sections:
        out.append(f"{title}: {len(items)}")
        out.extend(f"  {item}" for item in items)
    return "\n".join(out) + "\n"
