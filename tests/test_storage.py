"""Disk full, read-only and permission errors: one clear message naming the file and the fix, exit 1,
no traceback, and the published package and reports untouched.

The real cases run on a small tmpfs mounted for the test (root only: ``mount`` needs CAP_SYS_ADMIN);
elsewhere they are skipped with the reason. Errors injected with a patched ``open`` cover the same
paths on any machine.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from corpus.cli import main
from corpus.package.build import build
from corpus.paths import Layout


def _mount(target: Path, options: str) -> None:
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, f"corpus-test-{uuid.uuid4().hex[:8]}", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip() or 'mount failed'}): needs root")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount tmpfs file systems with the given options; unmounted after the test."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        target = tmp_path / f"mnt{len(mounted)}"
        target.mkdir()
        _mount(target, options)
        mounted.append(target)
        return target

    yield mount
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)


from collections.abc import Callable  # noqa: E402  (used in the fixture's annotation above)


def _project(mount: Path) -> Layout:
    from conftest import copy_project

    return copy_project(mount / "project")


def _files(layout: Layout) -> dict[str, bytes]:
    return {str(p.relative_to(layout.root)): p.read_bytes() for p in sorted(layout.root.rglob("*")) if p.is_file()}


def test_disk_full_during_the_build(
    tmpfs: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = _project(tmpfs("size=6m"))
    stats = os.statvfs(layout.root)
    free = stats.f_bavail * stats.f_frsize
    (layout.root / "filler").write_bytes(b"\0" * (free - 64 * 1024))  # the staged tables (~200 KB) do not fit
    before = {k: v for k, v in _files(layout).items() if k != "filler"}
    monkeypatch.chdir(layout.root)
    assert main(["build", "-q"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device (ENOSPC); the disk is full: free some space" in err, err
    assert "Traceback" not in err
    assert {k: v for k, v in _files(layout).items() if k != "filler"} == before
    assert not layout.staging.exists()


def test_read_only_project(
    tmpfs: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmpfs("size=8m")
    layout = _project(target)
    subprocess.run(["mount", "-o", "remount,ro", str(target)], check=True)
    monkeypatch.chdir(layout.root)
    assert main(["build", "-q"]) == 1
    err = capsys.readouterr().err
    assert "(EROFS); the file system is read-only: run in a writable copy" in err and "Traceback" not in err
    assert main(["validate", "-q"]) == 0, capsys.readouterr().err  # reading still works


def test_read_only_reports(
    tmpfs: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from builder import write_project

    layout = write_project(tmpfs("size=8m") / "project")
    layout.notebooks.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "notebooks" / "other.ipynb", layout.notebooks / "other.ipynb")
    plan = '[[report]]\nname = "other"\ntitle = "Other"\nnotebook = "other.ipynb"\nreads_data = false\n'
    (layout.notebooks / "plan.toml").write_text(plan, encoding="utf-8")
    layout.reports.mkdir()
    reports = tmpfs("size=1m,mode=755")
    shutil.rmtree(layout.reports)
    layout.reports.symlink_to(reports)
    subprocess.run(["mount", "-o", "remount,ro", str(reports)], check=True)
    monkeypatch.chdir(layout.root)
    assert main(["reports", "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "(EROFS); the file system is read-only" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("code", "fix"),
    [
        (errno.ENOSPC, "the disk is full: free some space"),
        (errno.EACCES, "permission denied: give your user write access"),
        (errno.EROFS, "the file system is read-only"),
    ],
)
def test_errors_of_the_operating_system_become_one_message(
    project_copy: Layout,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    fix: str,
) -> None:
    build(project_copy)
    before = _files(project_copy)
    real_open = Path.open

    def failing_open(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "w" in mode and ".staging" in self.parts:
            raise OSError(code, "simulated", str(self))
        return real_open(self, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", failing_open)
    monkeypatch.chdir(project_copy.root)
    assert main(["build", "-q", "--force"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("corpus build: error: writing the new package into .staging/") and fix in err, err
    assert "Traceback" not in err and ".staging/" in err
    assert _files(project_copy) == before
