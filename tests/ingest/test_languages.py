"""Languages: any ISO 639-1 code is recorded; one definition says which the analyses support."""

from __future__ import annotations

import lingua
import pytest

from corpus.errors import ParameterError
from corpus.ingest import langid
from corpus.ingest.languages import ISO_639_1, LANGUAGE_NAMES, LANGUAGES, check_language, is_supported
from corpus.package import schema


def test_check_language_returns_the_code_or_names_the_allowed_ones() -> None:
    assert [check_language(code) for code in ("en", "ru", "uk")] == ["en", "ru", "uk"]
    with pytest.raises(ParameterError, match=r"'de'.*'en', 'ru', 'uk'"):
        check_language("de")


def test_the_corpus_records_any_iso_code_and_the_analyses_support_three() -> None:
    assert set(LANGUAGE_NAMES) == set(LANGUAGES)
    assert set(LANGUAGES) < ISO_639_1
    assert all(len(code) == 2 and code.islower() for code in ISO_639_1)
    assert {"fr", "de", "it", "pl", "bg", "be"} <= ISO_639_1
    assert [is_supported(code) for code in ("en", "fr", "uk", "xx")] == [True, False, True, False]
    # every language the detector knows can be recorded
    assert {lang.iso_code_639_1.name.lower() for lang in lingua.Language.all()} <= ISO_639_1
    for table in (schema.DOCUMENTS, schema.PARAGRAPHS):
        enums = [f["constraints"]["enum"] for f in table["fields"] if f["name"] == "language"]
        assert enums == [sorted(ISO_639_1)]
    enums = [f["constraints"]["enum"] for f in schema.MENTIONS["fields"] if f["name"] == "language"]
    assert enums == [list(LANGUAGES)]  # the codebook's patterns exist for the analysed languages only


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le Kremlin a confirmé ce mercredi la venue à Moscou de l’émissaire américain pour discuter du plan", "fr"),
        (
            "Der russische Außenminister wird nach Angaben russischer Medien in der kommenden Woche reisen",
            "de",
        ),
        (
            "Il presidente russo ha definito tempestiva e molto utile la sua recente visita in Alaska",
            "it",
        ),
        ("Głównym celem szczytu jest próba znalezienia rozwiązania dla wojny w Ukrainie oraz wznowienia relacji", "pl"),
        (
            "Russia has consistently rejected calls for a ceasefire in Ukraine, officials in Moscow said on Sunday.",
            "en",
        ),
        ("Песков допустил разрыв отношений с США из-за санкций", "ru"),
        ("Рубіо зустрівся з Лавровим: США закликали Росію припинити війну", "uk"),
        ("Дмитрий Песков", "ru"),
        ("Рубіо та Лавров", "uk"),
    ],
)
def test_detects_the_language_of_real_looking_lines(text: str, language: str) -> None:
    assert langid.detect(text) == language


def test_short_latin_text_takes_the_language_of_its_page() -> None:
    page = [
        "Le Kremlin a confirmé ce mercredi la venue à Moscou de l’émissaire américain Steve Witkoff pour discuter",
        "Rencontre à Moscou",
    ]
    assert langid.detect_many(page) == ["fr", "fr"]
    english = [
        "Russia has consistently rejected calls for a ceasefire in Ukraine, officials said on Sunday.",
        "Know More",
    ]
    assert langid.detect_many(english) == ["en", "en"]


def test_text_without_letters_takes_the_language_of_the_others() -> None:
    assert langid.detect_many(["Песков допустил разрыв отношений с США из-за санкций", "2025"]) == ["ru", "ru"]
