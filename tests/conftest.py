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
    root = tmp_path / "project"
    root.mkdir()
    for name in ("catalog", "seeds", "data", "benchmarks"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, root / name)
    for name in ("datapackage.json", "pyproject.toml", "uv.lock", "benchmarks/extraction/scores.csv"):
        if (ROOT / name).exists():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    return Layout(root)
