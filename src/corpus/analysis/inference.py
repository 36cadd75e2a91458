"""Group comparisons that survive a referee: per-article rates, tests over articles, corrected p-values.

:func:`compare_items` compares two groups item by item (concepts or terms). For each item:

* the per-article rates (per 1,000 tokens of the chosen denominator, see
  :mod:`corpus.analysis.units`) of both groups, their means and standard deviations and Gries'
  DP over each group's articles;
* the effect: the difference of the mean rates and Hardie's Log Ratio of the mean rates, each
  with a 95 % percentile bootstrap interval over articles;
* a permutation test over articles (exact or Monte Carlo, :func:`corpus.analysis.stats.permutation_test`),
  and the p-value adjusted for every item tested in the table (Holm by default, or
  Benjamini–Hochberg; the method is named in the table);
* below the minimum support (articles per group, occurrences in all) the row says **too little
  evidence** and is not tested;
* the token-level log-likelihood G² of the pooled counts, labelled *descriptive*: it treats
  tokens as independent draws, which they are not, and is shown only to compare with the
  keyness literature.

:func:`confounds` says when a grouping coincides with language or outlet, and the comparisons
are repeated within each language both groups have enough articles in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

import pandas as pd

from corpus.analysis.keyness import log_likelihood
from corpus.analysis.select import Selection
from corpus.analysis.stats import (
    CORRECTIONS,
    Correction,
    adjust,
    bootstrap_interval,
    gries_dp,
    log_ratio,
    permutation_test,
)
from corpus.analysis.units import (
    Denominator,
    Form,
    article_units,
    concept_counts,
    language_units,
    size_column,
    term_counts,
)  # fmt: skip
from corpus.text.codebook import Group, Strictness

Result = Literal["differs", "no evidence of a difference", "too little evidence"]
TOO_LITTLE: Final[Result] = "too little evidence"

COMPARISON_COLUMNS: Final[list[str]] = [
    "item", "label", "concept_group", "articles_target", "articles_reference", "occurrences_target",
    "occurrences_reference", "mean_rate_target", "mean_rate_reference", "sd_target", "sd_reference",
    "rate_difference", "difference_low", "difference_high", "log_ratio", "log_ratio_low", "log_ratio_high",
    "dp_target", "dp_reference", "test", "p_value", "p_adjusted", "result", "g2_descriptive",
]  # fmt: skip


@dataclass(frozen=True)
class Design:
    """The choices a comparison depends on (each one an axis of the robustness grid)."""

    denominator: Denominator = "content"
    strictness: Strictness = "strict"
    form: Form = "lemma"
    min_articles: int = 3
    min_occurrences: int = 5
    correction: Correction = "holm"
    alpha: float = 0.05
    exclude_docs: frozenset[str] = field(default_factory=frozenset)
    exclude_outlets: frozenset[str] = field(default_factory=frozenset)

    def describe(self) -> str:
        """The design in words, for a table caption."""
        return (
            f"rates per 1,000 {'content tokens' if self.denominator == 'content' else 'word tokens'}; "
            f"{self.strictness} codebook; p-values {CORRECTIONS[self.correction]}-adjusted at α = {self.alpha}; "
            f"minimum support {self.min_articles} articles per group and {self.min_occurrences} occurrences"
        )


@dataclass(frozen=True)
class Comparison:
    """A comparison table with what it compared and how."""

    table: pd.DataFrame
    target: str
    reference: str
    design: Design
    units: pd.DataFrame

    @property
    def tested(self) -> pd.DataFrame:
        """The rows with enough evidence to be tested."""
        return self.table[self.table["result"] != TOO_LITTLE]

    @property
    def differing(self) -> pd.DataFrame:
        """The rows whose adjusted p-value is below α."""
        return self.table[self.table["result"] == "differs"]


def _rates(units: pd.DataFrame, counts: Mapping[str, int], size: str) -> list[float]:
    return [1000 * counts.get(str(d), 0) / s if s else 0.0 for d, s in zip(units["doc_id"], units[size], strict=True)]


def _row(
    item: str, a_units: pd.DataFrame, b_units: pd.DataFrame, counts: pd.DataFrame, design: Design
) -> dict[str, object]:
    size = size_column(design.denominator)
    by_doc = counts.groupby("doc_id")["count"].sum().to_dict() if not counts.empty else {}
    a = _rates(a_units, {d: by_doc.get(d, 0) for d in a_units["doc_id"]}, size)
    b = _rates(b_units, {d: by_doc.get(d, 0) for d in b_units["doc_id"]}, size)
    occ_a = int(sum(by_doc.get(d, 0) for d in a_units["doc_id"]))
    occ_b = int(sum(by_doc.get(d, 0) for d in b_units["doc_id"]))
    size_a, size_b = int(a_units[size].sum()), int(b_units[size].sum())
    floor = (500 / size_a if size_a else math.nan, 500 / size_b if size_b else math.nan)
    mean_a = sum(a) / len(a) if a else math.nan
    mean_b = sum(b) / len(b) if b else math.nan
    row: dict[str, object] = {
        "item": item, "articles_target": len(a), "articles_reference": len(b),
        "occurrences_target": occ_a, "occurrences_reference": occ_b,
        "mean_rate_target": mean_a, "mean_rate_reference": mean_b,
        "sd_target": pd.Series(a).std() if len(a) > 1 else math.nan,
        "sd_reference": pd.Series(b).std() if len(b) > 1 else math.nan,
        "rate_difference": mean_a - mean_b,
        "log_ratio": log_ratio(mean_a, mean_b, floor=floor) if a and b else math.nan,
        "dp_target": gries_dp([by_doc.get(d, 0) for d in a_units["doc_id"]], list(a_units[size]))[1],
        "dp_reference": gries_dp([by_doc.get(d, 0) for d in b_units["doc_id"]], list(b_units[size]))[1],
        "g2_descriptive": log_likelihood(occ_a, occ_b, size_a, size_b) if size_a and size_b else math.nan,
        "difference_low": math.nan, "difference_high": math.nan, "log_ratio_low": math.nan,
        "log_ratio_high": math.nan, "test": "", "p_value": math.nan,
    }  # fmt: skip
    supported = min(len(a), len(b)) >= design.min_articles and occ_a + occ_b >= design.min_occurrences
    if supported:
        test = permutation_test(a, b)
        row["p_value"] = test.p_value
        row["test"] = (
            f"exact, {test.allocations:,} allocations" if test.method == "exact"
            else f"Monte Carlo, {test.resamples:,} resamples"
        )  # fmt: skip
        row["difference_low"], row["difference_high"] = bootstrap_interval(a, b, "difference")
        row["log_ratio_low"], row["log_ratio_high"] = bootstrap_interval(a, b, "log_ratio", floor=floor)
    return row


def compare_items(
    units: pd.DataFrame,
    counts: pd.DataFrame,
    *,
    target: str,
    reference: str,
    design: Design,
    items: list[str],
    labels: Mapping[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Compare two groups item by item over articles (see the module docstring).

    Args:
        units: Articles per group with their sizes (:func:`corpus.analysis.units.article_units`).
        counts: ``doc_id``, ``group``, ``item``, ``count`` (occurrences per article and group).
        target: The group compared ...
        reference: ... against this one.
        design: Denominator, support, correction, articles or outlets left out.
        items: The items to compare, in order (an item never seen has zero counts).
        labels: Item → ``(label, concept group)`` for the table; the item itself otherwise.

    Returns:
        Columns of :data:`COMPARISON_COLUMNS`, in the order of ``items``.
    """
    kept = units[~units["doc_id"].isin(design.exclude_docs) & ~units["outlet_id"].isin(design.exclude_outlets)]
    a_units, b_units = kept[kept["group"] == target], kept[kept["group"] == reference]
    counts = counts[counts["doc_id"].isin(kept["doc_id"])]
    by_item = {str(k): v for k, v in counts.groupby("item")} if not counts.empty else {}
    empty = counts.iloc[0:0]
    rows = []
    for item in items:
        found = by_item.get(item, empty)
        row = _row(item, a_units, b_units, found[found["group"].isin([target, reference])], design)
        label, group = (labels or {}).get(item, (item, ""))
        rows.append({**row, "label": label, "concept_group": group})
    table = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    table["p_adjusted"] = adjust(list(table["p_value"].astype(float)), design.correction)
    table["result"] = [
        TOO_LITTLE if math.isnan(p) else ("differs" if q < design.alpha else "no evidence of a difference")
        for p, q in zip(table["p_value"], table["p_adjusted"], strict=True)
    ]
    return table


