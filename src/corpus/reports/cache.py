"""The cache key of a report (its inputs) and the manifest ``reports/.cache.json``."""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus.errors import ReportError
from corpus.fileio import read_descriptor, sha256_bytes, sha256_file, write_atomic
from corpus.paths import Layout, safe_join
from corpus.reports.plan import PlannedReport
from corpus.reports.render import (
    PackageInfo,
    Provenance,
)

#: The \`\`corpus\`\` package whose files are part of every report's cache key (tests pin a copy).
PACKAGE_DIR = Path(__file__).resolve().parents[1]
MANIFEST_FILE = ".cache.json"
MANIFEST_FORMAT = 1
#: The libraries whose versions each footer states (distribution name, label).
KEY_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("us-russia-news-corpus", "corpus"),
    ("pandas", "pandas"),
    ("matplotlib", "matplotlib"),
    ("nltk", "nltk"),
    ("papermill", "papermill"),
    ("nbconvert", "nbconvert"),
    ("frictionless", "frictionless"),
)

# --------------------------------------------------------------------------------------------
# Inputs and the cache key


def canonical_json(value: object) -> str:
    """JSON with sorted keys and no insignificant whitespace (the form that is hashed)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def tree_digest(folder: Path) -> str:
    """Digest of every file under ``folder`` (relative path and bytes), caches excluded."""
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
    )
    for path in files:
        rel = path.relative_to(folder).as_posix()
        digest.update(f"{rel}\0{sha256_file(path)}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Context:
    """What every report of one run shares: the data package, the code and the environment."""

    package: PackageInfo
    resources: tuple[tuple[str, str, str], ...]
    source_sha256: str
    lock_sha256: str
    libraries: tuple[tuple[str, str], ...]


def _library_versions() -> tuple[tuple[str, str], ...]:
    versions = [("python", platform.python_version())]
    for dist, label in KEY_LIBRARIES:
        try:
            versions.append((label, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            versions.append((label, "not installed"))
    return tuple(versions)


def _resource_hash(layout: Layout, resource: Mapping[str, Any]) -> str:
    declared = resource.get("hash")
    if isinstance(declared, str) and declared.startswith("sha256:"):
        return declared.removeprefix("sha256:")
    path = resource.get("path")
    if not isinstance(path, str):
        raise ReportError(
            f"datapackage.json resource {resource.get('name')!r} has no single 'path': "
            "rebuild the package with `corpus build`"
        )
    target = safe_join(layout.root, path)
    if not target.is_file():
        raise ReportError(f"datapackage.json resource {path!r} is missing: run `corpus build`")
    return sha256_file(target)


def load_context(layout: Layout) -> Context:
    """Read the data package descriptor, hash the code and lock file, collect versions.

    Raises:
        ReportError: If ``datapackage.json`` is missing or unreadable.
    """
    descriptor = read_descriptor(layout.descriptor, error=ReportError)
    resources = tuple(
        sorted(
            (str(r.get("name", "")), str(r.get("path", "")), _resource_hash(layout, r))
            for r in descriptor.get("resources", [])
        )
    )
    lock = layout.root / "uv.lock"
    package = PackageInfo(
        name=str(descriptor.get("name", "")),
        title=str(descriptor.get("title", descriptor.get("name", ""))),
        version=str(descriptor.get("version", "")),
    )
    return Context(
        package=package,
        resources=resources,
        # The code the kernels actually import: this installed (or editable) package.
        source_sha256=tree_digest(PACKAGE_DIR),
        lock_sha256=sha256_file(lock) if lock.is_file() else "no uv.lock",
        libraries=_library_versions(),
    )


def report_provenance(layout: Layout, report: PlannedReport, context: Context) -> Provenance:
    """Compute the inputs of one report and its cache key (``inputs_digest``)."""
    nb_path = safe_join(layout.notebooks, report.notebook)
    notebook_sha256 = sha256_file(nb_path)
    resources = context.resources if report.reads_data else ()
    parameters = tuple((k, canonical_json(v)) for k, v in sorted(report.parameters.items()))
    key = {
        "format": MANIFEST_FORMAT,
        "plan_entry": {
            "name": report.name,
            "title": report.title,
            "notebook": report.notebook,
            "parameters": dict(report.parameters),
            "reads_data": report.reads_data,
            "description": report.description,
        },
        "notebook_sha256": notebook_sha256,
        "package": [context.package.name, context.package.version],
        "resources": [list(r) for r in resources],
        "source_sha256": context.source_sha256,
        "lock_sha256": context.lock_sha256,
        "libraries": [list(v) for v in context.libraries],
    }
    return Provenance(
        package_name=context.package.name,
        package_version=context.package.version,
        resources=resources,
        parameters=parameters,
        notebook=f"notebooks/{report.notebook}",
        notebook_sha256=notebook_sha256,
        source_sha256=context.source_sha256,
        lock_sha256=context.lock_sha256,
        inputs_digest=sha256_bytes(canonical_json(key).encode()),
        libraries=context.libraries,
    )


# --------------------------------------------------------------------------------------------
# The manifest (reports/.cache.json)


@dataclass(frozen=True)
class CacheEntry:
    """What the manifest remembers of a report rendered successfully."""

    digest: str
    html_sha256: str
    notebook_sha256: str
    package_version: str


def read_manifest(layout: Layout) -> dict[str, CacheEntry]:
    """Read ``reports/.cache.json``; a missing or foreign-format manifest is an empty cache."""
    path = layout.reports / MANIFEST_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"reports/{MANIFEST_FILE} is not valid JSON ({exc}): delete it to rebuild all reports"
        ) from exc
    if raw.get("format") != MANIFEST_FORMAT:
        return {}
    return {name: CacheEntry(**entry) for name, entry in raw.get("reports", {}).items()}


def manifest_text(entries: Mapping[str, CacheEntry]) -> str:
    """Serialize the manifest deterministically (sorted keys, trailing newline)."""
    body = {
        "format": MANIFEST_FORMAT,
        "reports": {
            name: {
                "digest": e.digest,
                "html_sha256": e.html_sha256,
                "notebook_sha256": e.notebook_sha256,
                "package_version": e.package_version,
            }
            for name, e in sorted(entries.items())
        },
    }
    return json.dumps(body, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def is_fresh(layout: Layout, name: str, digest: str, entry: CacheEntry | None) -> bool:
    """Whether a report's outputs exist, are unchanged, and were made from these inputs."""
    if entry is None or entry.digest != digest:
        return False
    html_path = layout.reports / f"{name}.html"
    nb_path = layout.reports / f"{name}.ipynb"
    return (
        html_path.is_file()
        and nb_path.is_file()
        and sha256_file(html_path) == entry.html_sha256
        and sha256_file(nb_path) == entry.notebook_sha256
    )


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically unless the file already holds exactly ``data``; return whether written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True

