"""Corpus analyses as pure functions from the data package's tables to DataFrames.

The edge is :func:`load_tables` (reads ``datapackage.json``'s resources); :func:`select` filters
documents by language and date and assigns each paragraph to a comparison group. Every other
function takes a :class:`Selection` and returns a DataFrame whose columns do not depend on the
data: an empty selection yields empty frames with the same columns, so notebooks never need
``try``/``except`` (see :func:`Selection.notice`).

Statistics report their own inputs: keyness rows carry both corpus sizes, rates carry the
token counts they divide by, collocations carry their frequency and measure.
"""

from __future__ import annotations

import calendar
import html
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final, Literal, get_args

import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

from corpus.errors import EmptySelectionError, PackageError, ParameterError
from corpus.fileio import read_descriptor
from corpus.ingest.languages import LANGUAGES, Language, check_language
from corpus.paths import Layout, safe_join
from corpus.text import nlp
from corpus.text.codebook import Codebook, Group, codebook_rows, find_mentions, load_codebook

GroupBy = Literal["outlet", "perspective", "language"]
GROUP_BYS: Final[tuple[GroupBy, ...]] = get_args(GroupBy)
Form = Literal["lemma", "lower"]
Measure = Literal["likelihood_ratio", "pmi"]

#: Group value of documents whose outlet is not identified.
UNKNOWN_OUTLET: Final[str] = "(unknown)"

#: Integer columns per table; everything else stays a string (empty string = unknown).
INT_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "documents": ("article", "start", "end", "n_paragraphs", "token_count"),
    "paragraphs": ("paragraph", "start", "end"),
    "outlets": (),
    "mentions": ("paragraph", "start", "end", "para_start", "para_end"),
    "codebook": (),
}

#: The resources :func:`load_tables` reads: what every report reading data depends on.
RESOURCES: Final[tuple[str, ...]] = ("documents", "paragraphs", "outlets", "mentions", "codebook")

#: Critical values of chi-square with 1 degree of freedom, for reading log-likelihood scores.
LL_CRITICAL: Final[dict[str, float]] = {"p<0.05": 3.84, "p<0.01": 6.63, "p<0.001": 10.83}


@dataclass(frozen=True)
class Tables:
    """The data package's tables as string-typed DataFrames (plus integer columns)."""

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    outlets: pd.DataFrame
    mentions: pd.DataFrame
    codebook_table: pd.DataFrame
    codebook: Codebook


