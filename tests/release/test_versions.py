"""Release snapshots and the version check (the Data Package Version recipe)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builder import RELEASE_DOCS, edit_csv, release_doc, set_version, write_project

from corpus.cli import main
from corpus.errors import ReleaseError
from corpus.package.metadata import load_metadata
from corpus.paths import Layout, project
from corpus.release.versions import (
    Change,
    check_version,
    compare_snapshots,
    record_snapshot,
    required_bump,
    take_snapshot,
)

REPO = Path(__file__).resolve().parents[2]


def _change_a_country(rows: list[list[str]]) -> None:
    rows[1][rows[0].index("country")] = "RU-MOW"


def test_required_bump_takes_the_most_severe() -> None:
    assert required_bump([Change("patch", "a"), Change("major", "b"), Change("minor", "c")]) == "major"
    assert required_bump([]) is None


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
    with pytest.raises(ReleaseError, match=r"record the current one with `corpus release snapshot`"):
        check_version(tiny)


def test_changed_row_needs_a_patch_bump(tiny: Layout) -> None:
    record_snapshot(tiny)
    edit_csv(tiny.data / "outlets.csv", _change_a_country)
    with pytest.raises(ReleaseError) as info:
        check_version(tiny)
    message = str(info.value)
    assert "outlets: values changed in existing rows" in message
    assert "a patch bump to 0.1.1" in message


def test_added_rows_need_a_minor_bump_and_name_the_outlet(tiny: Layout) -> None:
    record_snapshot(tiny)
    write_project(tiny.root, (*RELEASE_DOCS, release_doc("c", "sputnik", region="Baltic")))
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

    def drop_repairs(rows: list[list[str]]) -> None:
        column = rows[0].index("repairs")
        for row in rows:
            del row[column]

    edit_csv(tiny.data / "paragraphs.csv", drop_repairs)
    descriptor = json.loads(tiny.descriptor.read_text())
    fields = descriptor["resources"][1]["schema"]["fields"]
    fields[:] = [f for f in fields if f["name"] != "repairs"]
    tiny.descriptor.write_text(json.dumps(descriptor, indent=2))
    set_version(tiny.root, "0.2.0")
    with pytest.raises(ReleaseError, match=r"version 0\.2\.0 is only a minor bump(.|\n)*field 'repairs' removed"):
        check_version(tiny)
    set_version(tiny.root, "1.0.0")
    assert "is a major bump over release 0.1.0" in check_version(tiny)


def test_bumped_version_needs_a_changelog_section(tiny: Layout) -> None:
    record_snapshot(tiny)
    edit_csv(tiny.data / "outlets.csv", _change_a_country)
    set_version(tiny.root, "0.1.1")
    changelog = tiny.root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("## [0.1.1]", "## 0.1.1-draft"))
    with pytest.raises(ReleaseError, match=r"CHANGELOG\.md has no '## \[0\.1\.1\]' section"):
        check_version(tiny)


def test_snapshot_of_a_released_version_is_not_overwritten(tiny: Layout) -> None:
    record_snapshot(tiny)
    record_snapshot(tiny)  # identical: fine
    edit_csv(tiny.data / "outlets.csv", _change_a_country)
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


@pytest.mark.skipif(not (REPO / "datapackage.json").is_file(), reason="datapackage.json not built: run `corpus build`")
def test_real_package_matches_its_recorded_release() -> None:
    """Fails when data/ or datapackage.json changed since releases/<last>.json without a bump."""
    message = check_version(project(REPO))
    assert message.startswith(f"version {load_metadata(project(REPO)).version}")


@pytest.mark.parametrize("command", [["release", "version-check"], ["version-check"]])
def test_cli_version_check_fails_with_the_suggested_bump(
    tiny: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    monkeypatch.setenv("CORPUS_ROOT", str(tiny.root))
    assert main(["release", "snapshot"]) == 0
    assert main(command) == 0
    edit_csv(tiny.data / "outlets.csv", _change_a_country)
    assert main(command) == 1
    err = capsys.readouterr().err
    assert f"corpus {' '.join(command)}: error:" in err and "Suggested: a patch bump to 0.1.1" in err
