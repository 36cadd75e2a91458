"""The language set: one definition, used by detection, the catalog, the schemas and the analyses."""

from __future__ import annotations

import lingua
import pytest

from corpus.errors import ParameterError
from corpus.ingest import langid
from corpus.ingest.catalog import LANGUAGES as CATALOG_LANGUAGES
from corpus.ingest.languages import LANGUAGE_NAMES, LANGUAGES, check_language
from corpus.package import schema


def test_check_language_returns_the_code_or_names_the_allowed_ones() -> None:
    assert [check_language(code) for code in ("en", "ru", "uk")] == ["en", "ru", "uk"]
    with pytest.raises(ParameterError, match=r"'de'.*'en', 'ru', 'uk'"):
        check_language("de")


def test_every_stage_uses_the_one_language_set() -> None:
    assert set(LANGUAGE_NAMES) == set(LANGUAGES)
    assert CATALOG_LANGUAGES == LANGUAGES
    assert sorted(langid._CODES.values()) == sorted(LANGUAGES)
    assert set(langid._CODES) == {lingua.Language.ENGLISH, lingua.Language.RUSSIAN, lingua.Language.UKRAINIAN}
    for table in (schema.DOCUMENTS, schema.PARAGRAPHS, schema.MENTIONS):
        enums = [f["constraints"]["enum"] for f in table["fields"] if f["name"] == "language"]
        assert enums == [list(LANGUAGES)]
