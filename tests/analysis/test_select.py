"""Selecting text: dates of any precision, languages, outlets, groups, and empty selections."""

from __future__ import annotations

from pathlib import Path

import pytest
from builder import ANALYSIS_DOCS, Doc, write_project

from corpus.analysis.collocations import collocations
from corpus.analysis.concepts import concept_rates, cooccurrence, frame_rates
from corpus.analysis.data import Tables, load_tables
from corpus.analysis.frequencies import term_frequencies
from corpus.analysis.inference import compare_concepts
from corpus.analysis.kwic import kwic
from corpus.analysis.overview import timeline
from corpus.analysis.quotes import quote_counts, quotes
from corpus.analysis.select import group_values, select
from corpus.analysis.tone import tone, tone_by_frame
from corpus.errors import EmptySelectionError, ParameterError


def test_a_bad_date_bound_names_the_bound(tables: Tables) -> None:
    with pytest.raises(ParameterError, match=r"date_from: date '2025-13' is not a calendar date"):
        select(tables, date_from="2025-13")
    with pytest.raises(ParameterError, match=r"date_to: date '23.08.2025' is not an ISO date"):
        select(tables, date_to="23.08.2025")


def test_date_filter_overlaps_and_reports_undated(tables: Tables) -> None:
    chosen = select(tables, date_from="2025-03", date_to="2025-12-31")
    assert sorted(chosen.documents["doc_id"]) == ["000_aaaa-1", "002_cccc-1"]
    assert chosen.excluded_undated == 1
    month = select(tables, date_from="2021-10-15", date_to="2021-10-15")
    assert list(month.documents["doc_id"]) == ["001_bbbb-1"]  # month-precision date overlaps


def test_languages_select_paragraphs_and_groups(tables: Tables) -> None:
    chosen = select(tables, groups_by="language", languages=["uk"])
    assert list(chosen.paragraphs["group"]) == ["uk"]
    by_outlet = select(tables, groups_by="outlet")
    assert by_outlet.groups == ["(unknown)", "blog-repost", "lenta-ua", "sputnik"]
    only = select(tables, outlets=["(unknown)"])
    assert list(only.documents["doc_id"]) == ["003_dddd-1"]


def test_empty_selection_explains_itself(tables: Tables) -> None:
    empty = select(tables, date_from="2030")
    assert empty.empty and "Nothing to analyse" in empty.notice()
    with pytest.raises(EmptySelectionError, match="no text selected"):
        empty.require()
    for frame in (
        term_frequencies(empty),
        concept_rates(empty),
        frame_rates(empty),
        kwic(empty, concept="sanctions"),
        cooccurrence(empty),
        quote_counts(quotes(empty)),
        tone_by_frame(tone(empty)),
        timeline(empty),
        collocations(empty),
    ):
        assert frame.empty and len(frame.columns) > 0
    # a comparison lists every concept, none of them testable
    compared = compare_concepts(empty, target="a", reference="b")
    assert compared.tested.empty and set(compared.table["result"]) == {"too little evidence"}


def test_an_article_in_an_unsupported_language_never_enters_an_analysis(tmp_path: Path) -> None:
    french = Doc(
        "004_eeee", "", "european", "2025-08-16", "day", "header", "Poutine et Trump en Alaska",
        (
            ("fr", "Le Kremlin a confirmé la venue de l’émissaire américain pour discuter du plan de paix."),
            ("en", "We are discussing cooperation in the Arctic, Putin said on Friday in Alaska."),  # a quotation
        ),
    )  # fmt: skip
    tables = load_tables(write_project(tmp_path / "project", (*ANALYSIS_DOCS, french)))
    assert "004_eeee-1" in set(tables.documents["doc_id"])  # it stays in the corpus
    for languages in (["en"], ["en", "ru", "uk"]):
        chosen = select(tables, groups_by="language", languages=languages)
        assert "004_eeee-1" not in set(chosen.documents["doc_id"])
        assert "004_eeee-1" not in set(chosen.paragraphs["doc_id"])
    assert "fr" not in group_values(tables, "language")
