"""Which text an analysis looks at: documents by outlet, language and date, paragraphs by group.

:func:`select` keeps a document when its date (of any precision) overlaps the date range and
its outlet is wanted, keeps a paragraph when its own language is selected (so Ukrainian
fragments of a Russian article count as Ukrainian), and assigns each paragraph to a comparison
group (outlet, perspective or language). Every analysis takes the resulting :class:`Selection`;
an empty selection is not an error, it says so (:meth:`Selection.notice`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal, get_args

import pandas as pd

from corpus.analysis.data import Tables
from corpus.analysis.prose import md_escape
from corpus.errors import DateError, EmptySelectionError, ParameterError
from corpus.ingest.dates import date_interval
from corpus.ingest.languages import LANGUAGES, Language, check_language, is_supported

GroupBy = Literal["outlet", "perspective", "language"]
GROUP_BYS: Final[tuple[GroupBy, ...]] = get_args(GroupBy)

#: Group value of documents whose outlet is not identified.
UNKNOWN_OUTLET: Final[str] = "(unknown)"


def bound_interval(name: str, value: str) -> tuple[date, date]:
    """The days a date bound (``date_from``, ``date_to``) covers.

    Raises:
        ParameterError: Naming ``name`` if ``value`` is not an ISO date of reduced precision.
    """
    try:
        return date_interval(value)
    except DateError as exc:
        raise ParameterError(f"{name}: {exc}") from exc


@dataclass(frozen=True)
class Selection:
    """Documents and paragraphs chosen for an analysis, each with its comparison ``group``."""

    tables: Tables
    groups_by: GroupBy
    languages: tuple[Language, ...]
    date_from: str | None
    date_to: str | None
    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    mentions: pd.DataFrame
    excluded_undated: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        """Whether no paragraph was selected."""
        return self.paragraphs.empty

    @property
    def groups(self) -> list[str]:
        """The group values present, sorted."""
        return sorted(set(self.paragraphs["group"]))

    def describe(self) -> str:
        """A plain-text sentence saying what was selected (for Markdown, escape it)."""
        period = f"{self.date_from or 'the earliest date'} to {self.date_to or 'the latest date'}"
        text = (
            f"{len(self.documents)} document(s) and {len(self.paragraphs)} paragraph(s) in "
            f"{', '.join(self.languages)} from {period}, grouped by {self.groups_by}"
        )
        if self.excluded_undated:
            text += f"; {self.excluded_undated} document(s) without a date were left out"
        return text + "."

    def notice(self) -> str:
        """Markdown explaining an empty selection, or describing a non-empty one."""
        if self.empty:
            return (
                "**Nothing to analyse:** the parameters select no text "
                f"({md_escape(self.describe())}) Widen the date range or add languages; "
                "the tables below are empty and figures say so."
            )
        return md_escape(self.describe())

    def require(self) -> Selection:
        """Return ``self``, or raise :class:`EmptySelectionError` for scripts that need text."""
        if self.empty:
            raise EmptySelectionError(f"no text selected: {self.describe()}")
        return self


def _group_values(documents: pd.DataFrame, paragraphs: pd.DataFrame, by: GroupBy) -> pd.Series:
    if by == "language":
        return paragraphs["language"].astype(str)
    per_doc = documents.set_index("doc_id")
    if by == "outlet":
        outlet = per_doc["outlet_id"].where(per_doc["outlet_id"] != "", UNKNOWN_OUTLET)
        return paragraphs["doc_id"].map(outlet).astype(str)
    return paragraphs["doc_id"].map(per_doc["perspective"]).astype(str)


def _documents(
    documents: pd.DataFrame, outlets: Iterable[str] | None, date_from: str | None, date_to: str | None
) -> tuple[pd.DataFrame, int]:
    """The documents of the wanted outlets whose dates overlap the range, and how many were undated."""
    lower = bound_interval("date_from", date_from)[0] if date_from else None
    upper = bound_interval("date_to", date_to)[1] if date_to else None
    if outlets is not None:
        wanted = set(outlets)
        outlet_ids = documents["outlet_id"].where(documents["outlet_id"] != "", UNKNOWN_OUTLET)
        documents = documents[outlet_ids.isin(wanted)]
    undated = 0
    if lower is not None or upper is not None:
        intervals = documents["date"].map(lambda value: date_interval(value) if value else None)
        undated = int(intervals.isna().sum())
        keep = intervals.map(
            lambda iv: iv is not None and (lower is None or iv[1] >= lower) and (upper is None or iv[0] <= upper)
        ).astype(bool)
        documents = documents[keep]
    return documents, undated


def select(
    tables: Tables,
    *,
    groups_by: GroupBy = "perspective",
    languages: Iterable[str] = LANGUAGES,
    date_from: str | None = None,
    date_to: str | None = None,
    outlets: Iterable[str] | None = None,
) -> Selection:
    """Select paragraphs by language and their documents by date, and assign groups.

    A document is kept when its (possibly month- or year-precision) date interval overlaps
    ``[date_from, date_to]``; documents without a date are left out whenever a bound is given
    (their number is reported). Articles in a language the analyses do not support are left out.
    Paragraphs are kept when their own language is selected, so Ukrainian fragments of a Russian
    article count as Ukrainian.

    Args:
        tables: From :func:`load_tables`.
        groups_by: Compare by ``outlet`` (id, ``(unknown)`` if unidentified), ``perspective``
            or paragraph ``language``.
        languages: Language codes to keep.
        date_from: Inclusive ISO lower bound, or None.
        date_to: Inclusive ISO upper bound, or None.
        outlets: Outlet ids to keep (``(unknown)`` for unidentified outlets); None keeps all.

    Returns:
        The :class:`Selection` (possibly empty; check ``.empty`` or show ``.notice()``).
    """
    langs = tuple(check_language(lang) for lang in languages)
    documents, undated = _documents(tables.documents, outlets, date_from, date_to)
    # An article in a language the analyses do not support (a French page) never enters them, even
    # when a quotation in it is detected as English.
    documents = documents[documents["language"].isin(LANGUAGES)]
    paragraphs = tables.paragraphs[
        tables.paragraphs["doc_id"].isin(documents["doc_id"]) & tables.paragraphs["language"].isin(langs)
    ].copy()
    documents = documents[documents["doc_id"].isin(paragraphs["doc_id"])].copy()
    paragraphs["group"] = _group_values(documents, paragraphs, groups_by)
    keys = paragraphs[["doc_id", "paragraph", "group"]]
    mentions = tables.mentions.merge(keys, on=["doc_id", "paragraph"], how="inner")
    return Selection(
        tables=tables,
        groups_by=groups_by,
        languages=langs,
        date_from=date_from,
        date_to=date_to,
        documents=documents.reset_index(drop=True),
        paragraphs=paragraphs.reset_index(drop=True),
        mentions=mentions.reset_index(drop=True),
        excluded_undated=undated,
    )


def group_values(tables: Tables, groups_by: GroupBy) -> list[str]:
    """The values a comparison group can take for ``groups_by`` in the whole corpus."""
    if groups_by == "language":
        return sorted(lang for lang in set(tables.paragraphs["language"]) if is_supported(lang))
    if groups_by == "outlet":
        ids = set(tables.documents["outlet_id"])
        return sorted({i for i in ids if i} | ({UNKNOWN_OUTLET} if "" in ids else set()))
    return sorted(set(tables.documents["perspective"]))
