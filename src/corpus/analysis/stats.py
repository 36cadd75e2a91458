"""Statistics with the article as the unit: permutation tests, bootstrap intervals, corrections, dispersion.

Words in one article are not independent draws: an article that mentions the Arctic once tends
to mention it again. So every test here treats the *article* (more exactly, an article's text in
a comparison group) as the unit, as corpus linguists recommend (Lijffijt et al. 2016, "Significance
testing of word frequencies in corpora", *Digital Scholarship in the Humanities* 31(2)):

* :func:`permutation_test`: the difference of the groups' mean per-article rates against its
  null distribution when the articles' group labels are exchangeable (Good 2005, *Permutation,
  Parametric and Bootstrap Tests of Hypotheses*). **Exact** when the number of ways to allocate
  the articles to the two groups is at most ``max_exact`` (every allocation enumerated; with 4
  and 2 articles there are 15, so no p-value can be below 1/15), otherwise **Monte Carlo** with a
  fixed seed and a stated number of resamples (p = (b + 1)/(m + 1), Phipson & Smyth 2010). The
  statistic is the absolute difference, so the test is two-sided. Implemented by
  :func:`scipy.stats.permutation_test`.
* :func:`bootstrap_interval`: a percentile bootstrap interval (Efron & Tibshirani 1993),
  resampling articles within each group (:func:`scipy.stats.bootstrap`), fixed seed.
* :func:`holm` (Holm 1979) and :func:`benjamini_hochberg` (Benjamini & Hochberg 1995, through
  :func:`scipy.stats.false_discovery_control`): p-values adjusted for the number of tests in a
  table; rows not tested (too little evidence) are left out of the family.
* :func:`gries_dp`: Gries' (2008) deviation of proportions, how unevenly occurrences spread over
  the articles relative to their sizes (0 = perfectly even), with its normalised form DP_norm
  (Lijffijt & Gries 2012).
* :func:`log_ratio`: Hardie's (2014) Log Ratio of two rates, a zero replaced by the rate of half
  an occurrence.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from scipy import stats

#: The seed of every resampling: results are reproducible to the byte.
SEED: Final[int] = 20261125
Correction = Literal["holm", "bh"]
CORRECTIONS: Final[dict[Correction, str]] = {"holm": "Holm", "bh": "Benjamini–Hochberg"}


@dataclass(frozen=True)
class PermutationResult:
    """A permutation test of two groups of per-article values."""

    observed: float  # mean of the first group minus mean of the second
    p_value: float
    method: Literal["exact", "monte-carlo"]
    allocations: int  # distinct allocations of the articles to the groups
    resamples: int  # allocations evaluated (all of them when exact)

    @property
    def minimum_p(self) -> float:
        """The smallest p-value this design can give (1/allocations when exact)."""
        return 1 / self.allocations if self.method == "exact" else 1 / (self.resamples + 1)


def _mean_difference(x: np.ndarray, y: np.ndarray, axis: int) -> np.ndarray:
    return np.asarray(np.abs(np.mean(x, axis=axis) - np.mean(y, axis=axis)))


def permutation_test(
    a: Sequence[float], b: Sequence[float], *, max_exact: int = 20_000, resamples: int = 9_999, seed: int = SEED
) -> PermutationResult:
    """Two-sided permutation test of the difference of means of ``a`` and ``b`` (one value per article).

    Args:
        a: Per-article values of the first group (at least one).
        b: Per-article values of the second group (at least one).
        max_exact: Enumerate every allocation when there are at most this many.
        resamples: Random allocations drawn otherwise (Monte Carlo).
        seed: Seed of the random allocations.

    Returns:
        The observed difference (``mean(a) - mean(b)``), the p-value and how it was computed.
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    allocations = math.comb(len(x) + len(y), len(x))
    exact = allocations <= max_exact
    if min(len(x), len(y)) < 2:  # scipy needs two values per group; a single article is enumerated here
        return PermutationResult(float(np.mean(x) - np.mean(y)), _enumerate(x, y), "exact", allocations, allocations)
    result = stats.permutation_test(
        (x, y),
        _mean_difference,
        permutation_type="independent",
        alternative="greater",
        n_resamples=np.inf if exact else resamples,
        vectorized=True,
        rng=np.random.default_rng(seed),
    )
    return PermutationResult(
        observed=float(np.mean(x) - np.mean(y)),
        p_value=float(result.pvalue),
        method="exact" if exact else "monte-carlo",
        allocations=allocations,
        resamples=allocations if exact else resamples,
    )


def _enumerate(x: np.ndarray, y: np.ndarray) -> float:
    """Exact two-sided p-value of the difference of means by listing every allocation (small groups)."""
    pooled = np.concatenate([x, y])
    observed = abs(float(np.mean(x) - np.mean(y)))
    extreme = total = 0
    for chosen in itertools.combinations(range(len(pooled)), len(x)):
        mask = np.zeros(len(pooled), dtype=bool)
        mask[list(chosen)] = True
        total += 1
        extreme += abs(float(np.mean(pooled[mask]) - np.mean(pooled[~mask]))) >= observed - 1e-12
    return extreme / total


