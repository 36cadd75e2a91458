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
from typing import Any, Final, Literal

from corpus.errors import CatalogError, CorpusError, PackageError
from corpus.fileio import read_toml
from corpus.paths import Layout

#: The licence of the article texts and raw pages (not redistributable) is not an open licence,
#: so it has no Open Definition ``name``: Data Package v2 identifies it by the ``path`` of its text.
PUBLISHER_LICENSE_PATH: Final[str] = "LICENSES/publisher-copyright.txt"
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
        authors: Names of the contributors whose ``roles`` include creator/author (all of them if none does).
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

    def archive_stem(self, edition: Literal["full", "public"]) -> str:
        """Name of a release archive without ``.zip``, also its top folder: ``<name>[-public]-<version>``."""
        return f"{self.name}-{self.version}" if edition == "full" else f"{self.name}-public-{self.version}"


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


def is_publisher_license(license_: Any) -> bool:
    """Whether a descriptor's licence entry is the publishers' copyright (texts, raw pages)."""
    return isinstance(license_, dict) and license_.get("path") == PUBLISHER_LICENSE_PATH


def author_contributors(contributors: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
    """The contributors whose ``roles`` include creator or author (all of them when none does)."""
    return tuple(c for c in contributors if AUTHOR_ROLES & set(c.get("roles", []))) or contributors


def _authors(raw: dict[str, Any], *, source: str, error: type[CorpusError]) -> tuple[dict[str, Any], ...]:
    contributors = raw.get("contributors", [])
    if not isinstance(contributors, list) or not all(isinstance(c, dict) for c in contributors):
        raise error(f"{source}: 'contributors' must be a list of [[contributors]] tables")
    for c in contributors:
        if "role" in c:
            raise error(
                f"{source}: contributor {c.get('title')!r} has 'role' (Data Package v1); write roles = [\"creator\"]"
            )
        roles = c.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) and r for r in roles):
            raise error(f"{source}: contributor {c.get('title')!r}: 'roles' must be a list of strings")
    named = author_contributors(tuple(contributors))
    if not named or not all(str(c.get("title", "")).strip() for c in named):
        raise error(f"{source}: no author: add a [[contributors]] table with a 'title' and roles = [\"creator\"]")
    return tuple(contributors)


def _licenses(
    raw: dict[str, Any], *, source: str, error: type[CorpusError], required: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    licenses = raw.get("licenses")
    if not isinstance(licenses, dict):
        raise error(f"{source}: [licenses.metadata] and [licenses.texts] are required")
    if "metadata" in required and not (isinstance(licenses.get("metadata"), dict) and licenses["metadata"].get("name")):
        raise error(f"{source}: [licenses.metadata] needs a 'name' (an Open Definition id such as CC-BY-4.0)")
    texts = licenses.get("texts") or {}
    if ("texts" in required or texts) and (not is_publisher_license(texts) or "name" in texts):
        raise error(
            f"{source}: [licenses.texts] needs path = \"{PUBLISHER_LICENSE_PATH}\" and a title, and no 'name' "
            "(a name must be an Open Definition licence id; the publishers' copyright is not one)"
        )
    return {
        which: dict(lic)
        for which, lic in licenses.items()
        if isinstance(lic, dict) and (lic.get("name") or lic.get("path"))
    }


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
    named = author_contributors(contributors)
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
        "metadata": next((lic for lic in licenses if not is_publisher_license(lic)), {}),
        "texts": next((lic for lic in licenses if is_publisher_license(lic)), {}),
    }
    # A public edition has no publisher texts, hence no licence for them.
    return parse_metadata(raw, source="datapackage.json", error=PackageError, licenses=("metadata",))
