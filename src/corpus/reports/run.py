"""``corpus reports``: execute the planned notebooks and render byte-reproducible, offline HTML.

The command reads the report plan (``notebooks/plan.toml``) and the published data package
(``datapackage.json`` and the tables it lists; it never builds the package itself: ``nox -s
reports`` runs the ``data`` session's steps first). It checks every planned parameter against the
notebook's ``parameters`` cell, executes each report whose inputs changed (see
:mod:`corpus.reports.cache`) with papermill, and writes ``reports/<name>.html`` (code hidden,
figures embedded, provenance footer), ``reports/<name>.ipynb`` (the executed notebook) and
``reports/index.html``. No clock time is written anywhere; durations go to stderr.

A run is one transaction (:mod:`corpus.transaction`): every output is written into
``reports/.staging/<id>/`` and committed with the manifest and the index in one journaled
step, so a failed, interrupted or killed run leaves the previous reports as they were (the next
run deletes its staging, or finishes a commit that was decided). A report whose notebook is
missing fails alone, named; the others run.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from corpus.errors import ReportError
from corpus.paths import Layout, safe_join
from corpus.processes import available_cpus
from corpus.reports.cache import (
    MANIFEST_FILE,
    CacheEntry,
    Inputs,
    is_fresh,
    load_context,
    manifest_text,
    read_manifest,
    read_package,
    report_inputs,
)
from corpus.reports.execute import FAILED_DIR, Job, Outcome, check_kernel, forget_dead_runs, run_all
from corpus.reports.index import about_corpus, citation_for_index, dataset_description, index_rows
from corpus.reports.parameters import DeclaredParameter, declared_parameters, parameter_problems
from corpus.reports.plan import PlannedReport, load_plan, notebook_problem, select
from corpus.reports.render import Status, render_index
from corpus.transaction import JOURNAL, commit, new_stage, using


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


@dataclass
class _Run:
    """One run's staging folder, and the published files it will delete when it commits."""

    stage: Path
    remove: set[str] = field(default_factory=set)


def _triage(
    layout: Layout,
    selected: Sequence[PlannedReport],
    inputs: Mapping[str, Inputs],
    manifest: Mapping[str, CacheEntry],
    run: _Run,
    *,
    force: bool,
) -> tuple[dict[str, Outcome], list[Job]]:
    """Split the selected reports into cached ones, ones that cannot run, and jobs to run."""
    outcomes: dict[str, Outcome] = {}
    jobs: list[Job] = []
    declared: dict[str, dict[str, DeclaredParameter]] = {}
    for report in selected:
        if report.name not in inputs:
            problem = notebook_problem(layout, report) or f"report {report.name!r}: its notebook cannot be read"
            outcomes[report.name] = Outcome(report.name, "failed", error=problem)
            continue
        if not force and is_fresh(layout, inputs[report.name], manifest.get(report.name)):
            outcomes[report.name] = Outcome(report.name, "cached")
            # The outputs match these inputs, so a kept failure belongs to other inputs.
            run.remove.add(f"{FAILED_DIR}/{report.name}.ipynb")
            continue
        if report.notebook not in declared:
            declared[report.notebook] = declared_parameters(safe_join(layout.notebooks, report.notebook))
        problems = parameter_problems(report, declared[report.notebook])
        if problems:
            outcomes[report.name] = Outcome(report.name, "failed", error="; ".join(problems))
            continue
        jobs.append(Job(str(layout.root), inputs[report.name], str(run.stage)))
    return outcomes, jobs


def _execute(jobs: Sequence[Job], workers: int, outcomes: dict[str, Outcome]) -> None:
    if jobs:
        check_kernel()
        _log(f"corpus reports: executing {len(jobs)} report(s) on {workers} worker(s)")
    for outcome in run_all(jobs, workers):
        outcomes[outcome.name] = outcome
        if outcome.status == "executed":
            _log(f"  {outcome.name}: executed and rendered in {outcome.seconds:.1f} s")
        else:
            _log(f"  {outcome.name}: FAILED after {outcome.seconds:.1f} s")


def _stage_if_changed(layout: Layout, run: _Run, name: str, data: bytes) -> None:
    """Stage ``reports/<name>`` unless it already holds exactly ``data``."""
    published = layout.reports / name
    if not (published.is_file() and published.read_bytes() == data):
        (run.stage / name).write_bytes(data)


def _update_manifest(
    layout: Layout,
    plan: Sequence[PlannedReport],
    manifest: dict[str, CacheEntry],
    outcomes: Mapping[str, Outcome],
    run: _Run,
    *,
    version: str,
    prune: bool,
) -> None:
    """Record the executed reports, forget (and delete) reports no longer planned, stage it."""
    for outcome in outcomes.values():
        if outcome.status == "executed":
            run.remove.add(f"{FAILED_DIR}/{outcome.name}.ipynb")
            manifest[outcome.name] = CacheEntry(
                digest=outcome.digest,
                html_sha256=outcome.html_sha256,
                notebook_sha256=outcome.notebook_sha256,
                package_version=version,
                code=dict(outcome.code),
            )
    if prune:
        for name in sorted(set(manifest) - {r.name for r in plan}):
            # A report removed from the plan: its outputs would otherwise linger unlisted.
            del manifest[name]
            run.remove.update({f"{name}.html", f"{name}.ipynb"})
    _stage_if_changed(layout, run, MANIFEST_FILE, manifest_text(manifest).encode("utf-8"))


