"""Semantic versions (semver.org 2.0.0) and the bump between two of them."""

from __future__ import annotations

import re
from typing import Literal

from corpus.errors import ReleaseError

Bump = Literal["major", "minor", "patch"]

#: The severity of each bump, for comparing them.
RANK: dict[Bump, int] = {"patch": 1, "minor": 2, "major": 3}
#: Semantic Versioning 2.0.0 core plus optional pre-release and build (semver.org's own regex).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


def parse_version(version: str, *, source: str) -> tuple[int, int, int]:
    """Return ``(major, minor, patch)`` of a semantic version.

    Args:
        version: The version string, e.g. ``0.1.0``.
        source: Where the version was read, for the error message.

    Raises:
        ReleaseError: If ``version`` is not a Semantic Versioning 2.0.0 version.
    """
    match = SEMVER.match(version)
    if not match:
        raise ReleaseError(
            f"{source}: version {version!r} is not a semantic version MAJOR.MINOR.PATCH (e.g. 0.1.0); "
            "see 'Publishing a release' in the README"
        )
    return int(match[1]), int(match[2]), int(match[3])


def next_version(version: str, bump: Bump) -> str:
    """Return the version after ``version`` for a ``bump`` (pre-release and build dropped)."""
    major, minor, patch = parse_version(version, source="version")
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def bump_between(old: str, new: str) -> Bump | None:
    """Return the level by which ``new`` exceeds ``old``; None when equal.

    Raises:
        ReleaseError: If ``new`` is lower than ``old`` or either is not semantic.
    """
    a = parse_version(old, source="last release")
    b = parse_version(new, source="catalog/package.toml")
    if b < a:
        raise ReleaseError(f"catalog/package.toml version {new} is lower than the last release {old}")
    if a == b:
        return None
    if b[0] != a[0]:
        return "major"
    return "minor" if b[1] != a[1] else "patch"
