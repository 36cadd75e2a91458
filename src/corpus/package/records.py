"""From one seed to its rows: article metadata by precedence, then every table's cells.

Metadata precedence, per field: ``catalog/seeds.csv``, then what the file says (header line,
dateline, byline, headline), then unknown; every decision about the date is explained in the
article's ``date_note``. :func:`seed_rows` turns one seed into the rows it adds to every table
without touching shared state, so it can run in a worker process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.errors import CorpusError, ExtractionError
from corpus.ingest import langid
from corpus.ingest.catalog import Catalog, Outlet, check_date, registrable_domain
from corpus.ingest.dates import format_date, precision_of
from corpus.ingest.extract import Extraction, PageDate, extract
from corpus.ingest.languages import is_supported
from corpus.ingest.rules import Rules
from corpus.ingest.seeds import Seed, decode_seed
from corpus.ingest.structure import Article
from corpus.package.tables import TableWriter, resource_name, seed_resource, writer
from corpus.paths import Layout
from corpus.text.codebook import Codebook, find_mentions
from corpus.text.nlp import word_count


def _outlet(values: dict[str, str], url: str, catalog: Catalog) -> tuple[Outlet | None, str]:
    """The article's outlet (catalog id, else the URL's domain) and perspective (empty: unknown)."""
    outlet = catalog.outlets.get(values.get("outlet_id", ""))
    if outlet is None and url:
        outlet = catalog.outlet_for_url(url)
    perspective = values.get("perspective") or (outlet.perspective if outlet else "")
    return outlet, perspective


def site_of(file: str, text: str, catalog: Catalog, rules: Rules) -> str:
    """The site a seed comes from, for the repetition evidence: its outlet, else its URL's domain."""
    values, _ = catalog.overrides(file, 1)
    if values.get("outlet_id"):
        return values["outlet_id"]
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    header = rules.header.match(first)
    url = values.get("url") or (header["url"] if header and header["url"] else "")
    outlet = catalog.outlet_for_url(url) if url else None
    return outlet.outlet_id if outlet else registrable_domain(url)


def missing_fields(document: dict[str, Any]) -> list[str]:
    """What a curator still has to supply for an article: the metadata nobody knows yet."""
    wanted = (("outlet", "outlet_id"), ("perspective", "perspective"), ("date", "date"), ("url", "url"))
    return [name for name, key in wanted if not document.get(key)]


def _dateline_date(dateline: PageDate, seed: Seed) -> tuple[str, str]:
    assert dateline.year is not None and dateline.month is not None
    date = format_date(dateline.year, dateline.month, dateline.day)
    check_date(date, where=f"seeds/{seed.name} line {dateline.line} (dateline {dateline.text!r})")
    return date, "day" if dateline.day else "month"


def _date(values: dict[str, str], found: Extraction, seed: Seed) -> tuple[str, str, str, list[str]]:
    """Date, precision, source and the notes explaining them."""
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
        date, precision, source = found.header_date, precision_of(found.header_date), "header"
        notes.append(f"Read from the file's header line (line {found.header_line}).")
    elif dateline and dateline.year is not None and dateline.month is not None:
        (date, precision), source = _dateline_date(dateline, seed), "dateline"
        notes.append(f"Read from the page's dateline {dateline.text!r} (line {dateline.line}).")
    else:
        date, precision, source = "", "unknown", "unknown"
        if dateline:
            notes.append(f"The page's dateline {dateline.text!r} (line {dateline.line}) gives no year.")
        else:
            notes.append("No date of this article in the file.")
    if any(r.kind == "sidebar" for r in found.removed) and source in ("unknown", "inferred"):
        notes.append("Timestamps in the file belong to a sidebar of other headlines, not to this article.")
    return date, precision, source, notes


def article_metadata(seed: Seed, found: Extraction, article: Article, number: int, catalog: Catalog) -> dict[str, Any]:
    """Resolve an article's metadata from what the file says and what the catalog adds.

    Raises:
        CatalogError: If a date in the file names no calendar day.
    """
    values, evidence = catalog.overrides(seed.name, number)
    url = values.get("url") or found.header_url or ""
    outlet, perspective = _outlet(values, url, catalog)
    date, precision, source, notes = _date(values, found, seed)
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
        "unreviewed": not catalog.reviewed(seed.name),
        "evidence": evidence or "No catalog row: what the file says, not yet reviewed by a curator.",
    }


@dataclass
class ArticleRows:
    """The rows one article adds: its document row, paragraph rows and mention rows (as cells)."""

    number: int
    doc_id: str
    digest: str
    document: list[str]
    paragraphs: list[list[str]]
    mentions: list[list[str]]


