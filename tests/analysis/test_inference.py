"""Group comparisons over articles: rates, support, tests, corrections, confounds, and what the prose says."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from corpus.analysis.confounds import confound_note, confounds, shared_languages
from corpus.analysis.explain import comparison_display, comparison_note, group_profile, grouping_note
from corpus.analysis.inference import TOO_LITTLE, Design, compare_concepts, compare_items
from corpus.analysis.select import Selection, select
from corpus.analysis.units import article_units, concept_counts


def _units(groups: dict[str, list[int]], language: str = "en") -> pd.DataFrame:
    rows = [
        (f"{g}{i}", g, language, f"out-{g}", size, size) for g, sizes in groups.items() for i, size in enumerate(sizes)
    ]
    return pd.DataFrame(rows, columns=["doc_id", "group", "language", "outlet_id", "tokens", "content_tokens"])


def _counts(counts: dict[str, int], item: str = "x") -> pd.DataFrame:
    return pd.DataFrame(
        [(d, d.rstrip("0123456789"), item, n) for d, n in counts.items()], columns=["doc_id", "group", "item", "count"]
    )


def test_four_against_two_articles_is_tested_exactly_and_cannot_reach_five_percent() -> None:
    units = _units({"a": [100, 100, 100, 100], "b": [100, 100]})
    counts = _counts({"a0": 10, "a1": 11, "a2": 12, "a3": 13, "b0": 1, "b1": 2})
    table = compare_items(units, counts, target="a", reference="b", design=Design(min_articles=2), items=["x"])
    row = table.iloc[0]
    assert (row["articles_target"], row["articles_reference"]) == (4, 2)
    assert row["mean_rate_target"] == pytest.approx(115.0) and row["mean_rate_reference"] == pytest.approx(15.0)
    assert row["test"] == "exact, 15 allocations" and row["p_value"] == pytest.approx(1 / 15)
    assert row["result"] == "no evidence of a difference"  # 1/15 > 0.05, even before correction
    assert row["log_ratio"] == pytest.approx(math.log2(115 / 15))
    assert row["difference_low"] <= row["rate_difference"] <= row["difference_high"]


def test_below_the_minimum_support_there_is_no_p_value() -> None:
    units = _units({"a": [100, 100, 100], "b": [100, 100]})
    table = compare_items(units, _counts({"a0": 9, "b0": 1}), target="a", reference="b", design=Design(), items=["x"])
    assert table.iloc[0]["result"] == TOO_LITTLE and math.isnan(table.iloc[0]["p_value"])
    # a singleton against nothing is not an effect of 2.02 but a too-little-evidence row with a finite Log Ratio
    single = compare_items(
        units, _counts({"a0": 1}), target="a", reference="b", design=Design(min_articles=2), items=["x"]
    )
    assert single.iloc[0]["result"] == TOO_LITTLE and single.iloc[0]["occurrences_target"] == 1


def test_the_correction_covers_the_tested_rows() -> None:
    units = _units({"a": [50] * 6, "b": [50] * 6})
    rows = {**{f"a{i}": 10 for i in range(6)}, **{f"b{i}": 0 for i in range(6)}}
    counts = pd.concat([_counts(rows, "x"), _counts(rows, "y"), _counts({"a0": 1}, "z")])
    holm = compare_items(units, counts, target="a", reference="b", design=Design(), items=["x", "y", "z"])
    assert list(holm["result"]) == ["differs", "differs", TOO_LITTLE]
    # C(12, 6) = 924 allocations: exact; the split is the most extreme pair of allocations -> 2/924
    assert holm.iloc[0]["p_value"] == pytest.approx(2 / 924)
    assert holm.iloc[0]["p_adjusted"] == pytest.approx(2 * 2 / 924)  # Holm over the two tested rows
    bh = compare_items(units, counts, target="a", reference="b", design=Design(correction="bh"), items=["x", "y", "z"])
    assert bh.iloc[0]["p_adjusted"] == pytest.approx(2 / 924)


def test_leaving_out_an_article_or_outlet(selection: Selection) -> None:
    units = article_units(selection)
    counts = concept_counts(selection)
    design = Design(min_articles=1, min_occurrences=1, exclude_outlets=frozenset({"sputnik"}))
    table = compare_items(
        units, counts, target="russian-state-media", reference="ukrainian", design=design, items=["putin"]
    )
    assert table.iloc[0]["articles_target"] == 1  # only the blog article is left


def test_units_have_both_denominators(selection: Selection) -> None:
    units = article_units(selection).set_index("doc_id")
    assert list(units["group"]) == ["russian-state-media", "russian-state-media", "ukrainian", "ukrainian"]
    assert (units["content_tokens"] < units["tokens"]).all()
    # the Ukrainian fragment of a Russian article counts for its article's ukrainian group
    by_language = select(selection.tables, groups_by="language")
    assert set(article_units(by_language)["group"]) == {"en", "ru", "uk"}


def test_lenient_counts_include_what_the_rules_drop(selection: Selection) -> None:
    strict = concept_counts(selection).set_index(["doc_id", "item"])["count"]
    lenient = concept_counts(selection, strictness="lenient").set_index(["doc_id", "item"])["count"]
    # «обсуждались в Вашингтоне»: a place, dropped by the strict codebook only («с США» stays in both)
    assert (strict[("003_dddd-1", "united_states")], lenient[("003_dddd-1", "united_states")]) == (1, 2)


def test_the_grouping_that_coincides_with_language_is_named(selection: Selection) -> None:
    comparison = compare_concepts(selection, target="russian-state-media", reference="ukrainian")
    found = confounds(comparison.units, target="russian-state-media", reference="ukrainian", groups_by="perspective")
    assert found.language and not found.outlet
    assert found.target_languages == ("en",) and found.reference_languages == ("ru",)
    note = confound_note(found, within=[])
    assert "Confound: language" in note and "No language has enough articles" in note
    assert shared_languages(comparison.units, target="russian-state-media", reference="ukrainian", min_articles=1) == []
    assert "coincide with languages" in grouping_note(selection)
    assert list(group_profile(selection)["articles"]) == [2, 2]


def test_the_note_says_why_nothing_can_be_claimed(selection: Selection) -> None:
    comparison = compare_concepts(selection, target="russian-state-media", reference="ukrainian")
    note = comparison_note(comparison, what="concept")
    assert "0 of 32 concepts reach the minimum support" in note and "supports no claim of a difference" in note
    assert "no p-value can be below 1.7e-01" in note  # 2 against 2 articles: 6 allocations
    shown = comparison_display(comparison)
    assert set(shown["p"]) == {TOO_LITTLE} and "G² (tokens, descriptive)" in shown.columns
