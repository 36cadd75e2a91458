"""The findings the reports state, each evaluated over the robustness grid with its verdict.

A *claim* is a sentence a report prints: "no concept differs between A and B after correction",
"the most mentioned actor in A is Russia", "cooperation markers outnumber confrontation markers in
A", "sentences with cooperation markers are more positive than those with confrontation markers",
"the most quoted speaker in A is Putin". Each kind of claim has an evaluator (the claim under one
:class:`~corpus.analysis.robustness.Spec`), a test of whether another specification confirms it,
and the choices it depends on; :func:`evaluate` runs it over the grid
(:mod:`corpus.analysis.robustness`). The report's statement is generated from the result under
the report's own specification.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, cast

import pandas as pd

from corpus.analysis.inference import Design, compare_items
from corpus.analysis.quotes import quotes
from corpus.analysis.robustness import Axis, Outcome, Spec, Verdict, grid, run
from corpus.analysis.select import Selection
from corpus.analysis.stats import Correction, adjust, mean_interval, paired_test
from corpus.analysis.tone import Score, frame_contrast, tone
from corpus.analysis.units import (
    Denominator,
    Form,
    article_units,
    concept_counts,
    language_units,
    size_column,
    term_counts,
)
from corpus.text.codebook import Strictness

CLAIM_COLUMNS: Final[list[str]] = [
    "section", "statement", "effect", "low", "high", "p_adjusted", "articles", "verdict", "specifications",
    "holding",
]  # fmt: skip


@dataclass(frozen=True)
class Claim:
    """A finding as the report states it, its result under the report's choices, its curve and verdict."""

    section: str
    statement: str
    outcome: Outcome
    verdict: Verdict
    curve: pd.DataFrame
    axes: tuple[Axis, ...] = ()

    def row(self) -> dict[str, object]:
        """The claim as a row of :data:`CLAIM_COLUMNS`."""
        supported = self.curve[self.curve["supported"]]
        return {
            "section": self.section, "statement": self.statement, "effect": self.outcome.effect,
            "low": self.outcome.low, "high": self.outcome.high, "p_adjusted": self.outcome.p_adjusted,
            "articles": self.outcome.articles, "verdict": self.verdict,
            "specifications": f"{len(supported)} of {len(self.curve)} with support",
            "holding": f"{int(supported['holds'].sum())} of {len(supported)}",
        }  # fmt: skip


