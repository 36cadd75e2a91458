"""Validate the data package: Frictionless, then the checks Frictionless cannot do.

Frictionless checks the descriptor, the schemas (types, required fields, patterns, enums,
primary and foreign keys) and every resource's bytes and SHA-256, seeds included. The corpus
checks then prove provenance and consistency:

* every file in ``seeds/`` is a resource of the package, and the package lists no other seed;
* every paragraph's text is its raw-seed slice after the repairs it lists, and every article's
  text is its paragraphs joined by a blank line (offsets, headline offsets too);
* no orphan rows (paragraphs, mentions, removed stretches) and no article without paragraphs;
* the declared language agrees with detection; no article text appears twice;
* dates are well-formed, agree with their precision, and lie between 1991-01-01 (the corpus is
  about post-Soviet relations) and the package's ``created`` date;
* an article's URL belongs to its outlet's domain.

Tables are streamed (documents and paragraphs in step), so memory stays flat. For a package of
:data:`~corpus.package.frictionless.PARALLEL_MIN_RESOURCES` resources or more, Frictionless runs in two worker processes
(``spawn``; scripts need the ``__main__`` guard) while this process runs the corpus checks; the
problems are reported in the same order as by a one-process run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import itertools
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from corpus.errors import CorpusError, DateError, PackageError, UnsafePathError
from corpus.ingest import langid
from corpus.ingest.catalog import host_in_domains
from corpus.ingest.dates import EARLIEST, date_interval, precision_of
from corpus.ingest.paragraphs import PARAGRAPH_SEPARATOR, repair
from corpus.ingest.seeds import seed_names
from corpus.package.frictionless import FrictionlessRun
from corpus.package.metadata import release_date
from corpus.paths import Layout, safe_join

MAX_PROBLEMS_PER_CHECK = 50


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV table with their Frictionless row number (the header is row 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)


class _Problems(list[str]):
    """Problems found so far, capped per check so a systematic fault does not flood the output."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}

    def add(self, check: str, message: str) -> None:
        self.counts[check] = self.counts.get(check, 0) + 1
        if self.counts[check] <= MAX_PROBLEMS_PER_CHECK:
            self.append(message)

    def summary(self) -> list[str]:
        extra = [
            f"{check}: {n - MAX_PROBLEMS_PER_CHECK} more problem(s) of this kind not shown"
            for check, n in sorted(self.counts.items())
            if n > MAX_PROBLEMS_PER_CHECK
        ]
        return [*self, *extra]


def validate_package(layout: Layout, *, progress: bool = False) -> list[str]:
    """Validate the data package of ``layout``.

    Args:
        layout: The project.
        progress: Report progress on stderr.

    Returns:
        Every problem found (empty when the package is valid), each naming resource, row and field.
    """
    if not layout.descriptor.is_file():
        return ["datapackage.json is missing: run `corpus build`"]
    try:
        descriptor = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"datapackage.json is not valid JSON (line {exc.lineno}): run `corpus build`"]
    if progress:
        print("  frictionless: descriptor, schemas, keys, sizes and hashes …", file=sys.stderr, flush=True)
    run = FrictionlessRun(layout.descriptor, descriptor)
    corpus = _Problems()
    try:
        tables = _corpus_checks(layout, descriptor, corpus, progress=progress)
    except BaseException:
        run.abandon()
        raise
    problems = _Problems()
    # Frictionless's problems come first, whichever finished first.
    for message in run.problems():
        problems.add("frictionless", message)
    if tables is None:
        return [*problems.summary(), *corpus]
    problems.extend(corpus)
    problems.counts.update(corpus.counts)
    return problems.summary()


def _corpus_checks(
    layout: Layout, descriptor: dict[str, Any], corpus: _Problems, *, progress: bool
) -> dict[str, Path] | None:
    """Run the checks Frictionless cannot do; None when the descriptor lists no usable tables."""
    try:
        tables = _table_paths(layout, descriptor)
    except CorpusError as exc:
        corpus.append(str(exc))
        return None
    if progress:
        print("  corpus checks: seeds, provenance, orphans, languages, dates …", file=sys.stderr, flush=True)
    _check_seeds(layout, descriptor, tables, corpus)
    _check_documents(layout, descriptor, tables, corpus)
    if {"seed_files", "documents", "paragraphs", "boilerplate"} <= set(tables):
        _check_coverage(layout, tables, corpus)
    return tables


