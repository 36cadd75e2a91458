"""Term frequencies per group and language (stopwords removed, lemmas for Russian and Ukrainian)."""

from __future__ import annotations

from collections import Counter
from typing import Literal

import pandas as pd

from corpus.analysis.select import Selection
from corpus.ingest.languages import check_language
from corpus.text import nlp

Form = Literal["lemma", "lower"]


def term_counts(
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
    counts, sizes = term_counts(selection.paragraphs, form=form)
    rows = []
    for (group, language), counter in sorted(counts.items()):
        ranked = sorted(((t, c) for t, c in counter.items() if c >= min_freq), key=lambda tc: (-tc[1], tc[0]))
        for rank, (term, count) in enumerate(ranked[:top_n], start=1):
            size = sizes[(group, language)]
            rows.append((group, language, rank, term, count, 1000 * count / size, size))
    columns = ["group", "language", "rank", "term", "count", "per_1000", "tokens"]
    return pd.DataFrame(rows, columns=columns)
