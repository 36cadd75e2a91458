"""Build the data package: ``datapackage.json`` and the tables under ``data/``.

The build streams the seeds one at a time (memory does not grow with the corpus beyond what a
table row needs), writes every table into a staging folder, and only when everything succeeded
swaps the staging folder in for ``data/`` and replaces ``datapackage.json``. A failed build
leaves the previous package untouched. The output depends only on ``seeds/`` and ``catalog/``
(never on the clock), so a second build changes no byte.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import urlsplit

from corpus import langid, schema
from corpus.catalog import Catalog, check_coverage, check_date, load_catalog
from corpus.errors import CatalogError, CorpusError, ExtractionError, PackageError, SeedError
from corpus.extract import Article, Extraction, extract, load_rules
from corpus.nlp import word_count
from corpus.paths import Layout
from corpus.seeds import Seed, iter_seeds, seed_names

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


@dataclass(frozen=True)
class PackageMeta:
    """Release metadata from ``catalog/package.toml``."""

    raw: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.raw["name"])

    @property
    def version(self) -> str:
        return str(self.raw["version"])

    def license(self, which: str) -> dict[str, str]:
        """The licence entry for our own tables (``metadata``) or the publishers' texts (``texts``)."""
        return dict(self.raw["licenses"][which])


def load_meta(path: Path) -> PackageMeta:
    """Read ``catalog/package.toml``.

    Raises:
        CatalogError: If it is missing, not TOML, or lacks a required key.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"catalog/{path.name}: cannot read the release metadata: {exc}") from exc
    for key in ("name", "title", "version", "created", "description", "licenses"):
        if key not in raw:
            raise CatalogError(f"catalog/{path.name}: missing key {key!r}")
    for which in ("metadata", "texts"):
        if which not in raw["licenses"]:
            raise CatalogError(f"catalog/{path.name}: missing [licenses.{which}]")
    return PackageMeta(raw)


class TableWriter:
    """Write the rows of one table as CSV (header first, LF line ends, UTF-8)."""

    def __init__(self, path: Path, table_schema: schema.Schema) -> None:
        self.path = path
        self.fields = [f["name"] for f in table_schema["fields"]]
        self._handle: IO[str] | None = None
        self._writer: Any = None
        self.rows = 0

    def __enter__(self) -> TableWriter:
        self._handle = self.path.open("w", encoding="utf-8", newline="")
        self._writer = csv.DictWriter(self._handle, fieldnames=self.fields, lineterminator="\n")
        self._writer.writeheader()
        return self

    def write(self, row: dict[str, Any]) -> None:
        self._writer.writerow({k: _cell(row.get(k)) for k in self.fields})
        self.rows += 1

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        assert self._handle is not None
        self._handle.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)  # the CSV form of Table Schema array/object fields
    return str(value)


def resource_name(seed_file: str) -> str:
    """The name of a seed file's own resource (``seed-`` and the lowercase stem)."""
    return "seed-" + seed_file.removesuffix(".txt").lower()


