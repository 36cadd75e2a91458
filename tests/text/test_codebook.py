"""The codebook: validation of catalog/codebook.toml, cross-lingual matching, mention rows."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from corpus.errors import CatalogError, ParameterError
from corpus.package import schema
from corpus.paths import Layout
from corpus.text.codebook import (
    Codebook,
    codebook_from_rows,
    codebook_rows,
    find_mentions,
    load_codebook,
    parse_codebook,
)
from corpus.text.exclusions import rule_rows


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook(Path(__file__).resolve().parents[2] / "catalog" / "codebook.toml")


def concepts_in(codebook: Codebook, text: str, language: str) -> list[tuple[str, str]]:
    rows = find_mentions(codebook, doc_id="d", paragraph=1, text=text, language=language, offset=0)
    return [(str(r["concept_id"]), str(r["text"])) for r in rows]


def test_real_codebook_covers_the_required_concepts(codebook: Codebook) -> None:
    ids = set(codebook.ids())
    assert {"arctic", "rare_earths", "ukraine_war_peace", "sanctions", "arms_control", "space", "ai"} <= ids
    assert {"energy", "diplomatic_property", "direct_flights"} <= ids
    assert {"frame_cooperation", "frame_confrontation", "frame_evaluative", "frame_distancing"} <= ids
    assert set(codebook.ids(group="actor", subgroup="person")) >= {"putin", "trump", "lavrov"}
    assert all(c.definition and set(c.patterns) == {"en", "ru", "uk"} for c in codebook.concepts)


@pytest.mark.parametrize(
    ("text", "language", "concept", "matched"),
    [
        ("Против России ввели новые санкциями", "ru", "sanctions", "санкциями"),
        ("Против России ввели новые санкциями", "ru", "russia", "России"),
        ("переговоры о редкоземельных металлах", "ru", "rare_earths", "редкоземельных металлах"),
        ("Путину передали предложения", "ru", "putin", "Путину"),
        ("Россия якобы готова", "ru", "frame_distancing", "якобы"),
        ("восстановление прямого авиасообщения", "ru", "direct_flights", "авиасообщения"),
        ("возвращение дипломатической собственности", "ru", "diplomatic_property", "дипломатической собственности"),
        ("По словам Дмитриева", "ru", "frame_reported_speech", "По словам"),
        ("нові санкції проти Росії", "uk", "sanctions", "санкції"),
        ("нові санкції проти Росії", "uk", "russia", "Росії"),
        ("Росія нібито готова до співпраці", "uk", "frame_distancing", "нібито"),
        ("Росія нібито готова до співпраці", "uk", "frame_cooperation", "співпраці"),
        ("допомога Україні", "uk", "ukraine", "Україні"),
        ("new sanctions against Moscow", "en", "sanctions", "sanctions"),
        ("talks on the Northern Sea Route", "en", "arctic", "Northern Sea Route"),
        ("the so-called experts", "en", "frame_distancing", "so-called"),
        ("the U.S. and Russia", "en", "united_states", "U.S."),
    ],
)
def test_inflected_forms_match_their_concept(
    codebook: Codebook, text: str, language: str, concept: str, matched: str
) -> None:
    assert (concept, matched) in concepts_in(codebook, text, language)


@pytest.mark.parametrize(
    ("text", "language", "concept"),
    [
        ("they told us the truth", "en", "united_states"),  # the pronoun "us" is not the US
        ("После переговоров", "ru", "diplomatic_property"),  # «После» is not a form of «посол»
        ("a газета wrote", "ru", "energy"),  # «газета» is not gas
        ("outer spaces of the room", "en", "space"),
    ],
)
def test_near_misses_do_not_match(codebook: Codebook, text: str, language: str, concept: str) -> None:
    assert concept not in [c for c, _ in concepts_in(codebook, text, language)]


def test_mention_offsets_are_paragraph_start_plus_position(codebook: Codebook) -> None:
    text = "Москва: санкции."
    rows = find_mentions(codebook, doc_id="d-1", paragraph=3, text=text, language="ru", offset=1000)
    sanctions = next(r for r in rows if r["concept_id"] == "sanctions")
    assert (sanctions["para_start"], sanctions["para_end"], sanctions["start"], sanctions["end"]) == (8, 15, 1008, 1015)
    assert sanctions["text"] == text[8:15] == "санкции"
    assert list(sanctions) == [f["name"] for f in schema.MENTIONS["fields"]]
    assert [r["para_start"] for r in rows] == sorted(r["para_start"] for r in rows)  # type: ignore[type-var]


def test_unknown_language_is_refused(codebook: Codebook) -> None:
    with pytest.raises(ParameterError, match="'de'"):
        find_mentions(codebook, doc_id="d", paragraph=1, text="x", language="de", offset=0)


def test_codebook_rows_follow_the_schema(codebook: Codebook) -> None:
    rows = codebook_rows(codebook)
    names = [f["name"] for f in schema.CODEBOOK["fields"]]
    assert all(list(r) == names for r in rows)
    assert rows[0]["concept_id"] == codebook.concepts[0].id
    assert rows[0]["patterns_ru"] == list(codebook.concepts[0].patterns["ru"])


GOOD = {"id": "x", "group": "topic", "subgroup": "topic", "label": "X", "definition": "d", "patterns": {"en": ["x"]}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "Bad-Id"}, r"concept 'Bad-Id'.*field 'id' must match"),
        ({"group": "event"}, r"concept 'x'.*field 'group' is 'event'.*'actor', 'topic', 'frame'"),
        ({"subgroup": "person"}, r"concept 'x'.*field 'subgroup' is 'person'.*\['topic'\]"),
        ({"label": ""}, r"concept 'x'.*field 'label' must be a non-empty string"),
        ({"definition": None}, r"concept 'x'.*field 'definition'"),
        ({"patterns": {"de": ["x"]}}, r"concept 'x'.*patterns.de: unknown language"),
        ({"patterns": {"en": ["(unclosed"]}}, r"concept 'x'.*patterns.en: '\(unclosed' is not a valid regex"),
        ({"patterns": {"en": ["x*"]}}, r"concept 'x'.*matches the empty string"),
        ({"patterns": {"en": []}}, r"concept 'x'.*patterns.en must be a non-empty list"),
        ({"patterns": {}}, r"concept 'x'.*field 'patterns'"),
        ({"colour": "red"}, r"concept 'x'.*unknown field\(s\) \['colour'\]"),
    ],
)
def test_bad_concepts_name_concept_and_field(change: dict[str, object], message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        parse_codebook({"concept": [{**GOOD, **change}]}, source="codebook.toml")


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(CatalogError, match=r"concept 'x'.*duplicated"):
        parse_codebook({"concept": [GOOD, GOOD]}, source="codebook.toml")


def test_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"codebook.toml not found: the codebook"):
        load_codebook(tmp_path / "codebook.toml")
    (tmp_path / "codebook.toml").write_text("[[concept]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"codebook.toml cannot be read as UTF-8 TOML"):
        load_codebook(tmp_path / "codebook.toml")


def test_published_mentions_equal_a_fresh_match(repo: Layout, codebook: Codebook) -> None:
    from corpus.analysis.data import load_tables

    if not (repo.data / "mentions.csv").is_file():
        pytest.skip("the data package is not built (run `corpus build`)")
    tables = load_tables(repo)
    rows = [
        row
        for p in tables.paragraphs.itertuples(index=False)
        for row in find_mentions(
            codebook, doc_id=p.doc_id, paragraph=p.paragraph, text=p.text, language=p.language, offset=p.start
        )
    ]
    fresh = pd.DataFrame(rows, columns=list(tables.mentions.columns))
    published = tables.mentions
    assert len(published) > 100
    assert fresh.astype(str).to_csv(index=False) == published.astype(str).to_csv(index=False)
    for m in published.itertuples(index=False):
        para = tables.paragraphs[
            (tables.paragraphs["doc_id"] == m.doc_id) & (tables.paragraphs["paragraph"] == m.paragraph)
        ]
        assert str(para["text"].iloc[0])[m.para_start : m.para_end] == m.text


def test_mention_offsets_point_into_the_raw_seed(repo: Layout) -> None:
    from corpus.analysis.data import load_tables

    if not (repo.data / "mentions.csv").is_file():
        pytest.skip("the data package is not built (run `corpus build`)")
    tables = load_tables(repo)
    seeds = dict(zip(tables.documents["doc_id"], tables.documents["seed"], strict=True))
    unrepaired = tables.paragraphs[tables.paragraphs["repairs"] == ""][["doc_id", "paragraph"]]
    checked = tables.mentions.merge(unrepaired, on=["doc_id", "paragraph"])
    assert len(checked) > 100
    for m in checked.itertuples(index=False):
        raw = (repo.seeds / seeds[m.doc_id]).read_text(encoding="utf-8")
        assert raw[m.start : m.end] == m.text


def test_the_published_table_gives_back_the_codebook(codebook: Codebook) -> None:
    rows = [{k: json.dumps(v) if isinstance(v, list) else v for k, v in row.items()} for row in codebook_rows(codebook)]
    rules = [
        {k: json.dumps(v) if isinstance(v, list) else v for k, v in row.items()} for row in rule_rows(codebook.rules)
    ]
    again = codebook_from_rows(rows, source="data/codebook.csv", rule_rows=rules)
    assert again.concepts == codebook.concepts
    assert again.rules == codebook.rules
    rows[0]["group"] = "mood"
    with pytest.raises(CatalogError, match=r"data/codebook.csv: concept '\w+'.*field 'group' is 'mood'"):
        codebook_from_rows(rows, source="data/codebook.csv")
