"""The reports index: one row per planned report, a summary of the corpus and its citation."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping, Sequence

from corpus.paths import Layout
from corpus.reports.cache import CacheEntry, canonical_json
from corpus.reports.plan import PlannedReport
from corpus.reports.render import (
    About,
    CountTable,
    IndexRow,
    PackageInfo,
    Status,
)

# --------------------------------------------------------------------------------------------
# The index


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def about_corpus(layout: Layout, package: PackageInfo) -> About:
    """Summarize the corpus for the index from ``data/documents.csv`` and ``data/outlets.csv``."""
    docs_path = layout.data / "documents.csv"
    if not docs_path.is_file():
        return About(summary=f"{package.title}: no documents table yet (run `corpus build`).", tables=())
    with docs_path.open(encoding="utf-8", newline="") as f:
        docs = list(csv.DictReader(f))
    names: dict[str, str] = {}
    outlets_path = layout.data / "outlets.csv"
    if outlets_path.is_file():
        with outlets_path.open(encoding="utf-8", newline="") as f:
            names = {r["outlet_id"]: r.get("name") or r["outlet_id"] for r in csv.DictReader(f)}
    language_names = {"en": "English", "ru": "Russian", "uk": "Ukrainian"}

    def counted(values: Sequence[str]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))

    outlets = counted([names.get(d.get("outlet_id", ""), "") or "unknown outlet" for d in docs])
    languages = counted([language_names.get(d.get("language", ""), d.get("language", "")) for d in docs])
    perspectives = counted([d.get("perspective", "") or "unknown" for d in docs])
    seeds = len({d.get("seed", "") for d in docs})
    dates = sorted(d.get("date", "") for d in docs if d.get("date"))
    span = f", dated {dates[0]} to {dates[-1]}" if dates else ""
    summary = (
        f"{package.title} (version {package.version}) holds {_n(len(docs), 'article')} "
        f"extracted from {_n(seeds, 'raw web capture')}{span}, from {_n(len(outlets), 'outlet')} "
        f"in {_n(len(languages), 'language')}."
    )
    return About(
        summary=summary,
        tables=(
            CountTable("Articles per outlet", "Outlet", outlets),
            CountTable("Articles per language", "Language", languages),
            CountTable("Articles per perspective", "Perspective", perspectives),
        ),
    )


def citation_for_index(layout: Layout, package: PackageInfo) -> str:
    """The citation shown in the index, as HTML (from :func:`corpus.cite.citation_html`)."""
    try:
        from corpus.cite import citation_html
    except ImportError:
        import html

        return (
            f"<p>{html.escape(package.title)} (version {html.escape(package.version)}) "
            f"[Data package <code>{html.escape(package.name)}</code>].</p>"
        )
    return citation_html(layout)


def index_rows(
    layout: Layout,
    plan: Sequence[PlannedReport],
    statuses: Mapping[str, Status],
    manifest: Mapping[str, CacheEntry],
) -> list[IndexRow]:
    """One index row per planned report, in plan order."""
    rows = []
    for report in plan:
        entry = manifest.get(report.name)
        rows.append(
            IndexRow(
                name=report.name,
                title=report.title,
                notebook=f"notebooks/{report.notebook}",
                parameters=tuple((k, canonical_json(v)) for k, v in sorted(report.parameters.items())),
                status=statuses[report.name],
                package_version=entry.package_version if entry else "",
                has_html=(layout.reports / f"{report.name}.html").is_file(),
                has_notebook=(layout.reports / f"{report.name}.ipynb").is_file(),
            )
        )
    return rows

