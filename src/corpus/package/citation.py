"""How to cite a package version: CITATION.cff, APA text, BibTeX and CSL-JSON (pure functions).

Everything here is formatted from :class:`~corpus.package.metadata.PackageMetadata`, read from
``catalog/package.toml`` (``corpus cite``, ``CITATION.cff``) or from a published descriptor (the
report index). No identifier (DOI) or URL is ever invented: ``repository-code`` and ``url``
appear only when ``homepage`` is set, and an ``identifiers`` entry only when there is a real
``doi``.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

import yaml

from corpus.errors import PackageError
from corpus.package.metadata import PackageMetadata

CitationFormat = Literal["apa", "bibtex", "csl-json", "all"]

CFF_VERSION = "1.2.0"
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


# --- CITATION.cff -------------------------------------------------------------------------


def _cff_reference(meta: PackageMetadata) -> dict[str, Any]:
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


def render_cff(meta: PackageMetadata) -> str:
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


def csl_item(meta: PackageMetadata) -> dict[str, Any]:
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


#: The one CSL style used: APA 7th edition of the CSL project (CC BY-SA 3.0; see csl/NOTICE.md).
APA_STYLE: Final[Path] = Path(__file__).parent / "csl" / "apa.csl"


@cache
def _apa_style() -> Any:
    # Imported lazily: citeproc parses the CSL file with lxml, which is slow to load.
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(str(APA_STYLE), validate=False)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def _apa(meta: PackageMetadata, *, markup: Literal["plain", "html"]) -> str:
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
        raise PackageError(f"the APA style produced {len(entries)} entries for one item; check citeproc-py")
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


def render_bibtex(meta: PackageMetadata) -> str:
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


def render_csl_json(meta: PackageMetadata) -> str:
    """Return CSL-JSON (a one-item array) citing this package version."""
    return json.dumps([csl_item(meta)], ensure_ascii=False, indent=2, sort_keys=True)


def render_citation(meta: PackageMetadata, *, fmt: CitationFormat) -> str:
    """Return the citation of a package version in ``fmt``.

    Args:
        meta: The package's release metadata.
        fmt: ``apa`` (APA 7 text via citeproc-py), ``bibtex``, ``csl-json``, or ``all`` (the
            three, each under a heading).

    Returns:
        The citation text (no trailing newline).
    """
    if fmt == "apa":
        return _apa(meta, markup="plain")
    if fmt == "bibtex":
        return render_bibtex(meta)
    if fmt == "csl-json":
        return render_csl_json(meta)
    return "\n\n".join(
        f"{heading}\n{'-' * len(heading)}\n{text}"
        for heading, text in (
            ("APA", _apa(meta, markup="plain")),
            ("BibTeX", render_bibtex(meta)),
            ("CSL-JSON", render_csl_json(meta)),
        )
    )


def citation_html(meta: PackageMetadata) -> str:
    """Return the APA citation as an HTML fragment for the report index.

    Every value is escaped; the only markup is citeproc's ``<i>`` for the title (and a link when
    a DOI or homepage exists).

    Returns:
        ``<p class="citation">…</p>``.
    """
    return f'<p class="citation">{_apa(meta, markup="html")}</p>'
