"""What a report depends on, its cache key, and the manifest ``reports/.cache.json``.

A report's key covers exactly what its output depends on:

* its plan entry and parameters, and its notebook in normal form (so saving the notebook in
  JupyterLab, which adds outputs and metadata, changes nothing);
* the data package's name and version and the SHA-256 of every resource the analyses read
  (:data:`corpus.analysis.data.RESOURCES`), each checked against its file;
* ``uv.lock`` and the versions of the key libraries;
* the code it executes: the ``corpus`` modules the notebook's kernel imported, recorded during
  the run (like a make depfile) with their SHA-256 in the manifest, and the renderer's own
  files (:data:`RENDERER`).

So editing a module that no report imports re-renders nothing, and no footer changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus.errors import ReportError
from corpus.fileio import read_descriptor, sha256_bytes, sha256_file, write_atomic
from corpus.paths import Layout, safe_join
from corpus.reports.notebooks import normalise_source, notebook_bytes, read_notebook
from corpus.reports.plan import PlannedReport
from corpus.reports.render import PackageInfo, Provenance

#: The ``corpus`` package: recorded module paths are relative to it (tests pin a copy).
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: The renderer's files (relative to :data:`PACKAGE_DIR`): how notebooks are executed, cleaned
#: and turned into HTML. They shape every report's bytes, so every key covers them.
RENDERER: tuple[str, ...] = (
    "reports/execute.py",
    "reports/notebooks.py",
    "reports/render.py",
    "reports/templates",
)
MANIFEST_FILE = ".cache.json"
MANIFEST_FORMAT = 2
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
#: Hash recorded for a module that a report imported but that no longer exists.
MISSING = "missing"


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


def code_hashes(paths: Iterable[str]) -> dict[str, str]:
    """SHA-256 of each ``corpus`` module (paths relative to :data:`PACKAGE_DIR`), sorted by path."""
    hashes = {}
    for relative in sorted(set(paths)):
        path = safe_join(PACKAGE_DIR, relative)
        hashes[relative] = sha256_file(path) if path.is_file() else MISSING
    return hashes


def renderer_digest() -> str:
    """Digest of the renderer's files (:data:`RENDERER`)."""
    digest = hashlib.sha256()
    for relative in RENDERER:
        path = PACKAGE_DIR / relative
        digest.update(f"{relative}\0{tree_digest(path) if path.is_dir() else sha256_file(path)}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Context:
    """What every report of one run shares: the data package, the renderer and the environment."""

    package: PackageInfo
    resources: tuple[tuple[str, str, str], ...]
    lock_sha256: str
    renderer_sha256: str
    libraries: tuple[tuple[str, str], ...]


def _library_versions() -> tuple[tuple[str, str], ...]:
    # No Python version: the reports are byte-identical on every supported one (a test renders
    # them on a second interpreter), so recording it would only make them differ.
    versions = []
    for dist, label in KEY_LIBRARIES:
        try:
            versions.append((label, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            versions.append((label, "not installed"))
    return tuple(versions)


def read_resources(layout: Layout, descriptor: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """``(name, path, sha256)`` of the resources the analyses read, each checked against its file.

    Raises:
        ReportError: If a resource is missing from the descriptor or its file does not match the
            descriptor's hash (the package is stale: rebuild and validate it first).
    """
    from corpus.analysis.data import RESOURCES

    listed = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    found = []
    for name in RESOURCES:
        resource = listed.get(name)
        path, declared = (resource or {}).get("path"), (resource or {}).get("hash")
        if not isinstance(path, str) or not isinstance(declared, str):
            raise ReportError(
                f"datapackage.json has no resource {name!r} with a path and a hash: build the package (nox -s data)"
            )
        target = safe_join(layout.root, path)
        actual = sha256_file(target) if target.is_file() else MISSING
        if "sha256:" + actual != declared:
            raise ReportError(
                f"{path} does not match its hash in datapackage.json: rebuild and validate the package (nox -s data)"
            )
        found.append((name, path, actual))
    return tuple(found)


def read_package(layout: Layout) -> dict[str, Any]:
    """Read the published ``datapackage.json`` (the reports never read ``catalog/``).

    Raises:
        ReportError: If it is missing, not JSON or lists no resources.
    """
    return read_descriptor(layout.descriptor, error=ReportError)


def load_context(layout: Layout, descriptor: Mapping[str, Any]) -> Context:
    """Check the resources the reports read against the descriptor, hash the renderer and lock file.

    Raises:
        ReportError: If a resource the analyses read is missing or stale.
    """
    lock = layout.root / "uv.lock"
    package = PackageInfo(
        name=str(descriptor.get("name", "")),
        title=str(descriptor.get("title", descriptor.get("name", ""))),
        version=str(descriptor.get("version", "")),
    )
    return Context(
        package=package,
        resources=read_resources(layout, descriptor),
        lock_sha256=sha256_file(lock) if lock.is_file() else "no uv.lock",
        renderer_sha256=renderer_digest(),
        libraries=_library_versions(),
    )


@dataclass(frozen=True)
class Inputs:
    """What one report depends on before it runs: everything but the code its kernel imports."""

    report: PlannedReport
    notebook: str
    notebook_sha256: str
    context: Context
    plan_sha256: str = ""

    @property
    def resources(self) -> tuple[tuple[str, str, str], ...]:
        return self.context.resources if self.report.reads_data else ()

    def key(self, code: Mapping[str, str]) -> str:
        """The cache key of the report when its kernel imported ``code`` (path → SHA-256)."""
        report = self.report
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
            "plan_sha256": self.plan_sha256 if report.reads_plan else "",
            "notebook_sha256": self.notebook_sha256,
            "package": [self.context.package.name, self.context.package.version],
            "resources": [list(r) for r in self.resources],
            "code": dict(sorted(code.items())),
            "renderer_sha256": self.context.renderer_sha256,
            "lock_sha256": self.context.lock_sha256,
            "libraries": [list(v) for v in self.context.libraries],
        }
        return sha256_bytes(canonical_json(key).encode())

    def provenance(self, code: Mapping[str, str]) -> Provenance:
        """What the report's footer states, for the code its kernel imported."""
        return Provenance(
            package_name=self.context.package.name,
            package_version=self.context.package.version,
            resources=self.resources,
            parameters=tuple((k, canonical_json(v)) for k, v in sorted(self.report.parameters.items())),
            notebook=self.notebook,
            notebook_sha256=self.notebook_sha256,
            code=tuple(sorted(code.items())),
            renderer_sha256=self.context.renderer_sha256,
            lock_sha256=self.context.lock_sha256,
            inputs_digest=self.key(code),
            libraries=self.context.libraries,
        )


def report_inputs(layout: Layout, report: PlannedReport, context: Context) -> Inputs:
    """The inputs of one report known before it runs (its notebook hashed in normal form)."""
    source = normalise_source(read_notebook(safe_join(layout.notebooks, report.notebook)))
    return Inputs(
        report=report,
        notebook=f"notebooks/{report.notebook}",
        notebook_sha256=sha256_bytes(notebook_bytes(source)),
        context=context,
        plan_sha256=plan_digest(layout) if report.reads_plan else "",
    )


def plan_digest(layout: Layout) -> str:
    """SHA-256 over the plan and every notebook in normal form: what a report reading the plan depends on."""
    parts = [sha256_file(layout.notebooks / "plan.toml")]
    for path in sorted(layout.notebooks.glob("*.ipynb")):
        parts.append(path.name + ":" + sha256_bytes(notebook_bytes(normalise_source(read_notebook(path)))))
    return sha256_bytes("\n".join(parts).encode())


# --------------------------------------------------------------------------------------------
# The manifest (reports/.cache.json)


@dataclass(frozen=True)
class CacheEntry:
    """What the manifest remembers of a report rendered successfully.

    ``code`` maps each ``corpus`` module the report's kernel imported to its SHA-256 then.
    """

    digest: str
    html_sha256: str
    notebook_sha256: str
    package_version: str
    code: Mapping[str, str] = field(default_factory=dict)


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
    if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT:
        return {}
    try:
        return {name: CacheEntry(**entry) for name, entry in raw.get("reports", {}).items()}
    except TypeError as exc:
        raise ReportError(f"reports/{MANIFEST_FILE} has an unexpected entry ({exc}): delete it") from exc


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
                "code": dict(sorted(e.code.items())),
            }
            for name, e in sorted(entries.items())
        },
    }
    return json.dumps(body, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def is_fresh(layout: Layout, inputs: Inputs, entry: CacheEntry | None) -> bool:
    """Whether a report's outputs exist, are unchanged, and were made from these inputs.

    The code part of the key is recomputed from the modules the last run recorded, as they are
    now: a changed module the report imported makes it stale, any other module does not.
    """
    if entry is None or inputs.key(code_hashes(entry.code)) != entry.digest:
        return False
    name = inputs.report.name
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
