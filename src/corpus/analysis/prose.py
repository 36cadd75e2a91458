"""Prose and tables for notebooks: escaping untrusted text, and the rows that prose cites."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import pandas as pd

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def md_escape(text: str) -> str:
    """Escape untrusted text for Markdown: HTML-escaped, Markdown punctuation backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def md_text(template: str, values: Mapping[str, object]) -> str:
    """Fill a trusted Markdown template with computed values, escaping every string value.

    Numbers keep their type so format specs work (``{share:.0%}``, ``{n:,}``).
    """
    safe = {k: md_escape(v) if isinstance(v, str) else v for k, v in values.items()}
    return template.format_map(safe)


def top_per_group(frame: pd.DataFrame, *, value: str, n: int = 1) -> pd.DataFrame:
    """The ``n`` rows with the highest ``value`` in each ``group`` (ties: first in order).

    Notebooks loop over the result to write prose, so an empty frame simply writes nothing.
    """
    if frame.empty:
        return frame.copy()
    ordered = frame.sort_values(["group", value], ascending=[True, False], kind="stable")
    return ordered.groupby("group", sort=True).head(n).reset_index(drop=True)
