"""The one place that resolves the project's paths.

Every path taken from data (a catalog row, a descriptor, an archive entry) goes through
:func:`safe_join`, so no value in the data can point outside the folder it belongs to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from corpus.errors import CorpusError, UnsafePathError

#: Environment variable that overrides the project root (used by benchmarks and tests).
ROOT_ENV = "CORPUS_ROOT"


@dataclass(frozen=True)
class Layout:
    """Where each part of a project lives, relative to its root."""

    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def catalog(self) -> Path:
        return self.root / "catalog"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def descriptor(self) -> Path:
        return self.root / "datapackage.json"

    @property
    def benchmark(self) -> Path:
        """The extraction benchmark: labelled pages and the committed scores."""
        return self.root / "benchmarks" / "extraction"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def benchmarks(self) -> Path:
        return self.root / "benchmarks"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def pyproject(self) -> Path:
        return self.root / "pyproject.toml"

    @property
    def state(self) -> Path:
        """The record of the last successful build (see :mod:`corpus.package.state`; git-ignored)."""
        return self.root / ".package-state.json"

    @property
    def staging(self) -> Path:
        """Where a build stages the next package (see :mod:`corpus.transaction`)."""
        return self.root / ".staging"

    @property
    def reports_staging(self) -> Path:
        """Where a report run stages its outputs (see :mod:`corpus.transaction`)."""
        return self.reports / ".staging"


def find_root(start: Path | None = None) -> Path:
    """Find the project root: ``$CORPUS_ROOT`` or the nearest folder holding ``catalog/``.

    Args:
        start: Folder to search upwards from; the current directory by default.

    Returns:
        The absolute project root.

    Raises:
        CorpusError: If no folder upwards holds ``catalog/package.toml``.
    """
    env = os.environ.get(ROOT_ENV)
    if env:
        root = Path(env).resolve()
        if not (root / "catalog" / "package.toml").is_file():
            raise CorpusError(f"{ROOT_ENV}={env} has no catalog/package.toml: point it at a corpus project")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "catalog" / "package.toml").is_file():
            return folder
    raise CorpusError(
        f"no corpus project found from {here}: run inside the repository (a folder with "
        "catalog/package.toml) or set CORPUS_ROOT"
    )


def project(start: Path | None = None) -> Layout:
    """Return the :class:`Layout` of the project found from ``start`` (see :func:`find_root`)."""
    return Layout(find_root(start))


def safe_join(base: Path, relative: str) -> Path:
    """Join a POSIX relative path taken from data onto ``base``, refusing any escape.

    Args:
        base: The folder the result must stay inside.
        relative: A relative POSIX path from a catalog, descriptor or archive.

    Returns:
        The joined path (not resolved through symlinks of the data itself).

    Raises:
        UnsafePathError: If ``relative`` is absolute, has ``..`` parts, a drive or backslashes,
            or resolves outside ``base``.
    """
    if not relative or "\\" in relative or "\x00" in relative:
        raise UnsafePathError(f"path {relative!r} is empty or has a backslash/NUL: use a plain relative path")
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or ":" in pure.parts[0]:
        raise UnsafePathError(
            f"path {relative!r} points outside {base.name}/: use a path relative to {base.name}/ without '..'"
        )
    joined = base.joinpath(*pure.parts)
    if not joined.resolve().is_relative_to(base.resolve()):
        raise UnsafePathError(f"path {relative!r} resolves outside {base.name}/ (symlink?)")
    return joined
