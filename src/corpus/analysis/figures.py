"""Figures, tables and prose for the notebooks: readable in print, safe with untrusted text.

* Colours: the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies)
  for categories and ``cividis`` for heatmaps; bars also carry hatching-free value labels.
* Font: DejaVu Sans (ships with matplotlib), which covers Latin and Cyrillic.
* Figures are built on :class:`matplotlib.figure.Figure` without pyplot, so nothing is shown
  twice, and rendered to PNG bytes without a ``Software`` stamp: same data, same bytes.
* Seed text is untrusted: :func:`table` escapes HTML (``DataFrame.to_html(escape=True)``) and
  :func:`md` escapes every value it inserts into Markdown.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Final

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from IPython.display import HTML, Image, Markdown
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from corpus.analysis.prose import md_text
from corpus.fileio import write_atomic

#: Okabe & Ito (2008) colour-blind-safe palette, ordered so the first series print well
#: (dark blue, orange, green, purple); the pale yellow comes late.
OKABE_ITO: Final[tuple[str, ...]] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)  # fmt: skip

#: Sequential colour map for heatmaps: perceptually uniform and colour-blind safe.
HEATMAP_CMAP: Final[str] = "cividis"

STYLE: Final[dict[RcKeyType, Any]] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "svg.hashsalt": "corpus",
}

#: PNG metadata: no software version or timestamp, so output is byte-identical across runs.
PNG_METADATA: Final[dict[str, str | None]] = {"Software": None}


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _label(ax: Axes, *, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def bar_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    hue: str | None = None,
    title: str,
    xlabel: str,
    ylabel: str,
    empty_message: str = "No data for this selection",
) -> Figure:
    """Horizontal bars of ``value`` per ``category`` (grouped by ``hue`` when given).

    Args:
        frame: One row per bar.
        category: Column with the bar labels (y axis).
        value: Numeric column (x axis).
        hue: Optional column splitting bars into coloured series, with a legend.
        title: Figure title.
        xlabel: Label of the value axis.
        ylabel: Label of the category axis.
        empty_message: Shown instead of bars when ``frame`` is empty.

    Returns:
        The figure (render with :func:`show` or :func:`png`).
    """
    with mpl.rc_context(STYLE):
        categories = list(dict.fromkeys(frame[category].astype(str))) if not frame.empty else []
        series = list(dict.fromkeys(frame[hue].astype(str))) if hue and not frame.empty else [""]
        height = max(2.5, 0.35 * len(categories) * max(1, len(series)) + 1.2)
        fig, ax = _figure(7.5, min(height, 12))
        _label(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        if frame.empty:
            _empty(ax, empty_message)
            return fig
        band = 0.8 / len(series)
        for i, name in enumerate(series):
            part = frame if not hue else frame[frame[hue].astype(str) == name]
            values = dict(zip(part[category].astype(str), part[value], strict=False))
            ys = [k + i * band - 0.4 + band / 2 for k in range(len(categories))]
            xs = [float(values.get(c, 0.0)) for c in categories]
            ax.barh(ys, xs, height=band, label=name or None, color=OKABE_ITO[i % len(OKABE_ITO)])
        ax.set_yticks(range(len(categories)), categories)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        if hue:
            ax.legend(title=hue, loc="best", frameon=False)
        return fig


def stacked_bars(
    frame: pd.DataFrame,
    *,
    index: str,
    series: str,
    value: str,
    title: str,
    xlabel: str,
    ylabel: str,
    empty_message: str = "No data for this selection",
) -> Figure:
    """Vertical stacked bars: one bar per ``index`` value, stacked by ``series``."""
    with mpl.rc_context(STYLE):
        fig, ax = _figure(7.5, 3.8)
        _label(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        if frame.empty:
            _empty(ax, empty_message)
            return fig
        table = frame.pivot_table(index=index, columns=series, values=value, aggfunc="sum")
        table = table.fillna(0).sort_index()
        bottom = [0.0] * len(table)
        positions = range(len(table))
        for i, name in enumerate(table.columns):
            heights = [float(v) for v in table[name]]
            ax.bar(positions, heights, bottom=bottom, label=str(name), color=OKABE_ITO[i % 8])
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_xticks(list(positions), [str(i) for i in table.index], rotation=45, ha="right")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x", visible=False)
        ax.legend(title=series, frameon=False)
        return fig


def heatmap(
    frame: pd.DataFrame,
    *,
    rows: str,
    columns: str,
    value: str,
    title: str,
    xlabel: str,
    ylabel: str,
    colorbar_label: str,
    empty_message: str = "No data for this selection",
) -> Figure:
    """A heatmap of ``value`` with ``rows`` × ``columns``, each cell annotated with its value.

    Row and column order follow first appearance in ``frame``.
    """
    with mpl.rc_context(STYLE):
        row_names = list(dict.fromkeys(frame[rows].astype(str))) if not frame.empty else []
        col_names = list(dict.fromkeys(frame[columns].astype(str))) if not frame.empty else []
        fig, ax = _figure(max(5.0, 1.3 * len(col_names) + 3.5), max(2.5, 0.32 * len(row_names) + 1.5))
        _label(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        if frame.empty:
            _empty(ax, empty_message)
            return fig
        grid = frame.pivot_table(index=rows, columns=columns, values=value, aggfunc="sum")
        grid = grid.reindex(index=row_names, columns=col_names).fillna(0.0)
        values = np.asarray(grid.to_numpy(dtype=float))
        image = ax.imshow(values, cmap=HEATMAP_CMAP, aspect="auto")
        ax.set_xticks(range(len(col_names)), col_names, rotation=30, ha="right")
        ax.set_yticks(range(len(row_names)), row_names)
        ax.grid(visible=False)
        top = float(values.max()) or 1.0
        for r in range(len(row_names)):
            for c in range(len(col_names)):
                cell = float(values[r, c])
                ax.text(
                    c, r, f"{cell:.1f}", ha="center", va="center", fontsize=8,
                    color="black" if cell > 0.6 * top else "white",
                )  # fmt: skip
        fig.colorbar(image, ax=ax, label=colorbar_label)
        return fig


def png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes, deterministically (no software stamp, fixed dpi)."""
    buffer = io.BytesIO()
    with mpl.rc_context(STYLE):
        fig.savefig(buffer, format="png", metadata=PNG_METADATA)
    return buffer.getvalue()