def _table_paths(layout: Layout, descriptor: dict[str, Any]) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for resource in descriptor.get("resources", []):
        path = resource.get("path")
        if not isinstance(path, str):
            raise PackageError(f"datapackage.json: resource {resource.get('name')!r} has no single path")
        try:
            paths[resource["name"]] = safe_join(layout.root, path)
        except UnsafePathError as exc:
            raise UnsafePathError(f"datapackage.json: resource {resource.get('name')!r}: {exc}") from exc
    for required in ("documents", "paragraphs", "seed_files", "outlets"):
        if required not in paths or not paths[required].is_file():
            raise PackageError(f"datapackage.json: resource {required!r} is missing: run `corpus build`")
    return paths


def _check_seeds(layout: Layout, descriptor: dict[str, Any], tables: dict[str, Path], problems: _Problems) -> None:
    listed = {
        r["path"].removeprefix("seeds/"): r
        for r in descriptor["resources"]
        if isinstance(r.get("path"), str) and r["path"].startswith("seeds/")
    }
    try:
        on_disk = seed_names(layout.seeds)
    except CorpusError as exc:
        problems.add("seeds", str(exc))
        return
    for name in on_disk:
        if name not in listed:
            problems.add("seeds", f"seeds/{name} is not a resource of datapackage.json: run `corpus build`")
    for name in sorted(set(listed) - set(on_disk)):
        problems.add("seeds", f"resource {listed[name]['name']}: seeds/{name} does not exist")
    table = {row["file"]: (n, row) for n, row in _rows(tables["seed_files"])}
    for name, resource in sorted(listed.items()):
        if name not in table:
            problems.add("seeds", f"seed_files: no row for seeds/{name}")
            continue
        number, row = table[name]
        if "sha256:" + row["sha256"] != resource.get("hash"):
            problems.add("seeds", f"seed_files row {number}, field sha256: differs from resource {resource['name']}")


def _seed_text(layout: Layout, name: str, cache: dict[str, str]) -> str | None:
    if name not in cache:
        cache.clear()  # documents come seed by seed: keep one seed in memory
        try:
            path = safe_join(layout.seeds, name)
            cache[name] = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError, UnsafePathError):
            return None
    return cache[name]


def _check_documents(layout: Layout, descriptor: dict[str, Any], tables: dict[str, Path], problems: _Problems) -> None:
    created = _created(descriptor, problems)
    outlets = {row["outlet_id"]: row for _, row in _rows(tables["outlets"])}
    seen_text: dict[str, str] = {}
    paragraph_keys: set[tuple[str, str]] = set()
    cache: dict[str, str] = {}
    para_groups = itertools.groupby(_rows(tables["paragraphs"]), key=lambda item: item[1]["doc_id"])
    pending = next(para_groups, None)
    for number, doc in _rows(tables["documents"]):
        doc_id = doc["doc_id"]
        where = f"documents row {number} ({doc_id})"
        paragraphs: list[tuple[int, dict[str, str]]] = []
        if pending is not None and pending[0] == doc_id:
            paragraphs = list(pending[1])
            pending = next(para_groups, None)
        for _, p in paragraphs:
            paragraph_keys.add((doc_id, p["paragraph"]))
        digest = hashlib.sha256(doc["text"].encode("utf-8")).hexdigest()
        if digest != doc["text_sha256"]:
            problems.add("duplicates", f"{where}, field text_sha256: does not match the text")
        normal = hashlib.sha256(" ".join(doc["text"].lower().split()).encode("utf-8")).hexdigest()
        if normal in seen_text:
            problems.add("duplicates", f"{where}, field text: same article as {seen_text[normal]}")
        seen_text[normal] = doc_id
        if not paragraphs:
            problems.add("orphans", f"{where}: no paragraphs in paragraphs.csv (or they are out of document order)")
            continue
        _check_provenance(layout, doc, where, paragraphs, cache, problems)
        _check_language(doc, where, paragraphs, problems)
        _check_date(doc, where, created, problems)
        _check_url(doc, where, outlets.get(doc["outlet_id"]), problems)
    while pending is not None:
        problems.add(
            "orphans", f"paragraphs: rows for {pending[0]!r}, which is not (or not at this place) in documents"
        )
        pending = next(para_groups, None)
    _check_orphans(tables, paragraph_keys, problems)