class Context:
    """One selection's units, counts, tone and quotes, computed once for all specifications."""

    def __init__(self, selection: Selection, *, correction: Correction = "holm", alpha: float = 0.05) -> None:
        self.selection = selection
        self.correction: Correction = correction
        self.alpha = alpha
        self._cache: dict[tuple[object, ...], Any] = {}

    def _get(self, key: tuple[object, ...], make: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def units(self, language: str | None = None) -> pd.DataFrame:
        """Article units (of one language's paragraphs when ``language`` is given)."""
        if language is None:
            return cast(pd.DataFrame, self._get(("units",), lambda: article_units(self.selection)))
        return cast(pd.DataFrame, self._get(("units", language), lambda: language_units(self.selection, language)))

    def counts(self, strictness: str) -> pd.DataFrame:
        """Concept counts per article and group, strict or lenient."""
        mode: Strictness = "lenient" if strictness == "lenient" else "strict"
        return cast(pd.DataFrame, self._get(("counts", mode), lambda: concept_counts(self.selection, strictness=mode)))

    def terms(self, language: str, form: str) -> pd.DataFrame:
        """Term counts of one language per article and group."""
        f: Form = "lower" if form == "lower" else "lemma"
        return cast(
            pd.DataFrame,
            self._get(("terms", language, f), lambda: term_counts(self.selection, language=language, form=f)),
        )

    def scored(self) -> pd.DataFrame:
        """English sentences with their tone scores."""
        return cast(pd.DataFrame, self._get(("tone",), lambda: tone(self.selection)))

    def quoted(self) -> pd.DataFrame:
        """Speech acts with their attributions (confidence kept, so a spec can show fewer)."""
        return cast(pd.DataFrame, self._get(("quotes",), lambda: quotes(self.selection, min_confidence="medium")))

    def kept(self, units: pd.DataFrame, spec: Spec) -> pd.DataFrame:
        """The units without the article or outlet the specification leaves out."""
        kind, _, value = spec.leave_out.partition(":")
        column = {"article": "doc_id", "outlet": "outlet_id"}.get(kind)
        return units if column is None else units[units[column] != value]

    def design(self, spec: Spec) -> Design:
        """The comparison design of a specification."""
        denominator: Denominator = "all" if spec.denominator == "all" else "content"
        strictness: Strictness = "lenient" if spec.strictness == "lenient" else "strict"
        form: Form = "lower" if spec.form == "lower" else "lemma"
        return Design(
            denominator, strictness, form, spec.min_articles, spec.min_occurrences, self.correction, self.alpha
        )


def evaluate(
    ctx: Context,
    section: str,
    primary: Spec,
    axes: list[Axis],
    evaluator: Callable[[Spec], Outcome],
    holds: Callable[[Outcome, Outcome], bool],
    statement: Callable[[Outcome], str],
) -> Claim:
    """Run one claim over its grid and state it from its result under the report's specification."""
    units = ctx.units()
    specs = grid(primary, axes, articles=units["doc_id"].unique(), outlets=units["outlet_id"].unique())
    outcome, curve, verdict = run(evaluator, holds, specs, axes)
    return Claim(section, statement(outcome), outcome, verdict, curve, tuple(axes))


# ----------------------------------------------------------------------------- evaluators


def differences(ctx: Context, spec: Spec, *, target: str, reference: str, items: str, language: str = "") -> Outcome:
    """Which items differ between two groups (after correction); ``items``: a concept group, ``all`` or ``terms``."""
    design = ctx.design(spec)
    if items == "terms":
        units, counts = ctx.units(language), ctx.terms(language, spec.form)
        totals = counts[counts["group"].isin([target, reference])].groupby("item")["count"].sum()
        names = sorted(str(t) for t, n in totals.items() if n >= spec.min_occurrences)
    else:
        units, counts = ctx.units(), ctx.counts(spec.strictness)
        codebook = ctx.selection.tables.codebook
        names = [c.id for c in codebook.concepts if items == "all" or c.group == items]
    kept = ctx.kept(units, spec)
    table = compare_items(kept, counts, target=target, reference=reference, design=design, items=names)
    differing = table[table["result"] == "differs"]
    value = ";".join(
        f"{i}{'+' if lr > 0 else '-'}" for i, lr in zip(differing["item"], differing["log_ratio"], strict=True)
    )
    tested = int((table["result"] != "too little evidence").sum())
    articles = int(min((kept["group"] == target).sum(), (kept["group"] == reference).sum()))
    return Outcome(tested > 0, float(len(differing)), articles=articles, value=value or "none",
                   p_adjusted=float(table["p_adjusted"].min()) if tested else math.nan)  # fmt: skip


def top_item(ctx: Context, spec: Spec, *, group: str, concept_group: str) -> Outcome:
    """The concept of ``concept_group`` with the highest mean per-article rate in ``group``."""
    units = ctx.kept(ctx.units(), spec)
    units = units[units["group"] == group]
    counts = ctx.counts(spec.strictness)
    codebook = ctx.selection.tables.codebook
    ids = [c.id for c in codebook.concepts if c.group == concept_group]
    size = size_column("all" if spec.denominator == "all" else "content")
    found = counts[(counts["group"] == group) & counts["doc_id"].isin(units["doc_id"])]
    table = found.pivot_table(index="doc_id", columns="item", values="count", aggfunc="sum", fill_value=0)
    table = table.reindex(index=list(units["doc_id"]), columns=ids, fill_value=0)
    rates = table.div(list(units[size].clip(lower=1)), axis=0) * 1000
    if rates.empty or not (table.to_numpy().sum() > 0):
        return Outcome(False, math.nan, articles=len(units), value="none")
    means = rates.mean()  # in codebook order: a tie goes to the concept listed first
    top = str(means.idxmax())
    low, high = mean_interval(list(rates[top]))
    supported = len(units) >= spec.min_articles and int(table[top].sum()) >= spec.min_occurrences
    return Outcome(supported, float(means[top]), low, high, articles=len(units), value=top)


def balance(ctx: Context, spec: Spec, *, group: str, first: str, second: str, groups: list[str]) -> Outcome:
    """Per-article rate of ``first`` minus ``second`` (concept ids) in ``group``, tested by sign flips.

    The p-value is adjusted over the same test in every group of ``groups``.
    """
    outcomes = {g: _balance_one(ctx, spec, g, first, second) for g in groups}
    ps = [outcomes[g][1] for g in groups]
    adjusted = dict(zip(groups, adjust(ps, ctx.correction), strict=True))
    outcome, _ = outcomes[group]
    sign = "+" if outcome.effect > 0 else "-"
    significant = "significant" if adjusted[group] < ctx.alpha else "not significant"
    return Outcome(outcome.supported, outcome.effect, outcome.low, outcome.high, adjusted[group], outcome.articles,
                   f"{sign} {significant}")  # fmt: skip


def _balance_one(ctx: Context, spec: Spec, group: str, first: str, second: str) -> tuple[Outcome, float]:
    units = ctx.kept(ctx.units(), spec)
    units = units[units["group"] == group]
    counts = ctx.counts(spec.strictness)
    counts = counts[(counts["group"] == group) & counts["doc_id"].isin(units["doc_id"])]
    size = size_column("all" if spec.denominator == "all" else "content")
    per = counts.pivot_table(index="doc_id", columns="item", values="count", aggfunc="sum", fill_value=0)
    per = per.reindex(index=list(units["doc_id"]), columns=[first, second], fill_value=0)
    rates = per.div(list(units[size].clip(lower=1)), axis=0) * 1000
    occurrences = int(per.to_numpy().sum())
    supported = len(units) >= spec.min_articles and occurrences >= spec.min_occurrences
    if len(units) == 0:
        return Outcome(False, math.nan, articles=0), math.nan
    diffs = list(rates[first] - rates[second])
    low, high = mean_interval(diffs)
    p = paired_test(list(rates[first]), list(rates[second])).p_value if supported else math.nan
    return Outcome(supported, float(sum(diffs) / len(diffs)), low, high, p, len(units)), p


def tone_contrast(ctx: Context, spec: Spec) -> Outcome:
    """Cooperation minus confrontation sentence tone over the English articles having both."""
    scored = ctx.scored()
    kept = ctx.kept(ctx.units(), spec)
    scored = scored[scored["doc_id"].isin(kept["doc_id"])]
    score: Score = "compound" if spec.score == "compound" else "compound_unmarked"
    result = frame_contrast(scored, score=score)
    articles = int(str(result["articles"]))
    p, effect = float(str(result["p_value"])), float(str(result["difference"]))
    sign = "+" if effect > 0 else "-"
    value = f"{sign} {'significant' if p < ctx.alpha else 'not significant'}"
    return Outcome(articles >= spec.min_articles, effect, float(str(result["low"])), float(str(result["high"])), p,
                   articles, value)  # fmt: skip


def top_speaker(ctx: Context, spec: Spec, *, group: str) -> Outcome:
    """The speaker with the most shown attributions in ``group`` (``high``: named speakers only)."""
    quoted = ctx.quoted()
    kept = ctx.kept(ctx.units(), spec)
    kept = kept[kept["group"] == group]
    allowed = {"high"} if spec.confidence == "high" else {"high", "medium"}
    shown = quoted[quoted["shown"] & quoted["confidence"].isin(allowed) & quoted["doc_id"].isin(kept["doc_id"])]
    shown = shown[shown["group"] == group]
    if shown.empty:
        return Outcome(False, math.nan, articles=len(kept), value="none")
    counts = shown.groupby("speaker").size().sort_index()
    top = str(counts.idxmax())
    supported = len(kept) >= spec.min_articles and int(counts[top]) >= spec.min_occurrences
    return Outcome(supported, float(counts[top]), articles=len(kept), value=top)


def same_value(primary: Outcome, other: Outcome) -> bool:
    """A specification confirms the claim when it states the same thing (the same items, top, sign and significance)."""
    return other.value == primary.value
