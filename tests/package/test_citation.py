"""Citations of a package version: CITATION.cff, APA text, BibTeX and CSL-JSON, from the release metadata."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import yaml

from corpus.package.citation import citation_html, render_cff, render_citation
from corpus.package.metadata import load_metadata
from corpus.paths import Layout, project

REPO = Path(__file__).resolve().parents[2]
#: check-jsonschema with the CFF 1.2 schema it ships (no schema is fetched: the check runs offline).
CFF_CHECK = ("-m", "check_jsonschema", "--builtin-schema", "vendor.citation-file-format")


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


def _cff_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *CFF_CHECK, str(path)], capture_output=True, text=True, timeout=300, check=False
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


def test_the_cff_schema_validates_the_committed_citation_file() -> None:
    result = _cff_validate(REPO / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_cff_schema_validates_a_citation_file_with_homepage_and_doi(tmp_path: Path) -> None:
    layout = _catalog(tmp_path, homepage="https://example.org/corpus", doi="10.5281/zenodo.1234567")
    (tmp_path / "CITATION.cff").write_text(render_cff(load_metadata(layout)), encoding="utf-8")
    result = _cff_validate(tmp_path / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_cff_schema_rejects_a_broken_citation_file(tmp_path: Path) -> None:
    broken = tmp_path / "CITATION.cff"
    broken.write_text(
        (REPO / "CITATION.cff").read_text(encoding="utf-8").replace("type: dataset", "type: newspaper"),
        encoding="utf-8",
    )
    result = _cff_validate(broken)
    assert result.returncode != 0
    assert "newspaper" in result.stdout + result.stderr


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


def test_the_shipped_apa_style_is_the_file_its_notice_records() -> None:
    import hashlib

    from corpus.package.citation import APA_STYLE

    style = APA_STYLE.read_bytes()
    notice = (APA_STYLE.parent / "NOTICE.md").read_text(encoding="utf-8")
    assert f"`{hashlib.sha256(style).hexdigest()}`" in notice, "apa.csl changed: record its provenance in NOTICE.md"
    assert b'<rights license="http://creativecommons.org/licenses/by-sa/3.0/">' in style
    assert "CC BY-SA 3.0" in notice and "https://creativecommons.org/licenses/by-sa/3.0/" in notice
