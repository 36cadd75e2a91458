"""Execute one report with papermill and render it (runs in a worker process)."""

from __future__ import annotations

import contextlib
import copy
import os
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal

import nbformat

from corpus.errors import ReportError
from corpus.fileio import sha256_bytes, write_atomic
from corpus.paths import Layout, safe_join
from corpus.reports.notebooks import clean_executed, notebook_bytes, read_notebook, with_stable_ids
from corpus.reports.plan import PlannedReport
from corpus.reports.render import (
    Provenance,
    render_report_html,
)

#: Seconds one cell may run before the report fails (a hung kernel must not block the run).
CELL_TIMEOUT = 900
FAILED_DIR = "_failed"
#: A fixed date for every file the kernels write (matplotlib's SVG \`\`<dc:date>\`\`, PDF dates).
SOURCE_DATE_EPOCH = "0"

# --------------------------------------------------------------------------------------------
# Executing one report (runs in a worker process)


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


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to execute and render one report (picklable)."""

    root: str
    report: PlannedReport
    provenance: Provenance


@dataclass(frozen=True)
class Outcome:
    """The result of one report in this run."""

    name: str
    status: Literal["executed", "cached", "failed"]
    seconds: float = 0.0
    error: str = ""
    html_sha256: str = ""
    notebook_sha256: str = ""


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


def _forget_failure(failed_path: Path) -> None:
    failed_path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty (other failures kept) or already gone
        failed_path.parent.rmdir()


def run_job(job: Job) -> Outcome:
    """Execute one report with papermill and render it; never raises for a notebook failure.

    On success writes ``reports/<name>.ipynb`` and ``reports/<name>.html`` atomically and removes
    a stale ``reports/_failed/<name>.ipynb``. On failure writes the executed notebook to
    ``reports/_failed/<name>.ipynb`` and leaves the previous outputs untouched.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillException, PapermillExecutionError
    from traitlets.config import Config

    layout = Layout(Path(job.root))
    report = job.report
    started = time.perf_counter()
    failed_path = layout.reports / FAILED_DIR / f"{report.name}.ipynb"
    source = with_stable_ids(read_notebook(safe_join(layout.notebooks, report.notebook)))
    with tempfile.TemporaryDirectory(prefix="corpus-report-") as tmp:
        out = Path(tmp) / f"{report.name}.ipynb"
        try:
            # ipc: the kernel talks over Unix sockets in this temporary folder, not TCP ports.
            env = {**kernel_environment(layout.root), "JUPYTER_RUNTIME_DIR": tmp}
            with _environment(env):
                executed = papermill.execute_notebook(
                    source,
                    str(out),
                    parameters=dict(report.parameters),
                    kernel_name="python3",
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
        except PapermillExecutionError as exc:
            failed = read_notebook(out) if out.is_file() else source
            # Papermill put an error-marker cell at the top after the error; index without it.
            cells = [c for c in failed.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
            unmarked = copy.copy(failed)
            unmarked.cells = cells
            write_atomic(failed_path, notebook_bytes(clean_executed(failed)))
            return Outcome(
                report.name,
                "failed",
                time.perf_counter() - started,
                _failure_message(report, source, unmarked, exc),
            )
        except (PapermillException, CellTimeoutError, DeadKernelError, RuntimeError, OSError) as exc:
            return Outcome(
                report.name,
                "failed",
                time.perf_counter() - started,
                f"report {report.name!r}: notebooks/{report.notebook} could not be executed: "
                f"{type(exc).__name__}: {exc}",
            )
    cleaned = clean_executed(executed)
    nb_data = notebook_bytes(cleaned)
    html_data = render_report_html(cleaned, title=report.title, provenance=job.provenance).encode("utf-8")
    write_atomic(layout.reports / f"{report.name}.ipynb", nb_data)
    write_atomic(layout.reports / f"{report.name}.html", html_data)
    _forget_failure(failed_path)
    return Outcome(
        report.name,
        "executed",
        time.perf_counter() - started,
        html_sha256=sha256_bytes(html_data),
        notebook_sha256=sha256_bytes(nb_data),
    )


def _run_all(jobs: Sequence[Job], workers: int) -> Iterator[Outcome]:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield run_job(job)
        return
    # spawn: a fresh interpreter per worker, safe whatever threads the parent started.
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            yield from pool.map(run_job, jobs)
    except BrokenProcessPool as exc:
        raise ReportError(
            "a report worker process died (out of memory, or a script that starts the run without "
            "an `if __name__ == '__main__':` guard): re-run with --jobs 1 to see the report at fault"
        ) from exc

