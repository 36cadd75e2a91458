"""Concept rates and co-occurrence within sentences."""

from __future__ import annotations

import pytest

from corpus.analysis.concepts import concept_rates, cooccurrence
from corpus.analysis.select import Selection


def test_concept_rates_include_zeros(selection: Selection) -> None:
    rates = concept_rates(selection, concept_group="topic")
    assert len(rates) == 2 * len(selection.tables.codebook.ids(group="topic"))
    arctic = rates.set_index(["group", "concept_id"]).loc[("russian-state-media", "arctic")]
    assert arctic["mentions"] == 2 and arctic["per_1000"] == pytest.approx(2000 / arctic["tokens"])
    assert rates.set_index(["group", "concept_id"]).loc[("ukrainian", "arctic"), "mentions"] == 0


def test_cooccurrence_within_sentences(selection: Selection) -> None:
    pairs = cooccurrence(selection, concept_group="topic")
    # the one sentence with two topics: «…несмотря на санкциями ограниченную торговлю» (sanctions, trade)
    assert pairs[["concept_a", "concept_b", "sentences"]].values.tolist() == [["economic_ties", "sanctions", 1]]
    everything = cooccurrence(selection)
    assert (everything["concept_a"] < everything["concept_b"]).all()
    # Russia and the US share five sentences: two English, two Russian (Россия/России/Российский with
    # США) and one Ukrainian (Росія … США); «Санкции против России обсуждались в Вашингтоне» is not one
    # of them: Washington there is a place, not the state (the codebook's capitals-as-places rule).
    actors = everything.set_index(["concept_a", "concept_b"])
    assert actors.loc[("russia", "united_states"), "sentences"] == 5
