"""Execute one report with papermill and render it (runs in a worker process).

Reproducibility: the kernel runs with ``SOURCE_DATE_EPOCH`` and a matplotlibrc that fixes
``svg.hashsalt`` (see :func:`kernel_environment`); :func:`~corpus.reports.notebooks.clean_executed`
removes run-time metadata. After the notebook's last cell, one more cell (removed again before
anything is written) lists the ``corpus`` modules the kernel imported: the code the report ran,
which becomes part of its cache key.

A report's outputs are written into the run's staging folder (``Job.stage``), never into
``reports/`` itself: :mod:`corpus.reports.run` commits all of a run's outputs together. Worker
processes die with the run (even under ``kill -9``).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import nbformat

from corpus.errors import ReportError
from corpus.fileio import sha256_bytes, storage_errors, write_atomic
from corpus.paths import Layout, safe_join
from corpus.processes import die_with_parent, spawn_context
from corpus.reports.cache import Inputs, code_hashes
from corpus.reports.notebooks import (
    KERNEL_NAME,
    clean_executed,
    normalise_source,
    notebook_bytes,
    read_notebook,
)
from corpus.reports.plan import PlannedReport
from corpus.reports.render import render_report_html
from corpus.transaction import checkpoint

#: Seconds one cell may run before the report fails (a hung kernel must not block the run).
CELL_TIMEOUT = 900
FAILED_DIR = "_failed"
#: A fixed date for every file the kernels write (matplotlib's SVG ``<dc:date>``, PDF dates).
SOURCE_DATE_EPOCH = "0"
#: Id of the cell appended to every run that prints the ``corpus`` modules the kernel imported.
DEPENDENCY_CELL_ID = "corpus-dependencies"
#: That cell: module files relative to the ``corpus`` package, as one JSON list on stdout.
DEPENDENCY_SOURCE = """\
import json as _json, pathlib as _pathlib, sys as _sys
_corpus = _sys.modules.get("corpus")
_root = _pathlib.Path(_corpus.__file__).resolve().parent if _corpus else None
print(_json.dumps(sorted(
    _pathlib.Path(_module.__file__).resolve().relative_to(_root).as_posix()
    for _name, _module in list(_sys.modules.items())
    if _root and _name.split(".")[0] == "corpus" and getattr(_module, "__file__", None)
)))
"""


@cache
def _matplotlibrc() -> Path:
    return Path(__file__).parent / "templates" / "matplotlibrc"


def kernel_environment(root: Path) -> dict[str, str]:
    """Environment variables set for the kernels that execute reports.

    ``CORPUS_ROOT`` makes :func:`corpus.paths.project` inside a notebook find the project being
    rendered; ``SOURCE_DATE_EPOCH`` and ``MATPLOTLIBRC`` (fixed ``svg.hashsalt``) make figures
    byte-reproducible. ``MPLBACKEND`` stays ipykernel's inline backend: with ``Agg`` figures shown
    by ``plt.show()`` would not reach the report. ``CORPUS_REPORT=1`` tells notebook helpers they
    run inside a report.
    """
    return {
        "CORPUS_ROOT": str(root),
        "CORPUS_REPORT": "1",
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "MATPLOTLIBRC": str(_matplotlibrc()),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    # The kernel is a child process: it inherits os.environ at launch, so set it around the run.
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


#: Where Jupyter looks for kernels first: the running environment, which installs the project's
#: kernelspec, before one a user registered elsewhere (``nox -s lab`` registers the lab's).
KERNEL_LOOKUP = {"JUPYTER_PREFER_ENV_PATH": "1"}


def check_kernel() -> Path:
    """The folder of the project's kernelspec that the reports will run; raise if Jupyter finds none.

    Raises:
        ReportError: Naming the kernel and how to install it.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    with _environment(KERNEL_LOOKUP):
        try:
            return Path(KernelSpecManager().get_kernel_spec(KERNEL_NAME).resource_dir)
        except NoSuchKernel as exc:
            raise ReportError(
                f"Jupyter finds no kernel {KERNEL_NAME!r} in this environment: install the project into it "
                "(`nox -s reports` does; by hand `uv sync` or `pip install -e .`), which installs the kernelspec"
            ) from exc


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to execute and render one report (picklable)."""

    root: str
    inputs: Inputs
    stage: str
    worker: bool = False


@dataclass(frozen=True)
class Outcome:
    """The result of one report in this run; an executed one carries its key and recorded code."""

    name: str
    status: Literal["executed", "cached", "failed"]
    seconds: float = 0.0
    error: str = ""
    html_sha256: str = ""
    notebook_sha256: str = ""
    digest: str = ""
    code: Mapping[str, str] = field(default_factory=dict)


def _failure_message(
    report: PlannedReport, source: nbformat.NotebookNode, executed: nbformat.NotebookNode, exc: Any
) -> str:
    index = int(exc.cell_index)
    cell_id = executed.cells[index].get("id", "?") if 0 <= index < len(executed.cells) else "?"
    source_ids = [c.get("id") for c in source.cells]
    where = (
        f"cell {source_ids.index(cell_id)} (id {cell_id!r})"
        if cell_id in source_ids
        else f"executed cell {index} (id {cell_id!r})"
    )
    return f"report {report.name!r}: notebooks/{report.notebook} {where} raised {exc.ename}: {exc.evalue}"


#: Prefix of a report's temporary folder (kernel sockets, papermill output), with the run's pid.
TEMP_PREFIX = "corpus-report-"


def forget_dead_runs() -> None:
    """Delete the temporary folders of report runs that were killed (their process is gone)."""
    base = Path(tempfile.gettempdir())
    for folder in base.glob(f"{TEMP_PREFIX}*-*"):
        pid = folder.name.removeprefix(TEMP_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or folder.is_symlink() or folder.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass  # alive, someone else's


def _with_dependency_cell(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = copy.deepcopy(source)
    cell = nbformat.v4.new_code_cell(DEPENDENCY_SOURCE)  # type: ignore[no-untyped-call]
    cell["id"] = DEPENDENCY_CELL_ID
    nb.cells.append(cell)
    return nb


def _split_dependencies(executed: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, list[str]]:
    """The executed notebook without the dependency cell, and the module paths that cell printed."""
    nb = copy.copy(executed)
    nb.cells = [c for c in executed.cells if c.get("id") != DEPENDENCY_CELL_ID]
    printed = [
        "".join(output.get("text", ""))
        for cell in executed.cells
        if cell.get("id") == DEPENDENCY_CELL_ID
        for output in cell.get("outputs", [])
        if output.get("name") == "stdout"
    ]
    try:
        paths = json.loads(printed[-1].strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError) as exc:
        raise ReportError("the kernel did not list the corpus modules it imported") from exc
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ReportError("the kernel's list of imported corpus modules is malformed")
    return nb, paths


def _execute(layout: Layout, report: PlannedReport, source: nbformat.NotebookNode, tmp: str) -> Any:
    """Run the notebook (plus the dependency cell) with papermill in a fresh kernel."""
    import papermill
    from traitlets.config import Config

    # ipc: the kernel talks over Unix sockets in this temporary folder, not TCP ports.
    env = {**kernel_environment(layout.root), **KERNEL_LOOKUP, "JUPYTER_RUNTIME_DIR": tmp}
    with _environment(env):
        return papermill.execute_notebook(
            _with_dependency_cell(source),
            str(Path(tmp) / f"{report.name}.ipynb"),
            parameters=dict(report.parameters),
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            cwd=str(layout.notebooks),
            execution_timeout=CELL_TIMEOUT,
            # Each kernel gets its own socket files; parallel kernels must not share them.
            config=Config({"KernelManager": {"transport": "ipc", "ip": str(Path(tmp) / "kernel")}}),
            # The kernel logs an interrupt at every shutdown; real errors are cell outputs.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            # All outputs are in once the last cell ran; a graceful shutdown only waits.
            shutdown_kernel="immediate",
        )


def _failed(job: Job, started: float, error: str) -> Outcome:
    return Outcome(job.inputs.report.name, "failed", time.perf_counter() - started, error)


def run_job(job: Job) -> Outcome:
    """Execute one report with papermill and render it; never raises for a notebook failure.

    On success writes ``<name>.ipynb`` and ``<name>.html`` into the run's staging folder (the run
    commits them). On failure writes the executed notebook to ``reports/_failed/<name>.ipynb``
    for inspection and leaves the previous outputs untouched.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillException, PapermillExecutionError

    layout, report, started = Layout(Path(job.root)), job.inputs.report, time.perf_counter()
    failed_path = layout.reports / FAILED_DIR / f"{report.name}.ipynb"
    source = normalise_source(read_notebook(safe_join(layout.notebooks, report.notebook)))
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getppid() if job.worker else os.getpid()}-") as tmp:
        try:
            executed, modules = _split_dependencies(_execute(layout, report, source, tmp))
        except PapermillExecutionError as exc:
            out = Path(tmp) / f"{report.name}.ipynb"
            failed = read_notebook(out) if out.is_file() else source
            # Papermill put an error-marker cell at the top after the error; index without it.
            unmarked = copy.copy(failed)
            unmarked.cells = [c for c in failed.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
            write_atomic(failed_path, notebook_bytes(clean_executed(_without_dependency_cell(failed))))
            return _failed(job, started, _failure_message(report, source, unmarked, exc))
        except (PapermillException, CellTimeoutError, DeadKernelError, RuntimeError, OSError, ReportError) as exc:
            return _failed(
                job,
                started,
                f"report {report.name!r}: notebooks/{report.notebook} could not be executed: "
                f"{type(exc).__name__}: {exc}",
            )
    return _render(job, layout, executed, code_hashes(modules), started)


def _without_dependency_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    out = copy.copy(nb)
    out.cells = [c for c in nb.cells if c.get("id") != DEPENDENCY_CELL_ID]
    return out


def _render(job: Job, layout: Layout, executed: nbformat.NotebookNode, code: dict[str, str], started: float) -> Outcome:
    """Clean and render an executed report, write it, and describe the outcome."""
    report = job.inputs.report
    provenance = job.inputs.provenance(code)
    cleaned = clean_executed(executed)
    nb_data = notebook_bytes(cleaned)
    html_data = render_report_html(cleaned, title=report.title, provenance=provenance).encode("utf-8")
    stage = Path(job.stage)
    with storage_errors(f"writing report {report.name!r} into {stage}"):
        (stage / f"{report.name}.ipynb").write_bytes(nb_data)
        checkpoint(f"{report.name}.ipynb staged")
        (stage / f"{report.name}.html").write_bytes(html_data)
        checkpoint(f"{report.name}.html staged")
    return Outcome(
        report.name,
        "executed",
        time.perf_counter() - started,
        html_sha256=sha256_bytes(html_data),
        notebook_sha256=sha256_bytes(nb_data),
        digest=provenance.inputs_digest,
        code=code,
    )


def run_all(jobs: Sequence[Job], workers: int) -> Iterator[Outcome]:
    """Run the jobs, in parallel on ``workers`` processes when there is more than one of each."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield run_job(job)
        return
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=spawn_context(), initializer=die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            yield from pool.map(run_job, [dataclasses.replace(job, worker=True) for job in jobs])
    except BrokenProcessPool as exc:
        raise ReportError(
            "a report worker process died (out of memory, or a script that starts the run without "
            "an `if __name__ == '__main__':` guard): re-run with --jobs 1 to see the report at fault"
        ) from exc
