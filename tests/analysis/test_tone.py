"""VADER tone of English sentences beside the frame families, with and without the frame markers."""

from __future__ import annotations

import math

import pytest

from corpus.analysis.select import Selection
from corpus.analysis.tone import frame_contrast, tone, tone_by_frame
from corpus.text import nlp


def test_tone_scores_english_sentences_beside_frames(selection: Selection) -> None:
    scored = tone(selection)
    assert set(scored["doc_id"]) == {"000_aaaa-1", "001_bbbb-1"}
    accused = scored[(scored["doc_id"] == "001_bbbb-1") & (scored["sentence"] == 1)].iloc[0]
    assert accused["frames"] == "confrontation" and accused["compound"] < 0
    # the frame markers ("accused", "undermining") are VADER words: blanked out, the sentence is neutral
    assert accused["compound_unmarked"] == pytest.approx(
        nlp.tone("Washington          Moscow of              the talks.")["compound"]
    )
    assert accused["compound_unmarked"] > accused["compound"]


def test_tone_by_frame_averages_articles(selection: Selection) -> None:
    scored = tone(selection)
    by_frame = tone_by_frame(scored).set_index(["group", "frame"])
    cooperation = by_frame.loc[("russian-state-media", "cooperation")]
    per_article = scored.assign(frame=scored["frames"].str.split(";")).explode("frame")
    per_article = per_article[per_article["frame"] == "cooperation"].groupby("doc_id")["compound_unmarked"].mean()
    assert cooperation["articles"] == 2 and cooperation["sentences"] == 3
    assert cooperation["tone"] == pytest.approx(per_article.mean())
    assert (
        not math.isnan(cooperation["tone_low"])
        and cooperation["tone_low"] <= cooperation["tone"] <= cooperation["tone_high"]
    )
    # a sentence with two families counts under each: "so-called … allegedly blamed" is distancing too
    assert by_frame.loc[("russian-state-media", "distancing"), "sentences"] == 1


def test_frame_contrast_pairs_articles(selection: Selection) -> None:
    scored = tone(selection)
    result = frame_contrast(scored)
    # only the blog article has both cooperation and confrontation sentences: one pair, no interval
    assert result["articles"] == 1
    assert math.isnan(float(str(result["low"])))
    assert result["p_value"] == 1.0
