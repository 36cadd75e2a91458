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
:data:`PARALLEL_MIN_RESOURCES` resources or more, Frictionless runs in two worker processes
(``spawn``; scripts need the ``__main__`` guard) while this process runs the corpus checks; the
problems are reported in the same order as by a one-process run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import itertools
import json
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from corpus.errors import CatalogError, CorpusError, UnsafePathError
from corpus.ingest import langid
from corpus.ingest.catalog import host_in_domains, precision_of
from corpus.ingest.paragraphs import PARAGRAPH_SEPARATOR, repair
from corpus.ingest.seeds import seed_names
from corpus.paths import Layout, safe_join

EARLIEST = dt.date(1991, 1, 1)
MAX_PROBLEMS_PER_CHECK = 50


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV table with their Frictionless row number (the header is row 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)


def frictionless_problems(descriptor: Path) -> list[str]:
    """Validate with Frictionless; one message per error, naming resource, row and field."""
    from frictionless import FrictionlessException, Package, system

    try:
        with system.use_context(trusted=False):
            report = Package(str(descriptor)).validate()
    except FrictionlessException as exc:  # a descriptor too broken to open (e.g. an unsafe path)
        return [f"datapackage.json: {exc.error.message}"]
    return [
        *(f"datapackage.json: {error.message}" for error in report.errors),
        *(message for task in report.tasks for message in _task_messages(task)),
    ]


def _task_messages(task: Any) -> list[str]:
    problems = []
    for error in task.errors:
        where = [f"resource {task.name}"]
        if getattr(error, "row_number", None):
            where.append(f"row {error.row_number}")
        if getattr(error, "field_name", None):
            where.append(f"field {error.field_name}")
        problems.append(f"{', '.join(where)}: [{error.type}] {error.note or error.message}")
    return problems


#: From this many resources on, Frictionless runs in worker processes, one resource (or a group
#: of seed files) per task, while this process runs the corpus checks.
PARALLEL_MIN_RESOURCES = 200
_SEEDS_PER_TASK = 250


@dataclass(frozen=True)
class _Outcome:
    """What one Frictionless task found: report-level errors, task messages, or a fatal error."""

    errors: list[str]
    messages: list[str]
    fatal: str | None = None


_OPENED: dict[str, Any] = {}


def _frictionless_task(descriptor: str, names: list[str] | None) -> _Outcome:
    """In a worker: validate the package's metadata (``names`` None) or the named resources.

    Each resource is validated as a member of the package (``package.get_resource``), so its
    foreign keys are checked against the other resources exactly as ``Package.validate`` does.
    The package is opened once per worker process.
    """
    from frictionless import FrictionlessException, Package, settings, system

    try:
        with system.use_context(trusted=False):
            if descriptor not in _OPENED:
                _OPENED.clear()
                _OPENED[descriptor] = Package(descriptor)
            package = _OPENED[descriptor]
            if names is None:
                try:
                    package.to_descriptor(validate=True)
                except FrictionlessException as exc:
                    return _Outcome([f"datapackage.json: {e.message}" for e in exc.to_errors()], [])
                return _Outcome([], [])
            errors: list[str] = []
            messages: list[str] = []
            for name in names:
                report = package.get_resource(name).validate(limit_errors=settings.DEFAULT_LIMIT_ERRORS)
                errors.extend(f"datapackage.json: {error.message}" for error in report.errors)
                messages.extend(message for task in report.tasks for message in _task_messages(task))
            return _Outcome(errors, messages)
    except FrictionlessException as exc:
        return _Outcome([], [], fatal=f"datapackage.json: {exc.error.message}")


def _frictionless_groups(descriptor: dict[str, Any]) -> list[list[str]]:
    """Resource names in package order: each table alone, consecutive seed files in groups."""
    groups: list[list[str]] = []
    seed_group: list[str] | None = None
    for resource in descriptor.get("resources", []):
        path = resource.get("path")
        if not (isinstance(path, str) and path.startswith("seeds/")):
            groups.append([resource.get("name")])
            seed_group = None
            continue
        if seed_group is None or len(seed_group) >= _SEEDS_PER_TASK:
            seed_group = []
            groups.append(seed_group)
        seed_group.append(resource.get("name"))
    return groups


