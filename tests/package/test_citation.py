"""Citations of a package version: CITATION.cff, APA text, BibTeX and CSL-JSON, from the release metadata."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
import yaml

from corpus.package.citation import citation_html, render_cff, render_citation
from corpus.package.metadata import load_metadata
from corpus.paths import Layout, project

REPO = Path(__file__).resolve().parents[2]
#: cffconvert 2.0 pins jsonschema<4, which conflicts with frictionless, so it runs in its own
#: uv-managed tool environment rather than in the test environment (see "Citing the corpus" in the README).
CFFCONVERT = ("tool", "run", "--from", "cffconvert==2.0.0", "cffconvert")


def _catalog(tmp_path: Path, **changes: str) -> Layout:
    """A project holding only catalog/package.toml, with top-level string keys replaced or added."""
    text = (REPO / "catalog" / "package.toml").read_text(encoding="utf-8")
    cut = text.index("\n[")  # top-level keys come before the first table
    head, tables = text[:cut], text[cut:]
    for key, value in changes.items():
        head, n = re.subn(rf'(?m)^{key} = ".*?"', lambda _m, k=key, v=value: f"{k} = {json.dumps(v)}", head)
        if n == 0:
            head += f"\n{key} = {json.dumps(value)}"
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "package.toml").write_text(head + tables, encoding="utf-8")
    return Layout(tmp_path)


def _cffconvert_validate(path: Path) -> subprocess.CompletedProcess[str]:
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is not on PATH: it runs cffconvert in its own environment (pip install uv)")
    return subprocess.run(
        [uv, *CFFCONVERT, "--validate", "-i", str(path)], capture_output=True, text=True, timeout=300, check=False
    )


# --- CITATION.cff --------------------------------------------------------------------------------


def test_committed_citation_file_is_the_generated_one() -> None:
    layout = project(REPO)
    assert (REPO / "CITATION.cff").read_text(encoding="utf-8") == render_cff(load_metadata(layout))


def test_citation_file_has_the_required_fields_and_no_invented_identifiers() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    meta = load_metadata(project(REPO))
    assert cff["type"] == "dataset"
    assert cff["version"] == meta.version == cff["preferred-citation"]["version"]
    assert cff["date-released"] == meta.released.isoformat()
    assert cff["license"] == "CC-BY-4.0"
    assert cff["authors"] == [{"name": "US–Russia News Corpus maintainers"}]
    assert cff["keywords"] and cff["abstract"] and cff["title"] == meta.title
    if not meta.homepage:
        assert "repository-code" not in cff and "url" not in cff
    if not meta.doi:
        assert "doi" not in cff and "identifiers" not in cff
        assert "doi" not in (REPO / "CITATION.cff").read_text(encoding="utf-8").lower()


def test_cffconvert_validates_the_committed_citation_file() -> None:
    result = _cffconvert_validate(REPO / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_cffconvert_rejects_a_broken_citation_file(tmp_path: Path) -> None:
    broken = tmp_path / "CITATION.cff"
    broken.write_text(
        (REPO / "CITATION.cff").read_text(encoding="utf-8").replace("type: dataset", "type: newspaper"),
        encoding="utf-8",
    )
    result = _cffconvert_validate(broken)
    assert result.returncode != 0


def test_homepage_and_doi_appear_only_when_set(tmp_path: Path) -> None:
    layout = _catalog(tmp_path, homepage="https://example.org/corpus", doi="10.5281/zenodo.1234567")
    cff = yaml.safe_load(render_cff(load_metadata(layout)))
    assert cff["repository-code"] == "https://example.org/corpus"
    assert cff["identifiers"] == [
        {"type": "doi", "value": "10.5281/zenodo.1234567", "description": "The archived release"}
    ]
    assert "https://doi.org/10.5281/zenodo.1234567" in render_citation(load_metadata(layout), fmt="apa")


# --- APA, BibTeX, CSL-JSON ----------------------------------------------------------------------


def test_apa_citation() -> None:
    meta = load_metadata(project(REPO))
    assert render_citation(load_metadata(project(REPO)), fmt="apa") == (
        f"US–Russia News Corpus maintainers. ({meta.released.year}). US–Russia Relations News Corpus "
        f"(Version {meta.version}) [Dataset]."
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Costs & 100% of {Data}", r"{{Costs \& 100\% of \{Data\}}}"),
        ("snake_case #1 ~ $x^2$", r"{{snake\_case \#1 \textasciitilde{} \$x\textasciicircum{}2\$}}"),
    ],
)
def test_bibtex_escapes_tex_specials(tmp_path: Path, title: str, expected: str) -> None:
    text = render_citation(load_metadata(_catalog(tmp_path, title=title)), fmt="bibtex")
    assert f"title = {expected}," in text
    assert not bibtexparser.parse_string(text).failed_blocks


def test_csl_json_citation() -> None:
    (item,) = json.loads(render_citation(load_metadata(project(REPO)), fmt="csl-json"))
    meta = load_metadata(project(REPO))
    assert item["type"] == "dataset"
    assert item["version"] == meta.version
    assert item["issued"] == {"date-parts": [[meta.released.year, meta.released.month, meta.released.day]]}
    assert "URL" not in item and "DOI" not in item


def test_citation_html_escapes_catalog_values(tmp_path: Path) -> None:
    html = citation_html(load_metadata(_catalog(tmp_path, title="<script>alert(1)</script> & more")))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert html.startswith('<p class="citation">') and "<i>" in html


def test_citation_html_matches_the_apa_text() -> None:
    html = citation_html(load_metadata(project(REPO)))
    plain = re.sub(r"<[^>]+>", "", html)
    assert plain == render_citation(load_metadata(project(REPO)), fmt="apa")
