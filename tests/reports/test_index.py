"""The index reads the published package: its tables through the descriptor, its citation too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from corpus.package.citation import citation_html
from corpus.package.metadata import load_metadata
from corpus.paths import Layout
from corpus.reports import cache, index
from corpus.reports.render import PackageInfo

REPO = Path(__file__).resolve().parents[2]
PACKAGE = PackageInfo("fixture-corpus", "Fixture corpus", "0.0.1")


def test_about_summarizes_the_published_tables(project: Layout) -> None:
    about = index.about_corpus(project, cache.read_package(project), PACKAGE)
    assert about.summary.startswith("Fixture corpus (version 0.0.1) holds 4 articles extracted from 4 raw")
    assert "dated 2021-10 to 2025-08-23" in about.summary and "from 4 outlets in 2 languages" in about.summary
    assert dict(about.tables[0].rows) == {
        "Sputnik International": 1,
        "Unidentified blog": 1,
        "Lenta.UA": 1,
        "unknown outlet": 1,
    }
    assert dict(about.tables[1].rows) == {"English": 2, "Russian": 2}


def test_about_follows_the_descriptor_not_the_data_folder(project: Layout) -> None:
    """The tables are found where the descriptor says, wherever that is."""
    shutil.move(project.data / "documents.csv", project.root / "docs.csv")
    descriptor = json.loads(project.descriptor.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "documents":
            resource["path"] = "docs.csv"
    project.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    about = index.about_corpus(project, cache.read_package(project), PACKAGE)
    assert "holds 4 articles" in about.summary


def test_index_citation_comes_from_the_descriptor_and_equals_the_catalog_one(project: Layout) -> None:
    descriptor = cache.read_package(project)
    assert index.citation_for_index(descriptor) == citation_html(load_metadata(project))
    (project.catalog / "package.toml").unlink()
    assert index.citation_for_index(descriptor).startswith('<p class="citation">'), "catalog/ is never read"


def test_the_dataset_description_is_read_from_the_published_package(project: Layout) -> None:
    descriptor = cache.read_package(project)
    dataset = index.dataset_description(project, descriptor)
    assert dataset["@type"] == "Dataset" and dataset["@context"] == "https://schema.org"
    assert (dataset["name"], dataset["alternateName"]) == (descriptor["title"], descriptor["name"])
    assert dataset["version"] == descriptor["version"] and dataset["datePublished"] == descriptor["created"][:10]
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/" and dataset["isAccessibleForFree"]
    assert dataset["inLanguage"] == ["en", "ru"]
    assert dataset["creator"] == [{"@type": "Organization", "name": "US–Russia News Corpus maintainers"}]
    (download,) = dataset["distribution"]
    assert download["name"] == f"{descriptor['name']}-public-{descriptor['version']}.zip"
    assert "url" not in dataset and "identifier" not in dataset, "no URL or DOI is invented"
    assert "contentUrl" not in download


def test_the_dataset_description_names_a_real_doi_and_homepage(project: Layout) -> None:
    descriptor = cache.read_package(project)
    descriptor["id"] = "https://doi.org/10.5281/zenodo.1234567"
    descriptor["homepage"] = "https://example.org/corpus"
    dataset = index.dataset_description(project, descriptor)
    assert dataset["identifier"] == "https://doi.org/10.5281/zenodo.1234567"
    assert dataset["url"] == "https://example.org/corpus"


def test_the_committed_index_carries_the_dataset_description() -> None:
    repo = Layout(REPO)
    page = (repo.reports / "index.html").read_text(encoding="utf-8")
    body = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(body) == index.dataset_description(repo, cache.read_package(repo))


def test_the_index_shows_the_extraction_quality_per_split() -> None:
    rows = [
        {"split": "dev", "measure": "pages", "right": "3", "total": "3", "share": "1.000"},
        {"split": "dev", "measure": "articles fully right", "right": "2", "total": "3", "share": "0.667"},
        {"split": "holdout", "measure": "articles fully right", "right": "0", "total": "0", "share": ""},
    ]
    assert index.extraction_quality(rows) == (("pages", "3", "", ""), ("articles fully right", "66.7 % (2/3)", "", ""))
