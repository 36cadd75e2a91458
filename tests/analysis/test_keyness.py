"""Keyness: G², its p-value and Log Ratio by hand, within a language and across languages."""

from __future__ import annotations

import math

import pytest

from corpus.analysis.keyness import (
    KEYNESS_COLUMNS,
    concept_keyness,
    keyness,
    keyness_note,
    keyness_table,
    log_likelihood,
    log_ratio,
)
from corpus.analysis.select import Selection, select


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


def test_keyness_table_reports_sizes_and_filters() -> None:
    table = keyness_table(
        {"sanctions": 20, "rare": 1}, {"sanctions": 5, "talks": 9}, target_size=1000, reference_size=1000, min_freq=5
    )
    assert list(table.columns) == KEYNESS_COLUMNS
    assert list(table["item"]) == ["talks", "sanctions"]  # "rare" (1 < 5) is filtered out
    row = table.set_index("item").loc["sanctions"]
    assert (row["size_target"], row["size_reference"]) == (1000, 1000)
    assert row["log_likelihood"] == pytest.approx(9.637238, abs=1e-6)
    assert row["p_value"] == pytest.approx(math.erfc(math.sqrt(9.637238 / 2)), rel=1e-6)
    assert row["p_value"] < 0.01 and row["overused_in"] == "target"
    assert table.set_index("item").loc["talks", "overused_in"] == "reference"
    assert keyness_table({"a": 9}, {}, target_size=10, reference_size=0).empty


def test_keyness_needs_a_shared_language(selection: Selection) -> None:
    table = keyness(selection, target="russian-state-media", reference="ukrainian", language="ru")
    assert table.empty
    assert "do not both have text" in keyness_note(
        table, target="russian-state-media", reference="ukrainian", language="ru"
    )
    by_outlet = select(selection.tables, groups_by="outlet")
    key = keyness(by_outlet, target="sputnik", reference="blog-repost", language="en", min_freq=2)
    arctic = key.set_index("item").loc["arctic"]
    assert (arctic["freq_target"], arctic["freq_reference"]) == (2, 0)
    assert arctic["log_ratio"] > 0 and arctic["size_target"] == 12 + 11


def test_concept_keyness_compares_across_languages(selection: Selection) -> None:
    table = concept_keyness(selection, target="russian-state-media", reference="ukrainian", min_freq=1)
    sanctions = table.set_index("item").loc["sanctions"]
    assert sanctions["label"] == "Sanctions" and sanctions["freq_reference"] == 4
    assert sanctions["freq_target"] == 1 and sanctions["overused_in"] == "reference"
