"""The published package as the release checks read it: its descriptor, resources and tables."""

from __future__ import annotations

import csv
import io
from typing import Any

from corpus.errors import ReleaseError
from corpus.fileio import read_descriptor as fileio_read_descriptor
from corpus.package.metadata import is_publisher_license
from corpus.paths import Layout, safe_join

#: Resources under this folder are raw publisher pages: never in the public edition.
WITHHELD_FOLDER = "seeds/"


def read_descriptor(layout: Layout) -> dict[str, Any]:
    """Read ``datapackage.json`` (see :func:`corpus.fileio.read_descriptor`), raising ReleaseError."""
    return fileio_read_descriptor(layout.descriptor, error=ReleaseError)


def resource_paths(resource: dict[str, Any]) -> list[str]:
    """Return the relative paths of a resource (``path`` may be a string or a list)."""
    path = resource.get("path")
    if path is None:
        return []
    return [path] if isinstance(path, str) else [str(p) for p in path]


def is_tabular(resource: dict[str, Any]) -> bool:
    """Whether a resource is a CSV table with an inline schema."""
    return isinstance(resource.get("schema"), dict) and bool(resource_paths(resource))


def has_publisher_licence(resource: dict[str, Any]) -> bool:
    """Whether a resource's descriptor declares the publishers' copyright licence."""
    return any(is_publisher_license(lic) for lic in resource.get("licenses", []))


def is_withheld(resource: dict[str, Any]) -> bool:
    """Whether a resource is publisher material left out of the public edition as a whole."""
    in_seeds = any(p.startswith(WITHHELD_FOLDER) for p in resource_paths(resource))
    return in_seeds or (has_publisher_licence(resource) and not is_tabular(resource))


def resource_bytes(layout: Layout, resource: dict[str, Any]) -> bytes:
    paths = resource_paths(resource)
    if len(paths) != 1:
        raise ReleaseError(
            f"datapackage.json: resource {resource.get('name')!r} has {len(paths)} paths; "
            "releases support exactly one local path per resource"
        )
    try:
        return safe_join(layout.root, paths[0]).read_bytes()
    except FileNotFoundError as exc:
        raise ReleaseError(
            f"datapackage.json: resource {resource.get('name')!r} points to {paths[0]}, which does not "
            "exist; rebuild with `corpus build`"
        ) from exc


def field_names(resource: dict[str, Any]) -> list[str]:
    return [str(f.get("name")) for f in resource["schema"].get("fields", [])]


def csv_rows(data: bytes, *, where: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReleaseError(f"{where} is not UTF-8: {exc}; rebuild with `corpus build`") from exc
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ReleaseError(f"{where} is empty: a table needs at least its header row")
    return rows[0], rows[1:]