def paired_test(
    a: Sequence[float], b: Sequence[float], *, max_exact: int = 20_000, resamples: int = 9_999, seed: int = SEED
) -> PermutationResult:
    """Two-sided sign-flip permutation test of paired per-article values (``a[i]`` and ``b[i]`` from article ``i``).

    Under the null the two values of an article are exchangeable, so each difference keeps or
    flips its sign: 2**n allocations, enumerated when at most ``max_exact``.

    Returns:
        The observed mean difference ``mean(a - b)``, the p-value and how it was computed.
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    allocations = 2 ** len(x)
    if len(x) < 2:  # one article: its sign flipped gives the same |mean|, so p = 1
        return PermutationResult(float(np.mean(x - y)) if len(x) else math.nan, 1.0, "exact", allocations, allocations)
    exact = allocations <= max_exact
    result = stats.permutation_test(
        (x, y), _mean_difference, permutation_type="samples", alternative="greater",
        n_resamples=np.inf if exact else resamples, vectorized=True, rng=np.random.default_rng(seed),
    )  # fmt: skip
    return PermutationResult(
        observed=float(np.mean(x - y)),
        p_value=float(result.pvalue),
        method="exact" if exact else "monte-carlo",
        allocations=allocations,
        resamples=allocations if exact else resamples,
    )


def mean_interval(
    values: Sequence[float], *, level: float = 0.95, resamples: int = 9_999, seed: int = SEED
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of per-article values; ``(nan, nan)`` below two articles."""
    x = np.asarray(values, dtype=float)
    if len(x) < 2:
        return (math.nan, math.nan)
    result = stats.bootstrap(
        (x,), np.mean, vectorized=True, confidence_level=level, n_resamples=resamples, method="percentile",
        rng=np.random.default_rng(seed),
    )  # fmt: skip
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def bootstrap_interval(
    a: Sequence[float],
    b: Sequence[float],
    statistic: Literal["difference", "log_ratio"] = "difference",
    *,
    floor: tuple[float, float] = (0.0, 0.0),
    level: float = 0.95,
    resamples: int = 9_999,
    seed: int = SEED,
) -> tuple[float, float]:
    """Percentile bootstrap interval of a two-group statistic, resampling articles within each group.

    Args:
        a: Per-article values of the first group.
        b: Per-article values of the second group.
        statistic: ``difference`` of means, or ``log_ratio`` of means (binary log; a zero mean
            replaced by ``floor``, see :func:`log_ratio`).
        floor: The values standing in for a zero mean of ``a`` and of ``b``.
        level: Confidence level.
        resamples: Bootstrap resamples.
        seed: Seed of the resampling.

    Returns:
        ``(low, high)``; ``(nan, nan)`` when a group has fewer than two articles.
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(x) < 2 or len(y) < 2:
        return (math.nan, math.nan)

    def compute(xs: np.ndarray, ys: np.ndarray, axis: int) -> np.ndarray:
        mx, my = np.mean(xs, axis=axis), np.mean(ys, axis=axis)
        if statistic == "difference":
            return np.asarray(mx - my)
        return np.asarray(np.log2(np.where(mx > 0, mx, floor[0]) / np.where(my > 0, my, floor[1])))

    result = stats.bootstrap(
        (x, y), compute, vectorized=True, paired=False, confidence_level=level, n_resamples=resamples,
        method="percentile", rng=np.random.default_rng(seed),
    )  # fmt: skip
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def log_ratio(rate_a: float, rate_b: float, *, floor: tuple[float, float]) -> float:
    """Hardie's Log Ratio: ``log2(rate_a / rate_b)``, a zero rate replaced by its ``floor``.

    The floor is the rate of half an occurrence in that group (0.5 per its tokens), Hardie's
    convention for zero frequencies, so a singleton against nothing is not an infinite effect.
    NaN when both rates are zero.
    """
    if rate_a <= 0 and rate_b <= 0:
        return math.nan  # no occurrence on either side: no effect to state
    return math.log2((rate_a if rate_a > 0 else floor[0]) / (rate_b if rate_b > 0 else floor[1]))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment (family-wise error rate); NaN entries stay NaN and are not counted.

    The i-th smallest of m p-values becomes ``max_{j<=i} min(1, (m - j + 1) p_(j))``.
    """
    indexed = sorted((p, i) for i, p in enumerate(p_values) if not math.isnan(p))
    m = len(indexed)
    adjusted = [math.nan] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjustment (false discovery rate); NaN entries stay NaN and are not counted."""
    tested = [i for i, p in enumerate(p_values) if not math.isnan(p)]
    adjusted = [math.nan] * len(p_values)
    if tested:
        values = stats.false_discovery_control([p_values[i] for i in tested], method="bh")
        for i, value in zip(tested, values, strict=True):
            adjusted[i] = float(value)
    return adjusted


def adjust(p_values: Sequence[float], method: Correction) -> list[float]:
    """p-values adjusted by ``holm`` or ``bh`` (see :func:`holm`, :func:`benjamini_hochberg`)."""
    return holm(p_values) if method == "holm" else benjamini_hochberg(p_values)


def gries_dp(counts: Sequence[float], sizes: Sequence[float]) -> tuple[float, float]:
    """Gries' deviation of proportions of an item over the parts of a corpus, and its normalised form.

    ``DP = 0.5 * sum |v_i - s_i|`` with ``v_i`` the share of the item's occurrences in part ``i``
    and ``s_i`` the part's share of the corpus; ``DP_norm = DP / (1 - min s_i)``.

    Returns:
        ``(DP, DP_norm)``: 0 when the occurrences follow the parts' sizes, towards 1 when they
        crowd into one small part; ``(nan, nan)`` without occurrences or parts.
    """
    total, size = float(sum(counts)), float(sum(sizes))
    if total <= 0 or size <= 0 or not counts:
        return (math.nan, math.nan)
    shares = [s / size for s in sizes]
    dp = 0.5 * sum(abs(c / total - s) for c, s in zip(counts, shares, strict=True))
    smallest = min(shares)
    return dp, (dp / (1 - smallest) if smallest < 1 else math.nan)


def format_p(p: float) -> str:
    """A p-value in scientific notation with two significant digits (``6.7e-02``); ``—`` when untested."""
    return "—" if math.isnan(p) else f"{p:.1e}"