def show(fig: Figure) -> Image:
    """The figure as an IPython image (the last expression of a notebook cell displays it)."""
    return Image(data=png(fig), format="png")  # type: ignore[no-untyped-call]


def save(fig: Figure, path: Path) -> None:
    """Write a figure as PNG atomically: a failed write leaves any previous file untouched."""
    write_atomic(path, png(fig))


def table_html(frame: pd.DataFrame, *, max_rows: int = 50, digits: int = 2) -> str:
    """An HTML table of ``frame`` with every cell escaped (seed text is never markup)."""
    if frame.empty:
        return "<p><em>No rows for this selection.</em></p>"
    shown = frame.head(max_rows)
    note = ""
    if len(frame) > max_rows:
        note = f"<p><em>First {max_rows} of {len(frame)} rows.</em></p>"
    body = shown.to_html(index=False, escape=True, float_format=lambda v: f"{v:.{digits}f}", border=0)
    return body + note


def table(frame: pd.DataFrame, *, max_rows: int = 50, digits: int = 2) -> HTML:
    """:func:`table_html` as an IPython display object."""
    return HTML(table_html(frame, max_rows=max_rows, digits=digits))  # type: ignore[no-untyped-call]


def md(template: str, **values: object) -> Markdown:
    """:func:`~corpus.analysis.prose.md_text` as an IPython Markdown object, for prose that cites computed numbers."""
    return Markdown(md_text(template, values))  # type: ignore[no-untyped-call]


#: The rows of a specification curve's lower panel: (label, column, value) per choice.
_CHOICE_ROWS: Final[dict[str, list[tuple[str, str, object]]]] = {
    "denominator": [("content tokens", "denominator", "content"), ("all word tokens", "denominator", "all")],
    "strictness": [("strict codebook", "strictness", "strict"), ("lenient codebook", "strictness", "lenient")],
    "form": [("lemmas", "form", "lemma"), ("word forms", "form", "lower")],
    "score": [("markers blanked", "score", "compound_unmarked"), ("markers kept", "score", "compound")],
    "confidence": [("high + medium", "confidence", "medium"), ("high only", "confidence", "high")],
    "support": [(f"≥{a} art./{o} occ.", "min_articles", a) for a, o in ((2, 3), (3, 5), (5, 10))],
}


def specification_curve(curve: pd.DataFrame, *, axes: tuple[str, ...], title: str, ylabel: str) -> Figure:
    """A specification curve: the effect under every specification with support, sorted, with its interval.

    Upper panel: the effect (dot) and its 95 % interval (bar); blue where the finding holds,
    orange where it does not; the report's own specification ringed in black. Lower panel: which
    choices each specification makes. Specifications without enough support are left out (the
    title says how many).
    """
    supported = curve[curve["supported"] & curve["effect"].notna()].sort_values("effect", kind="stable")
    fig = Figure(figsize=(8, 5.2), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    if supported.empty:
        _empty(top, "No specification has enough support")
        _empty(bottom, "")
        top.set_title(title)
        return fig
    x = np.arange(len(supported))
    colours = [OKABE_ITO[0] if h else OKABE_ITO[1] for h in supported["holds"]]
    low, high = supported["low"].to_numpy(dtype=float), supported["high"].to_numpy(dtype=float)
    effect = supported["effect"].to_numpy(dtype=float)
    has_ci = ~np.isnan(low)
    top.vlines(x[has_ci], low[has_ci], high[has_ci], colors=[c for c, h in zip(colours, has_ci, strict=True) if h])
    top.scatter(
        x,
        effect,
        c=colours,
        zorder=3,
        edgecolors=["black" if p else c for p, c in zip(supported["primary"], colours, strict=True)],
        s=36,
    )
    top.axhline(0, color="#888888", linewidth=0.8)
    left_out = len(curve) - len(supported)
    top.set_title(f"{title}\n({len(supported)} specifications with support; {left_out} without)")
    top.set_ylabel(ylabel)
    rows = [r for axis in axes for r in _CHOICE_ROWS.get(axis, [])]
    rows += [("without one article", "leave_out", "article"), ("without one outlet", "leave_out", "outlet")]
    for y, (_, column, value) in enumerate(rows):
        if column == "leave_out":
            marks = supported[column].astype(str).str.startswith(f"{value}:")
        else:
            marks = supported[column] == value
        bottom.scatter(x[marks.to_numpy()], [y] * int(marks.sum()), color="#333333", s=14)
    bottom.set_yticks(range(len(rows)), [r[0] for r in rows])
    bottom.set_ylim(-0.5, len(rows) - 0.5)
    bottom.invert_yaxis()
    bottom.set_xlabel("Specifications, sorted by effect")
    bottom.set_xticks([])
    return fig