def article_metadata(seed: Seed, found: Extraction, article: Article, number: int, catalog: Catalog) -> dict[str, Any]:
    """Resolve an article's metadata from what the file says and what the catalog adds.

    Order of precedence for each field: the catalog, then the file (header line, dateline,
    byline, headline), then unknown. Every decision about the date is explained in ``date_note``.

    Raises:
        CatalogError: If neither the catalog nor the outlet gives the article's perspective.
    """
    where = f"seeds/{seed.name} article {number}"
    values, evidence = catalog.overrides(seed.name, number)
    url = values.get("url") or found.header_url or ""
    outlet = catalog.outlets.get(values.get("outlet_id", ""))
    if outlet is None and url:
        outlet = catalog.outlet_for_domain(urlsplit(url).hostname or "")
    perspective = values.get("perspective") or (outlet.perspective if outlet else "")
    if not perspective:
        raise CatalogError(
            f"{where}: the outlet is unknown and catalog/seeds.csv gives no perspective: add outlet_id or perspective"
        )

    notes: list[str] = []
    dateline = found.dateline
    if found.header_date:
        check_date(found.header_date, where=f"seeds/{seed.name} line {found.header_line} (header)")
    if values.get("date"):
        date, precision, source = values["date"], values["date_precision"], values["date_source"]
        notes.append(f"Date from the catalog ({source}); see evidence.")
        if found.header_date and found.header_date != date:
            notes.append(f"The header line says {found.header_date}.")
        if dateline:
            lacks = " (no year)" if dateline.year is None else ""
            notes.append(f"The page's dateline (line {dateline.line}) reads {dateline.text!r}{lacks}.")
    elif found.header_date:
        date, precision, source = found.header_date, "day", "header"
        notes.append(f"Read from the file's header line (line {found.header_line}).")
    elif dateline and dateline.year is not None and dateline.month is not None:
        date = f"{dateline.year:04d}-{dateline.month:02d}" + (f"-{dateline.day:02d}" if dateline.day else "")
        precision, source = ("day" if dateline.day else "month"), "dateline"
        check_date(date, where=f"seeds/{seed.name} line {dateline.line} (dateline {dateline.text!r})")
        notes.append(f"Read from the page's dateline {dateline.text!r} (line {dateline.line}).")
    else:
        date, precision, source = "", "unknown", "unknown"
        if dateline:
            notes.append(f"The page's dateline {dateline.text!r} (line {dateline.line}) gives no year.")
        else:
            notes.append("No date of this article in the file.")
    if any(r.kind == "sidebar" for r in found.removed) and source in ("unknown", "inferred"):
        notes.append("Timestamps in the file belong to a sidebar of other headlines, not to this article.")

    return {
        "outlet_id": outlet.outlet_id if outlet else "",
        "perspective": perspective,
        "url": url,
        "date": date,
        "date_precision": precision,
        "date_source": source,
        "date_note": " ".join(notes),
        "language": values.get("language", ""),
        "author": values.get("author") or article.author or "",
        "title": values.get("title") or article.title or "",
        "from_catalog_title": "title" in values,
        "evidence": evidence,
    }


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _table_resource(
    stage: Path, name: str, title: str, description: str, table_schema: schema.Schema, license_: dict[str, str]
) -> dict[str, Any]:
    path = stage / f"{name}.csv"
    return {
        "name": name,
        "type": "table",
        "path": f"data/{name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": title,
        "description": description,
        "bytes": path.stat().st_size,
        "hash": "sha256:" + _sha256_file(path),
        "licenses": [license_],
        "schema": table_schema,
    }


def _progress(enabled: bool, message: str) -> None:
    if enabled:
        print(message, file=sys.stderr, flush=True)


def build(layout: Layout, *, progress: bool = False) -> str:
    """Build ``datapackage.json`` and ``data/`` from ``seeds/`` and ``catalog/``.

    Args:
        layout: The project.
        progress: Report progress on stderr.

    Returns:
        A one-line summary.

    Raises:
        CorpusError: For any bad seed, catalog row or extraction failure; nothing is replaced then.
    """
    started = time.perf_counter()
    meta = load_meta(layout.catalog / "package.toml")
    rules = load_rules(layout.catalog / "rules.toml")
    catalog = load_catalog(layout.catalog, layout.seeds)
    names = seed_names(layout.seeds)
    check_coverage(catalog, names)
    resources = {resource_name(n) for n in names}
    if len(resources) != len(names):
        raise SeedError("two seed file names differ only in letter case: rename one (resource names are lowercase)")

    stage = Path(tempfile.mkdtemp(prefix=".data-", dir=layout.root))
    umask = os.umask(0)
    os.umask(umask)
    stage.chmod(0o777 & ~umask)  # mkdtemp makes it private; data/ is an ordinary folder
    try:
        seed_resources, counts = _write_tables(layout, stage, names, rules, catalog, progress)
        descriptor = _descriptor(meta, catalog, stage, seed_resources)
        tmp_descriptor = stage / "datapackage.json"
        tmp_descriptor.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _swap_in(layout, stage, tmp_descriptor)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    elapsed = time.perf_counter() - started
    return (
        f"built {meta.name} {meta.version}: {counts['seeds']} seeds, {counts['documents']} articles, "
        f"{counts['paragraphs']} paragraphs ({elapsed:.1f} s)"
    )


