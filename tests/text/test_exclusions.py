"""The codebook's context rules: negation, denial, names, titles, places; strict against lenient matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.errors import CatalogError
from corpus.text.codebook import Codebook, find_mentions, load_codebook, parse_codebook
from corpus.text.exclusions import apply_rules


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook(Path(__file__).resolve().parents[2] / "catalog" / "codebook.toml")


def found(codebook: Codebook, text: str, language: str, *, strictness: str = "strict") -> set[tuple[str, str]]:
    rows = find_mentions(
        codebook, doc_id="d", paragraph=1, text=text, language=language, offset=0,
        strictness="lenient" if strictness == "lenient" else "strict",
    )  # fmt: skip
    return {(str(r["concept_id"]), str(r["text"])) for r in rows}


# (text, language, concept, word): the word is a pattern match but not a mention, by the rule named.
NOT_MENTIONS = [
    ("We're not going to erect barriers to partnership", "en", "frame_confrontation", "barriers"),  # negation
    ("No one will be able to destroy the global scientific community", "en", "frame_confrontation", "destroy"),
    ("Россия не ведет с США диалог о продлении договора", "ru", "frame_cooperation", "диалог"),
    ("Russia rejects accusations of fracturing Ukraine talks", "en", "frame_confrontation", "fracturing"),  # denial
    ("we've suffered in places where cooperation has ceased", "en", "frame_cooperation", "cooperation"),  # ended
    ("many former partners severed ties and exited the country", "en", "frame_cooperation", "partners"),
    (
        "Уполномоченный Путина по международному сотрудничеству Кирилл Дмитриев",
        "ru",
        "frame_cooperation",
        "сотрудничеству",
    ),
    ("Putin's investment envoy Kirill Dmitriev said", "en", "economic_ties", "investment"),  # job title
    ('сообщает "Украинская правда"', "ru", "ukraine", "Украинская"),  # inside a newspaper's name
    ("В передаче «Москва. Кремль. Путин» пресс-секретарь сообщил", "ru", "putin", "Путин"),  # programme title
    ("ведут переговоры в Москве и Вашингтоне", "ru", "united_states", "Вашингтоне"),  # capital as a place
    ("A visit to Washington by Putin's envoy is possible", "en", "united_states", "Washington"),
    ("Its latest overnight attack on Kyiv killed three people", "en", "ukraine", "Kyiv"),
    ("Зеленський прибув до Білого дому", "uk", "us_government", "Білого дому"),  # venue
    ("the future arms control regime", "en", "frame_evaluative", "regime"),  # technical use
    ("maritime cooperation after the Cold War ended", "en", "ukraine_war_peace", "War"),  # another war
]


@pytest.mark.parametrize(("text", "language", "concept", "word"), NOT_MENTIONS)
def test_context_rules_drop_look_alikes(codebook: Codebook, text: str, language: str, concept: str, word: str) -> None:
    assert (concept, word) not in found(codebook, text, language)
    # the lenient codebook (no context rules) still matches it: the rule, not the pattern, decides
    assert any(c == concept and word in w for c, w in found(codebook, text, language, strictness="lenient"))


# (text, language, concept, word): kept although a rule's trigger is near.
MENTIONS = [
    ("Moscow blamed Washington for the coup", "en", "russia", "Moscow"),  # capital as agent
    ("talks between Moscow and Kiev", "en", "ukraine", "Kiev"),
    ("not all American officials support the process of restoration", "en", "frame_cooperation", "restoration"),
    ("Рябков не исключил нового разговора", "ru", "frame_reported_speech", "не исключил"),  # litotes
    ("The Russian Foreign Ministry pushed back", "en", "frame_reported_speech", "pushed back"),
    ("attempts to disrupt dialogue", "en", "frame_cooperation", "dialogue"),  # hindered, still sought
    ('сообщает "Украинская правда"', "ru", "media_cited", "Украинская правда"),
]


@pytest.mark.parametrize(("text", "language", "concept", "word"), MENTIONS)
def test_rules_keep_real_mentions(codebook: Codebook, text: str, language: str, concept: str, word: str) -> None:
    assert (concept, word) in found(codebook, text, language)


def test_a_scope_group_limits_what_a_rule_drops() -> None:
    book = parse_codebook(
        {
            "concept": [
                {"id": "a", "group": "frame", "subgroup": "cooperation", "label": "A", "definition": "d",
                 "patterns": {"en": ["dialogue"]}},
                {"id": "n", "group": "actor", "subgroup": "country", "label": "N", "definition": "d",
                 "patterns": {"en": ["never"]}},
            ],
            "exclude": [
                {"id": "neg", "description": "negation", "applies_to": ["frame"],
                 "patterns": {"en": [r"never\s+(?P<scope>\w+)"]}},
            ],
        },
        source="t.toml",
    )  # fmt: skip
    matches = [(11, 19, "a"), (5, 10, "n")]
    # "never" itself is outside the scope (and the rule applies to frames only): kept; "dialogue" dropped
    assert apply_rules(book.rules, "They never dialogue", "en", matches) == [False, True]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"id": "x", "description": "d", "applies_to": ["frame"]}, r"exclude 'x'.*give either 'patterns' or 'mask'"),
        ({"id": "x", "description": "d", "applies_to": ["nothing"], "mask": "a"}, r"applies_to: 'nothing' is neither"),
        ({"id": "x", "description": "d", "applies_to": ["frame"], "patterns": {"en": ["(a)"]}}, r"name the group"),
        ({"id": "x", "description": "", "applies_to": ["frame"], "mask": "a"}, r"field 'description'"),
        ({"id": "Bad", "description": "d", "applies_to": ["frame"], "mask": "a"}, r"field 'id'"),
        ({"id": "x", "description": "d", "applies_to": ["frame"], "mask": "zz"}, r"field 'mask' is 'zz'"),
    ],
)
def test_bad_rules_name_rule_and_field(rule: dict[str, object], message: str) -> None:
    concept = {"id": "a", "group": "frame", "subgroup": "cooperation", "label": "A", "definition": "d",
               "patterns": {"en": ["x"]}}  # fmt: skip
    with pytest.raises(CatalogError, match=message):
        parse_codebook({"concept": [concept], "exclude": [rule]}, source="t.toml")
