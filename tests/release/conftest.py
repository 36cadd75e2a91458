"""A project ready to release, written by the test package builder."""

from __future__ import annotations

from pathlib import Path

import pytest
from builder import write_release_project

from corpus.paths import Layout


@pytest.fixture
def tiny(tmp_path: Path) -> Layout:
    """A complete tiny project: catalog, pyproject, docs, licences, two seeds, tables, descriptor."""
    return write_release_project(tmp_path / "proj")
