"""The statistics against hand-computed cases: exact permutation nulls, Holm and BH, bootstrap coverage, DP."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from corpus.analysis.stats import (
    SEED,
    adjust,
    benjamini_hochberg,
    bootstrap_interval,
    format_p,
    gries_dp,
    holm,
    log_ratio,
    mean_interval,
    paired_test,
    permutation_test,
)


def test_exact_null_with_four_against_two_articles_cannot_go_below_one_fifteenth() -> None:
    # 6 articles, 4 in one group: C(6, 2) = 15 allocations. The observed split is the most extreme one.
    result = permutation_test([10, 11, 12, 13], [1, 2])
    assert (result.method, result.allocations, result.resamples) == ("exact", 15, 15)
    assert result.p_value == pytest.approx(1 / 15)
    assert result.minimum_p == pytest.approx(1 / 15)
    assert result.observed == pytest.approx(11.5 - 1.5)


def test_exact_null_counted_by_hand() -> None:
    # a = [3, 2, 1, 0], b = [6, 1], total 13: if the pair in b sums to s, |mean(b) - mean(a)| = |3s - 13| / 4;
    # observed s = 7, so 2. The 15 pairs of {3, 2, 1, 0, 6, 1} sum to 5 4 3 9 4 3 2 8 3 1 7 2 6 1 7; those with
    # |3s - 13| >= 8 (s >= 7 or s <= 1) are 9 8 7 7 1 1: six of fifteen.
    result = permutation_test([3, 2, 1, 0], [6, 1])
    assert result.p_value == pytest.approx(6 / 15)
    # the same count by enumeration, independently of scipy
    values = [3, 2, 1, 0, 6, 1]
    observed = abs(np.mean([3, 2, 1, 0]) - np.mean([6, 1]))
    count = 0
    for chosen in itertools.combinations(range(6), 4):
        rest = [values[i] for i in range(6) if i not in chosen]
        count += abs(np.mean([values[i] for i in chosen]) - np.mean(rest)) >= observed - 1e-12
    assert count == 6


def test_single_articles_are_enumerated() -> None:
    # one article against one: two allocations with the same |difference|, p = 1; one against three: 4 allocations
    assert permutation_test([5.0], [1.0]).p_value == 1.0
    result = permutation_test([9.0], [1.0, 2.0, 3.0])
    assert (result.allocations, result.p_value) == (4, pytest.approx(1 / 4))


def test_monte_carlo_beyond_the_exact_limit_is_seeded_and_stated() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 12), rng.normal(3, 1, 12)
    first = permutation_test(list(a), list(b), max_exact=100, resamples=999)
    again = permutation_test(list(a), list(b), max_exact=100, resamples=999)
    assert (first.method, first.resamples) == ("monte-carlo", 999)
    assert first.p_value == again.p_value == pytest.approx(1 / 1000)  # (0 + 1) / (999 + 1): nothing as extreme


def test_paired_sign_flip_test() -> None:
    # 3 articles, all differences positive: 2^3 = 8 sign patterns; |mean| is maximal for all-plus and all-minus.
    result = paired_test([1, 2, 3], [0, 0, 0])
    assert (result.method, result.allocations, result.p_value) == ("exact", 8, pytest.approx(2 / 8))
    assert paired_test([5], [1]).p_value == 1.0  # one article: flipping its sign changes nothing


# Benjamini & Hochberg (1995), section 4: 15 p-values from a clinical trial. At 0.05 the step-up
# procedure rejects the first four; Bonferroni rejects three, and so does Holm.
BH_1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
           0.6528, 0.7590, 1.000]  # fmt: skip


def test_benjamini_hochberg_on_the_textbook_example() -> None:
    adjusted = benjamini_hochberg(BH_1995)
    assert sum(q < 0.05 for q in adjusted) == 4
    assert adjusted[3] == pytest.approx(0.0095 * 15 / 4)
    assert adjusted[4] == pytest.approx(
        min(0.0459 * 15 / 9, 0.0201 * 15 / 5, 0.0278 * 15 / 6, 0.0298 * 15 / 7, 0.0344 * 15 / 8)
    )


def test_holm_on_the_textbook_example_and_by_hand() -> None:
    assert sum(q < 0.05 for q in holm(BH_1995)) == 3
    # [0.01, 0.04, 0.03, 0.005]: sorted 0.005×4, 0.01×3, 0.03×2, 0.04×1, made monotone
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_untested_rows_are_left_out_of_the_family() -> None:
    nan = math.nan
    adjusted = adjust([0.01, nan, 0.04], "holm")
    assert adjusted[0] == pytest.approx(0.02) and math.isnan(adjusted[1]) and adjusted[2] == pytest.approx(0.04)
    assert math.isnan(adjust([nan], "bh")[0])


def test_bootstrap_interval_covers_the_true_difference_at_its_level() -> None:
    # 200 pairs of samples (20 and 20 articles) from the same normal distribution: the true difference is 0.
    rng = np.random.default_rng(SEED)
    covered = 0
    for trial in range(200):
        a, b = rng.normal(5, 2, 20), rng.normal(5, 2, 20)
        low, high = bootstrap_interval(list(a), list(b), resamples=999, seed=trial)
        covered += low <= 0 <= high
    assert 0.90 <= covered / 200 <= 0.99  # nominal 95 % (percentile intervals run a little narrow at n = 20)


def test_mean_interval_and_its_limits() -> None:
    assert mean_interval([4, 4, 4]) == (4.0, 4.0)
    assert all(math.isnan(v) for v in mean_interval([1.0]))
    assert all(math.isnan(v) for v in bootstrap_interval([1.0], [2.0, 3.0]))


def test_gries_dp_by_hand() -> None:
    # two equal parts, all occurrences in one: DP = 0.5 (|1 - 0.5| + |0 - 0.5|) = 0.5; DP_norm = 0.5 / (1 - 0.5) = 1
    assert gries_dp([2, 0], [100, 100]) == pytest.approx((0.5, 1.0))
    # occurrences proportional to sizes: no deviation
    assert gries_dp([1, 3], [10, 30]) == pytest.approx((0.0, 0.0))
    # Gries (2008): parts of 10, 20, 30, 40 % and occurrences 1, 2, 3, 4 of 10 → DP 0
    assert gries_dp([1, 2, 3, 4], [10, 20, 30, 40])[0] == pytest.approx(0.0)
    assert all(math.isnan(v) for v in gries_dp([0, 0], [10, 10]))


def test_log_ratio_replaces_a_zero_by_half_an_occurrence() -> None:
    assert log_ratio(4.0, 2.0, floor=(0.5, 0.5)) == pytest.approx(1.0)
    assert log_ratio(2.0, 0.0, floor=(0.25, 0.25)) == pytest.approx(3.0)  # 2 / 0.25 = 8
    assert math.isnan(log_ratio(0.0, 0.0, floor=(0.5, 0.5)))


def test_p_values_print_in_scientific_notation() -> None:
    assert format_p(1 / 15) == "6.7e-02"
    assert format_p(0.000012) == "1.2e-05"
    assert format_p(math.nan) == "—"
