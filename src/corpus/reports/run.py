"""Execute the planned notebooks and render them as byte-reproducible, offline HTML reports.

``corpus reports`` (and ``nox -s reports``) reads the report plan (``notebooks/plan.toml``),
checks every planned parameter against the notebook's ``parameters`` cell, then executes each
report whose inputs changed with papermill and renders ``reports/<name>.html`` (code hidden,
figures embedded, provenance footer) and ``reports/<name>.ipynb`` (the executed notebook),
plus ``reports/index.html``.

The cache key of a report (``reports/.cache.json``) covers everything the output depends on: the
notebook's bytes, its parameters, the plan entry, the data package's name, version and the
sha256 of every resource, the ``corpus`` package's files, ``uv.lock`` and the versions of the key
libraries. A report is re-executed when its key changed or its outputs were edited.

Reproducibility: papermill's run-time metadata, nbclient's timestamps and the random id of the
injected-parameters cell are removed; PNG text chunks (matplotlib's ``Software`` tag) are
dropped; kernels run with ``SOURCE_DATE_EPOCH`` and a matplotlibrc that fixes ``svg.hashsalt``
(see :func:`kernel_environment`). No clock time is written anywhere; durations go to stderr.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from corpus.errors import ReportError, ValidationError
from corpus.paths import Layout, safe_join
from corpus.reports.cache import (
    MANIFEST_FILE,
    CacheEntry,
    is_fresh,
    load_context,
    manifest_text,
    read_manifest,
    report_provenance,
    write_if_changed,
)
from corpus.reports.execute import FAILED_DIR, Job, Outcome, _forget_failure, _run_all
from corpus.reports.index import about_corpus, citation_for_index, index_rows
from corpus.reports.parameters import DeclaredParameter, declared_parameters, parameter_problems
from corpus.reports.plan import PlannedReport, load_plan, select
from corpus.reports.render import (
    Status,
    render_index,
)

# --------------------------------------------------------------------------------------------
# The run


@dataclass
class RunSummary:
    """What one run did, report by report."""

    outcomes: list[Outcome] = field(default_factory=list)

    def names(self, status: Literal["executed", "cached", "failed"]) -> list[str]:
        """Names of the reports with this status, in plan order."""
        return [o.name for o in self.outcomes if o.status == status]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def render_reports(
    layout: Layout,
    *,
    force: bool = False,
    jobs: int | None = None,
    only: Sequence[str] | None = None,
) -> RunSummary:
    """Execute and render every planned report whose inputs changed; rewrite the index.

    Args:
        layout: The project.
        force: Re-run every selected report, ignoring the cache.
        jobs: Reports run in parallel (default: CPU count).
        only: Run only these planned reports (others keep their outputs).

    Returns:
        The outcome of every selected report. Failures do not raise here (see
        :func:`run_reports`).

    Raises:
        ReportError: If the plan or the data package cannot be read.
    """
    plan = load_plan(layout)
    selected = select(plan, only)
    context = load_context(layout)
    manifest = read_manifest(layout)
    provenance = {r.name: report_provenance(layout, r, context) for r in plan}
    outcomes: dict[str, Outcome] = {}
    to_run: list[Job] = []
    declared_cache: dict[str, dict[str, DeclaredParameter]] = {}
    for report in selected:
        digest = provenance[report.name].inputs_digest
        if not force and is_fresh(layout, report.name, digest, manifest.get(report.name)):
            outcomes[report.name] = Outcome(report.name, "cached")
            # The outputs match these inputs, so a kept failure belongs to other inputs.
            _forget_failure(layout.reports / FAILED_DIR / f"{report.name}.ipynb")
            continue
        if report.notebook not in declared_cache:
            declared_cache[report.notebook] = declared_parameters(safe_join(layout.notebooks, report.notebook))
        problems = parameter_problems(report, declared_cache[report.notebook])
        if problems:
            outcomes[report.name] = Outcome(report.name, "failed", error="; ".join(problems))
            continue
        to_run.append(Job(str(layout.root), report, provenance[report.name]))

    workers = max(1, min(jobs or os.cpu_count() or 1, len(to_run)))
    if to_run:
        _log(f"corpus reports: executing {len(to_run)} report(s) on {workers} worker(s)")
    started = time.perf_counter()
    for outcome in _run_all(to_run, workers):
        outcomes[outcome.name] = outcome
        if outcome.status == "executed":
            _log(f"  {outcome.name}: executed and rendered in {outcome.seconds:.1f} s")
        else:
            _log(f"  {outcome.name}: FAILED after {outcome.seconds:.1f} s")

    for outcome in outcomes.values():
        if outcome.status == "executed":
            manifest[outcome.name] = CacheEntry(
                digest=provenance[outcome.name].inputs_digest,
                html_sha256=outcome.html_sha256,
                notebook_sha256=outcome.notebook_sha256,
                package_version=context.package.version,
            )
    if only is None:
        planned = {r.name for r in plan}
        for name in sorted(set(manifest) - planned):
            # A report removed from the plan: its outputs would otherwise linger unlisted.
            del manifest[name]
            for suffix in (".html", ".ipynb"):
                (layout.reports / f"{name}{suffix}").unlink(missing_ok=True)
    write_if_changed(layout.reports / MANIFEST_FILE, manifest_text(manifest).encode("utf-8"))

    statuses: dict[str, Status] = {}
    for report in plan:
        if report.name in outcomes and outcomes[report.name].status == "failed":
            statuses[report.name] = "failed"
        elif is_fresh(layout, report.name, provenance[report.name].inputs_digest, manifest.get(report.name)):
            statuses[report.name] = "ok"
        elif (layout.reports / f"{report.name}.html").is_file():
            statuses[report.name] = "stale"
        else:
            statuses[report.name] = "missing"
    index = render_index(
        package=context.package,
        rows=index_rows(layout, plan, statuses, manifest),
        about=about_corpus(layout, context.package),
        citation_html=citation_for_index(layout, context.package),
    )
    write_if_changed(layout.reports / "index.html", index.encode("utf-8"))
    cached = sum(1 for o in outcomes.values() if o.status == "cached")
    executed = sum(1 for o in outcomes.values() if o.status == "executed")
    _log(
        f"corpus reports: {executed} executed, {cached} cached, "
        f"{sum(1 for o in outcomes.values() if o.status == 'failed')} failed "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return RunSummary([outcomes[r.name] for r in selected])


def run_reports(layout: Layout, *, force: bool, jobs: int | None, only: list[str] | None, build: bool) -> int:
    """The ``corpus reports`` command: build and validate the package, then render the reports.

    Args:
        layout: The project.
        force: Re-run every report, ignoring the cache.
        jobs: Reports run in parallel (default: CPU count).
        only: Run only these planned reports.
        build: Rebuild and validate the data package first.

    Returns:
        0 when every selected report is up to date.

    Raises:
        ValidationError: If the rebuilt package does not validate.
        ReportError: If any report failed; the message names each report, cell and error.
    """
    if jobs is not None and jobs < 1:
        raise ReportError(f"--jobs {jobs}: give a positive number of parallel reports")
    if build:
        from corpus.package import build as build_package
        from corpus.validate import validate_package

        started = time.perf_counter()
        build_package(layout, progress=True)
        problems = validate_package(layout, progress=True)
        if problems:
            raise ValidationError(problems)
        _log(f"corpus reports: data package built and validated in {time.perf_counter() - started:.1f} s")
    summary = render_reports(layout, force=force, jobs=jobs, only=only)
    failures = summary.failures
    if failures:
        failed_dir = f"reports/{FAILED_DIR}/"
        raise ReportError(
            f"{len(failures)} report(s) failed (executed notebooks kept in {failed_dir}; previous "
            "good HTML left in place):\n" + "\n".join(f"  - {o.error}" for o in failures)
        )
    return 0