#: A character that carries text: neither whitespace nor the byte-order mark.
_TEXT = re.compile(r"[^\s\ufeff]")


def _seed_spans(tables: dict[str, Path]) -> dict[str, list[tuple[int, int]]]:
    """Per seed, every stretch the package accounts for: paragraphs, titles and removed stretches.

    A list item's marker (``•``) is part of its paragraph's line, not of its text: a span ending
    at the item's start with a negative start stands for "back to the start of the line".
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    seed_of: dict[str, str] = {}
    for _, doc in _rows(tables["documents"]):
        seed_of[doc["doc_id"]] = doc["seed"]
        if doc["title_start"].isdigit() and doc["title_end"].isdigit():
            spans.setdefault(doc["seed"], []).append((int(doc["title_start"]), int(doc["title_end"])))
    for _, p in _rows(tables["paragraphs"]):
        if p["doc_id"] in seed_of and p["start"].isdigit() and p["end"].isdigit():
            spans.setdefault(seed_of[p["doc_id"]], []).append((int(p["start"]), int(p["end"])))
            if p["kind"] == "bullet":
                spans[seed_of[p["doc_id"]]].append((-1, int(p["start"])))
    for _, r in _rows(tables["boilerplate"]):
        if r["start"].isdigit() and r["end"].isdigit():
            spans.setdefault(r["seed"], []).append((int(r["start"]), int(r["end"])))
    return spans


def _first_uncovered(raw: str, spans: list[tuple[int, int]]) -> int | None:
    """Offset of the first non-blank character of ``raw`` outside every span (None if none)."""
    resolved = sorted((raw.rfind("\n", 0, end) + 1 if start < 0 else start, end) for start, end in spans)
    pos = 0
    for start, end in [*resolved, (len(raw), len(raw))]:
        if start > pos and (m := _TEXT.search(raw, pos, start)):
            return m.start()
        pos = max(pos, end)
    return None


def _check_coverage(layout: Layout, tables: dict[str, Path], problems: _Problems) -> None:
    """Every non-blank character of every seed is in an article, a title or a removed stretch.

    A line that is neither text nor listed in ``boilerplate`` (e.g. a first line taken for a
    second headline and dropped) would be text that vanished without a trace.
    """
    spans = _seed_spans(tables)
    cache: dict[str, str] = {}
    for _, row in _rows(tables["seed_files"]):
        raw = _seed_text(layout, row["file"], cache)
        if raw is None:
            continue  # reported by the provenance and hash checks
        lost = _first_uncovered(raw, spans.get(row["file"], []))
        if lost is not None:
            line = raw.count("\n", 0, lost) + 1
            snippet = raw[lost : lost + 40].split("\n")[0]
            problems.add(
                "coverage",
                f"seeds/{row['file']} line {line}, offset {lost}: {snippet!r} is in no article, title or "
                "boilerplate row: text vanished; rebuild with `corpus build`",
            )


def _check_url(doc: dict[str, str], where: str, outlet: dict[str, str] | None, problems: _Problems) -> None:
    if outlet and doc["url"] and outlet["domain"]:
        host = urlsplit(doc["url"]).hostname or ""
        if not host_in_domains(host, [outlet["domain"], *outlet["other_domains"].split()]):
            problems.add(
                "urls",
                f"{where}, field url: host {host.removeprefix('www.')!r} is not a domain of outlet "
                f"{outlet['outlet_id']}",
            )


def _check_orphans(tables: dict[str, Path], paragraph_keys: set[tuple[str, str]], problems: _Problems) -> None:
    """Mentions of paragraphs that do not exist, removed stretches of seeds that do not exist."""
    for name in ("mentions",):
        if name in tables and tables[name].is_file():
            for number, row in _rows(tables[name]):
                if (row.get("doc_id", ""), row.get("paragraph", "")) not in paragraph_keys:
                    problems.add(
                        "orphans",
                        f"{name} row {number}: paragraph {row.get('doc_id')}#{row.get('paragraph')} does not exist",
                    )
    if "boilerplate" in tables:
        seeds = {row["file"] for _, row in _rows(tables["seed_files"])}
        for number, row in _rows(tables["boilerplate"]):
            if row["seed"] not in seeds:
                problems.add("orphans", f"boilerplate row {number}, field seed: {row['seed']!r} is not a seed file")


def _check_provenance(
    layout: Layout,
    doc: dict[str, str],
    where: str,
    paragraphs: list[tuple[int, dict[str, str]]],
    cache: dict[str, str],
    problems: _Problems,
) -> None:
    raw = _seed_text(layout, doc["seed"], cache)
    if raw is None:
        problems.add("provenance", f"{where}, field seed: seeds/{doc['seed']} cannot be read as UTF-8")
        return
    for expected, (number, p) in enumerate(paragraphs, start=1):
        pwhere = f"paragraphs row {number} ({p['doc_id']} #{p['paragraph']})"
        if p["paragraph"] != str(expected):
            problems.add("provenance", f"{pwhere}, field paragraph: expected {expected} (paragraphs out of order)")
        try:
            start, end = int(p["start"]), int(p["end"])
        except ValueError:
            problems.add("provenance", f"{pwhere}, fields start/end: not integers")
            continue
        piece = raw[start:end]
        repaired = repair(piece) if "join-lines" in p["repairs"].split(";") else piece
        if repaired != p["text"]:
            problems.add(
                "provenance",
                f"{pwhere}, field text: differs from seeds/{doc['seed']}[{start}:{end}] after its repairs "
                f"({p['repairs'] or 'none'})",
            )
    joined = PARAGRAPH_SEPARATOR.join(p["text"] for _, p in paragraphs)
    if joined != doc["text"]:
        problems.add("provenance", f"{where}, field text: is not its paragraphs joined by a blank line")
    if doc["n_paragraphs"] != str(len(paragraphs)):
        problems.add("provenance", f"{where}, field n_paragraphs: {doc['n_paragraphs']} but {len(paragraphs)} rows")
    if (doc["start"], doc["end"]) != (paragraphs[0][1]["start"], paragraphs[-1][1]["end"]):
        problems.add("provenance", f"{where}, fields start/end: not the span of its paragraphs")
    if doc["title_start"] and doc["title_end"]:
        title = raw[int(doc["title_start"]) : int(doc["title_end"])]
        if title != doc["title"]:
            problems.add("provenance", f"{where}, field title: differs from seeds/{doc['seed']}[title_start:title_end]")


def _check_language(
    doc: dict[str, str], where: str, paragraphs: list[tuple[int, dict[str, str]]], problems: _Problems
) -> None:
    texts = [p["text"] for _, p in paragraphs]
    detected = langid.detect_many(texts)
    for (number, p), language in zip(paragraphs, detected, strict=True):
        if p["language"] != language:
            problems.add(
                "language",
                f"paragraphs row {number} ({p['doc_id']} #{p['paragraph']}), field language: "
                f"{p['language']!r} but detection says {language!r}",
            )
    dominant = langid.dominant(detected, [len(t) for t in texts])
    if doc["language"] != dominant:
        problems.add(
            "language",
            f"{where}, field language: declared {doc['language']!r} ({doc['language_source']}) but the text is "
            f"detected as {dominant!r}; fix the catalog's language or check the text",
        )


def _created(descriptor: dict[str, Any], problems: _Problems) -> dt.date:
    released = release_date(str(descriptor.get("created", "")))
    if released is None:
        problems.add("dates", "datapackage.json, field created: not an ISO date")
        return dt.date.max
    return released


def _check_date(doc: dict[str, str], where: str, created: dt.date, problems: _Problems) -> None:
    date = doc["date"]
    if not date:
        if doc["date_precision"] != "unknown" or doc["date_source"] != "unknown":
            problems.add("dates", f"{where}, field date: empty, but precision/source are not 'unknown'")
        return
    if precision_of(date) != doc["date_precision"]:
        problems.add("dates", f"{where}, field date_precision: {doc['date_precision']!r} does not fit {date!r}")
    try:
        day = date_interval(date)[0]
    except DateError as exc:
        problems.add("dates", f"{where}, field date: {exc}")
        return
    if not EARLIEST <= day <= created:
        problems.add(
            "dates",
            f"{where}, field date: {date} is outside {EARLIEST} … {created} (the package's created date)",
        )
