"""Keyword in context: offsets into the paragraph and into the raw seed."""

from __future__ import annotations

import pytest

from corpus.analysis.kwic import kwic
from corpus.analysis.select import Selection
from corpus.errors import ParameterError


def test_kwic_line_offsets(selection: Selection) -> None:
    lines = kwic(selection, term="санкция", width=10)
    second = lines[(lines["doc_id"] == "002_cccc-1") & (lines["paragraph"] == 2)].iloc[0]
    # paragraph 2 starts at 100 + len(paragraph 1) + 2 = 100 + 100 + 2 = 202
    text = "По словам Дмитриева, сотрудничество с США возможно, несмотря на санкциями ограниченную торговлю."
    assert (second["para_start"], second["para_end"]) == (64, 73) == (text.index("санкциями"), 73)
    assert (second["start"], second["end"]) == (266, 275)
    assert (second["left"], second["match"], second["right"]) == ("смотря на ", "санкциями", " ограничен")


def test_kwic_for_a_concept_and_bad_calls(selection: Selection) -> None:
    lines = kwic(selection, concept="sanctions")
    # «санкцій» is the Ukrainian paragraph's form (Ukrainian і)
    assert sorted(lines["match"]) == sorted(["Sanctions", "санкции", "санкциями", "санкцій", "Санкции"])
    with pytest.raises(ParameterError, match="exactly one"):
        kwic(selection)
    with pytest.raises(ParameterError, match="not in the codebook"):
        kwic(selection, concept="weather")
