"""Release metadata: one reader of catalog/package.toml, and the same facts read back from a descriptor."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus.errors import CatalogError, PackageError
from corpus.package.build import build
from corpus.package.metadata import from_descriptor, is_publisher_license, load_metadata
from corpus.paths import Layout

REPO = Path(__file__).resolve().parents[2]


def test_the_published_descriptor_carries_the_catalog_metadata(repo: Layout) -> None:
    descriptor = json.loads(repo.descriptor.read_text(encoding="utf-8"))
    assert from_descriptor(descriptor) == load_metadata(repo)


def test_a_doi_reaches_the_descriptor_and_comes_back(project_copy: Layout) -> None:
    path = project_copy.catalog / "package.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^version = ".*"$', r'\g<0>\ndoi = "10.5281/zenodo.1234567"', text), encoding="utf-8")
    build(project_copy)
    descriptor = json.loads(project_copy.descriptor.read_text(encoding="utf-8"))
    assert descriptor["id"] == "https://doi.org/10.5281/zenodo.1234567"
    assert from_descriptor(descriptor).doi == "10.5281/zenodo.1234567"


def test_a_public_descriptor_needs_no_publisher_licence(repo: Layout) -> None:
    descriptor = json.loads(repo.descriptor.read_text(encoding="utf-8"))
    descriptor["licenses"] = [lic for lic in descriptor["licenses"] if not is_publisher_license(lic)]
    assert from_descriptor(descriptor).data_license == "CC-BY-4.0"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("[licenses.texts]", "[licenses.other]"), r"\[licenses.texts\] needs path = "),
        (
            lambda t: t.replace("[licenses.texts]\n", '[licenses.texts]\nname = "publisher-copyright"\n'),
            r"and no 'name' \(a name must be an Open Definition licence id",
        ),
        (lambda t: t.replace('roles = ["creator"]', 'role = "creator"'), r"has 'role' \(Data Package v1\)"),
        (lambda t: t.replace('roles = ["creator"]', 'roles = "creator"'), "'roles' must be a list of strings"),
        (lambda t: t.replace("description =", "summary ="), "missing key 'description'"),
        (lambda t: t.replace('title = "US–Russia News Corpus maintainers"', 'title = ""'), "no author"),
        (lambda t: t.replace('keywords = ["news"', 'keywords = 3\nkw = ["news"'), "'keywords' must be a list"),
        (lambda t: t.replace('created = "2026', 'created = "soon'), "does not start with a YYYY-MM-DD date"),
        (
            lambda t: t.replace('title = "US–Russia Relations News Corpus"', 'title = ""'),
            "'title' must be a non-empty string",
        ),
        (lambda t: t.replace('name = "us-russia-news-corpus"', 'name = "  "'), "'name' must be a non-empty string"),
    ],
)
def test_bad_catalog_metadata_names_the_key(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "catalog").mkdir()
    text = (REPO / "catalog" / "package.toml").read_text(encoding="utf-8")
    (tmp_path / "catalog" / "package.toml").write_text(edit(text), encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load_metadata(Layout(tmp_path))


def test_a_descriptor_without_metadata_is_a_package_error() -> None:
    with pytest.raises(PackageError, match=r"datapackage.json: missing key 'name'"):
        from_descriptor({"resources": []})


def test_missing_catalog_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"catalog/package\.toml not found: the release metadata lives there"):
        load_metadata(Layout(tmp_path))
