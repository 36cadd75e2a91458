"""Build the data package: ``datapackage.json`` and the tables under ``data/``.

The build is one transaction (:mod:`corpus.transaction`). It streams the seeds one at a time
(memory does not grow with the corpus beyond what a table row needs) and writes every table and
the descriptor into a staging folder (``.staging/<id>/``); it validates the staged package with
:func:`~corpus.package.validate.validate_package`, and only a valid package replaces
``datapackage.json`` and ``data/``, in a journaled commit that a crash cannot leave half done.
A failed, invalid, interrupted or killed build leaves the previous package untouched (the next
run deletes its staging). The output depends only on ``seeds/`` and ``catalog/`` (never on the
clock), so a second build changes no byte.

From :data:`PARALLEL_MIN_SEEDS` seeds on, the seeds are turned into rows by worker processes
(started with ``spawn``, so a script calling :func:`build` needs the usual
``if __name__ == "__main__":`` guard; they die with the build, even under ``kill -9``); this
process writes the rows in seed order and runs the checks that need the whole corpus (duplicate
seeds and texts), so the tables and every error message are the same as with one process.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import os
import shutil
import sys
import time
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.errors import PackageError, SeedError, ValidationError
from corpus.fileio import storage_errors
from corpus.ingest.catalog import Catalog, Outlet, check_coverage, load_catalog
from corpus.ingest.furniture import repeated_lines, repetition_keys
from corpus.ingest.rules import Rules, load_rules
from corpus.ingest.seeds import refuse_duplicate, seed_names
from corpus.package.metadata import PackageMetadata, load_metadata
from corpus.package.quality import SCORE_FIELDS
from corpus.package.records import Context, SeedRows, context, seed_rows, site_of
from corpus.package.state import record, sources
from corpus.package.tables import TABLES, TableWriter, resource_name, table_resource, writer
from corpus.package.validate import validate_package
from corpus.paths import Layout
from corpus.processes import available_cpus, die_with_parent, spawn_context
from corpus.text.codebook import Codebook, codebook_rows, load_codebook
from corpus.text.exclusions import rule_rows
from corpus.text.nlp import stopword_rows
from corpus.text.quality import quality_tables
from corpus.transaction import JOURNAL, checkpoint, commit, new_stage, using

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
#: From this many seeds on, the build spreads the seeds over worker processes (below it, starting
#: the workers costs more than it saves).
PARALLEL_MIN_SEEDS = 200
#: Seeds per task sent to a worker, and tasks in flight per worker: enough to keep the workers
#: busy, few enough that results waiting to be written stay a small, fixed amount of memory.
_CHUNK = 8
_IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class _Inputs:
    """What the build reads before the seeds: metadata, rules, catalog, codebook, seed names."""

    meta: PackageMetadata
    rules: Rules
    catalog: Catalog
    codebook: Codebook
    names: list[str]
    unreviewed: list[str]
    repeated: dict[str, frozenset[str]]


def _progress(enabled: bool, message: str) -> None:
    if enabled:
        print(message, file=sys.stderr, flush=True)


def _read_inputs(layout: Layout) -> _Inputs:
    meta = load_metadata(layout)
    rules = load_rules(layout.catalog / "rules.toml")
    catalog = load_catalog(layout.catalog, layout.seeds)
    names = seed_names(layout.seeds)
    unreviewed = check_coverage(catalog, names)
    if len({resource_name(n) for n in names}) != len(names):
        raise SeedError("two seed file names differ only in letter case: rename one (resource names are lowercase)")
    repeated = _repetitions(layout, names, catalog, rules)
    codebook = load_codebook(layout.catalog / "codebook.toml")
    return _Inputs(meta, rules, catalog, codebook, names, unreviewed, repeated)


def _repetitions(layout: Layout, names: list[str], catalog: Catalog, rules: Rules) -> dict[str, frozenset[str]]:
    """Lines each seed shares with other seeds of its site (a first pass over the seeds' lines).

    Unreadable seeds are skipped here: the build reports them with their reason when it reads them.
    """
    pages: dict[str, tuple[str, set[str]]] = {}
    for name in names:
        try:
            if (layout.seeds / name).stat().st_size > rules.limits.seed_max_bytes:
                continue  # refused with the limit when the build reads it
            text = (layout.seeds / name).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        pages[name] = (site_of(name, text, catalog, rules), repetition_keys(text, rules))
    return repeated_lines(pages)


def build(layout: Layout, *, progress: bool = False) -> str:
    """Build ``datapackage.json`` and ``data/`` from ``seeds/`` and ``catalog/``, as one transaction.

    Args:
        layout: The project.
        progress: Report progress on stderr.

    Returns:
        A one-line summary.

    Raises:
        CorpusError: For any bad seed, catalog row or extraction failure, or a staged package that
            does not validate (``ValidationError``); nothing is replaced then.
    """
    with using(layout.root, [layout.staging], exclusive=True):
        return _build(layout, progress)


def _build(layout: Layout, progress: bool) -> str:
    started = time.perf_counter()
    started_from = sources(layout=layout)
    inputs = _read_inputs(layout)
    stage = new_stage(layout.staging)
    try:
        with storage_errors(f"writing the new package into {stage.relative_to(layout.root)}/"):
            (stage / "data").mkdir()
            seed_resources, counts = _write_tables(layout, stage / "data", inputs, progress)
            write_outlets(stage / "data", inputs.catalog.outlets.values())
            write_codebook_tables(stage / "data", inputs.codebook, gold=layout)
            write_extraction_quality(stage / "data", layout.benchmark / "scores.csv")
            descriptor = describe_package(inputs.meta, inputs.catalog.outlets.values(), stage / "data", seed_resources)
            text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
            (stage / "datapackage.json").write_text(text, encoding="utf-8")
        checkpoint("package staged")
        _progress(progress, "  validating the new package before it replaces the published one …")
        problems = validate_package(layout, staged=stage)
        if problems:
            raise ValidationError(problems, preface="the new package does not validate; the published one was kept")
        commit(
            layout.root,
            layout.staging,
            [(stage / "data", layout.data), (stage / "datapackage.json", layout.descriptor)],
        )
    except BaseException:
        if not (layout.staging / JOURNAL).exists():  # undecided: roll back (a decided commit is finished next run)
            shutil.rmtree(layout.staging, ignore_errors=True)
        raise
    # Only now: a build that did not get here leaves a record that no longer matches the package.
    with storage_errors(f"recording the build in {layout.state.name} (the new package is published)"):
        record(layout, started_from)
    elapsed = time.perf_counter() - started
    summary = (
        f"built and validated {inputs.meta.name} {inputs.meta.version}: {counts['seeds']} seeds, "
        f"{counts['documents']} articles, {counts['paragraphs']} paragraphs ({elapsed:.1f} s)"
    )
    return summary + unreviewed_summary(inputs.unreviewed)


def unreviewed_summary(names: list[str]) -> str:
    """The lines of the build summary listing every seed no curator has reviewed (empty if none)."""
    if not names:
        return ""
    listed = "".join(f"\n  seeds/{name}" for name in names)
    return (
        f"\n{len(names)} seed(s) built from what their files say, not reviewed yet (no row, or a draft row, in "
        f"catalog/seeds.csv; `corpus status` says what each lacks):{listed}"
    )


_WORKER: Context | None = None


def _init_worker(parent: int, layout: Layout, repeated: dict[str, frozenset[str]]) -> None:
    """Die with the build; load rules, catalog and codebook once per worker process."""
    global _WORKER
    die_with_parent(parent)
    _WORKER = context(
        layout,
        load_rules(layout.catalog / "rules.toml"),
        load_catalog(layout.catalog, layout.seeds),
        load_codebook(layout.catalog / "codebook.toml"),
        load_metadata(layout).license("texts"),
        repeated,
    )


def _worker_rows(names: list[str]) -> list[SeedRows]:
    assert _WORKER is not None, "worker not initialized"
    return [seed_rows(_WORKER, name) for name in names]


def _all_seed_rows(layout: Layout, inputs: _Inputs) -> Generator[SeedRows, None, None]:
    """The rows of every seed, in the order of ``names``.

    A large corpus is spread over worker processes, a bounded number of chunks in flight so that
    memory does not grow with the corpus; the results are consumed in submission order, so the
    tables are byte-identical to a one-process build.
    """
    workers = available_cpus()
    names = inputs.names
    if workers < 2 or len(names) < PARALLEL_MIN_SEEDS:
        ctx = context(
            layout, inputs.rules, inputs.catalog, inputs.codebook, inputs.meta.license("texts"), inputs.repeated
        )
        for name in names:
            yield seed_rows(ctx, name)
        return
    chunks = (names[i : i + _CHUNK] for i in range(0, len(names), _CHUNK))
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=spawn_context(),
        initializer=_init_worker,
        initargs=(os.getpid(), layout, inputs.repeated),
    ) as pool:
        pending: deque[Future[list[SeedRows]]] = deque()
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


class _Tables:
    """The tables the seeds' rows go into, and the checks that need the whole corpus."""

    def __init__(self, stage: Path, stack: contextlib.ExitStack) -> None:
        names = ("seed_files", "documents", "paragraphs", "boilerplate", "mentions")
        self.writers: dict[str, TableWriter] = {name: stack.enter_context(writer(stage, name)) for name in names}
        self.text_hashes: dict[str, str] = {}
        self.seen_seeds: dict[str, str] = {}
        self.raw_bytes = 0

    def add(self, rows: SeedRows) -> dict[str, Any]:
        """Write one seed's rows; return its resource. Raises its error (after the corpus checks)."""
        if rows.sha256 is None:
            assert rows.error is not None
            raise rows.error
        refuse_duplicate(self.seen_seeds, rows.name, rows.sha256)
        self.raw_bytes += rows.size
        for article in rows.articles or []:
            if article.digest in self.text_hashes:
                earlier = self.text_hashes[article.digest]
                raise PackageError(
                    f"seeds/{rows.name} article {article.number} has the same text as {earlier}: "
                    "the same article is in two seeds; remove one seed"
                )
            self.text_hashes[article.digest] = article.doc_id
            self.writers["documents"].write_cells(article.document)
            self.writers["paragraphs"].write_rendered(article.paragraphs)
            self.writers["mentions"].write_rendered(article.mentions)
        if rows.error is not None:
            raise rows.error
        assert rows.boilerplate is not None and rows.seed_file is not None and rows.resource is not None
        self.writers["boilerplate"].write_rendered(rows.boilerplate)
        self.writers["seed_files"].write_cells(rows.seed_file)
        return rows.resource


def _write_tables(
    layout: Layout, stage: Path, inputs: _Inputs, progress: bool
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Write the tables the seeds fill; return the seeds' resources and the row counts."""
    seed_resources: list[dict[str, Any]] = []
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        tables = _Tables(stage, stack)
        all_rows = stack.enter_context(contextlib.closing(_all_seed_rows(layout, inputs)))
        for n, rows in enumerate(all_rows, start=1):
            seed_resources.append(tables.add(rows))
            checkpoint(f"seed {n} written")
            if progress and n % 500 == 0:
                rate = tables.raw_bytes / 1e6 / (time.perf_counter() - started)
                documents = tables.writers["documents"].rows
                _progress(progress, f"  {n}/{len(inputs.names)} seeds, {documents} articles ({rate:.1f} MB/s)")
        counts = {name: tables.writers[name].rows for name in ("documents", "paragraphs")}
        counts["seeds"] = tables.writers["seed_files"].rows
    _progress(progress, f"  {counts['seeds']} seeds read, tables written")
    return seed_resources, counts


def write_outlets(stage: Path, outlets: Iterable[Outlet]) -> None:
    """Write the outlets table (sorted by id) into ``stage``."""
    with writer(stage, "outlets") as table:
        for outlet in sorted(outlets, key=lambda o: o.outlet_id):
            table.write(outlet.row())


def write_codebook_tables(stage: Path, codebook: Codebook, *, gold: Layout | None = None) -> None:
    """Write the stopword lists the analyses remove, the codebook, its context rules and its scores into ``stage``.

    The scores come from the gold of ``gold`` (the project; None: not scored, empty tables).
    Scoring at build time keeps them in step with the codebook that found the mentions; it
    costs about a second, independent of the number of seeds.
    """
    with writer(stage, "stopwords") as stopwords:
        for row in stopword_rows():
            stopwords.write(row)
    with writer(stage, "codebook") as table:
        for concept in codebook_rows(codebook):
            table.write(concept)
    with writer(stage, "codebook_rules") as table:
        for rule in rule_rows(codebook.rules):
            table.write(rule)
    mention_scores, quote_scores = quality_tables(gold, codebook) if gold is not None else ([], [])
    for name, scores in (("codebook_quality", mention_scores), ("quote_quality", quote_scores)):
        with writer(stage, name) as table:
            for score in scores:
                table.write(score)


def write_extraction_quality(stage: Path, scores: Path) -> None:
    """Publish the committed scores of the extraction benchmark (``corpus extraction --write``).

    Raises:
        PackageError: If the scores file is missing or not in the expected form.
    """
    name = "benchmarks/extraction/scores.csv"
    try:
        with scores.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != SCORE_FIELDS:
                raise PackageError(f"{name}: header must be {','.join(SCORE_FIELDS)}; run `corpus extraction --write`")
            rows = list(reader)
    except FileNotFoundError as exc:
        raise PackageError(f"{name} is missing: run `corpus extraction --write` (nox -s extraction)") from exc
    with writer(stage, "extraction_quality") as table:
        for row in rows:
            table.write({**row, "share": row["share"] or None})


def describe_package(
    meta: PackageMetadata, outlets: Iterable[Outlet], stage: Path, seed_resources: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """The package descriptor for the tables written in ``stage`` (sizes and hashes read from them).

    Args:
        meta: The release metadata from ``catalog/package.toml``.
        outlets: The outlets (each with a domain becomes a ``sources`` entry).
        stage: The folder holding the tables as ``<name>.csv``.
        seed_resources: The seeds' own resources (:func:`~corpus.package.tables.seed_resource`), in order.
    """
    descriptor: dict[str, Any] = {
        "$schema": PROFILE,
        "name": meta.name,
        "title": meta.title,
        "description": meta.description,
        "version": meta.version,
        "created": meta.created,
        "keywords": list(meta.keywords),
        "contributors": [dict(c) for c in meta.contributors],
        "licenses": [meta.license("metadata"), meta.license("texts")],
        "sources": [
            {"title": o.name, "path": o.homepage} for o in sorted(outlets, key=lambda o: o.outlet_id) if o.homepage
        ],
        "resources": [*(table_resource(stage, spec, meta) for spec in TABLES), *seed_resources],
    }
    if meta.homepage:
        descriptor["homepage"] = meta.homepage
    if meta.doi:
        descriptor["id"] = f"https://doi.org/{meta.doi}"  # the published DOI, for citations
    return descriptor
