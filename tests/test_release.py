"""Tests of corpus.release: version check, release archives, public edition, unsafe archives.

Most tests run on a tiny project written into a temporary folder (same columns as the real
build's tables), so they do not depend on the real build's contents; the tests at the end run
on the real data package once it exists.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from corpus.errors import ReleaseError
from corpus.package.citation import render_cff
from corpus.package.metadata import load_metadata
from corpus.paths import Layout, project
from corpus.release import (
    Change,
    Member,
    build_archives,
    bump_between,
    check_citation,
    check_version,
    compare_snapshots,
    find_leaks,
    next_version,
    parse_version,
    public_table,
    record_snapshot,
    required_bump,
    take_snapshot,
    verify_archive,
    zip_bytes,
)

REPO = Path(__file__).resolve().parents[1]

SEED_TEXT = (
    "Russia and the United States are in talks about potential cooperation in the Arctic region.\n"
    "\n"
    "The president said the talks covered shipping routes along the northern coast this summer.\n"
    "\n"
    "Officials in Kyiv described the proposal as a distraction from the war in their country.\n"
)

DOC_FIELDS = [
    ("doc_id", "string"), ("seed", "string"), ("article", "integer"), ("outlet_id", "string"),
    ("perspective", "string"), ("url", "string"), ("date", "string"), ("date_precision", "string"),
    ("date_source", "string"), ("date_note", "string"), ("language", "string"),
    ("language_source", "string"), ("title", "string"), ("title_language", "string"),
    ("alt_title", "string"), ("author", "string"), ("text", "string"), ("start", "integer"),
    ("end", "integer"), ("n_paragraphs", "integer"), ("token_count", "integer"), ("text_sha256", "string"),
]  # fmt: skip
PARA_FIELDS = [
    ("doc_id", "string"), ("paragraph", "integer"), ("kind", "string"), ("start", "integer"),
    ("end", "integer"), ("text", "string"), ("language", "string"), ("repairs", "string"),
]  # fmt: skip
OUTLET_FIELDS = [(n, "string") for n in (
    "outlet_id", "name", "domain", "other_domains", "country", "ownership", "perspective", "site_names", "evidence"
)]  # fmt: skip
CC_BY = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}
PUBLISHER = {"name": "publisher-copyright", "title": "Article texts © their publishers"}
MENTION_FIELDS = [("doc_id", "string"), ("paragraph", "integer"), ("start", "integer"), ("end", "integer"),
                  ("text", "string")]  # fmt: skip
SEEDFILE_FIELDS = [
    ("file", "string"), ("bytes", "integer"), ("sha256", "string"), ("bom", "boolean"),
    ("line_endings", "string"), ("layout", "string"), ("n_articles", "integer"),
]  # fmt: skip


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _paragraphs(text: str) -> list[tuple[int, int, str]]:
    spans, pos = [], 0
    for part in text.split("\n\n"):
        start = text.index(part, pos)
        spans.append((start, start + len(part.rstrip("\n")), part.rstrip("\n")))
        pos = start + len(part)
    return spans


def _doc_row(doc_id: str, seed: str, article: int, outlet: str, text: str) -> list[Any]:
    body = "\n\n".join(p for _, _, p in _paragraphs(text))
    return [
        doc_id, seed, article, outlet, "russian-state-media", "https://example.org/a", "2025-08-23", "day",
        "header", "", "en", "detected", "Talks on the Arctic", "en", "", "", body, 0, len(text.rstrip("\n")),
        body.count("\n\n") + 1, len(body.split()), hashlib.sha256(body.encode()).hexdigest(),
    ]  # fmt: skip


def write_tables(root: Path, docs: list[list[Any]], seeds: dict[str, str]) -> None:
    """Write data/*.csv, the seeds and datapackage.json of a tiny project (contract columns)."""
    (root / "data").mkdir(exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    paras = []
    for doc in docs:
        for n, (start, end, text) in enumerate(_paragraphs(seeds[doc[1]]), start=1):
            paras.append([doc[0], n, "paragraph", start, end, text, "en", ""])
    tables = {
        "documents": (DOC_FIELDS, docs),
        "paragraphs": (PARA_FIELDS, paras),
        "outlets": (OUTLET_FIELDS, [["sputnik", "Sputnik International", "sputnikglobe.com", "", "RU",
                                     "state-owned", "russian-state-media", "Sputnik", "Publisher block."]]),
        "mentions": (MENTION_FIELDS, [[docs[0][0], 1, 0, 6, "Russia"]]),
        "seed_files": (SEEDFILE_FIELDS, [[name, len(t.encode()), hashlib.sha256(t.encode()).hexdigest(),
                                          "false", "lf", "plain", 1] for name, t in sorted(seeds.items())]),
    }  # fmt: skip
    resources: list[dict[str, Any]] = []
    for name, (fields, rows) in tables.items():
        (root / "data" / f"{name}.csv").write_bytes(_csv([[f for f, _ in fields], *rows]))
        resources.append(
            {
                "name": name,
                "path": f"data/{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": f, "type": t} for f, t in fields]},
            }
        )
    for resource in resources:  # as in the real build: the tables holding article text carry the publisher licence
        resource["licenses"] = [PUBLISHER if resource["name"] in {"documents", "paragraphs"} else CC_BY]
    resources[0]["schema"]["primaryKey"] = ["doc_id"]
    resources[1]["schema"]["foreignKeys"] = [
        {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}
    ]
    for name, text in sorted(seeds.items()):
        raw = text.encode()
        (root / "seeds" / name).write_bytes(raw)
        resources.append(
            {
                "name": "seed-" + name.removesuffix(".txt").replace("_", "-"),
                "path": f"seeds/{name}",
                "format": "txt",
                "mediatype": "text/plain",
                "bytes": len(raw),
                "hash": f"sha256:{hashlib.sha256(raw).hexdigest()}",
                "licenses": [PUBLISHER],
            }
        )
    meta = load_metadata(Layout(root))
    descriptor = {
        "name": meta.name,
        "title": meta.title,
        "version": meta.version,
        "created": f"{meta.released.isoformat()}T00:00:00Z",
        "description": meta.description,
        "licenses": [CC_BY, PUBLISHER],
        "resources": resources,
    }
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")


def set_version(root: Path, version: str) -> None:
    """Bump the version everywhere it is repeated (catalog, pyproject, CITATION.cff, descriptor)."""
    for name in ("catalog/package.toml", "pyproject.toml"):
        path = root / name
        path.write_text(re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', path.read_text()))
    layout = Layout(root)
    (root / "CITATION.cff").write_text(render_cff(load_metadata(layout)), encoding="utf-8")
    descriptor = json.loads((root / "datapackage.json").read_text())
    descriptor["version"] = version
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    changelog = root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text() + f"\n## [{version}] - 2026-11-23\n\n- test release\n")


@pytest.fixture
def tiny(tmp_path: Path) -> Layout:
    """A complete tiny project: catalog, pyproject, docs, licences, two seeds, tables, descriptor."""
    root = tmp_path / "proj"
    (root / "catalog").mkdir(parents=True)
    shutil.copy(REPO / "catalog" / "package.toml", root / "catalog" / "package.toml")
    (root / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.1.0"\n')
    shutil.copytree(REPO / "LICENSES", root / "LICENSES")
    (root / "README.md").write_text("# Tiny corpus\n")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0] - 2026-11-23\n\n- first release\n")
    layout = Layout(root)
    (root / "CITATION.cff").write_text(render_cff(load_metadata(layout)), encoding="utf-8")
    seeds = {"a.txt": SEED_TEXT, "b.txt": SEED_TEXT.replace("Arctic", "Antarctic")}
    docs = [_doc_row("a-1", "a.txt", 1, "sputnik", seeds["a.txt"]), _doc_row("b-1", "b.txt", 1, "", seeds["b.txt"])]
    write_tables(root, docs, seeds)
    return layout


# --- versions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("0.1.0", (0, 1, 0)), ("1.12.3", (1, 12, 3)), ("2.0.0-rc.1", (2, 0, 0)), ("1.0.0+build.5", (1, 0, 0))],
)
def test_parse_version_accepts_semver(text: str, parsed: tuple[int, int, int]) -> None:
    assert parse_version(text, source="t") == parsed


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "01.2.3", "1.2.3.4", "2026-11-23", "", "1.0.0-"])
def test_parse_version_refuses_non_semver(text: str) -> None:
    with pytest.raises(ReleaseError, match="not a semantic version"):
        parse_version(text, source="catalog/package.toml")


@pytest.mark.parametrize(
    ("version", "bump", "expected"),
    [("0.1.0", "patch", "0.1.1"), ("0.1.3", "minor", "0.2.0"), ("0.4.2", "major", "1.0.0")],
)
def test_next_version(version: str, bump: Any, expected: str) -> None:
    assert next_version(version, bump) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"), [("0.1.0", "0.1.0", None), ("0.1.0", "0.1.1", "patch"), ("0.1.0", "0.2.0", "minor"),
                                 ("0.9.9", "1.0.0", "major")]
)  # fmt: skip
def test_bump_between(old: str, new: str, expected: str | None) -> None:
    assert bump_between(old, new) == expected


def test_bump_between_refuses_going_back() -> None:
    with pytest.raises(ReleaseError, match="lower than the last release"):
        bump_between("0.2.0", "0.1.5")


def test_required_bump_takes_the_most_severe() -> None:
    assert required_bump([Change("patch", "a"), Change("major", "b"), Change("minor", "c")]) == "major"
    assert required_bump([]) is None


# --- citation sync -----------------------------------------------------------------------------


def test_tiny_project_is_in_sync(tiny: Layout) -> None:
    check_citation(tiny)


@pytest.mark.parametrize(
    ("path", "old", "new", "message"),
    [
        ("CITATION.cff", "version: 0.1.0", "version: 0.0.9", "CITATION.cff is out of sync"),
        ("CITATION.cff", "date-released: '2026-11-23'", "date-released: '2026-01-01'", "CITATION.cff is out of sync"),
        ("pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"', "pyproject.toml: version '0.2.0' differs"),
        ("datapackage.json", '"version": "0.1.0"', '"version": "0.1.1"', "datapackage.json: version '0.1.1'"),
        ("catalog/package.toml", 'version = "0.1.0"', 'version = "0.1"', "is not a semantic version"),
    ],
)
def test_out_of_sync_metadata_is_refused(tiny: Layout, path: str, old: str, new: str, message: str) -> None:
    file = tiny.root / path
    assert old in file.read_text()
    file.write_text(file.read_text().replace(old, new))
    with pytest.raises(ReleaseError, match=re.escape(message)):
        check_citation(tiny)


def test_missing_citation_file_is_reported(tiny: Layout) -> None:
    (tiny.root / "CITATION.cff").unlink()
    with pytest.raises(ReleaseError, match=r"CITATION\.cff is missing"):
        check_citation(tiny)


# --- snapshots and the version check -----------------------------------------------------------


def test_snapshot_records_fields_rows_and_outlets(tiny: Layout) -> None:
    snap = take_snapshot(tiny)
    documents = snap["resources"]["documents"]
    assert documents["rows"] == 2
    assert documents["rows_per_outlet"] == {"": 1, "sputnik": 1}
    assert documents["fields"][0] == ["doc_id", "string"]
    assert snap["resources"]["paragraphs"]["rows"] == 6
    assert snap["resources"]["seed-a"]["kind"] == "file"


def test_version_check_passes_when_nothing_changed(tiny: Layout) -> None:
    record_snapshot(tiny)
    assert "unchanged since release 0.1.0" in check_version(tiny)


def test_version_check_without_a_recorded_release_says_how_to_record(tiny: Layout) -> None:
    with pytest.raises(ReleaseError, match=r"python -m corpus\.release snapshot"):
        check_version(tiny)


def _edit_csv(path: Path, edit: Any) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    edit(rows)
    path.write_bytes(_csv(rows))


def test_changed_row_needs_a_patch_bump(tiny: Layout) -> None:
    record_snapshot(tiny)
    _edit_csv(tiny.data / "outlets.csv", lambda rows: rows[1].__setitem__(4, "RU-MOW"))
    with pytest.raises(ReleaseError) as info:
        check_version(tiny)
    message = str(info.value)
    assert "outlets: values changed in existing rows" in message
    assert "a patch bump to 0.1.1" in message


def test_added_rows_need_a_minor_bump_and_name_the_outlet(tiny: Layout) -> None:
    record_snapshot(tiny)
    seeds = {"a.txt": SEED_TEXT, "b.txt": SEED_TEXT.replace("Arctic", "Antarctic"), "c.txt": SEED_TEXT.upper()}
    docs = [
        _doc_row("a-1", "a.txt", 1, "sputnik", seeds["a.txt"]),
        _doc_row("b-1", "b.txt", 1, "", seeds["b.txt"]),
        _doc_row("c-1", "c.txt", 1, "sputnik", seeds["c.txt"]),
    ]
    write_tables(tiny.root, docs, seeds)
    with pytest.raises(ReleaseError) as info:
        check_version(tiny)
    message = str(info.value)
    assert "[minor] documents: 1 row(s) added (sputnik +1)" in message
    assert "resource 'seed-c' added" in message
    assert "a minor bump to 0.2.0" in message


def test_changed_schema_needs_a_major_bump(tiny: Layout) -> None:
    record_snapshot(tiny)
    descriptor = json.loads(tiny.descriptor.read_text())
    descriptor["resources"][0]["schema"]["fields"][2]["type"] = "string"  # article: integer -> string
    tiny.descriptor.write_text(json.dumps(descriptor, indent=2))
    with pytest.raises(ReleaseError) as info:
        check_version(tiny)
    assert "documents: field 'article' type integer -> string" in str(info.value)
    assert "a major bump to 1.0.0" in str(info.value)


def test_removed_field_needs_a_major_bump_even_after_a_minor_bump(tiny: Layout) -> None:
    record_snapshot(tiny)

    def drop_column(rows: list[list[str]]) -> None:
        for row in rows:
            del row[7]  # repairs

    _edit_csv(tiny.data / "paragraphs.csv", drop_column)
    descriptor = json.loads(tiny.descriptor.read_text())
    del descriptor["resources"][1]["schema"]["fields"][7]
    tiny.descriptor.write_text(json.dumps(descriptor, indent=2))
    set_version(tiny.root, "0.2.0")
    with pytest.raises(ReleaseError, match=r"version 0\.2\.0 is only a minor bump(.|\n)*field 'repairs' removed"):
        check_version(tiny)
    set_version(tiny.root, "1.0.0")
    assert "is a major bump over release 0.1.0" in check_version(tiny)


def test_bumped_version_needs_a_changelog_section(tiny: Layout) -> None:
    record_snapshot(tiny)
    _edit_csv(tiny.data / "outlets.csv", lambda rows: rows[1].__setitem__(4, "RU-MOW"))
    set_version(tiny.root, "0.1.1")
    changelog = tiny.root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("## [0.1.1]", "## 0.1.1-draft"))
    with pytest.raises(ReleaseError, match=r"CHANGELOG\.md has no '## \[0\.1\.1\]' section"):
        check_version(tiny)


def test_snapshot_of_a_released_version_is_not_overwritten(tiny: Layout) -> None:
    record_snapshot(tiny)
    record_snapshot(tiny)  # identical: fine
    _edit_csv(tiny.data / "outlets.csv", lambda rows: rows[1].__setitem__(4, "RU-MOW"))
    with pytest.raises(ReleaseError, match="already records a different release"):
        record_snapshot(tiny)
    record_snapshot(tiny, replace=True)
    assert "unchanged" in check_version(tiny)


def test_removed_resource_and_rows_are_major() -> None:
    table = {"kind": "table", "path": "data/t.csv", "fields": [["a", "string"]], "primary_key": [],
             "rows": 3, "rows_per_outlet": {"x": 3}, "sha256": "1", "metadata_sha256": "m"}  # fmt: skip
    old = {"metadata_sha256": "p", "resources": {"t": table, "u": {**table, "path": "data/u.csv"}}}
    new = {"metadata_sha256": "p", "resources": {"t": {**table, "rows": 2, "rows_per_outlet": {"x": 2}, "sha256": "2"}}}
    changes = [str(c) for c in compare_snapshots(old, new)]
    assert changes == ["[major] resource 'u' removed", "[major] t: 1 row(s) removed (x -1)"]


# --- archives ----------------------------------------------------------------------------------


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


@pytest.mark.slow
def test_archives_are_reproducible_and_complete(tiny: Layout) -> None:
    full, public = build_archives(tiny, edition="both")
    assert full.name == "us-russia-news-corpus-0.1.0.zip"
    assert public.name == "us-russia-news-corpus-public-0.1.0.zip"
    first = (full.read_bytes(), public.read_bytes())
    assert build_archives(tiny, edition="both") == [full, public]
    assert (full.read_bytes(), public.read_bytes()) == first
    top = "us-russia-news-corpus-0.1.0/"
    assert sorted(_names(full)) == _names(full)
    assert set(_names(full)) == {
        top + n
        for n in (
            "datapackage.json", "data/documents.csv", "data/paragraphs.csv", "data/outlets.csv",
            "data/seed_files.csv", "data/mentions.csv", "seeds/a.txt", "seeds/b.txt", "README.md",
            "CITATION.cff", "CHANGELOG.md",
            "LICENSES/CC-BY-4.0.txt", "LICENSES/publisher-copyright.txt", "SHA256SUMS",
        )
    }  # fmt: skip
    with zipfile.ZipFile(full) as archive:
        for info in archive.infolist():
            assert info.date_time == (2026, 11, 23, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
    assert (tiny.dist / (full.name + ".sha256")).read_text().startswith(hashlib.sha256(first[0]).hexdigest())
    assert {p.stat().st_mode & 0o777 for p in tiny.dist.iterdir()} == {0o644}


@pytest.mark.slow
def test_public_edition_withholds_texts_and_keeps_hashes(tiny: Layout) -> None:
    (public,) = build_archives(tiny, edition="public")
    top = "us-russia-news-corpus-public-0.1.0/"
    names = _names(public)
    assert not [n for n in names if "/seeds/" in n or n.endswith("publisher-copyright.txt")]
    with zipfile.ZipFile(public) as archive:
        descriptor = json.loads(archive.read(top + "datapackage.json"))
        paragraphs = archive.read(top + "data/paragraphs.csv").decode()
        documents = archive.read(top + "data/documents.csv").decode()
        everything = b"".join(archive.read(n) for n in names).decode("utf-8")
    assert descriptor["name"] == "us-russia-news-corpus-public"
    assert [lic["name"] for lic in descriptor["licenses"]] == ["CC-BY-4.0"]
    assert [r["name"] for r in descriptor["resources"]] == [
        "documents",
        "paragraphs",
        "outlets",
        "mentions",
        "seed_files",
    ]
    assert all(r["licenses"] == [CC_BY] for r in descriptor["resources"])
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}
    assert "text" not in fields["documents"] and fields["documents"][-1] == "text_sha256"
    assert fields["paragraphs"][5] == "text_sha256"
    assert fields["mentions"][-1] == "text"  # open-licensed derived table: kept as built
    first = SEED_TEXT.split("\n")[0]
    assert f",{hashlib.sha256(first.encode()).hexdigest()}," in paragraphs
    assert (
        hashlib.sha256(
            f"{first}\n\n{SEED_TEXT.split(chr(10))[2]}\n\n{SEED_TEXT.split(chr(10))[4]}".encode()
        ).hexdigest()
        in documents
    )
    for line in SEED_TEXT.splitlines():
        if line:
            assert line not in everything


@pytest.mark.parametrize(
    ("column", "value", "leaks"),
    [
        ("evidence", "Quoted: The president said the talks covered shipping routes along the coast.", 1),
        ("evidence", "the PRESIDENT said the talks covered shipping routes", 1),  # 8 words, case-folded
        ("evidence", "The president said the talks covered shipping", 0),  # 7 words: below the threshold
        ("title", "The president said the talks covered shipping routes along the northern coast this summer.", 0),
    ],
)  # fmt: skip
def test_leak_check_finds_quoted_runs_of_words(column: str, value: str, leaks: int) -> None:
    table = _csv([["id", column], ["1", value]])
    assert len(find_leaks([SEED_TEXT], {"data/t.csv": table})) == leaks


def test_public_table_refuses_a_wrong_text_hash(tiny: Layout) -> None:
    descriptor = json.loads(tiny.descriptor.read_text())
    _edit_csv(tiny.data / "documents.csv", lambda rows: rows[1].__setitem__(21, "0" * 64))
    with pytest.raises(ReleaseError, match=r"line 2: text_sha256 does not match"):
        public_table((tiny.data / "documents.csv").read_bytes(), descriptor["resources"][0], licenses=[CC_BY])


def test_publisher_table_without_a_declared_text_column_is_refused(tiny: Layout) -> None:
    descriptor = json.loads(tiny.descriptor.read_text())
    outlets = descriptor["resources"][2]
    with pytest.raises(ReleaseError, match=r"outlets\.csv is licensed publisher-copyright but has none of the columns"):
        public_table((tiny.data / "outlets.csv").read_bytes(), outlets, licenses=[CC_BY])


def test_packaging_refuses_out_of_sync_citation(tiny: Layout) -> None:
    cff = tiny.root / "CITATION.cff"
    cff.write_text(cff.read_text().replace("version: 0.1.0", "version: 9.9.9"))
    with pytest.raises(ReleaseError, match=r"CITATION\.cff is out of sync"):
        build_archives(tiny, edition="full")
    assert not tiny.dist.exists()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["../evil.txt", "pkg/../../evil.txt", "/etc/evil", "pkg\\..\\evil.txt"])
def test_verify_refuses_entries_escaping_the_folder(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad.zip"
    path.write_bytes(_zip({"pkg/datapackage.json": b"{}", name: b"x"}))
    with pytest.raises(ReleaseError, match="would unpack outside its folder"):
        verify_archive(path)
    assert not (tmp_path / "evil.txt").exists()


def test_verify_refuses_symlink_entries(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("pkg/link")
        info.external_attr = (0o120777) << 16
        archive.writestr(info, "/etc/passwd")
    path = tmp_path / "link.zip"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ReleaseError, match="symbolic link"):
        verify_archive(path)


def test_verify_refuses_a_member_not_matching_sha256sums(tmp_path: Path) -> None:
    good = zip_bytes(
        [Member("datapackage.json", b"{}"), Member("data/t.csv", b"a\n1\n")], folder="pkg", released=date(2026, 1, 2)
    )
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    entries["pkg/data/t.csv"] = b"a\n2\n"
    path = tmp_path / "pkg.zip"
    path.write_bytes(_zip(entries))
    with pytest.raises(ReleaseError, match=r"pkg/data/t\.csv does not match its SHA-256 in SHA256SUMS"):
        verify_archive(path)


def test_verify_refuses_an_unlisted_member(tmp_path: Path) -> None:
    good = zip_bytes([Member("datapackage.json", b"{}")], folder="pkg", released=date(2026, 1, 2))
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    entries["pkg/extra.txt"] = b"smuggled"
    path = tmp_path / "pkg.zip"
    path.write_bytes(_zip(entries))
    with pytest.raises(ReleaseError, match=r"SHA256SUMS and the archive's files disagree on \['pkg/extra.txt'\]"):
        verify_archive(path)


@pytest.mark.slow
def test_verify_refuses_an_archive_not_matching_its_checksum_file(tiny: Layout) -> None:
    (full,) = build_archives(tiny, edition="full")
    verify_archive(full)
    data = bytearray(full.read_bytes())
    data[-30] ^= 0xFF
    full.write_bytes(bytes(data))
    with pytest.raises(ReleaseError, match=r"its SHA-256 does not match us-russia-news-corpus-0\.1\.0\.zip\.sha256"):
        verify_archive(full)


@pytest.mark.slow
def test_invalid_package_is_not_installed(tiny: Layout) -> None:
    (full,) = build_archives(tiny, edition="full")
    before = full.read_bytes()
    _edit_csv(tiny.data / "documents.csv", lambda rows: rows[1].__setitem__(2, "first"))  # article must be integer
    with pytest.raises(ReleaseError, match="does not validate with Frictionless"):
        build_archives(tiny, edition="full")
    assert full.read_bytes() == before
    assert sorted(p.name for p in tiny.dist.iterdir()) == [full.name, full.name + ".sha256"]  # no temp files left


# --- the real data package -------------------------------------------------------------------------

needs_build = pytest.mark.skipif(
    not (REPO / "datapackage.json").is_file(), reason="datapackage.json not built yet: run `corpus build`"
)


@pytest.fixture(scope="module")
def real_archives(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, Path, Path]:
    """Both archives of the real package, built from a copy of the repository (dist/ untouched)."""
    root = tmp_path_factory.mktemp("real") / "repo"
    root.mkdir()
    for name in ("catalog", "data", "seeds", "LICENSES", "releases"):
        shutil.copytree(REPO / name, root / name)
    for name in ("datapackage.json", "pyproject.toml", "README.md", "CITATION.cff", "CHANGELOG.md"):
        shutil.copy(REPO / name, root / name)
    layout = Layout(root)
    full, public = build_archives(layout, edition="both")
    return layout, full, public


def _seed_sentences() -> list[str]:
    """Sentences of 8+ words from the raw seeds, except those inside a published title."""
    rows = list(csv.DictReader(io.StringIO((REPO / "data" / "documents.csv").read_text(encoding="utf-8"))))
    titles = [r[k] for r in rows for k in ("title", "alt_title") if r.get(k)]
    found = []
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        for part in re.split(r"(?<=[.!?…])\s+|\n+", seed.read_text(encoding="utf-8")):
            sentence = " ".join(part.split())
            if len(sentence.split()) >= 8 and not any(sentence in " ".join(t.split()) for t in titles):
                found.append(sentence)
    return found


@needs_build
@pytest.mark.slow
def test_real_public_edition_contains_no_sentence_from_the_seeds(real_archives: tuple[Layout, Path, Path]) -> None:
    _, full, public = real_archives
    sentences = _seed_sentences()
    assert len(sentences) > 50  # the five seeds have dozens of body sentences in English and Russian
    with zipfile.ZipFile(public) as archive:
        names = archive.namelist()
        text = " ".join(" ".join(archive.read(n).decode("utf-8").split()) for n in names)
    with zipfile.ZipFile(full) as archive:
        full_text = " ".join(" ".join(archive.read(n).decode("utf-8").split()) for n in archive.namelist())
    assert not [n for n in names if "/seeds/" in n]
    assert [s for s in sentences if s in text] == []
    assert len([s for s in sentences if s in full_text]) == len(sentences)  # the search itself works


@needs_build
@pytest.mark.slow
def test_real_archives_are_reproducible_and_verify(real_archives: tuple[Layout, Path, Path]) -> None:
    layout, full, public = real_archives
    before = (full.read_bytes(), public.read_bytes())
    assert build_archives(layout, edition="both") == [full, public]
    assert (full.read_bytes(), public.read_bytes()) == before
    verify_archive(full)
    verify_archive(public)


@needs_build
@pytest.mark.slow
def test_real_public_documents_keep_metadata_and_text_hashes(real_archives: tuple[Layout, Path, Path]) -> None:
    layout, _, public = real_archives
    full_docs = list(csv.DictReader(io.StringIO((layout.data / "documents.csv").read_text(encoding="utf-8"))))
    with zipfile.ZipFile(public) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith("/data/documents.csv")]
        public_docs = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
    assert len(public_docs) == len(full_docs) == 6
    for full_row, public_row in zip(full_docs, public_docs, strict=True):
        assert "text" not in public_row
        assert public_row["text_sha256"] == hashlib.sha256(full_row["text"].encode("utf-8")).hexdigest()
        assert {k: v for k, v in full_row.items() if k != "text"} == public_row


@needs_build
def test_real_package_matches_its_recorded_release() -> None:
    """Fails when data/ or datapackage.json changed since releases/<last>.json without a bump."""
    message = check_version(project(REPO))
    assert message.startswith(f"version {load_metadata(project(REPO)).version}")


# --- command line ----------------------------------------------------------------------------------


def test_cli_version_check_fails_with_the_suggested_bump(
    tiny: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpus.cli import main as corpus_main
    from corpus.release import main as release_main

    monkeypatch.setenv("CORPUS_ROOT", str(tiny.root))
    assert release_main(["snapshot"]) == 0
    assert corpus_main(["version-check"]) == 0
    _edit_csv(tiny.data / "outlets.csv", lambda rows: rows[1].__setitem__(4, "RU-MOW"))
    assert corpus_main(["version-check"]) == 1
    assert "Suggested: a patch bump to 0.1.1" in capsys.readouterr().err


def test_cli_verify_refuses_an_unsafe_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from corpus.release import main as release_main

    path = tmp_path / "bad.zip"
    path.write_bytes(_zip({"pkg/datapackage.json": b"{}", "pkg/../../escape.txt": b"x"}))
    assert release_main(["verify", str(path)]) == 1
    assert "would unpack outside its folder" in capsys.readouterr().err