def _read_csv(path: Path, name: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in INT_COLUMNS.get(name, ()):
        if column not in frame.columns:
            raise PackageError(f"{path.name}: column {column!r} is missing: rebuild the package")
        frame[column] = frame[column].astype("int64")
    return frame


def _resource_paths(layout: Layout) -> dict[str, Path]:
    descriptor = read_descriptor(layout.descriptor)
    paths: dict[str, Path] = {}
    for resource in descriptor.get("resources", []):
        name, path = resource.get("name"), resource.get("path")
        if isinstance(name, str) and isinstance(path, str):
            paths[name] = safe_join(layout.root, path)
    return paths


def mentions_frame(paragraphs: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """All codebook mentions in ``paragraphs`` (the same rows the build publishes)."""
    rows = [
        row
        for p in paragraphs.itertuples(index=False)
        for row in find_mentions(
            codebook,
            doc_id=str(p.doc_id),
            paragraph=int(str(p.paragraph)),
            text=str(p.text),
            language=str(p.language),
            offset=int(str(p.start)),
        )
    ]
    columns = ["doc_id", "paragraph", "concept_id", "language", "start", "end"]
    columns += ["para_start", "para_end", "text"]
    return pd.DataFrame(rows, columns=columns)


def load_tables(layout: Layout) -> Tables:
    """Read the data package's tables named in ``datapackage.json``.

    The codebook is validated from ``catalog/codebook.toml``. If the package does not (yet)
    publish ``mentions`` or ``codebook``, they are derived here from the same codebook with the
    same functions the build uses.

    Args:
        layout: The project layout (``corpus.paths.project()``).

    Returns:
        The tables, strings kept as strings (``keep_default_na=False``).

    Raises:
        PackageError: If the descriptor or a required resource (documents, paragraphs,
            outlets) is missing.
    """
    paths = _resource_paths(layout)
    frames: dict[str, pd.DataFrame] = {}
    for name in ("documents", "paragraphs", "outlets"):
        if name not in paths:
            raise PackageError(f"datapackage.json has no resource {name!r}: rebuild the package")
        frames[name] = _read_csv(paths[name], name)
    codebook = load_codebook(layout.catalog / "codebook.toml")
    if "mentions" in paths:
        mentions = _read_csv(paths["mentions"], "mentions")
    else:
        mentions = mentions_frame(frames["paragraphs"], codebook)
    if "codebook" in paths:
        codebook_table = _read_csv(paths["codebook"], "codebook")
    else:
        codebook_table = pd.DataFrame(codebook_rows(codebook))
    return Tables(
        documents=frames["documents"],
        paragraphs=frames["paragraphs"],
        outlets=frames["outlets"],
        mentions=mentions,
        codebook_table=codebook_table,
        codebook=codebook,
    )


# ------------------------------------------------------------------ selection


def date_interval(value: str) -> tuple[date, date] | None:
    """The calendar interval a reduced-precision ISO date covers (None if unknown).

    ``2025-08-23`` covers one day, ``2025-08`` the whole month, ``2025`` the whole year.

    Raises:
        ParameterError: If ``value`` is not empty and not an ISO date of those forms.
    """
    if not value:
        return None
    parts = value.split("-")
    try:
        if len(parts) == 1:
            year = int(parts[0])
            return date(year, 1, 1), date(year, 12, 31)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if len(parts) == 3:
            day = date.fromisoformat(value)
            return day, day
    except ValueError:
        pass
    raise ParameterError(f"date {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")


def required_interval(name: str, value: str) -> tuple[date, date]:
    """Like :func:`date_interval` for a bound that must be a date.

    Raises:
        ParameterError: Naming ``name`` if ``value`` is empty or not an ISO date.
    """
    interval = date_interval(value)
    if interval is None:
        raise ParameterError(f"{name} is empty: give an ISO date or None")
    return interval


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


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def md_escape(text: str) -> str:
    """Escape untrusted text for Markdown: HTML-escaped, Markdown punctuation backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _group_values(documents: pd.DataFrame, paragraphs: pd.DataFrame, by: GroupBy) -> pd.Series:
    if by == "language":
        return paragraphs["language"].astype(str)
    per_doc = documents.set_index("doc_id")
    if by == "outlet":
        outlet = per_doc["outlet_id"].where(per_doc["outlet_id"] != "", UNKNOWN_OUTLET)
        return paragraphs["doc_id"].map(outlet).astype(str)
    return paragraphs["doc_id"].map(per_doc["perspective"]).astype(str)


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
    (their number is reported). Paragraphs are kept when their own language is selected, so
    Ukrainian fragments of a Russian article count as Ukrainian.

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
    lower = required_interval("date_from", date_from)[0] if date_from else None
    upper = required_interval("date_to", date_to)[1] if date_to else None
    documents = tables.documents
    if outlets is not None:
        wanted = set(outlets)
        outlet_ids = documents["outlet_id"].where(documents["outlet_id"] != "", UNKNOWN_OUTLET)
        documents = documents[outlet_ids.isin(wanted)]
    undated = 0
    if lower is not None or upper is not None:
        intervals = documents["date"].map(date_interval)
        undated = int(intervals.isna().sum())
        keep = intervals.map(
            lambda iv: iv is not None and (lower is None or iv[1] >= lower) and (upper is None or iv[0] <= upper)
        ).astype(bool)
        documents = documents[keep]
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


# ------------------------------------------------------------------ overview


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


# ------------------------------------------------------------------ vocabulary


def _term_counts(
    paragraphs: pd.DataFrame, *, form: Form
) -> tuple[dict[tuple[str, str], Counter[str]], dict[tuple[str, str], int]]:
    counts: dict[tuple[str, str], Counter[str]] = {}
    sizes: dict[tuple[str, str], int] = {}
    for p in paragraphs.itertuples(index=False):
        language = check_language(str(p.language))
        key = (str(p.group), language)
        counts.setdefault(key, Counter()).update(nlp.terms(str(p.text), language, form=form))
        sizes[key] = sizes.get(key, 0) + nlp.word_count(str(p.text))
    return counts, sizes


def term_frequencies(selection: Selection, *, top_n: int = 20, min_freq: int = 1, form: Form = "lemma") -> pd.DataFrame:
    """The most frequent terms (stopwords removed) per group and language.

    Returns:
        Columns ``group``, ``language``, ``rank``, ``term``, ``count``, ``per_1000`` (per
        thousand word tokens of that group and language), ``tokens`` (that denominator).
        Ties are ordered alphabetically.
    """
    counts, sizes = _term_counts(selection.paragraphs, form=form)
    rows = []
    for (group, language), counter in sorted(counts.items()):
        ranked = sorted(((t, c) for t, c in counter.items() if c >= min_freq), key=lambda tc: (-tc[1], tc[0]))
        for rank, (term, count) in enumerate(ranked[:top_n], start=1):
            size = sizes[(group, language)]
            rows.append((group, language, rank, term, count, 1000 * count / size, size))
    columns = ["group", "language", "rank", "term", "count", "per_1000", "tokens"]
    return pd.DataFrame(rows, columns=columns)


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Log-likelihood G2 of a word's frequencies in two corpora (Rayson & Garside 2000).

    Args:
        a: Frequency in the target corpus.
        b: Frequency in the reference corpus.
        c: Size (tokens) of the target corpus.
        d: Size (tokens) of the reference corpus.

    Returns:
        ``2 * (a ln(a/E1) + b ln(b/E2))`` with ``E1 = c(a+b)/(c+d)``, ``E2 = d(a+b)/(c+d)``
        and ``0 ln 0 = 0``.
    """
    total = c + d
    e1, e2 = c * (a + b) / total, d * (a + b) / total
    return 2 * sum(o * math.log(o / e) for o, e in ((a, e1), (b, e2)) if o > 0)


def log_ratio(a: int, b: int, c: int, d: int) -> float:
    """Hardie's (2014) Log Ratio effect size: binary log of the ratio of relative frequencies.

    A zero frequency is replaced by 0.5 so the ratio stays finite (Hardie's convention).
    +1 means twice as frequent in the target corpus; -1 half as frequent.
    """
    return math.log2(((a or 0.5) / c) / ((b or 0.5) / d))


KEYNESS_COLUMNS: Final[list[str]] = [
    "item", "freq_target", "freq_reference", "size_target", "size_reference",
    "per_1000_target", "per_1000_reference", "log_likelihood", "p_value", "log_ratio",
    "overused_in",
]  # fmt: skip


def keyness_table(
    target: Mapping[str, int],
    reference: Mapping[str, int],
    *,
    target_size: int,
    reference_size: int,
    min_freq: int = 5,
) -> pd.DataFrame:
    """Keyness of every item between two frequency lists.

    Args:
        target: Item frequencies in the target corpus.
        reference: Item frequencies in the reference corpus.
        target_size: Tokens in the target corpus (the denominator, not the sum of ``target``).
        reference_size: Tokens in the reference corpus.
        min_freq: Items with a combined frequency below this are left out.

    Returns:
        Columns of :data:`KEYNESS_COLUMNS`, sorted by log-likelihood (descending) then item.
        ``p_value`` is from chi-square with one degree of freedom; ``overused_in`` is
        ``target`` or ``reference``. Empty when either size is zero.
    """
    rows = []
    if target_size > 0 and reference_size > 0:
        for item in sorted(set(target) | set(reference)):
            a, b = int(target.get(item, 0)), int(reference.get(item, 0))
            if a + b < min_freq:
                continue
            ll = log_likelihood(a, b, target_size, reference_size)
            lr = log_ratio(a, b, target_size, reference_size)
            rows.append(
                (
                    item, a, b, target_size, reference_size,
                    1000 * a / target_size, 1000 * b / reference_size,
                    ll, math.erfc(math.sqrt(ll / 2)), lr,
                    "target" if a / target_size >= b / reference_size else "reference",
                )
            )  # fmt: skip
    frame = pd.DataFrame(rows, columns=KEYNESS_COLUMNS)
    return frame.sort_values(["log_likelihood", "item"], ascending=[False, True], ignore_index=True)


def _check_group(selection: Selection, name: str, value: str) -> None:
    allowed = selection.groups
    if value not in allowed:
        raise ParameterError(f"{name}={value!r} is not a {selection.groups_by} in this selection: use one of {allowed}")


def keyness(
    selection: Selection,
    *,
    target: str,
    reference: str,
    language: str,
    min_freq: int = 5,
    top_n: int = 20,
    form: Form = "lemma",
) -> pd.DataFrame:
    """Key terms of one group against another, within one language.

    Words of different languages cannot be compared, so both groups are restricted to
    paragraphs in ``language``. When a group has no text in that language the result is
    empty (see :func:`keyness_note`).

    Returns:
        ``language``, ``target``, ``reference`` plus :data:`KEYNESS_COLUMNS` (``item`` is the
        term); the ``top_n`` rows most overused in each direction.
    """
    lang = check_language(language)
    paragraphs = selection.paragraphs[selection.paragraphs["language"] == lang]
    counts, sizes = _term_counts(paragraphs, form=form)
    table = keyness_table(
        counts.get((target, lang), Counter()),
        counts.get((reference, lang), Counter()),
        target_size=sizes.get((target, lang), 0),
        reference_size=sizes.get((reference, lang), 0),
        min_freq=min_freq,
    )
    table = pd.concat(
        [
            table[table["overused_in"] == "target"].head(top_n),
            table[table["overused_in"] == "reference"].head(top_n),
        ],
        ignore_index=True,
    )
    table.insert(0, "reference", reference)
    table.insert(0, "target", target)
    table.insert(0, "language", lang)
    return table


def concept_keyness(selection: Selection, *, target: str, reference: str, min_freq: int = 5) -> pd.DataFrame:
    """Keyness of codebook concepts between two groups, across languages.

    Concepts are matched by per-language patterns, so their frequencies are comparable
    between an English and a Russian group without translation; sizes are all word tokens.

    Returns:
        ``target``, ``reference``, ``label``, ``concept_group`` plus :data:`KEYNESS_COLUMNS`
        (``item`` is the concept id).
    """
    sizes = group_sizes(selection).set_index("group")["tokens"]
    counts = Counter(zip(selection.mentions["group"], selection.mentions["concept_id"], strict=True))

    def freqs(group: str) -> dict[str, int]:
        return {str(c): n for (g, c), n in counts.items() if g == group}

    table = keyness_table(
        freqs(target),
        freqs(reference),
        target_size=int(sizes.get(target, 0)),
        reference_size=int(sizes.get(reference, 0)),
        min_freq=min_freq,
    )
    by_id = selection.tables.codebook.by_id
    table.insert(1, "label", table["item"].map(lambda c: by_id[c].label if c in by_id else c))
    table.insert(2, "concept_group", table["item"].map(lambda c: by_id[c].group if c in by_id else ""))
    table.insert(0, "reference", reference)
    table.insert(0, "target", target)
    return table


def keyness_note(table: pd.DataFrame, *, target: str, reference: str, language: str) -> str:
    """Markdown summarising a :func:`keyness` result, or explaining why it is empty."""
    if table.empty:
        return (
            f"No key terms: **{md_escape(target)}** and **{md_escape(reference)}** do not both "
            f"have text in language `{md_escape(language)}` with terms above the minimum "
            "frequency. Keyness compares word frequencies, so both groups need text in the same "
            "language; the cross-language comparison is the concept keyness table."
        )
    first = table.iloc[0]
    significant = int((table["log_likelihood"] >= LL_CRITICAL["p<0.05"]).sum())
    return (
        f"{len(table)} terms shown; {significant} reach p < 0.05 (LL ≥ 3.84). Corpus sizes: "
        f"{int(first['size_target'])} tokens ({md_escape(target)}) vs "
        f"{int(first['size_reference'])} tokens ({md_escape(reference)})."
    )


def collocations(
    selection: Selection,
    *,
    measure: Measure = "likelihood_ratio",
    min_freq: int = 2,
    top_n: int = 15,
) -> pd.DataFrame:
    """Bigram collocations per group and language with NLTK's association measures.

    Bigrams are counted within paragraphs on lowercase word forms; pairs involving a stopword
    or a number are dropped, and pairs seen fewer than ``min_freq`` times are filtered out
    before scoring (PMI overrates rare pairs otherwise).

    Returns:
        Columns ``group``, ``language``, ``rank``, ``w1``, ``w2``, ``freq``, ``score``,
        ``measure``.
    """
    scorer = getattr(BigramAssocMeasures, measure)
    rows = []
    paragraphs = selection.paragraphs
    for (group, language), part in sorted(paragraphs.groupby(["group", "language"])):
        lang = check_language(str(language))
        docs = [[t.lower() for t in nlp.tokenize(str(text))] for text in part["text"]]
        finder = BigramCollocationFinder.from_documents(docs)
        finder.apply_freq_filter(min_freq)
        finder.apply_word_filter(lambda w, lang=lang: not nlp.is_word(w) or nlp.is_stopword(w, lang))
        scored = sorted(finder.score_ngrams(scorer), key=lambda s: (-s[1], s[0]))
        for rank, ((w1, w2), score) in enumerate(scored[:top_n], start=1):
            rows.append((group, lang, rank, w1, w2, int(finder.ngram_fd[(w1, w2)]), float(score), measure))
    columns = ["group", "language", "rank", "w1", "w2", "freq", "score", "measure"]
    return pd.DataFrame(rows, columns=columns)


KWIC_COLUMNS: Final[list[str]] = [
    "doc_id", "paragraph", "group", "language", "left", "match", "right",
    "para_start", "para_end", "start", "end",
]  # fmt: skip


def kwic(
    selection: Selection,
    *,
    term: str | None = None,
    concept: str | None = None,
    width: int = 60,
    form: Form = "lemma",
) -> pd.DataFrame:
    """Keyword-in-context lines for a term or a codebook concept.

    A term matches tokens whose normalized form (lemma by default, so «санкциями» matches
    ``санкция``) equals the term's in the paragraph's language; a concept uses its mentions.

    Args:
        selection: The selection.
        term: A word; give exactly one of ``term`` and ``concept``.
        concept: A codebook concept id.
        width: Characters of context on each side.
        form: How tokens and ``term`` are normalized.

    Returns:
        Columns of :data:`KWIC_COLUMNS`: ``para_start``/``para_end`` index the paragraph
        text, ``start``/``end`` the raw seed (paragraph start + position).

    Raises:
        ParameterError: If neither or both of ``term`` and ``concept`` are given, or the
            concept is unknown.
    """
    if (term is None) == (concept is None):
        raise ParameterError("kwic needs exactly one of term= or concept=")
    hits: list[tuple[str, int, int, int]] = []  # doc_id, paragraph, para_start, para_end
    if concept is not None:
        if concept not in selection.tables.codebook.by_id:
            known = selection.tables.codebook.ids()
            raise ParameterError(f"concept {concept!r} is not in the codebook: use one of {known}")
        found = selection.mentions[selection.mentions["concept_id"] == concept]
        hits = [
            (str(m.doc_id), int(str(m.paragraph)), int(str(m.para_start)), int(str(m.para_end)))
            for m in found.itertuples(index=False)
        ]
    else:
        assert term is not None  # for type checkers: guaranteed by the check above
        for p in selection.paragraphs.itertuples(index=False):
            lang = check_language(str(p.language))
            wanted = {nlp.normalize(t, lang, form=form) for t in nlp.tokenize(term)}
            if len(wanted) != 1:
                raise ParameterError(f"kwic term {term!r} must be a single word")
            text = str(p.text)
            for start, end in nlp.token_spans(text):
                if nlp.normalize(text[start:end], lang, form=form) in wanted:
                    hits.append((str(p.doc_id), int(str(p.paragraph)), start, end))
    paragraphs = {
        (str(p.doc_id), int(str(p.paragraph))): (
            str(p.text),
            int(str(p.start)),
            str(p.group),
            str(p.language),
        )
        for p in selection.paragraphs.itertuples(index=False)
    }
    rows = []
    for doc_id, paragraph, a, b in hits:
        text, offset, group, language = paragraphs[(doc_id, paragraph)]
        rows.append(
            (
                doc_id, paragraph, group, language,
                _one_line(text[max(0, a - width) : a]), text[a:b], _one_line(text[b : b + width]),
                a, b, offset + a, offset + b,
            )
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    return frame.sort_values(["doc_id", "paragraph", "para_start"], ignore_index=True)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ------------------------------------------------------------------ concepts


def concept_rates(selection: Selection, *, concept_group: Group | None = None) -> pd.DataFrame:
    """Concept mentions per 1,000 word tokens, for every group and concept (zeros included).

    Returns:
        Columns ``group``, ``concept_id``, ``label``, ``concept_group``, ``subgroup``,
        ``mentions``, ``tokens``, ``per_1000``.
    """
    codebook = selection.tables.codebook
    concepts = [c for c in codebook.concepts if concept_group is None or c.group == concept_group]
    sizes = group_sizes(selection)
    counts = selection.mentions.groupby(["group", "concept_id"]).size()
    rows = []
    for size in sizes.itertuples(index=False):
        for c in concepts:
            n = int(counts.get((str(size.group), c.id), 0))
            tokens = int(str(size.tokens))
            per_1000 = 1000 * n / tokens if tokens else 0.0
            rows.append((str(size.group), c.id, c.label, c.group, c.subgroup, n, tokens, per_1000))
    columns = ["group", "concept_id", "label", "concept_group", "subgroup"]
    return pd.DataFrame(rows, columns=[*columns, "mentions", "tokens", "per_1000"])


def frame_rates(selection: Selection) -> pd.DataFrame:
    """Frame mentions per 1,000 tokens by frame family (cooperation, confrontation, ...).

    Returns:
        Columns ``group``, ``subgroup``, ``mentions``, ``tokens``, ``per_1000``.
    """
    rates = concept_rates(selection, concept_group="frame")
    frame = rates.groupby(["group", "subgroup"], as_index=False).agg(
        mentions=("mentions", "sum"), tokens=("tokens", "first")
    )
    frame["per_1000"] = [1000 * m / t if t else 0.0 for m, t in zip(frame["mentions"], frame["tokens"], strict=True)]
    return frame


def sentence_table(selection: Selection) -> pd.DataFrame:
    """Every sentence of the selected paragraphs with its position.

    Returns:
        Columns ``doc_id``, ``paragraph``, ``sentence`` (1-based within the paragraph),
        ``group``, ``language``, ``start``, ``end`` (within the paragraph text), ``text``.
    """
    rows = []
    for p in selection.paragraphs.itertuples(index=False):
        lang = check_language(str(p.language))
        for number, s in enumerate(nlp.sentences(str(p.text), lang), start=1):
            key = (str(p.doc_id), int(str(p.paragraph)), number, str(p.group), lang)
            rows.append((*key, s["start"], s["end"], s["text"]))
    columns = ["doc_id", "paragraph", "sentence", "group", "language", "start", "end", "text"]
    return pd.DataFrame(rows, columns=columns)


def _mentions_by_sentence(
    selection: Selection, sentences: pd.DataFrame
) -> dict[tuple[str, int, int], list[tuple[str, int, int, str]]]:
    """(doc, paragraph, sentence) -> [(concept_id, para_start, para_end, text)]."""
    spans: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
    for s in sentences.itertuples(index=False):
        key = (str(s.doc_id), int(str(s.paragraph)))
        spans.setdefault(key, []).append((int(str(s.start)), int(str(s.end)), int(str(s.sentence))))
    result: dict[tuple[str, int, int], list[tuple[str, int, int, str]]] = {}
    for m in selection.mentions.itertuples(index=False):
        key = (str(m.doc_id), int(str(m.paragraph)))
        pos = int(str(m.para_start))
        for start, end, number in spans.get(key, []):
            if start <= pos < end:
                result.setdefault((*key, number), []).append(
                    (str(m.concept_id), pos, int(str(m.para_end)), str(m.text))
                )
                break
    return result


def cooccurrence(selection: Selection, *, concept_group: Group | None = None, min_count: int = 1) -> pd.DataFrame:
    """How many sentences mention both of two concepts.

    Returns:
        Columns ``concept_a``, ``concept_b`` (ids, a < b), ``label_a``, ``label_b``,
        ``sentences``; sorted by count (descending) then ids.
    """
    by_id = selection.tables.codebook.by_id
    allowed = {c.id for c in by_id.values() if concept_group is None or c.group == concept_group}
    pairs: Counter[tuple[str, str]] = Counter()
    sentences = sentence_table(selection)
    for found in _mentions_by_sentence(selection, sentences).values():
        ids = sorted({f[0] for f in found} & allowed)
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    rows = [(a, b, by_id[a].label, by_id[b].label, n) for (a, b), n in pairs.items() if n >= min_count]
    frame = pd.DataFrame(rows, columns=["concept_a", "concept_b", "label_a", "label_b", "sentences"])
    return frame.sort_values(["sentences", "concept_a", "concept_b"], ascending=[False, True, True], ignore_index=True)


#: Quotation spans: typographic and straight double quotes, guillemets, German-style quotes.
#: Only quotations of two or more words count: single quoted words are scare quotes or names.
QUOTE_PATTERN: Final[re.Pattern[str]] = re.compile(
    r"“[^”]*\w\s+\w[^”]*”|\"[^\"]*\w\s+\w[^\"]*\"|«[^»]*\w\s+\w[^»]*»|„[^“”]*\w\s+\w[^“”]*[“”]"
)

#: Actor subgroups that can be a speaker.
SPEAKER_SUBGROUPS: Final[frozenset[str]] = frozenset({"person", "institution", "media", "country"})

QUOTE_COLUMNS: Final[list[str]] = [
    "doc_id", "paragraph", "sentence", "group", "language", "kind", "marker", "speaker",
    "speaker_label", "text",
]  # fmt: skip


def quotes(selection: Selection) -> pd.DataFrame:
    """Direct and reported speech per sentence, attributed to the nearest actor.

    A sentence is *direct* speech when it contains a quotation (“…”, "…", «…», „…“) and
    *reported* when it has a reported-speech marker of the codebook (said, «заявил»,
    «по словам») but no quotation. The speaker is the actor mention outside the quotation
    closest to the marker (or to the quotation when there is no marker); people are preferred
    over institutions, media and countries at equal distance. ``unattributed`` when the
    sentence names no actor. This is a transparent heuristic, not a parser: check with KWIC.

    Returns:
        Columns of :data:`QUOTE_COLUMNS`.
    """
    codebook = selection.tables.codebook
    markers = set(codebook.ids(group="frame", subgroup="reported-speech"))
    rank = {"person": 0, "institution": 1, "media": 2, "country": 3}
    sentences = sentence_table(selection)
    mentions = _mentions_by_sentence(selection, sentences)
    rows = []
    for s in sentences.itertuples(index=False):
        key = (str(s.doc_id), int(str(s.paragraph)), int(str(s.sentence)))
        found = mentions.get(key, [])
        base = int(str(s.start))
        quoted = [(base + q.start(), base + q.end()) for q in QUOTE_PATTERN.finditer(str(s.text))]
        marker = next((f for f in found if f[0] in markers), None)
        if not quoted and marker is None:
            continue
        anchor = marker[1] if marker is not None else quoted[0][0]
        actors = [
            f
            for f in found
            if f[0] in codebook.by_id
            and codebook.by_id[f[0]].group == "actor"
            and codebook.by_id[f[0]].subgroup in SPEAKER_SUBGROUPS
            and not any(a <= f[1] < b for a, b in quoted)
        ]
        speaker = min(
            actors,
            key=lambda f: (abs(f[1] - anchor), rank[codebook.by_id[f[0]].subgroup], f[0]),
            default=None,
        )
        rows.append(
            (
                key[0], key[1], key[2], str(s.group), str(s.language),
                "direct" if quoted else "reported",
                marker[3] if marker is not None else "",
                speaker[0] if speaker else "unattributed",
                codebook.by_id[speaker[0]].label if speaker else "unattributed",
                str(s.text),
            )
        )  # fmt: skip
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def quote_counts(quoted: pd.DataFrame) -> pd.DataFrame:
    """Who is quoted how often, per group and kind of speech.

    Returns:
        Columns ``group``, ``speaker_label``, ``direct``, ``reported``, ``total``; sorted by
        group, then total (descending).
    """
    if quoted.empty:
        return pd.DataFrame(columns=["group", "speaker_label", "direct", "reported", "total"])
    table = quoted.groupby(["group", "speaker_label", "kind"]).size().unstack("kind", fill_value=0)
    for kind in ("direct", "reported"):
        if kind not in table.columns:
            table[kind] = 0
    table = table[["direct", "reported"]].reset_index()
    table.columns.name = None
    table["total"] = table["direct"] + table["reported"]
    return table.sort_values(["group", "total", "speaker_label"], ascending=[True, False, True], ignore_index=True)


# ------------------------------------------------------------------ tone

TONE_COLUMNS: Final[list[str]] = [
    "doc_id", "paragraph", "sentence", "group", "compound", "pos", "neu", "neg", "frames",
]  # fmt: skip


def tone(selection: Selection) -> pd.DataFrame:
    """VADER tone of every English sentence, beside the frame families found in it.

    VADER is an English lexicon, so Russian and Ukrainian sentences are not scored (no
    machine translation). ``frames`` lists the codebook frame families in the sentence
    (``;``-separated, sorted) or ``none``.

    Returns:
        Columns of :data:`TONE_COLUMNS`.
    """
    codebook = selection.tables.codebook
    sentences = sentence_table(selection)
    sentences = sentences[sentences["language"] == "en"]
    mentions = _mentions_by_sentence(selection, sentences)
    rows = []
    for s in sentences.itertuples(index=False):
        key = (str(s.doc_id), int(str(s.paragraph)), int(str(s.sentence)))
        families = sorted(
            {
                codebook.by_id[f[0]].subgroup
                for f in mentions.get(key, [])
                if f[0] in codebook.by_id
                and codebook.by_id[f[0]].group == "frame"
                and codebook.by_id[f[0]].subgroup != "reported-speech"
            }
        )
        scores = nlp.tone(str(s.text))
        frames = ";".join(families) or "none"
        values = (scores["compound"], scores["pos"], scores["neu"], scores["neg"])
        rows.append((*key, str(s.group), *values, frames))
    return pd.DataFrame(rows, columns=TONE_COLUMNS)


def tone_by_frame(scored: pd.DataFrame) -> pd.DataFrame:
    """Mean and median VADER compound score of sentences by group and frame family.

    A sentence with two families counts under each.

    Returns:
        Columns ``group``, ``frame``, ``sentences``, ``mean_compound``, ``median_compound``.
    """
    columns = ["group", "frame", "sentences", "mean_compound", "median_compound"]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    exploded = scored.assign(frame=scored["frames"].str.split(";")).explode("frame")
    table = exploded.groupby(["group", "frame"], as_index=False).agg(
        sentences=("compound", "size"),
        mean_compound=("compound", "mean"),
        median_compound=("compound", "median"),
    )
    return table[columns].sort_values(["group", "frame"], ignore_index=True)


# ------------------------------------------------------------------ summaries for prose


def top_per_group(frame: pd.DataFrame, *, value: str, n: int = 1) -> pd.DataFrame:
    """The ``n`` rows with the highest ``value`` in each ``group`` (ties: first in order).

    Notebooks loop over the result to write prose, so an empty frame simply writes nothing.
    """
    if frame.empty:
        return frame.copy()
    ordered = frame.sort_values(["group", value], ascending=[True, False], kind="stable")
    return ordered.groupby("group", sort=True).head(n).reset_index(drop=True)
