"""Collocations with NLTK's association measures."""

from __future__ import annotations

from corpus.analysis.collocations import collocations
from corpus.analysis.select import Selection


def test_collocations_use_nltk_measures(selection: Selection) -> None:
    table = collocations(selection, min_freq=2)
    assert table[["w1", "w2", "freq"]].values.tolist()[0] == ["arctic", "putin", 2]
    pmi = collocations(selection, measure="pmi", min_freq=2)
    assert set(pmi["measure"]) == {"pmi"}
