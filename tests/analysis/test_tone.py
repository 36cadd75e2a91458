"""VADER tone of English sentences beside the frame families."""

from __future__ import annotations

import pytest

from corpus.analysis.select import Selection
from corpus.analysis.tone import tone, tone_by_frame
from corpus.text import nlp


def test_tone_scores_english_sentences_beside_frames(selection: Selection) -> None:
    scored = tone(selection)
    assert set(scored["doc_id"]) == {"000_aaaa-1", "001_bbbb-1"}
    accused = scored[(scored["doc_id"] == "001_bbbb-1") & (scored["sentence"] == 1)].iloc[0]
    assert accused["frames"] == "confrontation" and accused["compound"] < 0
    by_frame = tone_by_frame(scored).set_index("frame")
    cooperation = [
        nlp.tone(sentence)["compound"]
        for sentence in (
            "Russia and the United States discussed cooperation in the Arctic, Putin said.",
            '"We are discussing cooperation in the Arctic," Putin said.',
            "Lavrov said cooperation with the US on arms control is possible.",
        )
    ]
    confrontation = [
        nlp.tone(sentence)["compound"]
        for sentence in (
            "Washington accused Moscow of undermining the talks.",
            "The so-called experts allegedly blamed Russia.",
        )
    ]
    assert by_frame.loc["cooperation", "sentences"] == 3
    assert by_frame.loc["cooperation", "mean_compound"] == pytest.approx(sum(cooperation) / 3)
    assert by_frame.loc["cooperation", "median_compound"] == pytest.approx(sorted(cooperation)[1])
    assert by_frame.loc["confrontation", "sentences"] == 2
    assert by_frame.loc["confrontation", "mean_compound"] == pytest.approx(sum(confrontation) / 2)
    # a sentence with two families counts under each: the second one is also distancing ("so-called")
    assert by_frame.loc["distancing", "sentences"] == 1
    assert by_frame.loc["distancing", "mean_compound"] == pytest.approx(confrontation[1])
    assert by_frame.loc["none", "sentences"] == 1  # "Sanctions remain." has no frame
    assert all(c < 0 for c in confrontation) and max(cooperation) > 0
