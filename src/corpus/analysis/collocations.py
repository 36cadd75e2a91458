"""Bigram collocations per group and language with NLTK's association measures."""

from __future__ import annotations

from typing import Final, Literal, get_args

import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

from corpus.analysis.select import Selection
from corpus.ingest.languages import check_language
from corpus.text import nlp

Measure = Literal["likelihood_ratio", "pmi"]
MEASURES: Final[tuple[Measure, ...]] = get_args(Measure)


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
