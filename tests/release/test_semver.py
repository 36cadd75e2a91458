"""Semantic versions and the bump between two of them."""

from __future__ import annotations

from typing import Any

import pytest

from corpus.errors import ReleaseError
from corpus.release.semver import bump_between, next_version, parse_version


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("0.1.0", (0, 1, 0)), ("1.12.3", (1, 12, 3)), ("2.0.0-rc.1", (2, 0, 0)), ("1.0.0+build.5", (1, 0, 0))],
)
def test_parse_version_accepts_semver(text: str, parsed: tuple[int, int, int]) -> None:
    assert parse_version(text, source="t") == parsed


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "01.2.3", "1.2.3.4", "2026-11-23", "", "1.0.0-"])
def test_parse_version_refuses_non_semver(text: str) -> None:
    with pytest.raises(ReleaseError, match="not a semantic version"):
        parse_version(text, source="catalog/package.toml")


@pytest.mark.parametrize(
    ("version", "bump", "expected"),
    [("0.1.0", "patch", "0.1.1"), ("0.1.3", "minor", "0.2.0"), ("0.4.2", "major", "1.0.0")],
)
def test_next_version(version: str, bump: Any, expected: str) -> None:
    assert next_version(version, bump) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"), [("0.1.0", "0.1.0", None), ("0.1.0", "0.1.1", "patch"), ("0.1.0", "0.2.0", "minor"),
                                 ("0.9.9", "1.0.0", "major")]
)  # fmt: skip
def test_bump_between(old: str, new: str, expected: str | None) -> None:
    assert bump_between(old, new) == expected


def test_bump_between_refuses_going_back() -> None:
    with pytest.raises(ReleaseError, match="lower than the last release"):
        bump_between("0.2.0", "0.1.5")
