"""Speech acts and their speakers: pronouns, titles, quotations across sentences, names that are not speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.text.codebook import Codebook, find_mentions, load_codebook
from corpus.text.quotations import other_id, quotations, sentence_spans
from corpus.text.speech import UNKNOWN, UNRESOLVED, Act, Block, speech_acts


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook(Path(__file__).resolve().parents[2] / "catalog" / "codebook.toml")


def acts(codebook: Codebook, language: str, *paragraphs: str) -> list[Act]:
    blocks = []
    for text in paragraphs:
        rows = find_mentions(codebook, doc_id="d", paragraph=1, text=text, language=language, offset=0)
        blocks.append(
            Block(
                text,
                language,
                tuple((str(r["concept_id"]), int(str(r["para_start"])), int(str(r["para_end"]))) for r in rows),
            )
        )  # type: ignore[arg-type]
    subgroups = {c.id: c.subgroup for c in codebook.concepts if c.group == "actor"}
    markers = frozenset(codebook.ids(group="frame", subgroup="reported-speech"))
    return speech_acts(blocks, subgroups=subgroups, markers=markers)


def summary(found: list[Act], paragraphs: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(kind, speaker, first words of the act) per act, shown attributions only."""
    return [
        (
            a.kind,
            a.speaker if a.shown else UNRESOLVED,
            paragraphs[a.segments[0][0]][a.segments[0][1] : a.segments[0][2]][:20],
        )
        for a in found
    ]


CASES = [
    # a quotation running over two sentences is one act, with its attribution after it
    (
        "en",
        ("“We are discussing cooperation. It is progressing well,” Putin said.",),
        [("direct", "putin", "We are discussing co")],
    ),
    # "he" resolves to the speaker named before; a quotation resumed after the attribution is the same act
    (
        "en",
        (
            "Lavrov noted that Russia “will firmly ensure its interests.” “Any talks without Russia are a road to "
            "nowhere,” he added.",
        ),
        [("direct", "lavrov", "will firmly ensure i"), ("direct", "lavrov", "Any talks without Ru")],
    ),
    # a title resolves to the person last named; a newspaper's name in quotation marks is not speech
    (
        "ru",
        (
            "Дмитриев заявил, что переговоры идут.",
            'Он подчеркнул, что обсуждаются проекты, сообщает "Украинская правда".',
        ),
        [
            ("reported", "dmitriev", "Дмитриев заявил, что"),
            ("reported", "dmitriev", "Он подчеркнул, что о"),
            ("reported", "media_cited", "Он подчеркнул, что о"),
        ],
    ),
    # a dash attribution after the words (inverted), a speaker outside the codebook transliterated
    (
        "ru",
        ("Конечно, это был недружественный шаг, — сказал Песков.",),
        [("direct", "other:Peskov", "Конечно, это был нед")],
    ),
    # "Об этом заявил X" attributes the sentence before it
    (
        "ru",
        ("Россия не ведет с США диалог о продлении договора. Об этом заявил замминистра Сергей Рябков.",),
        [("reported", "other:Ryabkov", "Россия не ведет с СШ")],
    ),
    # the ministry named, then "the ministry": the institution, not a person or a newspaper
    (
        "en",
        (
            "Bloomberg reported that the talks stalled.",
            "The Russian Foreign Ministry said it was false.",
            "The ministry noted that Russia is consistent.",
        ),
        [
            ("reported", "media_cited", "Bloomberg reported t"),
            ("reported", "russian_mfa", "The Russian Foreign "),
            ("reported", "russian_mfa", "The ministry noted t"),
        ],
    ),
    # an impersonal report with no source named
    (
        "ru",
        ("Ранее сообщалось, что на улице усилены меры безопасности.",),
        [("reported", UNKNOWN, "Ранее сообщалось, чт")],
    ),
    # a scare-quoted label of two words is not speech, and without a marker there is no act
    ("en", ("Remarks about the principles of “indivisible security” in Europe drew attention.",), []),
]


@pytest.mark.parametrize(("language", "paragraphs", "expected"), CASES)
def test_speech_acts_and_speakers(
    codebook: Codebook, language: str, paragraphs: tuple[str, ...], expected: list[tuple[str, str, str]]
) -> None:
    assert summary(acts(codebook, language, *paragraphs), paragraphs) == expected


def test_an_unattributed_quotation_is_not_given_a_speaker(codebook: Codebook) -> None:
    found = acts(codebook, "en", "The weather was mild.", "Officials met in a room. “We will see what happens next.”")
    assert [(a.kind, a.speaker, a.shown) for a in found] == [("direct", UNRESOLVED, False)]


def test_quotations_nest_and_skip_apostrophes() -> None:
    text = "«Он сказал „нет“ и ушёл», — Russia’s ‘top’ envoy said “yes"
    assert [text[a:b] for a, b in quotations(text)] == ["Он сказал „нет“ и ушёл", "top", "yes"]


def test_glued_sentences_are_split() -> None:
    assert len(sentence_spans("Putin spoke on Thursday.Putin described it.", "en")) == 2


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [("Пескова", "ru", "other:Peskov"), ("Захаровой", "ru", "other:Zakharova"), ("Peskov's", "en", "other:Peskov's"),
     ("Піготт", "uk", "other:Pigott"), ("ISW", "ru", "other:ISW")],
)  # fmt: skip
def test_speakers_outside_the_codebook_have_one_id_across_languages(name: str, language: str, expected: str) -> None:
    assert other_id(name, language) == expected
