"""Shared fixtures: the real project, and disposable copies of it for tests that break things."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.paths import Layout

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Layout:
    """The real project (read-only in tests)."""
    return Layout(ROOT)


@pytest.fixture
def project_copy(tmp_path: Path) -> Layout:
    """A copy of the project's inputs (catalog/, seeds/, the gold the build scores the codebook on) and its
    built package, safe to break."""
    return copy_project(tmp_path / "project")


def copy_project(root: Path) -> Layout:
    """Copy the project's inputs (with benchmarks/, whose gold the build scores) and its built package into ``root``."""
    root.mkdir()
    for name in ("catalog", "seeds", "data", "benchmarks"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, root / name)
    for name in ("datapackage.json", "pyproject.toml", "uv.lock", "benchmarks/extraction/scores.csv"):
        if (ROOT / name).exists():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    return Layout(root)


def processes_with(marker: str) -> list[int]:
    """Ids of the live processes whose environment holds ``marker`` (``NAME=value``; Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue  # gone meanwhile, or not ours
    return found
