"""Analysis functions on a small fixture package with hand-checked values."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from analysis_fixture import SCRIPT, make_project

from corpus import analysis
from corpus.errors import EmptySelectionError, PackageError, ParameterError
from corpus.figures import md_text, table_html
from corpus.paths import Layout


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> analysis.Tables:
    return analysis.load_tables(make_project(tmp_path_factory.mktemp("fixture")))


@pytest.fixture(scope="module")
def selection(tables: analysis.Tables) -> analysis.Selection:
    return analysis.select(tables, groups_by="perspective")


def test_log_likelihood_by_hand() -> None:
    # a=20, b=5 in two corpora of 1,000 tokens: E1 = E2 = 12.5,
    # G2 = 2 * (20 ln(20/12.5) + 5 ln(5/12.5)) = 2 * (9.400073 - 4.581454) = 9.637238
    assert analysis.log_likelihood(20, 5, 1000, 1000) == pytest.approx(9.637238, abs=1e-6)
    # unequal sizes, one zero cell: a=10, b=0, c=1000, d=3000: E1 = 2.5, G2 = 2 * 10 ln 4 = 27.725887
    assert analysis.log_likelihood(10, 0, 1000, 3000) == pytest.approx(27.725887, abs=1e-6)
    assert analysis.log_likelihood(5, 5, 100, 100) == 0.0


def test_log_ratio_by_hand() -> None:
    assert analysis.log_ratio(20, 5, 1000, 1000) == pytest.approx(2.0)
    assert analysis.log_ratio(10, 20, 1000, 1000) == pytest.approx(-1.0)
    assert analysis.log_ratio(4, 0, 1000, 1000) == pytest.approx(3.0)  # zero replaced by 0.5


def test_keyness_table_reports_sizes_and_filters() -> None:
    table = analysis.keyness_table(
        {"sanctions": 20, "rare": 1}, {"sanctions": 5, "talks": 9}, target_size=1000, reference_size=1000, min_freq=5
    )
    assert list(table.columns) == analysis.KEYNESS_COLUMNS
    assert list(table["item"]) == ["talks", "sanctions"]  # "rare" (1 < 5) is filtered out
    row = table.set_index("item").loc["sanctions"]
    assert (row["size_target"], row["size_reference"]) == (1000, 1000)
    assert row["log_likelihood"] == pytest.approx(9.637238, abs=1e-6)
    assert row["p_value"] == pytest.approx(math.erfc(math.sqrt(9.637238 / 2)), rel=1e-6)
    assert row["p_value"] < 0.01 and row["overused_in"] == "target"
    assert table.set_index("item").loc["talks", "overused_in"] == "reference"
    assert analysis.keyness_table({"a": 9}, {}, target_size=10, reference_size=0).empty


def test_load_tables_keeps_strings_and_types_integers(tables: analysis.Tables) -> None:
    assert tables.documents["start"].dtype == "int64"
    undated = tables.documents.set_index("doc_id").loc["003_dddd-1"]
    assert undated["date"] == "" and undated["outlet_id"] == ""  # not NaN
    assert len(tables.mentions) > 0 and tables.mentions["para_start"].dtype == "int64"


def test_load_tables_without_a_package(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match=r"datapackage\.json not found"):
        analysis.load_tables(Layout(tmp_path))


@pytest.mark.parametrize(
    ("value", "interval"),
    [
        ("2025-08-23", ("2025-08-23", "2025-08-23")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2025", ("2025-01-01", "2025-12-31")),
    ],
)
def test_reduced_precision_dates_cover_their_interval(value: str, interval: tuple[str, str]) -> None:
    found = analysis.date_interval(value)
    assert found is not None and tuple(d.isoformat() for d in found) == interval


@pytest.mark.parametrize("value", ["2025-13", "23.08.2025", "soon", "2025-02-30"])
def test_bad_dates_are_refused(value: str) -> None:
    with pytest.raises(ParameterError, match="not an ISO date"):
        analysis.date_interval(value)


def test_date_filter_overlaps_and_reports_undated(tables: analysis.Tables) -> None:
    chosen = analysis.select(tables, date_from="2025-03", date_to="2025-12-31")
    assert sorted(chosen.documents["doc_id"]) == ["000_aaaa-1", "002_cccc-1"]
    assert chosen.excluded_undated == 1
    month = analysis.select(tables, date_from="2021-10-15", date_to="2021-10-15")
    assert list(month.documents["doc_id"]) == ["001_bbbb-1"]  # month-precision date overlaps


def test_languages_select_paragraphs_and_groups(tables: analysis.Tables) -> None:
    chosen = analysis.select(tables, groups_by="language", languages=["uk"])
    assert list(chosen.paragraphs["group"]) == ["uk"]
    by_outlet = analysis.select(tables, groups_by="outlet")
    assert by_outlet.groups == ["(unknown)", "blog-repost", "lenta-ua", "sputnik"]
    only = analysis.select(tables, outlets=["(unknown)"])
    assert list(only.documents["doc_id"]) == ["003_dddd-1"]


def test_empty_selection_explains_itself(tables: analysis.Tables) -> None:
    empty = analysis.select(tables, date_from="2030")
    assert empty.empty and "Nothing to analyse" in empty.notice()
    with pytest.raises(EmptySelectionError, match="no text selected"):
        empty.require()
    for frame in (
        analysis.term_frequencies(empty),
        analysis.concept_rates(empty),
        analysis.frame_rates(empty),
        analysis.kwic(empty, concept="sanctions"),
        analysis.cooccurrence(empty),
        analysis.quote_counts(analysis.quotes(empty)),
        analysis.tone_by_frame(analysis.tone(empty)),
        analysis.timeline(empty),
        analysis.collocations(empty),
        analysis.concept_keyness(empty, target="a", reference="b"),
    ):
        assert frame.empty and len(frame.columns) > 0


def test_group_sizes_count_word_tokens(selection: analysis.Selection) -> None:
    sizes = analysis.group_sizes(selection).set_index("group")
    # paragraph 1 of 000_aaaa-1 has 12 words; paragraph 2 ("We are discussing ... remain.") 11
    assert sizes.loc["russian-state-media", "documents"] == 2
    first = analysis.select(selection.tables, languages=["en"], date_from="2025-08-23", date_to="2025-08-23")
    assert analysis.group_sizes(first)["tokens"].tolist() == [12 + 11]


def test_term_frequencies(selection: analysis.Selection) -> None:
    top = analysis.term_frequencies(selection, top_n=2)
    ru = top[(top["group"] == "ukrainian") & (top["language"] == "ru")]
    # россия (Россия, России, России) and санкция (санкции, санкциями, Санкции) appear 3 times
    assert list(ru["term"]) == ["россия", "санкция"] and list(ru["count"]) == [3, 3]
    assert ru["per_1000"].iloc[0] == pytest.approx(1000 * 3 / ru["tokens"].iloc[0])


def test_keyness_needs_a_shared_language(selection: analysis.Selection) -> None:
    table = analysis.keyness(selection, target="russian-state-media", reference="ukrainian", language="ru")
    assert table.empty
    assert "do not both have text" in analysis.keyness_note(
        table, target="russian-state-media", reference="ukrainian", language="ru"
    )
    by_outlet = analysis.select(selection.tables, groups_by="outlet")
    key = analysis.keyness(by_outlet, target="sputnik", reference="blog-repost", language="en", min_freq=2)
    arctic = key.set_index("item").loc["arctic"]
    assert (arctic["freq_target"], arctic["freq_reference"]) == (2, 0)
    assert arctic["log_ratio"] > 0 and arctic["size_target"] == 12 + 11


def test_concept_keyness_compares_across_languages(selection: analysis.Selection) -> None:
    table = analysis.concept_keyness(selection, target="russian-state-media", reference="ukrainian", min_freq=1)
    sanctions = table.set_index("item").loc["sanctions"]
    assert sanctions["label"] == "Sanctions" and sanctions["freq_reference"] == 4
    assert sanctions["freq_target"] == 1 and sanctions["overused_in"] == "reference"


def test_collocations_use_nltk_measures(selection: analysis.Selection) -> None:
    table = analysis.collocations(selection, min_freq=2)
    assert table[["w1", "w2", "freq"]].values.tolist()[0] == ["arctic", "putin", 2]
    pmi = analysis.collocations(selection, measure="pmi", min_freq=2)
    assert set(pmi["measure"]) == {"pmi"}


def test_kwic_line_offsets(selection: analysis.Selection) -> None:
    lines = analysis.kwic(selection, term="санкция", width=10)
    second = lines[(lines["doc_id"] == "002_cccc-1") & (lines["paragraph"] == 2)].iloc[0]
    # paragraph 2 starts at 100 + len(paragraph 1) + 2 = 100 + 100 + 2 = 202
    text = "По словам Дмитриева, сотрудничество с США возможно, несмотря на санкциями ограниченную торговлю."
    assert (second["para_start"], second["para_end"]) == (64, 73) == (text.index("санкциями"), 73)
    assert (second["start"], second["end"]) == (266, 275)
    assert (second["left"], second["match"], second["right"]) == ("смотря на ", "санкциями", " ограничен")


def test_kwic_for_a_concept_and_bad_calls(selection: analysis.Selection) -> None:
    lines = analysis.kwic(selection, concept="sanctions")
    # «санкцій» is the Ukrainian paragraph's form (Ukrainian і)
    assert sorted(lines["match"]) == sorted(["Sanctions", "санкции", "санкциями", "санкцій", "Санкции"])
    with pytest.raises(ParameterError, match="exactly one"):
        analysis.kwic(selection)
    with pytest.raises(ParameterError, match="not in the codebook"):
        analysis.kwic(selection, concept="weather")


def test_concept_rates_include_zeros(selection: analysis.Selection) -> None:
    rates = analysis.concept_rates(selection, concept_group="topic")
    assert len(rates) == 2 * len(selection.tables.codebook.ids(group="topic"))
    arctic = rates.set_index(["group", "concept_id"]).loc[("russian-state-media", "arctic")]
    assert arctic["mentions"] == 2 and arctic["per_1000"] == pytest.approx(2000 / arctic["tokens"])
    assert rates.set_index(["group", "concept_id"]).loc[("ukrainian", "arctic"), "mentions"] == 0


def test_cooccurrence_within_sentences(selection: analysis.Selection) -> None:
    pairs = analysis.cooccurrence(selection, concept_group="topic")
    assert pairs.empty or (pairs["concept_a"] < pairs["concept_b"]).all()
    actors = analysis.cooccurrence(selection).set_index(["concept_a", "concept_b"])
    assert actors.loc[("russia", "united_states"), "sentences"] >= 3


def test_quotes_attribute_direct_and_reported_speech(selection: analysis.Selection) -> None:
    quoted = analysis.quotes(selection).set_index(["doc_id", "paragraph", "sentence"])
    assert quoted.loc[("000_aaaa-1", 2, 1), ["kind", "speaker"]].tolist() == ["direct", "putin"]
    assert quoted.loc[("001_bbbb-1", 2, 1), ["kind", "speaker", "marker"]].tolist() == ["reported", "lavrov", "said"]
    assert quoted.loc[("002_cccc-1", 2, 1), ["kind", "speaker"]].tolist() == ["reported", "dmitriev"]
    # the one-word quoted "x" in the script tag is not a quotation
    assert ("003_dddd-1", 1, 1) not in quoted.index
    counts = analysis.quote_counts(analysis.quotes(selection))
    putin = counts[counts["speaker_label"] == "Vladimir Putin"].iloc[0]
    assert (putin["direct"], putin["reported"], putin["total"]) == (1, 1, 2)


def test_tone_scores_english_sentences_beside_frames(selection: analysis.Selection) -> None:
    scored = analysis.tone(selection)
    assert set(scored["doc_id"]) == {"000_aaaa-1", "001_bbbb-1"}
    accused = scored[(scored["doc_id"] == "001_bbbb-1") & (scored["sentence"] == 1)].iloc[0]
    assert accused["frames"] == "confrontation" and accused["compound"] < 0
    by_frame = analysis.tone_by_frame(scored).set_index("frame")
    assert by_frame.loc["confrontation", "mean_compound"] < 0 < by_frame.loc["cooperation", "mean_compound"] + 1


def test_markup_in_seed_text_stays_text(selection: analysis.Selection) -> None:
    lines = analysis.kwic(selection, concept="sanctions")
    assert SCRIPT in "".join(lines["left"])  # the analysis returns the text as it is ...
    rendered = table_html(lines)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered  # ... and rendering escapes it
    prose = md_text("Matched: {m}", {"m": SCRIPT})
    assert "<script>" not in prose and "&lt;script&gt;" in prose


def test_top_per_group() -> None:
    frame = pd.DataFrame({"group": ["a", "a", "b"], "label": ["x", "y", "z"], "v": [1, 3, 2]})
    assert analysis.top_per_group(frame, value="v")["label"].tolist() == ["y", "z"]
    assert analysis.top_per_group(frame.iloc[0:0], value="v").empty
