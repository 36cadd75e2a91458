"""Build the data package: ``datapackage.json`` and the tables under ``data/``.

The build streams the seeds one at a time (memory does not grow with the corpus beyond what a
table row needs), writes every table into a staging folder, and only when everything succeeded
swaps the staging folder in for ``data/`` and replaces ``datapackage.json``. A failed build
leaves the previous package untouched. The output depends only on ``seeds/`` and ``catalog/``
(never on the clock), so a second build changes no byte.

From :data:`PARALLEL_MIN_SEEDS` seeds on, the seeds are turned into rows by worker processes
(started with ``spawn``, so a script calling :func:`build` needs the usual
``if __name__ == "__main__":`` guard); this process writes the rows in seed order and runs the
checks that need the whole corpus (duplicate seeds and texts), so the tables and every error
message are the same as with one process.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import itertools
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import tomllib
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import urlsplit

from corpus import schema
from corpus.errors import CatalogError, CorpusError, ExtractionError, PackageError, SeedError
from corpus.fileio import sha256_file
from corpus.ingest import langid
from corpus.ingest.catalog import Catalog, Outlet, check_coverage, check_date, load_catalog
from corpus.ingest.extract import Extraction, extract
from corpus.ingest.rules import load_rules
from corpus.ingest.seeds import Seed, decode_seed, refuse_duplicate, seed_names
from corpus.ingest.structure import Article
from corpus.nlp import word_count
from corpus.paths import Layout

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
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(self.fields)
        return self

    def write(self, row: dict[str, Any]) -> None:
        self.write_cells(self.cells(row))

    def cells(self, row: dict[str, Any]) -> list[str]:
        """The CSV cells of ``row`` in column order (keys not in the schema are ignored)."""
        get = row.get
        # Most cells are already strings: skip the conversion for them.
        return [v if type(v) is str else _cell(v) for v in (get(k) for k in self.fields)]

    def write_cells(self, cells: list[str]) -> None:
        """Write one row already converted by :meth:`cells`."""
        self._writer.writerow(cells)
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


def seed_resource(name: str, size: int, sha256: str, license_: dict[str, str]) -> dict[str, Any]:
    """The descriptor of a raw seed's own resource (its bytes and hash make any edit fail validation)."""
    return {
        "name": resource_name(name),
        "path": f"seeds/{name}",
        "scheme": "file",
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "title": f"Raw seed {name}",
        "description": "The raw news document exactly as received; offsets in the tables index its text.",
        "bytes": size,
        "hash": "sha256:" + sha256,
        "licenses": [license_],
    }


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
        "hash": "sha256:" + sha256_file(path),
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
        write_outlets(stage, catalog.outlets.values())
        descriptor = describe_package(meta, catalog.outlets.values(), stage, seed_resources)
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


#: From this many seeds on, the build spreads the seeds over worker processes (below it, starting
#: the workers costs more than it saves).
PARALLEL_MIN_SEEDS = 200
#: Seeds per task sent to a worker, and tasks in flight per worker: enough to keep the workers
#: busy, few enough that results waiting to be written stay a small, fixed amount of memory.
_CHUNK = 8
_IN_FLIGHT_PER_WORKER = 4


@dataclass
class _ArticleRows:
    """The rows one article adds: its document row, paragraph rows and mention rows (as cells)."""

    number: int
    doc_id: str
    digest: str
    document: list[str]
    paragraphs: list[list[str]]
    mentions: list[list[str]]


@dataclass
class _SeedRows:
    """Everything one seed adds to the tables, computed without touching shared state.

    ``error`` is the first problem met, in the order the sequential build meets them; the rows
    before it are kept so that the checks needing the whole corpus (duplicate seeds, duplicate
    texts) still run first, exactly as if the seeds were processed one by one.
    """

    name: str
    size: int = 0
    sha256: str | None = None
    articles: list[_ArticleRows] | None = None
    boilerplate: list[list[str]] | None = None
    seed_file: list[str] | None = None
    resource: dict[str, Any] | None = None
    error: CorpusError | None = None


@dataclass(frozen=True)
class _Context:
    """What turning a seed into rows needs: loaded once per process."""

    layout: Layout
    rules: Any
    catalog: Catalog
    codebook: Any
    texts_license: dict[str, str]
    writers: dict[str, TableWriter]


def _context(layout: Layout, rules: Any, catalog: Catalog, codebook: Any) -> _Context:
    from corpus import derived

    # Writers that are never opened: they only turn rows into cells in column order.
    tables = {
        "documents": schema.DOCUMENTS,
        "paragraphs": schema.PARAGRAPHS,
        "boilerplate": schema.BOILERPLATE,
        "seed_files": schema.SEED_FILES,
        "mentions": derived.TABLES[2].schema,
    }
    return _Context(
        layout=layout,
        rules=rules,
        catalog=catalog,
        codebook=codebook,
        texts_license=dict(load_meta(layout.catalog / "package.toml").license("texts")),
        writers={name: TableWriter(Path(name), table) for name, table in tables.items()},
    )


