"""Keyness: log-likelihood G² with its p-value and Hardie's Log Ratio, for terms within a language and for
concepts across languages."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Final

import pandas as pd

from corpus.analysis.frequencies import Form, term_counts
from corpus.analysis.overview import group_sizes
from corpus.analysis.prose import md_escape
from corpus.analysis.select import Selection
from corpus.errors import ParameterError
from corpus.ingest.languages import check_language

#: Critical values of chi-square with 1 degree of freedom, for reading log-likelihood scores.
LL_CRITICAL: Final[dict[str, float]] = {"p<0.05": 3.84, "p<0.01": 6.63, "p<0.001": 10.83}


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
    counts, sizes = term_counts(paragraphs, form=form)
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
