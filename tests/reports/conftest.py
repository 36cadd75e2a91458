"""A small report project: the builder's data package, the fixture notebooks and a plan."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from builder import ANALYSIS_DOCS, write_project

from corpus.paths import Layout
from corpus.reports import cache

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"

PLAN = """\
[[report]]
name = "counts-en"
title = "Counts (English)"
notebook = "counts.ipynb"
parameters = { language = "en" }

[[report]]
name = "counts-ru"
title = "Counts <Russian>"
notebook = "counts.ipynb"
parameters = { language = "ru", top_n = 1 }

[[report]]
name = "other"
title = "Other"
notebook = "other.ipynb"
reads_data = false
"""

#: A headline with markup: the reports must show it as text.
MARKUP_TITLE = 'Talks <script>alert("x")</script> & more'
REPORT_DOCS = (dataclasses.replace(ANALYSIS_DOCS[0], title=MARKUP_TITLE), *ANALYSIS_DOCS[1:])


@pytest.fixture
def plan_text() -> str:
    """The fixture project's ``notebooks/plan.toml``."""
    return PLAN


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Layout:
    """A report project, with the ``corpus`` source the cache hashes pinned to a copy."""
    layout = write_project(tmp_path / "project", REPORT_DOCS)
    layout.notebooks.mkdir()
    for nb in FIXTURES.glob("*.ipynb"):
        shutil.copy(nb, layout.notebooks / nb.name)
    (layout.notebooks / "plan.toml").write_text(PLAN, encoding="utf-8")
    (layout.root / "uv.lock").write_text("version = 1\n", encoding="utf-8")
    # Pin the package source the cache key covers: edits elsewhere must not change it mid-test.
    snapshot = tmp_path / "corpus-source"
    shutil.copytree(cache.PACKAGE_DIR, snapshot, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", snapshot)
    return layout