_WORKER: _Context | None = None


def _init_worker(layout: Layout) -> None:
    """Load rules, catalog and codebook once per worker process."""
    global _WORKER
    from corpus.codebook import load_codebook

    _WORKER = _context(
        layout,
        load_rules(layout.catalog / "rules.toml"),
        load_catalog(layout.catalog, layout.seeds),
        load_codebook(layout.catalog / "codebook.toml"),
    )


def _worker_rows(names: list[str]) -> list[_SeedRows]:
    assert _WORKER is not None, "worker not initialized"
    return [_seed_rows(_WORKER, name) for name in names]


def _seed_rows(ctx: _Context, name: str) -> _SeedRows:
    """Read one seed and compute its rows; a CorpusError is returned in ``error``, not raised."""
    out = _SeedRows(name=name)
    try:
        seed = decode_seed(name, (ctx.layout.seeds / name).read_bytes())
        out.size, out.sha256 = seed.size, seed.sha256
        found = extract(seed.text, ctx.rules, site_names=ctx.catalog.site_names)
        if not found.articles:
            raise ExtractionError(
                f"seeds/{seed.name}: no article text found (every line matched a furniture rule); check "
                "catalog/rules.toml against the file, or remove the seed"
            )
        out.articles = []
        _article_rows(ctx, seed, found, out.articles)
    except CorpusError as exc:
        out.error = exc
        return out
    out.boilerplate = [
        ctx.writers["boilerplate"].cells(
            {"seed": seed.name, "line": r.line, "start": r.start, "end": r.end, "kind": r.kind}
        )
        for r in found.removed
    ]
    out.seed_file = ctx.writers["seed_files"].cells(
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
    out.resource = seed_resource(seed.name, seed.size, seed.sha256, ctx.texts_license)
    return out


def _write_tables(
    layout: Layout, stage: Path, names: list[str], rules: Any, catalog: Catalog, progress: bool
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    from corpus import derived

    text_hashes: dict[str, str] = {}
    seen_seeds: dict[str, str] = {}
    seed_resources: list[dict[str, Any]] = []
    started = time.perf_counter()
    raw_bytes = 0
    annotator = derived.Annotator(layout)
    with (
        TableWriter(stage / "seed_files.csv", schema.SEED_FILES) as seed_files,
        TableWriter(stage / "documents.csv", schema.DOCUMENTS) as documents,
        TableWriter(stage / "paragraphs.csv", schema.PARAGRAPHS) as paragraphs,
        TableWriter(stage / "boilerplate.csv", schema.BOILERPLATE) as boilerplate,
        annotator.open(stage),
        contextlib.closing(_all_seed_rows(layout, names, rules, catalog, annotator.codebook)) as all_rows,
    ):
        mentions = annotator.mentions
        for n, rows in enumerate(all_rows, start=1):
            # The checks that need the seeds before this one, in the order a one-by-one build meets them.
            if rows.sha256 is None:
                assert rows.error is not None
                raise rows.error
            refuse_duplicate(seen_seeds, rows.name, rows.sha256)
            raw_bytes += rows.size
            for article in rows.articles or []:
                if article.digest in text_hashes:
                    earlier = text_hashes[article.digest]
                    raise PackageError(
                        f"seeds/{rows.name} article {article.number} has the same text as {earlier}: "
                        "the same article is in two seeds; remove one seed"
                    )
                text_hashes[article.digest] = article.doc_id
                documents.write_cells(article.document)
                for cells in article.paragraphs:
                    paragraphs.write_cells(cells)
                for cells in article.mentions:
                    mentions.write_cells(cells)
            if rows.error is not None:
                raise rows.error
            assert rows.boilerplate is not None and rows.seed_file is not None and rows.resource is not None
            for cells in rows.boilerplate:
                boilerplate.write_cells(cells)
            seed_files.write_cells(rows.seed_file)
            seed_resources.append(rows.resource)
            if progress and n % 500 == 0:
                rate = raw_bytes / 1e6 / (time.perf_counter() - started)
                _progress(progress, f"  {n}/{len(names)} seeds, {documents.rows} articles ({rate:.1f} MB/s)")
        counts = {"seeds": seed_files.rows, "documents": documents.rows, "paragraphs": paragraphs.rows}
    _progress(progress, f"  {counts['seeds']} seeds read, tables written")
    return seed_resources, counts


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _all_seed_rows(
    layout: Layout, names: list[str], rules: Any, catalog: Catalog, codebook: Any
) -> Generator[_SeedRows, None, None]:
    """The rows of every seed, in the order of ``names``.

    A large corpus is spread over worker processes, a bounded number of chunks in flight so that
    memory does not grow with the corpus; the results are consumed in submission order, so the
    tables are byte-identical to a one-process build.
    """
    workers = _workers()
    if workers < 2 or len(names) < PARALLEL_MIN_SEEDS:
        ctx = _context(layout, rules, catalog, codebook)
        for name in names:
            yield _seed_rows(ctx, name)
        return
    chunks = (names[i : i + _CHUNK] for i in range(0, len(names), _CHUNK))
    # spawn: workers start from a clean interpreter (no state inherited from the caller).
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(layout,),
    ) as pool:
        pending: deque[Future[list[_SeedRows]]] = deque()
        try:
            for chunk in itertools.islice(chunks, workers * _IN_FLIGHT_PER_WORKER):
                pending.append(pool.submit(_worker_rows, chunk))
            while pending:
                done = pending.popleft().result()
                following = next(chunks, None)
                if following is not None:
                    pending.append(pool.submit(_worker_rows, following))
                yield from done
        finally:
            for future in pending:
                future.cancel()


def _article_rows(ctx: _Context, seed: Seed, found: Extraction, out: list[_ArticleRows]) -> None:
    """Append the rows of each article of ``seed`` to ``out`` (kept if a later article fails)."""
    from corpus.codebook import find_mentions

    texts: list[str] = []
    for article in found.articles:
        texts.extend(p.text for p in article.paragraphs)
        texts.append(article.title or "")
    detected = langid.detect_many(texts)
    cursor = 0
    to_document = ctx.writers["documents"].cells
    to_paragraph = ctx.writers["paragraphs"].cells
    to_mention = ctx.writers["mentions"].cells
    for number, article in enumerate(found.articles, start=1):
        meta = article_metadata(seed, found, article, number, ctx.catalog)
        doc_id = f"{seed.stem}-{number}"
        para_langs = detected[cursor : cursor + len(article.paragraphs)]
        title_language = detected[cursor + len(article.paragraphs)] if article.title else ""
        cursor += len(article.paragraphs) + 1
        detected_language = langid.dominant(para_langs, [len(p.text) for p in article.paragraphs])
        text = article.text
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        document = to_document(
            {
                "doc_id": doc_id,
                "seed": seed.name,
                "article": number,
                **meta,  # the resolved metadata; the keys below add to or refine it
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
        paragraph_rows: list[list[str]] = []
        mention_rows: list[list[str]] = []
        for index, (para, language) in enumerate(zip(article.paragraphs, para_langs, strict=True), start=1):
            paragraph_rows.append(
                to_paragraph(
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
            )
            mention_rows.extend(
                to_mention(row)
                for row in find_mentions(
                    ctx.codebook, doc_id=doc_id, paragraph=index, text=para.text, language=language, offset=para.start
                )
            )
        out.append(_ArticleRows(number, doc_id, digest, document, paragraph_rows, mention_rows))


def write_outlets(stage: Path, outlets: Iterable[Outlet]) -> None:
    """Write the outlets table (sorted by id) into ``stage``."""
    with TableWriter(stage / "outlets.csv", schema.OUTLETS) as table:
        for outlet in sorted(outlets, key=lambda o: o.outlet_id):
            table.write(outlet.row())


def describe_package(
    meta: PackageMeta, outlets: Iterable[Outlet], stage: Path, seed_resources: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """The package descriptor for the tables written in ``stage`` (sizes and hashes read from them).

    Args:
        meta: The release metadata from ``catalog/package.toml``.
        outlets: The outlets (each with a domain becomes a ``sources`` entry).
        stage: The folder holding the tables as ``<name>.csv``.
        seed_resources: The seeds' own resources (:func:`seed_resource`), in order.
    """
    from corpus import derived

    own = meta.license("metadata")
    texts = meta.license("texts")
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
            for o in sorted(outlets, key=lambda o: o.outlet_id)
            if o.domain
        ],
        "resources": resources,
    }
    if meta.raw.get("homepage"):
        descriptor["homepage"] = meta.raw["homepage"]
    if meta.raw.get("doi"):
        descriptor["id"] = f"https://doi.org/{meta.raw['doi']}"  # the published DOI, for citations
    return descriptor


__all__ = [
    "CorpusError",
    "TableWriter",
    "article_metadata",
    "build",
    "describe_package",
    "load_meta",
    "resource_name",
    "seed_resource",
    "write_outlets",
]
