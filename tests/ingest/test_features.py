"""The classifier's generic features of a page's lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.ingest.extract import prepare
from corpus.ingest.features import FEATURES, main_block
from corpus.ingest.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "catalog" / "rules.toml", with_model=False)

PAGE = (
    "World\n\nEmbassy talks resume in Istanbul\n\n"
    "Russian and US negotiators met in Istanbul on Thursday for a second round of talks, the ministry said.\n\n"
    "The talks lasted six hours, according to a statement released by both sides afterwards.\n\n"
    "Never miss your daily briefing from our team\n"
)


def _vectors(text: str) -> dict[str, dict[str, float]]:
    prepared = prepare(text, RULES)
    return {
        prepared.lines[i].text: dict(zip(FEATURES, vector, strict=True))
        for i, vector in zip(prepared.judged, prepared.vectors, strict=True)
    }


def test_every_judged_line_has_one_value_per_feature_and_names_are_unique() -> None:
    prepared = prepare(PAGE, RULES)
    assert len(set(FEATURES)) == len(FEATURES)
    assert len(prepared.vectors) == len(prepared.judged) > 0
    assert all(len(v) == len(FEATURES) for v in prepared.vectors)
    assert not set(prepared.judged) & set(prepared.kinds)  # a line decided by a rule is not judged again


def test_features_say_where_a_line_stands_relative_to_the_main_block() -> None:
    v = _vectors(PAGE)
    body = v["The talks lasted six hours, according to a statement released by both sides afterwards."]
    call = v["Never miss your daily briefing from our team"]
    assert (body["inside_block"], body["sentence_like"]) == (1.0, 1.0)
    assert (call["after_block"], call["inside_block"]) == (1.0, 0.0)
    assert call["reader_share"] > body["reader_share"]  # "our", "your": the site addresses the reader
    assert v["World"]["before_block"] == 1.0


def test_features_do_not_depend_on_other_pages_or_on_the_model() -> None:
    first = prepare(PAGE, RULES).vectors
    again = prepare(PAGE, load_rules(ROOT / "catalog" / "rules.toml")).vectors
    assert first == again


@pytest.mark.parametrize(
    ("lengths", "running", "block"),
    [
        ([3, 30, 25, 2, 2, 2], [False, True, True, False, False, False], (1, 2)),
        ([30, 2, 30], [True, False, True], (0, 2)),  # one label between paragraphs does not split the body
        ([2, 2], [False, False], (0, -1)),
    ],
)
def test_the_main_block_is_the_stretch_richest_in_running_text(
    lengths: list[int], running: list[bool], block: tuple[int, int]
) -> None:
    assert main_block(lengths, running) == block
