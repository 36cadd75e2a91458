"""Release metadata repeated outside the catalog stays in sync with it; `corpus cite` and `corpus release citation`."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest

from corpus.cli import main
from corpus.errors import ReleaseError
from corpus.package.citation import render_cff
from corpus.package.metadata import load_metadata
from corpus.paths import Layout, project
from corpus.release.cite import check_citation

REPO = Path(__file__).resolve().parents[2]


def test_repository_metadata_is_in_sync() -> None:
    check_citation(project(REPO))


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
        (".zenodo.json", '"version": "0.1.0"', '"version": "0.0.9"', ".zenodo.json is out of sync"),
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
    with pytest.raises(ReleaseError, match=r"CITATION\.cff is missing; generate it with `corpus release citation`"):
        check_citation(tiny)


def test_release_citation_regenerates_the_file(
    tiny: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORPUS_ROOT", str(tiny.root))
    (tiny.root / "CITATION.cff").write_text("stale\n", encoding="utf-8")
    (tiny.root / ".zenodo.json").unlink()
    assert main(["release", "citation"]) == 0
    assert capsys.readouterr().out.split() == ["CITATION.cff", ".zenodo.json"]
    assert (tiny.root / "CITATION.cff").read_text(encoding="utf-8") == render_cff(load_metadata(tiny))
    check_citation(tiny)


def test_cite_prints_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite"]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line in {"APA", "BibTeX", "CSL-JSON"}] == ["APA", "BibTeX", "CSL-JSON"]


def test_cite_bibtex_parses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite", "--format", "bibtex"]) == 0
    library = bibtexparser.parse_string(capsys.readouterr().out)
    assert not library.failed_blocks
    (entry,) = library.entries
    meta = load_metadata(project(REPO))
    assert entry.entry_type == "misc"
    assert entry.key == f"{meta.name}-{meta.version}"
    assert entry.fields_dict["title"].value == "{US–Russia Relations News Corpus}"
    assert entry.fields_dict["version"].value == meta.version
    assert entry.fields_dict["year"].value == str(meta.released.year)
