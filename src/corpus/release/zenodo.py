"""``.zenodo.json``: the deposit metadata of the public edition, generated from the catalog.

The public edition is deposited through Zenodo's deposit API or web form (see "Publishing a
release" in the README), never through Zenodo's GitHub integration, which archives the
repository itself, seeds and full texts included. This file holds the metadata the deposit
takes, in the deposit API's format: the same facts as ``CITATION.cff`` (title, creators,
version, date, licence, keywords), the upload type, the outlets the corpus is derived from and,
once it exists, the repository of the code that compiles it. Nothing is invented: a homepage
appears only when the catalog has one.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from typing import Any, Final

from corpus.ingest.catalog import Outlet
from corpus.package.metadata import PackageMetadata

ZENODO_FILE: Final[str] = ".zenodo.json"


def zenodo_license(spdx: str) -> str:
    """Zenodo's id of an SPDX licence (its vocabulary writes them in lower case: ``cc-by-4.0``)."""
    return spdx.lower()


def zenodo_metadata(meta: PackageMetadata, outlets: Iterable[Outlet]) -> dict[str, Any]:
    """The deposit metadata of the public edition of ``meta``'s version."""
    related: list[dict[str, str]] = [
        {"identifier": o.homepage, "relation": "references", "scheme": "url"}
        for o in sorted(outlets, key=lambda o: o.outlet_id)
        if o.homepage
    ]
    if meta.homepage:
        related.append(
            {"identifier": meta.homepage, "relation": "isCompiledBy", "scheme": "url", "resource_type": "software"}
        )
    return {
        "upload_type": "dataset",
        "title": meta.title,
        "creators": [{"name": author} for author in meta.authors],
        "description": (
            f"<p>{html.escape(meta.description)}</p><p>Public edition ({html.escape(meta.data_license)}): "
            "the Frictionless data package without the article texts and raw pages, which remain the "
            "copyright of their publishers; each text is represented by its SHA-256.</p>"
        ),
        "publication_date": meta.released.isoformat(),
        "version": meta.version,
        "access_right": "open",
        "license": zenodo_license(meta.data_license),
        "keywords": list(meta.keywords),
        "related_identifiers": related,
        "notes": (
            "Deposited from the release archive "
            f"{meta.archive_stem('public')}.zip (with its .sha256); the full edition with the texts "
            "is not deposited."
        ),
    }


def render_zenodo(meta: PackageMetadata, outlets: Iterable[Outlet]) -> str:
    """The text of ``.zenodo.json`` (deterministic: fixed key order, two-space indent, final newline)."""
    return json.dumps(zenodo_metadata(meta, outlets), ensure_ascii=False, indent=2) + "\n"
