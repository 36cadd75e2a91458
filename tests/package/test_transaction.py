"""A build is one transaction: validated before the swap, journaled, recovered, cleaned, its workers bound to it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import processes_with

import corpus.transaction
from corpus.cli import main
from corpus.errors import StorageError, ValidationError
from corpus.package.build import build
from corpus.paths import Layout
from corpus.transaction import JOURNAL


def snapshot(layout: Layout) -> dict[str, bytes]:
    """Every file of the published package (descriptor and data/)."""
    files = [layout.descriptor, *sorted(layout.data.rglob("*"))]
    return {str(p.relative_to(layout.root)): p.read_bytes() for p in files if p.is_file()}


def add_seed(layout: Layout, name: str, raw: bytes) -> None:
    (layout.seeds / name).write_bytes(raw)
    with (layout.catalog / "seeds.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(f"{name},,sputnik,,,,,,,,,reviewed,Test seed.\n")


@pytest.fixture
def built(project_copy: Layout) -> Layout:
    """A copy of the project with its committed package (test_build checks it is what a build gives)."""
    return project_copy


def leftovers(layout: Layout) -> list[str]:
    """Staging folders and temporary files a run could leave in the project."""
    found = [p for p in layout.root.iterdir() if p.name.startswith(".") and p.name not in (".git", layout.state.name)]
    found += [p for p in layout.data.iterdir() if p.name.startswith(".")] if layout.data.is_dir() else []
    return sorted(str(p.relative_to(layout.root)) for p in found)


def set_catalog_date(layout: Layout, date: str) -> None:
    path = layout.catalog / "seeds.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",", 12)
    cells[5:8] = [date, "day", "inferred"]
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("date", ["2099-01-01", "1800-01-01"])
def test_a_build_that_validate_rejects_keeps_the_published_package(built: Layout, date: str) -> None:
    before = snapshot(built)
    set_catalog_date(built, date)
    with pytest.raises(
        ValidationError, match=rf"(?s)the new package does not validate; the published one was kept.*{date}"
    ):
        build(built)
    assert snapshot(built) == before
    assert leftovers(built) == []


def test_a_crash_between_the_renames_is_finished_by_the_next_reader(
    built: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Killed after data/ was replaced but before datapackage.json: the journal rolls the swap forward."""
    add_seed(built, "005_extra.txt", b"A headline of a new page\n\nThe text of the new article about talks.\n")
    real = corpus.transaction.checkpoint

    class Crash(BaseException):
        pass

    def crash(label: str) -> None:
        real(label)
        if label.startswith("renamed") and label.endswith("-> data"):
            raise Crash

    monkeypatch.setattr(corpus.transaction, "checkpoint", crash)
    with pytest.raises(Crash):
        build(built)
    assert (built.staging / JOURNAL).is_file(), "the decided commit is left for recovery"
    monkeypatch.setattr(corpus.transaction, "checkpoint", real)
    monkeypatch.chdir(built.root)
    assert main(["validate", "-q"]) == 0
    assert not built.staging.exists()
    assert '"seed-005_extra"' in built.descriptor.read_text(encoding="utf-8")
    recovered = snapshot(built)
    build(built)
    assert snapshot(built) == recovered
    capsys.readouterr()


def test_stale_staging_of_a_killed_build_is_removed_by_the_next_run(built: Layout) -> None:
    (built.staging / "4242-0" / "data").mkdir(parents=True)
    (built.staging / "4242-0" / "data" / "documents.csv").write_text("half written")
    (built.root / ".data-abcd1234").mkdir()  # left by builds before the journal
    (built.root / ".datapackage.json.4242.tmp").write_text("{")
    (built.root / ".datapackage.json.k2j4h6g8.tmp").write_text("{")
    before = snapshot(built)
    build(built)
    assert snapshot(built) == before
    assert leftovers(built) == []


def test_disk_errors_while_staging_name_the_fix_and_keep_the_package(
    built: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import corpus.package.build as build_module

    before = snapshot(built)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_module, "write_codebook_tables", full)
    with pytest.raises(StorageError, match=r"writing the new package into \.staging/.*the disk is full: free some"):
        build(built)
    assert snapshot(built) == before
    assert leftovers(built) == []


# --- worker processes die with the build ------------------------------------------------------------

SLOW_PARALLEL_BUILD = """
import sys, time
import corpus.package.build as b
b.PARALLEL_MIN_SEEDS = 1
real_add = b._Tables.add
def slow_add(self, rows):
    time.sleep(60)  # the workers have started and wait: the parent is killed here
    return real_add(self, rows)
b._Tables.add = slow_add
from corpus.cli import main
sys.exit(main(["build", "-q"]))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc to find the workers")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["kill-9", "term", "int"])
def test_workers_die_with_the_build(built: Layout, sig: signal.Signals) -> None:
    marker = f"CORPUS_TEST_RUN={uuid.uuid4().hex}"
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1], "CORPUS_ROOT": str(built.root)}
    before = snapshot(built)
    parent = subprocess.Popen([sys.executable, "-c", SLOW_PARALLEL_BUILD], env=env, cwd=built.root)
    deadline = time.monotonic() + 60
    while len([p for p in processes_with(marker) if p != parent.pid]) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len([p for p in processes_with(marker) if p != parent.pid]) >= 2, "the workers never started"
    parent.send_signal(sig)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with(marker) == [], "orphaned worker processes"
    assert snapshot(built) == before
    build(built)  # the next run cleans any staging and succeeds
    assert leftovers(built) == []
