"""The record of the last successful build, so that a build with nothing new to do is skipped.

After a build has committed a package it validated, :func:`record` writes the *fingerprint* of
everything that package came from next to it, in ``.package-state.json`` at the project root
(git-ignored: it describes one checkout, not the data): the SHA-256 of every file the build reads
(``seeds/``, ``catalog/``, the extraction benchmark and the gold it scores the codebook on,
``pyproject.toml``, ``uv.lock``), of every module of the stages the build runs, of the package it
published (``datapackage.json`` and every file under ``data/``), and the Python version.

:func:`is_fresh` recomputes the fingerprint and compares: ``corpus build`` and ``corpus
validate`` do nothing when it matches (``--force`` overrides). Hashing contents, not times, makes
a checkout, a ``touch`` or a copy change nothing, while any changed byte, file added or removed
rebuilds. The record is written only after the commit, so a build that fails, is interrupted or is
killed leaves the previous record, which then no longer matches the package or the inputs (or
both) and the next run builds; a staging folder left behind (a journal to finish) also means "not
fresh". This module imports nothing heavy: the check runs before the build's stack is loaded.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import corpus
from corpus.fileio import sha256_file, write_atomic
from corpus.paths import Layout

#: The stages whose modules the build and the validation run (the top-level core modules
#: besides): a module imports only from its own stage and earlier ones (``tests/test_imports.py``),
#: so nothing in ``analysis/``, ``reports/`` or ``release/`` can change a build's output.
BUILD_STAGES = ("ingest", "text", "package")
_VERSION = 1


def _files(base: Path, places: Iterable[str]) -> dict[str, str]:
    """SHA-256 of every file of ``places`` (files or folders, relative to ``base``), by relative path."""
    found: dict[str, str] = {}
    for place in places:
        path = base / place
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for file in files:
            if "__pycache__" not in file.parts:
                found[file.relative_to(base).as_posix()] = sha256_file(file)
    return found


def input_hashes(layout: Layout) -> dict[str, str]:
    """SHA-256 of every file the build reads, by path relative to the project root."""
    places = ("seeds", "catalog", "benchmarks/extraction", "benchmarks/gold", "pyproject.toml", "uv.lock")
    return _files(layout.root, places)


def code_hashes(package: Path | None = None) -> dict[str, str]:
    """SHA-256 of the modules the build can run: the core modules and those of :data:`BUILD_STAGES`."""
    package = package or Path(corpus.__file__).parent
    core = sorted(p.name for p in package.glob("*.py"))
    return _files(package, [*core, *BUILD_STAGES])


def output_hashes(layout: Layout) -> dict[str, str]:
    """SHA-256 of the published package: ``datapackage.json`` and every file under ``data/``."""
    return _files(layout.root, [layout.descriptor.name, layout.data.name])


def _digest(hashes: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode("utf-8")).hexdigest()


def sources(*, layout: Layout, package: Path | None = None) -> dict[str, str | int]:
    """The digests of what a build starts from: its inputs, its code and the Python version."""
    return {
        "version": _VERSION,
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "inputs": _digest(input_hashes(layout)),
        "code": _digest(code_hashes(package)),
    }


def fingerprint(layout: Layout, *, package: Path | None = None) -> dict[str, str | int]:
    """:func:`sources` and the digest of the published package."""
    return {**sources(layout=layout, package=package), "outputs": _digest(output_hashes(layout))}


def record(layout: Layout, started_from: Mapping[str, str | int]) -> None:
    """Record a successful build: ``started_from`` (:func:`sources`, taken *before* it read its
    inputs, so an input edited during the build is not taken as built) and the package it published.
    Call it after the commit."""
    state = {**started_from, "outputs": _digest(output_hashes(layout))}
    write_atomic(layout.state, (json.dumps(state, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def forget(layout: Layout) -> None:
    """Delete the record (the next build runs whatever the inputs)."""
    layout.state.unlink(missing_ok=True)


def is_fresh(layout: Layout, *, package: Path | None = None) -> bool:
    """Whether the published package is the one the last successful build made from today's inputs and code.

    False when there is no readable record, a staging folder is left (a crashed run to recover),
    or any input, module or published file differs from the record.
    """
    if layout.staging.exists() or not layout.descriptor.is_file():
        return False
    try:
        recorded = json.loads(layout.state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and recorded == fingerprint(layout, package=package)
