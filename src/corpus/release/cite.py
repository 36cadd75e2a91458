"""The release metadata repeated outside the catalog (pyproject.toml, CITATION.cff, .zenodo.json,
datapackage.json) kept in sync with ``catalog/package.toml``, and ``corpus cite``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from corpus.errors import ReleaseError
from corpus.fileio import write_atomic
from corpus.ingest.catalog import load_outlets
from corpus.package.citation import CitationFormat, render_cff, render_citation
from corpus.package.metadata import PackageMetadata, load_metadata
from corpus.paths import Layout
from corpus.release.resources import read_descriptor
from corpus.release.semver import parse_version
from corpus.release.zenodo import ZENODO_FILE, render_zenodo


def cite(layout: Layout, *, fmt: CitationFormat) -> str:
    """The citation of the catalog's current version in ``fmt`` (``corpus cite``)."""
    return render_citation(load_metadata(layout), fmt=fmt)


def citation_problems(layout: Layout) -> list[str]:
    """List every disagreement between catalog/package.toml and the files that repeat it.

    Checks the version is semantic, ``pyproject.toml``'s ``[project] version``, ``CITATION.cff``
    and ``.zenodo.json`` (each must equal what the catalog generates) and, when it exists,
    ``datapackage.json``'s name, version and created.

    Returns:
        One message per problem, each saying how to fix it; empty when all agree.
    """
    meta = load_metadata(layout)
    problems: list[str] = []
    try:
        parse_version(meta.version, source="catalog/package.toml")
    except ReleaseError as exc:
        problems.append(str(exc))
    try:
        project = tomllib.loads(layout.pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("version") != meta.version:
            problems.append(
                f"pyproject.toml: version {project.get('version')!r} differs from catalog/package.toml "
                f'{meta.version!r}; set [project] version = "{meta.version}"'
            )
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"pyproject.toml cannot be read ({exc}); it must repeat version {meta.version}")
    for name, expected in _generated(layout, meta).items():
        try:
            if (layout.root / name).read_text(encoding="utf-8") != expected:
                problems.append(
                    f"{name} is out of sync with catalog/package.toml (version, date, authors or text "
                    "differ); regenerate it with `corpus release citation`"
                )
        except FileNotFoundError:
            problems.append(f"{name} is missing; generate it with `corpus release citation`")
    if layout.descriptor.is_file():
        descriptor = read_descriptor(layout)
        created = str(descriptor.get("created", ""))
        for key, have, want in (
            ("name", descriptor.get("name"), meta.name),
            ("version", descriptor.get("version"), meta.version),
            ("created", created[:10], meta.released.isoformat()),
        ):
            if have != want:
                problems.append(
                    f"datapackage.json: {key} {have!r} differs from catalog/package.toml {want!r}; "
                    "rebuild with `corpus build`"
                )
    return problems


def check_citation(layout: Layout) -> None:
    """Raise if the version/date/citation files disagree with catalog/package.toml.

    Raises:
        ReleaseError: Listing every problem found by :func:`citation_problems`.
    """
    problems = citation_problems(layout)
    if problems:
        raise ReleaseError("release metadata out of sync:\n" + "\n".join(f"  - {p}" for p in problems))


def _generated(layout: Layout, meta: PackageMetadata) -> dict[str, str]:
    """The files generated from the catalog, by name: the citation file and the deposit metadata."""
    return {
        "CITATION.cff": render_cff(meta),
        ZENODO_FILE: render_zenodo(meta, load_outlets(layout.catalog / "outlets.csv").values()),
    }


def write_citation(layout: Layout) -> list[Path]:
    """Regenerate ``CITATION.cff`` and ``.zenodo.json`` from the catalog (atomically); return their paths."""
    paths = []
    for name, text in _generated(layout, load_metadata(layout)).items():
        write_atomic(layout.root / name, text.encode("utf-8"))
        paths.append(layout.root / name)
    return paths
