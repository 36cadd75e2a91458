"""The public edition: texts withheld by a declared rule, hashes kept, leaks refused."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from builder import RELEASE_DOCS, csv_bytes, edit_csv, release_doc, write_release_project

from corpus.errors import ReleaseError
from corpus.paths import Layout
from corpus.release.archives import build_archives
from corpus.release.editions import find_leaks, public_members, public_table, runs_of

CC_BY = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
TEXTS = [text for doc in RELEASE_DOCS for _, text in doc.paragraphs]


@pytest.mark.slow
def test_public_edition_withholds_texts_and_keeps_hashes(tiny: Layout) -> None:
    (public,) = build_archives(tiny, edition="public")
    top = "us-russia-news-corpus-public-0.1.0/"
    with zipfile.ZipFile(public) as archive:
        names = archive.namelist()
        descriptor = json.loads(archive.read(top + "datapackage.json"))
        paragraphs = archive.read(top + "data/paragraphs.csv").decode()
        documents = archive.read(top + "data/documents.csv").decode()
        everything = b"".join(archive.read(n) for n in names if not n.endswith(".xlsx")).decode("utf-8")
    assert not [n for n in names if "/seeds/" in n or n.endswith("publisher-copyright.txt")]
    assert descriptor["name"] == "us-russia-news-corpus-public"
    assert [lic["name"] for lic in descriptor["licenses"]] == ["CC-BY-4.0"]
    assert [r["name"] for r in descriptor["resources"]] == [
        "documents", "paragraphs", "outlets", "seed_files", "boilerplate", "stopwords", "codebook", "mentions",
        "extraction_quality",
        "codebook_rules", "codebook_quality", "quote_quality",
    ]  # fmt: skip
    assert all(r["licenses"] == [CC_BY] for r in descriptor["resources"])
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}
    assert "text" not in fields["documents"] and "text_sha256" in fields["documents"]  # the build's own hash kept
    assert fields["paragraphs"][5] == "text_sha256"  # the text column replaced by its hash, in place
    assert fields["mentions"][-1] == "text"  # open-licensed derived table: kept as built
    assert f",{hashlib.sha256(TEXTS[0].encode()).hexdigest()}," in paragraphs
    assert hashlib.sha256("\n\n".join(TEXTS[:3]).encode()).hexdigest() in documents
    assert [text for text in TEXTS if text in everything] == []


@pytest.mark.parametrize(
    ("column", "value", "leaks"),
    [
        ("evidence", "Quoted: The president said the talks covered shipping routes along the coast.", 1),
        ("evidence", "the PRESIDENT said the talks covered shipping routes", 1),  # 8 words, case-folded
        ("evidence", "The president said the talks covered shipping", 0),  # 7 words: below the threshold
        # a headline column is checked like any other (it used to be exempt)
        ("title", "The president said the talks covered shipping routes along the northern coast this summer.", 1),
        ("alt_title", "Officials in Kyiv described the proposal as a distraction", 1),
    ],
)  # fmt: skip
def test_leak_check_finds_quoted_runs_of_words(column: str, value: str, leaks: int) -> None:
    table = csv_bytes([["id", column], ["1", value]])
    assert len(find_leaks(runs_of(TEXTS), set(), {"data/t.csv": table})) == leaks


def test_words_classified_as_a_headline_may_be_published() -> None:
    headline = "The president said the talks covered shipping routes along the northern coast"
    table = csv_bytes([["id", "title", "evidence"], ["1", headline, f"The page's headline: {headline}."]])
    assert find_leaks(runs_of(TEXTS), runs_of([headline]), {"data/t.csv": table}) == []


CAPTION = "Photo: the icebreaker Yamal crossing the frozen northern sea route in July"
SIDEBAR = "Ministers of both countries will meet again in Geneva next spring, sources say"
LONG_TITLE = "Russia and the United States agree to talk about shipping in the Arctic"


@pytest.fixture
def planted(tmp_path: Path) -> Layout:
    """A release project whose first seed also holds a caption and a sidebar headline (withheld with the seed)."""
    docs = (dataclasses.replace(release_doc("a", "sputnik"), title=LONG_TITLE), *RELEASE_DOCS[1:])
    layout = write_release_project(tmp_path / "proj", docs)
    seed = layout.seeds / "a.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\n{CAPTION}\n\n{SIDEBAR}\n", encoding="utf-8")
    return layout


def _plant(layout: Layout, column: str, value: str) -> None:
    edit_csv(layout.data / "documents.csv", lambda rows: rows[1].__setitem__(rows[0].index(column), value))


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("evidence", f"Seen on the page: {CAPTION}"),  # a caption: withheld with the seed, never in a text column
        ("alt_title", CAPTION),  # a kept headline column holding a caption
        ("alt_title", SIDEBAR),  # another article's headline from a sidebar: withheld
        ("title", RELEASE_DOCS[0].paragraphs[1][1]),  # body text in the headline column
        ("author", " ".join(SIDEBAR.split()[:9])),
    ],
    ids=["caption-in-evidence", "caption-as-alt-title", "sidebar-title-as-alt-title", "body-as-title", "author"],
)
def test_public_edition_refuses_withheld_publisher_text_planted_in_a_kept_cell(
    planted: Layout, column: str, value: str
) -> None:
    _plant(planted, column, value)
    descriptor = json.loads(planted.descriptor.read_text())
    with pytest.raises(ReleaseError, match=rf"data/documents\.csv line 2 column '{column}' quotes withheld publisher"):
        public_members(planted, descriptor)


def test_public_edition_keeps_headlines_and_says_why_per_field(planted: Layout) -> None:
    _plant(planted, "evidence", f"The headline reads: {LONG_TITLE}.")  # quoting a published headline is fine
    members = {m.name: m.data for m in public_members(planted, json.loads(planted.descriptor.read_text()))}
    documents = members["data/documents.csv"].decode()
    assert LONG_TITLE in documents and CAPTION not in documents
    public = json.loads(members["datapackage.json"])
    fields = {f["name"]: f for f in public["resources"][0]["schema"]["fields"]}
    for name in ("title", "alt_title", "author"):
        assert "Public edition: kept, because" in fields[name]["description"], name
    assert "kept, because" not in fields["evidence"].get("description", "")


def test_public_table_refuses_a_wrong_text_hash(tiny: Layout) -> None:
    descriptor = json.loads(tiny.descriptor.read_text())

    def wrong_hash(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("text_sha256")] = "0" * 64

    edit_csv(tiny.data / "documents.csv", wrong_hash)
    with pytest.raises(ReleaseError, match=r"line 2: text_sha256 does not match"):
        public_table((tiny.data / "documents.csv").read_bytes(), descriptor["resources"][0], licenses=[CC_BY])


def test_publisher_table_without_a_declared_text_column_is_refused(tiny: Layout) -> None:
    descriptor = json.loads(tiny.descriptor.read_text())
    outlets = descriptor["resources"][2]
    licensed = r"outlets\.csv is licensed LICENSES/publisher-copyright\.txt but has none of the columns"
    with pytest.raises(ReleaseError, match=licensed):
        public_table((tiny.data / "outlets.csv").read_bytes(), outlets, licenses=[CC_BY])