def _statuses(
    layout: Layout,
    plan: Sequence[PlannedReport],
    inputs: Mapping[str, Inputs],
    manifest: Mapping[str, CacheEntry],
    outcomes: Mapping[str, Outcome],
) -> dict[str, Status]:
    statuses: dict[str, Status] = {}
    for report in plan:
        outcome = outcomes.get(report.name)
        if (outcome is not None and outcome.status == "failed") or report.name not in inputs:
            statuses[report.name] = "failed"
        elif outcome is not None:  # executed (and staged) or cached: fresh
            statuses[report.name] = "ok"
        elif is_fresh(layout, inputs[report.name], manifest.get(report.name)):
            statuses[report.name] = "ok"
        elif (layout.reports / f"{report.name}.html").is_file():
            statuses[report.name] = "stale"
        else:
            statuses[report.name] = "missing"
    return statuses


def _write_index(
    layout: Layout,
    descriptor: dict[str, Any],
    plan: Sequence[PlannedReport],
    statuses: Mapping[str, Status],
    manifest: Mapping[str, CacheEntry],
    package: Any,
    run: _Run,
) -> None:
    present = {p.name for p in layout.reports.glob("*")} | {p.name for p in run.stage.iterdir()}
    index = render_index(
        package=package,
        rows=index_rows(plan, statuses, manifest, present - run.remove),
        about=about_corpus(layout, descriptor, package),
        citation_html=citation_for_index(descriptor),
        dataset=dataset_description(layout, descriptor),
    )
    _stage_if_changed(layout, run, "index.html", index.encode("utf-8"))


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
        jobs: Reports run in parallel (default: the available CPUs).
        only: Run only these planned reports (others keep their outputs).

    Returns:
        The outcome of every selected report. Failures do not raise here (see
        :func:`run_reports`).

    Raises:
        ReportError: If the plan or the published data package cannot be read.
    """
    read_package(layout)  # a missing package is refused before reports/ is touched
    with (
        using(layout.root, [layout.staging], exclusive=False),  # the package: no build swaps it meanwhile
        using(layout.reports, [layout.reports_staging], exclusive=True),
    ):
        forget_dead_runs()
        run = _Run(new_stage(layout.reports_staging))
        try:
            summary = _render(layout, run, force=force, jobs=jobs, only=only)
            _commit(layout, run)
        except BaseException:
            if not (layout.reports_staging / JOURNAL).exists():  # undecided: nothing was replaced
                shutil.rmtree(layout.reports_staging, ignore_errors=True)
            raise
    return summary


def _commit(layout: Layout, run: _Run) -> None:
    """Publish the staged outputs and delete what the run dropped, in one journaled step."""
    moves = [(path, layout.reports / path.name) for path in sorted(run.stage.iterdir())]
    remove = [layout.reports / name for name in sorted(run.remove) if (layout.reports / name).exists()]
    commit(layout.reports, layout.reports_staging, moves, remove)
    failed = layout.reports / FAILED_DIR
    if failed.is_dir() and not any(failed.iterdir()):
        failed.rmdir()


def _render(layout: Layout, run: _Run, *, force: bool, jobs: int | None, only: Sequence[str] | None) -> RunSummary:
    plan = load_plan(layout)
    selected = select(plan, only)
    descriptor = read_package(layout)
    context = load_context(layout, descriptor)
    manifest = read_manifest(layout)
    inputs = {r.name: report_inputs(layout, r, context) for r in plan if notebook_problem(layout, r) is None}
    started = time.perf_counter()
    outcomes, to_run = _triage(layout, selected, inputs, manifest, run, force=force)
    _execute(to_run, max(1, min(jobs or available_cpus(), len(to_run))), outcomes)
    _update_manifest(layout, plan, manifest, outcomes, run, version=context.package.version, prune=only is None)
    statuses = _statuses(layout, plan, inputs, manifest, outcomes)
    _write_index(layout, descriptor, plan, statuses, manifest, context.package, run)
    counts = {s: sum(1 for o in outcomes.values() if o.status == s) for s in ("executed", "cached", "failed")}
    _log(
        f"corpus reports: {counts['executed']} executed, {counts['cached']} cached, {counts['failed']} failed "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return RunSummary([outcomes[r.name] for r in selected])


def run_reports(layout: Layout, *, force: bool, jobs: int | None, only: list[str] | None) -> int:
    """The ``corpus reports`` command: render the planned reports from the published package.

    Args:
        layout: The project.
        force: Re-run every report, ignoring the cache.
        jobs: Reports run in parallel (default: the available CPUs).
        only: Run only these planned reports.

    Returns:
        0 when every selected report is up to date.

    Raises:
        ReportError: If the package is missing or stale, or any report failed; the message names
            each report, cell and error.
    """
    if jobs is not None and jobs < 1:
        raise ReportError(f"--jobs {jobs}: give a positive number of parallel reports")
    summary = render_reports(layout, force=force, jobs=jobs, only=only)
    failures = summary.failures
    if failures:
        failed_dir = f"reports/{FAILED_DIR}/"
        raise ReportError(
            f"{len(failures)} report(s) failed (executed notebooks kept in {failed_dir}; previous "
            "good HTML left in place):\n" + "\n".join(f"  - {o.error}" for o in failures)
        )
    return 0
