"""Offline language processing: tokens, stopwords, lemmas, sentences, VADER."""

from __future__ import annotations

import importlib.resources

import pytest
from nltk.sentiment.vader import SentimentIntensityAnalyzer as NltkVader
from nltk.sentiment.vader import VaderConstants

from corpus.ingest.languages import LANGUAGES, Language
from corpus.package import schema
from corpus.text import nlp


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Russia's full-scale talks", ["Russia's", "full-scale", "talks"]),
        ("США и Россия: «санкциями»!", ["США", "и", "Россия", "санкциями"]),
        ("Україна, 2025 рік", ["Україна", "2025", "рік"]),
        ("<script>alert(1)</script>", ["script", "alert", "1", "script"]),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    assert nlp.tokenize(text) == tokens


def test_token_spans_index_the_text() -> None:
    text = "Putin said: «Да»."
    assert [text[a:b] for a, b in nlp.token_spans(text)] == ["Putin", "said", "Да"]


@pytest.mark.parametrize(
    ("text", "language", "terms"),
    [
        ("The US and the United States", "en", ["us", "united", "states"]),
        ("NATO and the EU", "en", ["nato", "eu"]),
        ("Россия ввела санкции против США", "ru", ["россия", "ввести", "санкция", "сша"]),
        ("санкциями", "ru", ["санкция"]),
        ("Росія і санкції", "uk", ["росія", "санкція"]),
        ("в 2025 году санкции", "ru", ["санкция"]),  # numbers and the stopword «году» go
    ],
)
def test_terms_lemmatize_and_drop_stopwords(text: str, language: Language, terms: list[str]) -> None:
    assert nlp.terms(text, language) == terms


def test_lower_form_keeps_inflection() -> None:
    assert nlp.terms("санкциями", "ru", form="lower") == ["санкциями"]


@pytest.mark.parametrize(("word", "language"), [("the", "en"), ("and", "en"), ("и", "ru"), ("і", "uk")])
def test_function_words_are_stopwords(word: str, language: Language) -> None:
    assert nlp.is_stopword(word, language)


@pytest.mark.parametrize(("word", "language"), [("US", "en"), ("us", "en"), ("states", "en"), ("США", "ru")])
def test_content_words_are_kept(word: str, language: Language) -> None:
    assert not nlp.is_stopword(word, language)


def test_stopword_rows_are_the_removed_words_sorted_with_their_source() -> None:
    rows = nlp.stopword_rows()
    keys = [(r["language"], r["word"]) for r in rows]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    assert {r["language"] for r in rows} == set(LANGUAGES)
    assert ("en", "the") in keys and ("en", "us") not in keys
    assert {r["source"] for r in rows} == {f"stop-words {nlp.package_version('stop-words')}"}
    assert [f["name"] for f in schema.STOPWORDS["fields"]] == list(rows[0])


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Gen. Smith met Mr. Putin in the U.S. capital. Then he left!",
            "en",
            ["Gen. Smith met Mr. Putin in the U.S. capital.", "Then he left!"],
        ),
        ("Talks began on Aug. 5. Nothing followed.", "en", ["Talks began on Aug. 5.", "Nothing followed."]),
        ("Путин заявил. Это т.е. важно!", "ru", ["Путин заявил.", "Это т.е. важно!"]),
        ("Росія заявила. США мовчать.", "uk", ["Росія заявила.", "США мовчать."]),
    ],
)
def test_sentences(text: str, language: Language, expected: list[str]) -> None:
    found = nlp.sentences(text, language)
    assert [s["text"] for s in found] == expected
    assert all(text[s["start"] : s["end"]] == s["text"] for s in found)


def _nltk_vader() -> NltkVader:
    """NLTK's port of VADER given the same lexicon: an independent implementation to compare with.

    NLTK's constructor loads its lexicon through ``nltk.data`` (downloaded data, refused package
    paths), so the test builds it from the lexicon text; the scoring code is NLTK's.
    """
    analyzer = NltkVader.__new__(NltkVader)
    lexicon = importlib.resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    analyzer.lexicon_file = lexicon.read_text(encoding="utf-8").strip("\n")
    analyzer.lexicon = analyzer.make_lex_dict()
    analyzer.constants = VaderConstants()
    return analyzer


@pytest.mark.parametrize(
    "text",
    [
        "The summit was fruitful and a great success.",
        "Russia rejects accusations of fracturing talks.",
        "The ministry noted the statement.",
        "The talks were not a success, but they were NOT a failure either!",
        "Sanctions hardly helped; the deal is kind of dead.",
    ],
)
def test_vader_compound_equals_nltks_implementation(text: str) -> None:
    """The compound score (what the reports use) is the same; the neg/neu/pos proportions are
    vaderSentiment's own, which weigh intensifiers differently from NLTK's port."""
    ours = nlp.tone(text)
    assert ours["compound"] == pytest.approx(_nltk_vader().polarity_scores(text)["compound"], abs=1e-4)
    assert ours["neg"] + ours["neu"] + ours["pos"] == pytest.approx(1.0, abs=2e-3)


def test_vader_signs() -> None:
    assert nlp.tone("a great success")["compound"] > 0.5
    assert nlp.tone("a terrible threat")["compound"] < -0.5
    assert len(nlp.vader().lexicon) > 7000


def test_resources_name_versions_and_licences() -> None:
    rows = nlp.resources()
    assert {r["package"] for r in rows} >= {"nltk", "stop-words", "vaderSentiment", "pymorphy3-dicts-uk"}
    assert all(r["version"] and r["licence"] for r in rows)
