"""Figures and rendered text: deterministic PNGs, Cyrillic glyphs, escaping of seed text."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from corpus.analysis import figures

FRAME = pd.DataFrame(
    {"label": ["Санкции", "Arctic", "Санкции"], "group": ["lenta-ua", "sputnik", "sputnik"], "v": [3.0, 1.5, 0.5]}
)


def test_png_is_deterministic_and_unstamped() -> None:
    first = figures.png(
        figures.bar_chart(FRAME, category="label", value="v", hue="group", title="T", xlabel="x", ylabel="y")
    )
    second = figures.png(
        figures.bar_chart(FRAME, category="label", value="v", hue="group", title="T", xlabel="x", ylabel="y")
    )
    assert first == second and first.startswith(b"\x89PNG")
    assert b"Software" not in first and b"matplotlib" not in first


def test_cyrillic_renders_without_missing_glyphs() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        figures.png(
            figures.heatmap(
                FRAME, rows="label", columns="group", value="v", title="Упоминания на 1 000 слов",
                xlabel="Издание", ylabel="Концепт", colorbar_label="на 1 000",
            )
        )  # fmt: skip


def test_figures_carry_title_and_axis_labels() -> None:
    fig = figures.stacked_bars(
        FRAME, index="label", series="group", value="v", title="Coverage", xlabel="Month", ylabel="Articles"
    )
    ax = fig.axes[0]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Coverage", "Month", "Articles")


@pytest.mark.parametrize("draw", ["bar", "stacked", "heatmap"])
def test_empty_data_gives_a_labelled_message(draw: str) -> None:
    empty = FRAME.iloc[0:0]
    if draw == "bar":
        fig = figures.bar_chart(empty, category="label", value="v", title="T", xlabel="x", ylabel="y")
    elif draw == "stacked":
        fig = figures.stacked_bars(empty, index="label", series="group", value="v", title="T", xlabel="x", ylabel="y")
    else:
        fig = figures.heatmap(
            empty, rows="label", columns="group", value="v", title="T", xlabel="x", ylabel="y", colorbar_label="c"
        )
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["No data for this selection"] and fig.axes[0].get_title() == "T"


def test_table_escapes_markup() -> None:
    html = figures.table_html(pd.DataFrame({"text": ['<script>alert("x")</script><b>bold</b>']}))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert figures.table_html(pd.DataFrame({"a": []})) == "<p><em>No rows for this selection.</em></p>"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"),
        ("**bold** [link](http://x)", "\\*\\*bold\\*\\* \\[link\\]\\(http://x\\)"),
        ("russian-state-media", "russian\\-state\\-media"),
    ],
)
def test_markdown_values_are_escaped(value: str, escaped: str) -> None:
    assert figures.md_text("{v} / {n:,}", {"v": value, "n": 1299}) == f"{escaped} / 1,299"


def test_save_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "fig.png"
    figures.save(figures.bar_chart(FRAME, category="label", value="v", title="T", xlabel="x", ylabel="y"), target)
    assert target.read_bytes().startswith(b"\x89PNG") and [p.name for p in tmp_path.iterdir()] == ["fig.png"]
