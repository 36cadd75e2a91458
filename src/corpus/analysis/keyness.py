"""Token-level keyness measures, kept as *descriptions* only: log-likelihood G² and Hardie's Log Ratio.

G² (Rayson & Garside 2000) compares an item's pooled frequencies in two corpora as if every
token were an independent draw. Words of one article are not independent (an article about the
Arctic says "Arctic" many times), so G² overstates the evidence, and its χ² p-value is not used
for any claim here (Lijffijt et al. 2016). The reports show G² beside the article-level tests of
:mod:`corpus.analysis.inference`, labelled descriptive, for readers who know the keyness
literature.
"""

from __future__ import annotations

import math


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
    """Hardie's (2014) Log Ratio of pooled frequencies: binary log of the ratio of relative frequencies.

    A zero frequency is replaced by 0.5 so the ratio stays finite (Hardie's convention).
    +1 means twice as frequent in the target corpus; -1 half as frequent.
    """
    return math.log2(((a or 0.5) / c) / ((b or 0.5) / d))
