"""Fault injection: the build and the report run are killed (SIGKILL) at every checkpoint of their write
paths, and at random moments; each time the published files are the old ones or the new complete ones,
the next run succeeds, and no staging, temporary file or process is left behind.

``CORPUS_FAULT_AT=<n>`` makes a run kill itself at its n-th checkpoint (:func:`corpus.transaction.checkpoint`);
``CORPUS_FAULT_LOG`` lists the checkpoints a whole run passes. The counts of each test are printed
(``pytest -s``) and asserted: points tried, packages (or report sets) lost: 0.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from builder import edit_notebook
from conftest import processes_with

from corpus.package.build import build
from corpus.paths import Layout
from corpus.reports.run import run_reports
from corpus.transaction import FAULT_AT, FAULT_LOG, using

#: Kill points per kind of run: every checkpoint, then random moments (fixed seed) up to this many.
POINTS = 50
#: Random moments at least, however many checkpoints there are.
RANDOM_KILLS = 10
SEED = 11


def package_files(layout: Layout) -> dict[str, bytes]:
    files = [layout.descriptor, *sorted(layout.data.rglob("*"))] if layout.data.is_dir() else [layout.descriptor]
    return {str(p.relative_to(layout.root)): p.read_bytes() for p in files if p.is_file()}


def report_files(layout: Layout) -> dict[str, bytes]:
    return {
        str(p.relative_to(layout.reports)): p.read_bytes()
        for p in sorted(layout.reports.rglob("*"))
        if p.is_file() and "_failed" not in p.parts
    }


def leftovers(layout: Layout) -> list[str]:
    """Staging folders and temporary files in the project (none may survive the next run)."""
    places = [layout.root, layout.data, layout.reports]
    return sorted(
        str(p.relative_to(layout.root))
        for place in places
        if place.is_dir()
        for p in place.iterdir()
        if p.name.startswith(".") and p.name not in (".cache.json", layout.state.name)
    )


def run_killed(command: list[str], root: Path, *, at: int | None = None, delay: float | None = None) -> int:
    """Run ``python -m corpus …`` in ``root``, killed at checkpoint ``at`` or after ``delay`` seconds."""
    marker = uuid.uuid4().hex
    env = {**os.environ, "CORPUS_ROOT": str(root), "CORPUS_FAULT_RUN": marker}
    if at is not None:
        env[FAULT_AT] = str(at)
    process = subprocess.Popen(
        [sys.executable, "-m", "corpus", *command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if delay is not None:
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.kill()
    code = process.wait(timeout=600)
    deadline = time.monotonic() + 15
    while processes_with(f"CORPUS_FAULT_RUN={marker}") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with(f"CORPUS_FAULT_RUN={marker}") == [], "orphaned processes after the kill"
    return code


def checkpoints(command: list[str], root: Path) -> list[str]:
    """The checkpoints a whole run passes (it runs to the end: ``root`` then holds the new files)."""
    log = root.parent / f"{root.name}-checkpoints.log"
    env = {**os.environ, "CORPUS_ROOT": str(root), FAULT_AT: "0", FAULT_LOG: str(log)}
    subprocess.run([sys.executable, "-m", "corpus", *command], env=env, check=True, capture_output=True)
    return log.read_text(encoding="utf-8").splitlines()


def inject(
    base: Path,
    tmp_path: Path,
    command: list[str],
    change: Callable[[Layout], None],
    files: Callable[[Layout], dict[str, bytes]],
    next_run: Callable[[Layout], object],
) -> dict[str, int]:
    """Kill ``command`` at every checkpoint and at random moments; check each outcome. Returns the counts."""
    old = files(Layout(base))
    counter = tmp_path / "counter"
    shutil.copytree(base, counter)
    change(Layout(counter))
    started = time.perf_counter()
    points = checkpoints(command, counter)
    duration = time.perf_counter() - started  # how long a run takes: the random kills fall within it
    new = files(Layout(counter))
    assert new != old, "the change must change the published files"
    rng = random.Random(SEED)
    plans = [("at", n) for n in range(1, len(points) + 1)]
    randoms = max(RANDOM_KILLS, POINTS - len(plans))
    plans += [("after", rng.uniform(0.1, 1.2 * duration + 0.5)) for _ in range(randoms)]
    counts = {"points": 0, "killed": 0, "old": 0, "new": 0, "lost": 0}
    for i, (how, when) in enumerate(plans):
        work = tmp_path / f"run-{i}"
        shutil.copytree(base, work)
        layout = Layout(work)
        change(layout)
        code = run_killed(command, work, **({"at": int(when)} if how == "at" else {"delay": float(when)}))
        counts["points"] += 1
        counts["killed"] += code == -signal.SIGKILL
        with using(work, [layout.staging], exclusive=False):  # recover as the next reader would
            pass
        if layout.reports.is_dir():
            with using(layout.reports, [layout.reports_staging], exclusive=False):
                pass
        seen = files(layout)
        state = "old" if seen == old else "new" if seen == new else "lost"
        counts[state] += 1
        assert state != "lost", f"{command} killed at {how} {when}: the published files are a mix or damaged"
        next_run(layout)
        assert files(layout) == new, f"the run after the kill at {how} {when} did not give the new files"
        assert leftovers(layout) == [], f"left behind after the kill at {how} {when}"
        shutil.rmtree(work)
    print(f"\n{command}: {len(points)} checkpoints; {counts}")
    return counts


def _change_catalog(layout: Layout) -> None:
    path = layout.catalog / "seeds.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Header line gives", "The header line gives", 1))


@pytest.mark.slow
def test_killing_the_build_anywhere_loses_no_package(project_copy: Layout, tmp_path: Path) -> None:
    build(project_copy)
    counts = inject(project_copy.root, tmp_path, ["build", "-q"], _change_catalog, package_files, build)
    assert counts["lost"] == 0
    assert counts["points"] >= POINTS
    assert counts["killed"] >= 10, "the checkpoint runs must really be killed"
    assert counts["old"] and counts["new"], "kills before and after the commit point were both tried"


@pytest.mark.slow
def test_killing_the_report_run_anywhere_loses_no_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder import ANALYSIS_DOCS, write_project
    from conftest import ROOT

    layout = write_project(tmp_path / "base", ANALYSIS_DOCS)
    layout.notebooks.mkdir()
    fixtures = ROOT / "tests" / "fixtures" / "notebooks"
    shutil.copy(fixtures / "other.ipynb", layout.notebooks / "other.ipynb")
    plan = '[[report]]\nname = "other"\ntitle = "Other"\nnotebook = "other.ipynb"\nreads_data = false\n'
    (layout.notebooks / "plan.toml").write_text(plan, encoding="utf-8")
    run_reports(layout, force=False, jobs=1, only=None)

    def change(target: Layout) -> None:
        edit_notebook(target.notebooks / "other.ipynb", "A new paragraph.")

    def next_run(target: Layout) -> None:
        run_reports(target, force=False, jobs=1, only=None)

    counts = inject(layout.root, tmp_path, ["reports", "--jobs", "1"], change, report_files, next_run)
    assert counts["lost"] == 0
    assert counts["points"] >= POINTS
    assert counts["old"] and counts["new"]
