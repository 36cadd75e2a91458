"""The reports index: one row per planned report, a summary of the corpus and its citation.

Everything here is read from the published data package: the descriptor (name, version, release
metadata for the citation) and the tables it lists, found through the descriptor's paths.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from corpus.errors import ReportError
from corpus.ingest.languages import LANGUAGE_NAMES
from corpus.paths import Layout, safe_join
from corpus.reports.cache import CacheEntry, canonical_json
from corpus.reports.plan import PlannedReport
from corpus.reports.render import About, CountTable, IndexRow, PackageInfo, Status



def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _table(layout: Layout, descriptor: Mapping[str, Any], name: str) -> list[dict[str, str]]:
    """The rows of a table resource of the descriptor (empty when it has no such resource)."""
    resource = next((r for r in descriptor["resources"] if isinstance(r, dict) and r.get("name") == name), None)
    path = resource.get("path") if resource else None
    if not isinstance(path, str):
        return []
    try:
        with safe_join(layout.root, path).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError as exc:
        raise ReportError(f"{path} is listed in datapackage.json but missing: build the package (nox -s data)") from exc


def _counted(values: Sequence[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def about_corpus(layout: Layout, descriptor: Mapping[str, Any], package: PackageInfo) -> About:
    """Summarize the corpus for the index from the package's ``documents`` and ``outlets`` tables."""
    docs = _table(layout, descriptor, "documents")
    if not docs:
        return About(summary=f"{package.title}: no documents in the data package yet.", tables=())
    names = {r["outlet_id"]: r.get("name") or r["outlet_id"] for r in _table(layout, descriptor, "outlets")}
    outlets = _counted([names.get(d.get("outlet_id", ""), "") or "unknown outlet" for d in docs])
    language_names: dict[str, str] = {code: name for code, name in LANGUAGE_NAMES.items()}
    languages = _counted([language_names.get(d.get("language", ""), d.get("language", "")) for d in docs])
    perspectives = _counted([d.get("perspective", "") or "unknown" for d in docs])
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
        quality=extraction_quality(_table(layout, descriptor, "extraction_quality")),
    )


def dataset_description(layout: Layout, descriptor: dict[str, Any]) -> dict[str, Any]:
    """A schema.org ``Dataset`` (the vocabulary dataset search engines read) of the published package.

    Describes the public edition, the one anyone may redistribute: its archive name, licence
    and format. Nothing is invented: ``url`` and ``identifier`` appear only once the catalog
    has a homepage or a DOI; the archive has no download URL until it is deposited.
    """
    from corpus.package.metadata import DOI_URL, author_contributors, from_descriptor

    meta = from_descriptor(descriptor)
    licence = meta.license("metadata")
    docs = _table(layout, descriptor, "documents")
    creators = [
        {"@type": "Person" if c.get("givenName") or c.get("familyName") else "Organization", "name": c["title"]}
        for c in author_contributors(meta.contributors)
    ]
    dataset: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": meta.title,
        "alternateName": meta.name,
        "description": meta.description,
        "version": meta.version,
        "datePublished": meta.released.isoformat(),
        "keywords": list(meta.keywords),
        "inLanguage": sorted({d["language"] for d in docs if d.get("language")}),
        "creator": creators,
        "license": licence.get("path") or licence["name"],
        "isAccessibleForFree": True,
        "isBasedOn": [
            {"@type": "WebSite", "name": s["title"], "url": s["path"]}
            for s in descriptor.get("sources", [])
            if isinstance(s, dict) and s.get("title") and s.get("path")
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f"{meta.archive_stem('public')}.zip",
                "encodingFormat": "application/zip",
                "description": (
                    f"Public edition ({meta.data_license}): the Frictionless data package without the "
                    "article texts and raw pages, which stay the copyright of their publishers."
                ),
                "license": licence.get("path") or licence["name"],
            }
        ],
    }
    if meta.homepage:
        dataset["url"] = meta.homepage
    if meta.doi:
        dataset["identifier"] = f"{DOI_URL}{meta.doi}"
    return dataset


def extraction_quality(rows: Sequence[Mapping[str, str]]) -> tuple[tuple[str, str, str, str], ...]:
    """The ``extraction_quality`` table as rows of (measure, dev, holdout, all): "93.1 % (27/29)"."""
    cells: dict[str, dict[str, str]] = {}
    for row in rows:
        total = int(row["total"] or 0)
        if row["measure"] == "pages":
            text = str(total)
        else:
            text = f"{100 * int(row['right']) / total:.1f} % ({row['right']}/{total})" if total else ""
        cells.setdefault(row["measure"], {})[row["split"]] = text
    return tuple((m, c.get("dev", ""), c.get("holdout", ""), c.get("all", "")) for m, c in cells.items())


def citation_for_index(descriptor: dict[str, Any]) -> str:
    """The APA citation of the published package version, as HTML (values escaped)."""
    from corpus.package.citation import citation_html
    from corpus.package.metadata import from_descriptor

    return citation_html(from_descriptor(descriptor))


def index_rows(
    plan: Sequence[PlannedReport],
    statuses: Mapping[str, Status],
    manifest: Mapping[str, CacheEntry],
    present: Collection[str],
) -> list[IndexRow]:
    """One index row per planned report, in plan order (``present``: the files ``reports/`` will hold)."""
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
                has_html=f"{report.name}.html" in present,
                has_notebook=f"{report.name}.ipynb" in present,
            )
        )
    return rows
