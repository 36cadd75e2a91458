"""The release metadata of the data package: the one reader of ``catalog/package.toml``.

``catalog/package.toml`` is the single source of truth for the package's name, title, version,
release date (``created``), description, keywords, contributors, licences and, once they exist,
homepage and DOI. The build copies them into ``datapackage.json``; :func:`from_descriptor` reads
them back from there, so everything downstream of the build (reports, citations of a published
package) needs only the published descriptor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from corpus.errors import CatalogError, CorpusError, PackageError
from corpus.fileio import read_toml
from corpus.paths import Layout

#: Licence name the catalog uses for the article texts and raw pages (not redistributable).
PUBLISHER_LICENSE: Final[str] = "publisher-copyright"
#: Contributor roles that make someone an author of the citation.
AUTHOR_ROLES: Final[frozenset[str]] = frozenset({"creator", "author"})
#: How a DOI is written as a URL (the descriptor's ``id``).
DOI_URL: Final[str] = "https://doi.org/"
_REQUIRED = ("name", "title", "version", "created", "description", "licenses")


@dataclass(frozen=True)
class PackageMetadata:
    """The citable facts of one package version.

    Attributes:
        name: Package name (lowercase, hyphens), also the archive's base name.
        title: Human title.
        version: The version string as written (checked to be semantic by the release checks).
        created: The release date-time as written (the descriptor's ``created``).
        released: Release date (the date part of ``created``).
        description: Abstract, whitespace normalised.
        keywords: Keywords, in catalog order.
        contributors: The ``[[contributors]]`` tables as written.
        authors: Names of the contributors whose role is creator/author (all of them if none is).
        homepage: Repository URL, or "" while unpublished.
        doi: A real DOI (without ``https://doi.org/``), or "" while none exists.
        licenses: The licence of our tables and annotations (``metadata``) and of the publishers'
            texts (``texts``).
    """

    name: str
    title: str
    version: str
    created: str
    released: date
    description: str
    keywords: tuple[str, ...]
    contributors: tuple[dict[str, Any], ...]
    authors: tuple[str, ...]
    homepage: str
    doi: str
    licenses: dict[str, dict[str, str]]

    @property
    def data_license(self) -> str:
        """SPDX id of the licence of the tables and annotations (e.g. ``CC-BY-4.0``)."""
        return self.licenses["metadata"]["name"]

    def license(self, which: str) -> dict[str, str]:
        """The licence entry for our own tables (``metadata``) or the publishers' texts (``texts``)."""
        return dict(self.licenses[which])


def release_date(created: str) -> date | None:
    """The release date a ``created`` date-time starts with (``2026-11-23T00:00:00Z``), or None."""
    try:
        return date.fromisoformat(created[:10])
    except ValueError:
        return None


def _text(raw: dict[str, Any], key: str, *, source: str, error: type[CorpusError], required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise error(f"{source}: '{key}' must be a non-empty string; set it in {source}")
    return value.strip()


def _authors(raw: dict[str, Any], *, source: str, error: type[CorpusError]) -> tuple[dict[str, Any], ...]:
    contributors = raw.get("contributors", [])
    if not isinstance(contributors, list) or not all(isinstance(c, dict) for c in contributors):
        raise error(f"{source}: 'contributors' must be a list of [[contributors]] tables")
    named = [c for c in contributors if c.get("role", "") in AUTHOR_ROLES] or contributors
    if not named or not all(str(c.get("title", "")).strip() for c in named):
        raise error(f"{source}: no author: add a [[contributors]] table with a 'title' and role = \"creator\"")
    return tuple(contributors)


def _licenses(
    raw: dict[str, Any], *, source: str, error: type[CorpusError], required: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    licenses = raw.get("licenses")
    if not isinstance(licenses, dict):
        raise error(f"{source}: [licenses.metadata] and [licenses.texts] are required")
    for which in required:
        if not isinstance(licenses.get(which), dict) or not licenses[which].get("name"):
            raise error(f"{source}: [licenses.{which}] needs a 'name' (an SPDX id such as CC-BY-4.0)")
    return {which: dict(lic) for which, lic in licenses.items() if isinstance(lic, dict) and lic.get("name")}


def parse_metadata(
    raw: dict[str, Any],
    *,
    source: str,
    error: type[CorpusError] = CatalogError,
    licenses: tuple[str, ...] = ("metadata", "texts"),
) -> PackageMetadata:
    """Check the release metadata (a parsed ``package.toml``, or what a descriptor carries).

    Args:
        raw: The metadata as a mapping.
        source: Where it was read, for messages.
        error: The error class to raise, so each stage reports in its own terms.
        licenses: The licence entries that must be present.

    Raises:
        CorpusError: Of class ``error``, naming ``source`` and the key at fault.
    """
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise error(f"{source}: missing key {missing[0]!r}")
    created = _text(raw, "created", source=source, error=error)
    released = release_date(created)
    if released is None:
        raise error(
            f'{source}: created={created!r} does not start with a YYYY-MM-DD date; write e.g. "2026-11-23T00:00:00Z"'
        )
    keywords = raw.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise error(f"{source}: 'keywords' must be a list of strings")
    contributors = _authors(raw, source=source, error=error)
    named = [c for c in contributors if c.get("role", "") in AUTHOR_ROLES] or list(contributors)
    return PackageMetadata(
        name=_text(raw, "name", source=source, error=error),
        title=_text(raw, "title", source=source, error=error),
        version=_text(raw, "version", source=source, error=error),
        created=created,
        released=released,
        description=" ".join(_text(raw, "description", source=source, error=error).split()),
        keywords=tuple(keywords),
        contributors=contributors,
        authors=tuple(str(c.get("title", "")).strip() for c in named),
        homepage=_text(raw, "homepage", source=source, error=error, required=False),
        doi=_text(raw, "doi", source=source, error=error, required=False),
        licenses=_licenses(raw, source=source, error=error, required=licenses),
    )


def load_metadata(layout: Layout) -> PackageMetadata:
    """Read ``catalog/package.toml`` of ``layout``.

    Raises:
        CatalogError: If the file is missing, not TOML, or lacks or misstates a required key.
    """
    path = layout.catalog / "package.toml"
    raw = read_toml(path, error=CatalogError, missing="the release metadata lives there")
    return parse_metadata(raw, source="catalog/package.toml")


def from_descriptor(descriptor: dict[str, Any]) -> PackageMetadata:
    """The release metadata a published ``datapackage.json`` carries (the build copies it there).

    Raises:
        PackageError: If the descriptor lacks a required key.
    """
    licenses = [lic for lic in descriptor.get("licenses", []) if isinstance(lic, dict)]
    identifier = str(descriptor.get("id", ""))
    raw: dict[str, Any] = {
        key: descriptor[key] for key in ("name", "title", "version", "created", "description") if key in descriptor
    }
    raw["keywords"] = descriptor.get("keywords", [])
    raw["contributors"] = descriptor.get("contributors", [])
    raw["homepage"] = descriptor.get("homepage", "")
    raw["doi"] = identifier.removeprefix(DOI_URL) if identifier.startswith(DOI_URL) else ""
    raw["licenses"] = {
        "metadata": next((lic for lic in licenses if lic.get("name") != PUBLISHER_LICENSE), {}),
        "texts": next((lic for lic in licenses if lic.get("name") == PUBLISHER_LICENSE), {}),
    }
    # A public edition has no publisher texts, hence no licence for them.
    return parse_metadata(raw, source="datapackage.json", error=PackageError, licenses=("metadata",))
