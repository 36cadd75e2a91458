"""``.zenodo.json``: the deposit metadata of the public edition, checked against Zenodo's rules offline."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from corpus.ingest.catalog import load_outlets
from corpus.package.metadata import load_metadata
from corpus.paths import Layout
from corpus.release.cite import citation_problems
from corpus.release.zenodo import ZENODO_FILE, render_zenodo, zenodo_metadata

REPO = Path(__file__).resolve().parents[2]

# The deposit metadata of Zenodo's REST API (developers.zenodo.org, "Deposit metadata"), as far
# as it can be checked offline: the required keys, the keys it knows and its vocabularies.
REQUIRED = ("upload_type", "publication_date", "title", "creators", "description", "access_right")
KNOWN_KEYS = {
    *REQUIRED,
    *("publication_type", "image_type", "embargo_date", "access_conditions", "license", "doi"),
    *("prereserve_doi", "keywords", "notes", "related_identifiers", "contributors", "references"),
    *("communities", "grants", "subjects", "version", "language", "locations", "dates", "method"),
}
UPLOAD_TYPES = {
    "publication", "poster", "presentation", "dataset", "image", "video", "software", "lesson", "physicalobject",
    "other",
}  # fmt: skip
ACCESS_RIGHTS = {"open", "embargoed", "restricted", "closed"}
RELATIONS = {
    "isCitedBy", "cites", "isSupplementTo", "isSupplementedBy", "isContinuedBy", "continues", "isDescribedBy",
    "describes", "hasMetadata", "isMetadataFor", "isNewVersionOf", "isPreviousVersionOf", "isPartOf", "hasPart",
    "isReferencedBy", "references", "isDocumentedBy", "documents", "isCompiledBy", "compiles", "isVariantFormOf",
    "isOriginalFormOf", "isIdenticalTo", "isAlternateIdentifier", "isReviewedBy", "reviews", "isDerivedFrom",
    "isSourceOf", "requires", "isRequiredBy", "isObsoletedBy", "obsoletes",
}  # fmt: skip
CREATOR_KEYS = {"name", "affiliation", "orcid", "gnd"}
RELATED_KEYS = {"identifier", "relation", "resource_type", "scheme"}
#: Zenodo's ids (SPDX ids in lower case) of the open licences that suit a data set.
DATA_LICENSES = {"cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0", "odc-by-1.0", "odbl-1.0", "odc-pddl-1.0"}


def deposit_problems(metadata: dict[str, Any]) -> list[str]:
    """Every way ``metadata`` breaks Zenodo's deposit rules above (empty when it follows them)."""
    problems = [f"missing {key!r}" for key in REQUIRED if not metadata.get(key)]
    problems += [f"unknown key {key!r}" for key in sorted(set(metadata) - KNOWN_KEYS)]
    if metadata.get("upload_type") not in UPLOAD_TYPES:
        problems.append(f"upload_type {metadata.get('upload_type')!r} is not one of Zenodo's")
    if metadata.get("access_right") not in ACCESS_RIGHTS:
        problems.append(f"access_right {metadata.get('access_right')!r} is not one of Zenodo's")
    if metadata.get("access_right") in ("open", "embargoed") and metadata.get("license") not in DATA_LICENSES:
        problems.append(f"license {metadata.get('license')!r}: open access needs an open data licence id")
    try:
        dt.date.fromisoformat(str(metadata.get("publication_date")))
    except ValueError:
        problems.append(f"publication_date {metadata.get('publication_date')!r} is not YYYY-MM-DD")
    for creator in metadata.get("creators") or []:
        if not str(creator.get("name", "")).strip() or set(creator) - CREATOR_KEYS:
            problems.append(f"creator {creator}: needs a name and only {sorted(CREATOR_KEYS)}")
    for related in metadata.get("related_identifiers", []):
        if not related.get("identifier") or related.get("relation") not in RELATIONS or set(related) - RELATED_KEYS:
            problems.append(f"related identifier {related}: needs an identifier and one of Zenodo's relations")
    if not all(isinstance(k, str) and k for k in metadata.get("keywords", [])):
        problems.append("keywords must be non-empty strings")
    return problems


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    return json.loads((REPO / ZENODO_FILE).read_text(encoding="utf-8"))


def test_the_committed_deposit_metadata_follows_zenodos_rules(committed: dict[str, Any]) -> None:
    assert deposit_problems(committed) == []


def test_the_committed_deposit_metadata_is_generated_from_the_catalog() -> None:
    layout = Layout(REPO)
    outlets = load_outlets(layout.catalog / "outlets.csv").values()
    assert (REPO / ZENODO_FILE).read_text(encoding="utf-8") == render_zenodo(load_metadata(layout), outlets)
    assert not [p for p in citation_problems(layout) if ZENODO_FILE in p]


def test_the_deposit_is_the_open_public_edition(committed: dict[str, Any]) -> None:
    meta = load_metadata(Layout(REPO))
    assert committed["upload_type"] == "dataset" and committed["access_right"] == "open"
    assert committed["license"] == meta.data_license.lower() == "cc-by-4.0"
    assert (committed["title"], committed["version"]) == (meta.title, meta.version)
    assert committed["publication_date"] == meta.released.isoformat()
    assert committed["creators"] == [{"name": a} for a in meta.authors]
    assert f"{meta.archive_stem('public')}.zip" in committed["notes"]
    assert {r["relation"] for r in committed["related_identifiers"]} == {"references"}
    assert all(re.fullmatch(r"https://[a-z0-9.-]+/", r["identifier"]) for r in committed["related_identifiers"])
    assert "doi" not in committed, "Zenodo mints the DOI: none is written in advance"


def test_a_homepage_is_the_code_that_compiles_the_data() -> None:
    from dataclasses import replace

    meta = replace(load_metadata(Layout(REPO)), homepage="https://example.org/corpus")
    metadata = zenodo_metadata(meta, [])
    assert metadata["related_identifiers"] == [
        {
            "identifier": "https://example.org/corpus",
            "relation": "isCompiledBy",
            "scheme": "url",
            "resource_type": "software",
        }
    ]
    assert deposit_problems(metadata) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m.pop("title"), "missing 'title'"),
        (lambda m: m.update(upload_type="data"), "upload_type 'data' is not one of Zenodo's"),
        (lambda m: m.update(access_right="public"), "access_right 'public' is not one of Zenodo's"),
        (lambda m: m.pop("license"), "license None: open access needs an open data licence id"),
        (lambda m: m.update(license="publisher-copyright"), "open access needs an open data licence id"),
        (lambda m: m.update(publication_date="25/11/2026"), "is not YYYY-MM-DD"),
        (lambda m: m.update(creators=[{"name": " "}]), "needs a name"),
        (lambda m: m.update(creators=[]), "missing 'creators'"),
        (lambda m: m.update(licence="cc-by-4.0"), "unknown key 'licence'"),
        (lambda m: m["related_identifiers"][0].update(relation="derivedFrom"), "one of Zenodo's relations"),
        (lambda m: m.update(keywords=["news", ""]), "keywords must be non-empty strings"),
    ],
)
def test_the_rules_catch_a_broken_deposit(committed: dict[str, Any], change: Any, problem: str) -> None:
    broken = copy.deepcopy(committed)
    change(broken)
    assert any(problem in p for p in deposit_problems(broken)), deposit_problems(broken)
