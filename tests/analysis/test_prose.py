"""Prose and tables for notebooks: untrusted text stays text, rows prose cites."""

from __future__ import annotations

import pandas as pd
from builder import SCRIPT

from corpus.analysis.figures import table_html
from corpus.analysis.kwic import kwic
from corpus.analysis.prose import md_text, top_per_group
from corpus.analysis.select import Selection


def test_markup_in_seed_text_stays_text(selection: Selection) -> None:
    lines = kwic(selection, concept="sanctions")
    assert SCRIPT in "".join(lines["left"])  # the analysis returns the text as it is ...
    rendered = table_html(lines)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered  # ... and rendering escapes it
    prose = md_text("Matched: {m}", {"m": SCRIPT})
    assert "<script>" not in prose and "&lt;script&gt;" in prose


def test_top_per_group() -> None:
    frame = pd.DataFrame({"group": ["a", "a", "b"], "label": ["x", "y", "z"], "v": [1, 3, 2]})
    assert top_per_group(frame, value="v")["label"].tolist() == ["y", "z"]
    assert top_per_group(frame.iloc[0:0], value="v").empty
