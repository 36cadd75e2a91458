"""Term frequencies per group and language."""

from __future__ import annotations

import pytest

from corpus.analysis.frequencies import term_frequencies
from corpus.analysis.select import Selection


def test_term_frequencies(selection: Selection) -> None:
    top = term_frequencies(selection, top_n=2)
    ru = top[(top["group"] == "ukrainian") & (top["language"] == "ru")]
    # россия (Россия, России, России) and санкция (санкции, санкциями, Санкции) appear 3 times
    assert list(ru["term"]) == ["россия", "санкция"] and list(ru["count"]) == [3, 3]
    assert ru["per_1000"].iloc[0] == pytest.approx(1000 * 3 / ru["tokens"].iloc[0])
