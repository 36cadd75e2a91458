"""Robustness grids, verdicts, and the findings of every planned report on the real corpus."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from corpus.analysis.claims import Context, balance, top_item
from corpus.analysis.data import load_tables
from corpus.analysis.findings import actor_claims, claims_table, findings, framing_claims, report_claims
from corpus.analysis.quality import quality_claims
from corpus.analysis.robustness import SUPPORTS, Outcome, Spec, grid, run, verdict
from corpus.analysis.select import Selection, select
from corpus.paths import Layout


def test_the_grid_crosses_the_choices_and_leaves_out_one_at_a_time() -> None:
    specs = grid(Spec(), ["denominator", "strictness", "support"], articles=["d1", "d2"], outlets=["o1"])
    assert specs[0] == Spec()  # the report's own specification first
    crossed = [s for s in specs if not s.leave_out]
    assert len(crossed) == 2 * 2 * len(SUPPORTS) and len(set(crossed)) == len(crossed)
    assert [s.leave_out for s in specs if s.leave_out] == ["article:d1", "article:d2", "outlet:o1"]
    assert all(s.denominator == "content" and s.min_articles == 3 for s in specs if s.leave_out)


def test_verdicts() -> None:
    supported, lacking = Outcome(True, 1.0), Outcome(False, 1.0)
    assert verdict(lacking, [(supported, True)]) == "too little evidence"
    assert verdict(supported, [(supported, True), (lacking, False)]) == "robust"  # unsupported specs do not count
    assert verdict(supported, [(supported, True), (supported, False)]) == "fragile"


def test_run_marks_the_primary_specification_and_where_the_claim_holds() -> None:
    specs = grid(Spec(), ["denominator"], articles=["d1"], outlets=[])
    effects = {"content": 2.0, "all": -1.0}
    outcome, curve, result = run(
        lambda s: Outcome(True, effects[s.denominator], value="+" if effects[s.denominator] > 0 else "-"),
        lambda p, o: o.value == p.value,
        specs,
        ["denominator"],
    )
    assert outcome.effect == 2.0 and result == "fragile"
    assert list(curve["primary"]) == [True, False, False] and list(curve["holds"]) == [True, False, True]


def test_claims_on_the_fixture(selection: Selection) -> None:
    ctx = Context(selection)
    by_outlet = Context(select(selection.tables, groups_by="outlet"))
    spec = Spec(min_articles=1, min_occurrences=1)
    top = top_item(ctx, spec, group="russian-state-media", concept_group="topic")
    assert top.value in {c.id for c in selection.tables.codebook.concepts if c.group == "topic"}
    assert top.articles == 2 and top.supported
    assert not top_item(ctx, Spec(), group="russian-state-media", concept_group="topic").supported  # 2 < 3 articles
    groups = by_outlet.selection.groups
    outcome = balance(
        by_outlet, spec, group="sputnik", first="frame_cooperation", second="frame_confrontation", groups=groups
    )
    assert outcome.articles == 1 and outcome.p_adjusted == 1.0  # one article: a sign flip changes nothing
    claims = actor_claims(ctx, groups=selection.groups, primary=Spec()) + framing_claims(
        ctx, groups=selection.groups, primary=Spec()
    )
    assert all(c.verdict == "too little evidence" for c in claims[:-1])  # two articles per group everywhere
    table = claims_table(claims)
    assert list(table.columns)[:2] == ["section", "statement"] and len(table) == len(claims)


@pytest.fixture(scope="module")
def real(repo: Layout) -> tuple[pd.DataFrame, list]:  # type: ignore[type-arg]
    if not repo.descriptor.is_file():
        pytest.skip("the data package is not built (run `corpus build`)")
    from corpus.reports.parameters import planned_parameters

    return findings(load_tables(repo), planned_parameters(repo))


def test_every_planned_report_with_claims_is_in_the_findings(real: tuple) -> None:  # type: ignore[type-arg]
    table, _ = real
    assert {"vocabulary", "vocabulary-en", "vocabulary-ru", "actors-topics", "framing", "codebook-quality"} <= set(
        table["report"]
    )
    assert set(table["verdict"]) <= {"robust", "fragile", "too little evidence"}


def test_no_claim_of_a_significant_difference_on_todays_six_articles(real: tuple) -> None:  # type: ignore[type-arg]
    """Every comparison the reports make is either untestable or not significant after correction, and says so."""
    _, claims = real
    comparisons = [
        (name, c)
        for name, c in claims
        if c.section in ("Concepts compared", "Cooperation and confrontation", "Tone by frame")
        or c.section.startswith("Key terms")
    ]
    assert comparisons
    for name, claim in comparisons:
        p = claim.outcome.p_adjusted
        assert math.isnan(p) or p >= 0.05, (name, claim.statement)
        assert "differ between" not in claim.statement or claim.statement.startswith("No ")
        if not claim.outcome.supported:
            assert claim.verdict == "too little evidence" and re.search(
                r"too little evidence|can be tested|minimum support", claim.statement
            )


def test_quality_claims_state_dev_and_holdout(repo: Layout) -> None:
    claims = quality_claims(load_tables(repo))
    assert [c.statement.split(":")[0] for c in claims] == ["Actors", "Topics", "Frames", "Quote attribution"]
    assert all("dev pages" in c.statement and "holdout pages" in c.statement for c in claims)
    assert {c.verdict for c in claims} <= {"robust", "fragile"}


def test_a_notebook_without_findings_states_none(repo: Layout) -> None:
    assert (
        report_claims(
            load_tables(repo),
            notebook="01_overview.ipynb",
            parameters={"groups_by": "outlet", "languages": ["en"], "top_n": 5, "min_freq": 1},
        )
        == []
    )