@dataclass
class SeedRows:
    """Everything one seed adds to the tables, computed without touching shared state.

    ``error`` is the first problem met, in the order the sequential build meets them; the rows
    before it are kept so that the checks needing the whole corpus (duplicate seeds, duplicate
    texts) still run first, exactly as if the seeds were processed one by one.
    """

    name: str
    size: int = 0
    sha256: str | None = None
    articles: list[ArticleRows] | None = None
    boilerplate: list[list[str]] | None = None
    seed_file: list[str] | None = None
    resource: dict[str, Any] | None = None
    error: CorpusError | None = None


@dataclass(frozen=True)
class Context:
    """What turning a seed into rows needs: loaded once per process."""

    layout: Layout
    rules: Rules
    catalog: Catalog
    codebook: Codebook
    texts_license: dict[str, str]
    writers: dict[str, TableWriter]
    repeated: dict[str, frozenset[str]]


def context(
    layout: Layout,
    rules: Rules,
    catalog: Catalog,
    codebook: Codebook,
    texts_license: dict[str, str],
    repeated: dict[str, frozenset[str]] | None = None,
) -> Context:
    """A :class:`Context`; its writers are never opened: they only turn rows into cells in order."""
    names = ("documents", "paragraphs", "boilerplate", "seed_files", "mentions")
    return Context(
        layout=layout,
        rules=rules,
        catalog=catalog,
        codebook=codebook,
        texts_license=texts_license,
        writers={name: writer(Path(), name) for name in names},
        repeated=repeated or {},
    )


def seed_rows(ctx: Context, name: str) -> SeedRows:
    """Read one seed and compute its rows; a CorpusError is returned in ``error``, not raised."""
    out = SeedRows(name=name)
    try:
        seed = decode_seed(name, (ctx.layout.seeds / name).read_bytes())
        out.size, out.sha256 = seed.size, seed.sha256
        found = extract(
            seed.text, ctx.rules, site_names=ctx.catalog.site_names, repeated=ctx.repeated.get(name, frozenset())
        )
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


def _document(
    seed: Seed, article: Article, number: int, meta: dict[str, Any], languages: tuple[str, str]
) -> dict[str, Any]:
    """The document row of an article (``languages``: the detected language and the title's)."""
    detected_language, title_language = languages
    text = article.text
    return {
        "doc_id": f"{seed.stem}-{number}",
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
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "missing": ";".join(missing_fields(meta)),
    }


def documents(seed: Seed, found: Extraction, catalog: Catalog) -> list[tuple[dict[str, Any], list[str]]]:
    """The document row of each article of ``seed`` and its paragraphs' languages, in order.

    Raises:
        CatalogError: As :func:`article_metadata`.
    """
    out = []
    for number, article in enumerate(found.articles, start=1):
        meta = article_metadata(seed, found, article, number, catalog)
        # The paragraphs alone, as `corpus validate` detects them; the headline among them.
        para_langs = langid.detect_many([p.text for p in article.paragraphs])
        title_language = langid.detect_many([*(p.text for p in article.paragraphs), article.title or ""])[-1]
        dominant = langid.dominant(para_langs, [len(p.text) for p in article.paragraphs])
        out.append((_document(seed, article, number, meta, (dominant, title_language)), para_langs))
    return out


def _article_rows(ctx: Context, seed: Seed, found: Extraction, out: list[ArticleRows]) -> None:
    """Append the rows of each article of ``seed`` to ``out`` (kept if a later article fails)."""
    for number, (document, para_langs) in enumerate(documents(seed, found, ctx.catalog), start=1):
        article = found.articles[number - 1]
        doc_id = document["doc_id"]
        paragraphs, mentions = _paragraph_rows(ctx, doc_id, article, para_langs)
        cells = ctx.writers["documents"].cells(document)
        out.append(ArticleRows(number, doc_id, document["text_sha256"], cells, paragraphs, mentions))


def _paragraph_rows(
    ctx: Context, doc_id: str, article: Article, languages: Sequence[str]
) -> tuple[list[list[str]], list[list[str]]]:
    """The paragraph rows of an article and the mention rows of its paragraphs (as cells)."""
    to_paragraph = ctx.writers["paragraphs"].cells
    to_mention = ctx.writers["mentions"].cells
    paragraph_rows: list[list[str]] = []
    mention_rows: list[list[str]] = []
    for index, (para, language) in enumerate(zip(article.paragraphs, languages, strict=True), start=1):
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
        if is_supported(language):  # the codebook has patterns for the analysed languages only
            mention_rows.extend(
                to_mention(row)
                for row in find_mentions(
                    ctx.codebook, doc_id=doc_id, paragraph=index, text=para.text, language=language, offset=para.start
                )
            )
    return paragraph_rows, mention_rows
