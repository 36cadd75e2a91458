"""What the selection holds: documents by a column, lengths, group sizes, date provenance, timeline."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from corpus.analysis.select import Selection
from corpus.errors import ParameterError
from corpus.text import nlp


def documents_by(selection: Selection, column: str) -> pd.DataFrame:
    """Number of selected documents per value of a documents column (e.g. ``outlet_id``).

    Returns:
        Columns ``value``, ``documents``, ``share`` (fraction of selected documents).
    """
    if column not in selection.tables.documents.columns:
        allowed = sorted(selection.tables.documents.columns)
        raise ParameterError(f"column {column!r} is not a documents column: use one of {allowed}")
    counts = selection.documents[column].replace("", "(empty)").value_counts()
    frame = pd.DataFrame({"value": counts.index.astype(str), "documents": counts.to_numpy()})
    frame = frame.sort_values(["documents", "value"], ascending=[False, True], ignore_index=True)
    total = int(frame["documents"].sum())
    frame["share"] = frame["documents"] / total if total else 0.0
    return frame


def document_lengths(selection: Selection) -> pd.DataFrame:
    """Length of each selected document in the selected languages.

    Returns:
        Columns ``doc_id``, ``group``, ``title``, ``paragraphs``, ``tokens`` (word tokens).
    """
    paragraphs = selection.paragraphs.assign(tokens=selection.paragraphs["text"].map(nlp.word_count).astype("int64"))
    per_doc = paragraphs.groupby(["doc_id", "group"], as_index=False).agg(
        paragraphs=("paragraph", "count"), tokens=("tokens", "sum")
    )
    titles = selection.documents.set_index("doc_id")["title"]
    per_doc.insert(2, "title", per_doc["doc_id"].map(titles).astype(str))
    return per_doc.sort_values("doc_id", ignore_index=True)


def group_sizes(selection: Selection) -> pd.DataFrame:
    """Documents, paragraphs and word tokens per group (the denominators of every rate).

    Returns:
        Columns ``group``, ``documents``, ``paragraphs``, ``tokens``.
    """
    paragraphs = selection.paragraphs.assign(tokens=selection.paragraphs["text"].map(nlp.word_count).astype("int64"))
    sizes = paragraphs.groupby("group", as_index=False).agg(
        documents=("doc_id", "nunique"), paragraphs=("paragraph", "count"), tokens=("tokens", "sum")
    )
    if sizes.empty:
        return pd.DataFrame({"group": pd.Series(dtype=str), "documents": [], "paragraphs": [], "tokens": []}).astype(
            {"documents": "int64", "paragraphs": "int64", "tokens": "int64"}
        )
    return sizes.sort_values("group", ignore_index=True)


def date_provenance(selection: Selection) -> pd.DataFrame:
    """How precise the dates are and where they come from, as a count table.

    Returns:
        Columns ``date_precision``, ``date_source``, ``documents``.
    """
    docs = selection.documents
    counts = docs.groupby(["date_precision", "date_source"], as_index=False).size()
    counts = counts.rename(columns={"size": "documents"})
    if counts.empty:
        counts = pd.DataFrame(columns=["date_precision", "date_source", "documents"])
    return counts.sort_values(["date_precision", "date_source"], ignore_index=True)


def timeline(selection: Selection, *, period: Literal["year", "month"] = "month") -> pd.DataFrame:
    """Documents per period and group; documents dated more coarsely than ``period`` are
    counted under ``coarser``, undated ones under ``undated`` (never guessed into a month).

    Returns:
        Columns ``period``, ``group``, ``documents``, sorted by period.
    """
    rows: list[tuple[str, str]] = []
    width = 7 if period == "month" else 4
    groups = selection.paragraphs.drop_duplicates("doc_id").set_index("doc_id")["group"]
    for doc in selection.documents.itertuples(index=False):
        value = str(doc.date)
        label = value[:width] if len(value) >= width else ("coarser" if value else "undated")
        rows.append((label, str(groups.get(str(doc.doc_id), ""))))
    frame = pd.DataFrame(rows, columns=["period", "group"])
    counts = frame.groupby(["period", "group"], as_index=False).size()
    counts = counts.rename(columns={"size": "documents"})
    if counts.empty:
        return pd.DataFrame(columns=["period", "group", "documents"])
    return counts.sort_values(["period", "group"], ignore_index=True)


def language_resources() -> pd.DataFrame:
    """The language resources in use, with installed version and licence (see :func:`corpus.text.nlp.resources`)."""
    return pd.DataFrame(nlp.resources())