def compare_concepts(
    selection: Selection,
    *,
    target: str,
    reference: str,
    design: Design | None = None,
    concept_group: Group | None = None,
    units: pd.DataFrame | None = None,
) -> Comparison:
    """Every codebook concept (of ``concept_group``) compared between two groups over articles."""
    design = design or Design()
    units = article_units(selection) if units is None else units
    codebook = selection.tables.codebook
    concepts = [c for c in codebook.concepts if concept_group is None or c.group == concept_group]
    labels = {c.id: (c.label, c.group) for c in concepts}
    counts = concept_counts(selection, strictness=design.strictness)
    table = compare_items(
        units, counts, target=target, reference=reference, design=design, items=[c.id for c in concepts], labels=labels
    )
    return Comparison(table, target, reference, design, units)


def compare_terms(
    selection: Selection, *, target: str, reference: str, language: str, design: Design | None = None
) -> Comparison:
    """Terms of one language compared between two groups over articles.

    The units are the articles' paragraphs in ``language``; the items are the terms with at
    least the minimum number of occurrences in the two groups together (none when a group has
    no text in ``language``).
    """
    design = design or Design()
    units = language_units(selection, language)
    counts = term_counts(selection, language=language, form=design.form)
    totals = counts[counts["group"].isin([target, reference])].groupby("item")["count"].sum()
    items = sorted(str(t) for t, n in totals.items() if n >= design.min_occurrences)
    if not ((units["group"] == target).any() and (units["group"] == reference).any()):
        items = []  # one group has no text in this language: nothing to compare
    table = compare_items(units, counts, target=target, reference=reference, design=design, items=items)
    return Comparison(table, target, reference, design, units)
