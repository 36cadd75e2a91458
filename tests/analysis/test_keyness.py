"""Token-level keyness measures (descriptive): G² and Log Ratio by hand."""

from __future__ import annotations

import pytest

from corpus.analysis.keyness import log_likelihood, log_ratio


def test_log_likelihood_by_hand() -> None:
    # a=20, b=5 in two corpora of 1,000 tokens: E1 = E2 = 12.5,
    # G2 = 2 * (20 ln(20/12.5) + 5 ln(5/12.5)) = 2 * (9.400073 - 4.581454) = 9.637238
    assert log_likelihood(20, 5, 1000, 1000) == pytest.approx(9.637238, abs=1e-6)
    # unequal sizes, one zero cell: a=10, b=0, c=1000, d=3000: E1 = 2.5, G2 = 2 * 10 ln 4 = 27.725887
    assert log_likelihood(10, 0, 1000, 3000) == pytest.approx(27.725887, abs=1e-6)
    assert log_likelihood(5, 5, 100, 100) == 0.0


def test_log_ratio_by_hand() -> None:
    assert log_ratio(20, 5, 1000, 1000) == pytest.approx(2.0)
    assert log_ratio(10, 20, 1000, 1000) == pytest.approx(-1.0)
    assert log_ratio(4, 0, 1000, 1000) == pytest.approx(3.0)  # zero replaced by 0.5