def _swap_in(layout: Layout, stage: Path, tmp_descriptor: Path) -> None:
    """Replace data/ and datapackage.json by the staged ones, restoring the old data/ on failure."""
    final_descriptor = layout.root / f".datapackage.json.{os.getpid()}.tmp"
    os.replace(tmp_descriptor, final_descriptor)
    old: Path | None = None
    if layout.data.exists():
        old = Path(tempfile.mkdtemp(prefix=".data-old-", dir=layout.root))
        os.replace(layout.data, old / "data")
    try:
        os.replace(stage, layout.data)
        os.replace(final_descriptor, layout.descriptor)
    except OSError as exc:
        if old is not None and not layout.data.exists():
            os.replace(old / "data", layout.data)
        final_descriptor.unlink(missing_ok=True)
        raise PackageError(f"could not replace data/ and datapackage.json: {exc}") from exc
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _write_tables(
    layout: Layout, stage: Path, names: list[str], rules: Any, catalog: Catalog, progress: bool
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    from corpus import derived

    text_hashes: dict[str, str] = {}
    seed_resources: list[dict[str, Any]] = []
    texts_license = dict(load_meta(layout.catalog / "package.toml").license("texts"))
    started = time.perf_counter()
    raw_bytes = 0
    annotator = derived.Annotator(layout)
    with (
        TableWriter(stage / "seed_files.csv", schema.SEED_FILES) as seed_files,
        TableWriter(stage / "documents.csv", schema.DOCUMENTS) as documents,
        TableWriter(stage / "paragraphs.csv", schema.PARAGRAPHS) as paragraphs,
        TableWriter(stage / "boilerplate.csv", schema.BOILERPLATE) as boilerplate,
        annotator.open(stage),
    ):
        for n, seed in enumerate(iter_seeds(layout.seeds, names), start=1):
            raw_bytes += seed.size
            found = extract(seed.text, rules, site_names=catalog.site_names)
            if not found.articles:
                raise ExtractionError(
                    f"seeds/{seed.name}: no article text found (every line matched a furniture rule); check "
                    "catalog/rules.toml against the file, or remove the seed"
                )
            _write_seed(seed, found, catalog, documents, paragraphs, text_hashes, annotator)
            for removed in found.removed:
                boilerplate.write(
                    {
                        "seed": seed.name,
                        "line": removed.line,
                        "start": removed.start,
                        "end": removed.end,
                        "kind": removed.kind,
                    }
                )
            seed_files.write(
                {
                    "file": seed.name,
                    "resource": resource_name(seed.name),
                    "bytes": seed.size,
                    "sha256": seed.sha256,
                    "bom": seed.bom,
                    "line_endings": seed.line_endings,
                    "n_articles": len(found.articles),
                }
            )
            seed_resources.append(
                {
                    "name": resource_name(seed.name),
                    "path": f"seeds/{seed.name}",
                    "scheme": "file",
                    "format": "txt",
                    "mediatype": "text/plain",
                    "encoding": "utf-8",
                    "title": f"Raw seed {seed.name}",
                    "description": "The raw news document exactly as received; offsets in the tables index its text.",
                    "bytes": seed.size,
                    "hash": "sha256:" + seed.sha256,
                    "licenses": [texts_license],
                }
            )
            if progress and n % 500 == 0:
                rate = raw_bytes / 1e6 / (time.perf_counter() - started)
                _progress(progress, f"  {n}/{len(names)} seeds, {documents.rows} articles ({rate:.1f} MB/s)")
        counts = {"seeds": seed_files.rows, "documents": documents.rows, "paragraphs": paragraphs.rows}
    _progress(progress, f"  {counts['seeds']} seeds read, tables written")
    return seed_resources, counts


def _write_seed(
    seed: Seed,
    found: Extraction,
    catalog: Catalog,
    documents: TableWriter,
    paragraphs: TableWriter,
    text_hashes: dict[str, str],
    annotator: Any,
) -> None:
    texts: list[str] = []
    for article in found.articles:
        texts.extend(p.text for p in article.paragraphs)
        texts.append(article.title or "")
    detected = langid.detect_many(texts)
    cursor = 0
    for number, article in enumerate(found.articles, start=1):
        meta = article_metadata(seed, found, article, number, catalog)
        doc_id = f"{seed.stem}-{number}"
        para_langs = detected[cursor : cursor + len(article.paragraphs)]
        title_language = detected[cursor + len(article.paragraphs)] if article.title else ""
        cursor += len(article.paragraphs) + 1
        detected_language = langid.dominant(para_langs, [len(p.text) for p in article.paragraphs])
        text = article.text
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest in text_hashes:
            raise PackageError(
                f"seeds/{seed.name} article {number} has the same text as {text_hashes[digest]}: "
                "the same article is in two seeds; remove one seed"
            )
        text_hashes[digest] = doc_id
        documents.write(
            {
                "doc_id": doc_id,
                "seed": seed.name,
                "article": number,
                **{
                    k: meta[k]
                    for k in (
                        "outlet_id",
                        "perspective",
                        "url",
                        "date",
                        "date_precision",
                        "date_source",
                        "date_note",
                        "author",
                        "title",
                        "evidence",
                    )
                },
                "language": meta["language"] or detected_language,
                "language_source": "catalog" if meta["language"] else "detected",
                "title_language": title_language if article.title or meta["title"] else "",
                "title_start": None if meta["from_catalog_title"] else article.title_start,
                "title_end": None if meta["from_catalog_title"] else article.title_end,
                "alt_title": article.alt_title or "",
                "text": text,
                "start": article.start,
                "end": article.end,
                "n_paragraphs": len(article.paragraphs),
                "token_count": word_count(text),
                "text_sha256": digest,
            }
        )
        for index, (para, language) in enumerate(zip(article.paragraphs, para_langs, strict=True), start=1):
            paragraphs.write(
                {
                    "doc_id": doc_id,
                    "paragraph": index,
                    "kind": para.kind,
                    "start": para.start,
                    "end": para.end,
                    "text": para.text,
                    "language": language,
                    "repairs": ";".join(para.repairs),
                }
            )
            annotator.paragraph(doc_id=doc_id, paragraph=index, text=para.text, language=language, offset=para.start)


def _descriptor(
    meta: PackageMeta, catalog: Catalog, stage: Path, seed_resources: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    from corpus import derived

    own = meta.license("metadata")
    texts = meta.license("texts")
    with TableWriter(stage / "outlets.csv", schema.OUTLETS) as outlets:
        for outlet in sorted(catalog.outlets.values(), key=lambda o: o.outlet_id):
            outlets.write(outlet.row())
    resources = [
        _table_resource(
            stage,
            "documents",
            "Articles",
            "One row per article: metadata with provenance, and the extracted text.",
            schema.DOCUMENTS,
            texts,
        ),
        _table_resource(
            stage,
            "paragraphs",
            "Paragraphs",
            "One row per paragraph, with offsets into its raw seed and its detected language.",
            schema.PARAGRAPHS,
            texts,
        ),
        _table_resource(
            stage, "outlets", "Outlets", "The news outlets, their ownership and perspective.", schema.OUTLETS, own
        ),
        _table_resource(
            stage, "seed_files", "Seed files", "Every raw seed file with its size and SHA-256.", schema.SEED_FILES, own
        ),
        _table_resource(
            stage,
            "boilerplate",
            "Removed page furniture",
            "Every stretch of the seeds that is not article text, with the rule that removed it.",
            schema.BOILERPLATE,
            own,
        ),
        *(_table_resource(stage, spec.name, spec.title, spec.description, spec.schema, own) for spec in derived.TABLES),
        *seed_resources,
    ]
    descriptor: dict[str, Any] = {
        "$schema": PROFILE,
        "name": meta.name,
        "title": meta.raw["title"],
        "description": " ".join(str(meta.raw["description"]).split()),
        "version": meta.version,
        "created": meta.raw["created"],
        "keywords": list(meta.raw.get("keywords", [])),
        "contributors": [dict(c) for c in meta.raw.get("contributors", [])],
        "licenses": [own, texts],
        "sources": [
            {"title": o.name, "path": f"https://{o.domain}/"}
            for o in sorted(catalog.outlets.values(), key=lambda o: o.outlet_id)
            if o.domain
        ],
        "resources": resources,
    }
    if meta.raw.get("homepage"):
        descriptor["homepage"] = meta.raw["homepage"]
    return descriptor


__all__ = ["CorpusError", "TableWriter", "article_metadata", "build", "load_meta", "resource_name"]
