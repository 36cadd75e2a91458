"""The analysis tests' package (tests/builder.py's ANALYSIS_DOCS), loaded once per module."""

from __future__ import annotations

import pytest
from builder import write_project

from corpus.analysis.data import Tables, load_tables
from corpus.analysis.select import Selection, select


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    return load_tables(write_project(tmp_path_factory.mktemp("fixture") / "project"))


@pytest.fixture(scope="module")
def selection(tables: Tables) -> Selection:
    return select(tables, groups_by="perspective")