class _FrictionlessPool:
    """Frictionless running in two worker processes; :meth:`problems` collects what it found.

    Tasks go out largest first (the workers finish together) but the problems come back in the
    package's resource order, so the report is the same as a one-process validation.
    """

    def __init__(self, layout: Layout, descriptor: dict[str, Any]) -> None:
        groups = _frictionless_groups(descriptor)
        path = str(layout.descriptor)
        sizes = {r.get("name"): r.get("bytes") for r in descriptor.get("resources", [])}

        def cost(group: list[str]) -> int:
            return sum(v if isinstance(v := sizes.get(name), int) else 0 for name in group)

        # spawn: workers start from a clean interpreter (no state inherited from the caller).
        self._pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn"))
        self._metadata = self._pool.submit(_frictionless_task, path, None)
        futures: dict[int, Future[_Outcome]] = {}
        for index in sorted(range(len(groups)), key=lambda i: (-cost(groups[i]), i)):
            futures[index] = self._pool.submit(_frictionless_task, path, groups[index])
        self._futures = [futures[i] for i in range(len(groups))]

    def abandon(self) -> None:
        """Drop the tasks not yet started (after an unexpected error in this process)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def problems(self) -> list[str]:
        """Wait for the workers; the messages in the order ``Package.validate`` gives them."""
        try:
            outcomes = [self._metadata.result()]
            if outcomes[0].errors:  # as Package.validate: invalid metadata stops before the rows
                return outcomes[0].errors
            outcomes.extend(future.result() for future in self._futures)
        finally:
            self._pool.shutdown(cancel_futures=True)
        for outcome in outcomes:
            if outcome.fatal is not None:
                return [outcome.fatal]
        return [*(e for o in outcomes for e in o.errors), *(m for o in outcomes for m in o.messages)]


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
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    pool: _FrictionlessPool | None = None
    found: list[str] = []
    if (
        isinstance(resources, list)
        and len(resources) >= PARALLEL_MIN_RESOURCES
        and all(isinstance(r, dict) for r in resources)
        and _workers() >= 2
    ):
        pool = _FrictionlessPool(layout, descriptor)
    else:
        found = frictionless_problems(layout.descriptor)
    problems = _Problems()
    corpus = _Problems()
    try:
        try:
            tables = _table_paths(layout, descriptor)
        except CorpusError as exc:
            corpus.append(str(exc))
            tables = None
        if tables is not None:
            if progress:
                print("  corpus checks: seeds, provenance, orphans, languages, dates …", file=sys.stderr, flush=True)
            _check_seeds(layout, descriptor, tables, corpus)
            _check_documents(layout, descriptor, tables, corpus)
    except BaseException:
        if pool is not None:
            pool.abandon()
        raise
    # Frictionless's problems come first, whichever finished first.
    for message in pool.problems() if pool is not None else found:
        problems.add("frictionless", message)
    if tables is None:
        return [*problems.summary(), *corpus]
    problems.extend(corpus)
    problems.counts.update(corpus.counts)
    return problems.summary()


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _table_paths(layout: Layout, descriptor: dict[str, Any]) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for resource in descriptor.get("resources", []):
        path = resource.get("path")
        if not isinstance(path, str):
            raise CatalogError(f"datapackage.json: resource {resource.get('name')!r} has no single path")
        try:
            paths[resource["name"]] = safe_join(layout.root, path)
        except UnsafePathError as exc:
            raise UnsafePathError(f"datapackage.json: resource {resource.get('name')!r}: {exc}") from exc
    for required in ("documents", "paragraphs", "seed_files", "outlets"):
        if required not in paths or not paths[required].is_file():
            raise CatalogError(f"datapackage.json: resource {required!r} is missing: run `corpus build`")
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
        outlet = outlets.get(doc["outlet_id"])
        if outlet and doc["url"] and outlet["domain"]:
            host = urlsplit(doc["url"]).hostname or ""
            if not host_in_domains(host, [outlet["domain"], *outlet["other_domains"].split()]):
                problems.add(
                    "urls",
                    f"{where}, field url: host {host.removeprefix('www.')!r} is not a domain of outlet "
                    f"{outlet['outlet_id']}",
                )
    while pending is not None:
        problems.add(
            "orphans", f"paragraphs: rows for {pending[0]!r}, which is not (or not at this place) in documents"
        )
        pending = next(para_groups, None)
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
    try:
        return dt.date.fromisoformat(str(descriptor.get("created", ""))[:10])
    except ValueError:
        problems.add("dates", "datapackage.json, field created: not an ISO date")
        return dt.date.max


def _check_date(doc: dict[str, str], where: str, created: dt.date, problems: _Problems) -> None:
    date = doc["date"]
    if not date:
        if doc["date_precision"] != "unknown" or doc["date_source"] != "unknown":
            problems.add("dates", f"{where}, field date: empty, but precision/source are not 'unknown'")
        return
    if precision_of(date) != doc["date_precision"]:
        problems.add("dates", f"{where}, field date_precision: {doc['date_precision']!r} does not fit {date!r}")
    parts = [int(p) for p in date.split("-")] + [1, 1]
    try:
        day = dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        problems.add("dates", f"{where}, field date: {date!r} is not a calendar date")
        return
    if not EARLIEST <= day <= created:
        problems.add(
            "dates",
            f"{where}, field date: {date} is outside {EARLIEST} … {created} (the package's created date)",
        )
