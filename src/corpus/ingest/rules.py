"""The extraction rules of ``catalog/rules.toml``, loaded and compiled.

The rules describe page furniture (metadata lines, tags, image URLs, publisher blocks, related
links, captions and credits, calls to read or subscribe, sidebars of other headlines), datelines
and bylines. Nothing in them names a seed: they must hold for pages of outlets never seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

import regex

from corpus.errors import CatalogError
from corpus.fileio import read_toml


@dataclass(frozen=True)
class Rules:
    """Compiled extraction rules (see ``catalog/rules.toml``)."""

    header: regex.Pattern[str]
    boilerplate: tuple[tuple[str, regex.Pattern[str]], ...]
    caption_credit: regex.Pattern[str]
    caption_prefix: regex.Pattern[str]
    sidebar_timestamp: regex.Pattern[str]
    sidebar_headings: tuple[str, ...]
    rubrics: frozenset[str]
    byline: regex.Pattern[str]
    bullets: tuple[str, ...]
    datelines: tuple[regex.Pattern[str], ...]
    months: dict[str, int]


def _compile(source: str, key: str, pattern: object) -> regex.Pattern[str]:
    if not isinstance(pattern, str):
        raise CatalogError(f"{source}: {key} must be a string pattern")
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise CatalogError(f"{source}: {key} = {pattern!r} is not a valid pattern: {exc}") from exc


@cache
def load_rules(path: Path) -> Rules:
    """Load and compile the extraction rules.

    Raises:
        CatalogError: If the file is missing, not TOML, lacks a key or has a bad pattern.
    """
    data = read_toml(path, error=CatalogError, missing="the extraction rules live there")
    compile_ = partial(_compile, path.name)
    try:
        months: dict[str, int] = {}
        for names in data["months"].values():
            for number, name in enumerate(names, start=1):
                months[name.lower()] = number
        return Rules(
            header=compile_("header", data["header"]),
            boilerplate=tuple(
                (str(rule["kind"]), compile_(f"boilerplate {rule['kind']}", rule["pattern"]))
                for rule in data["boilerplate"]
            ),
            caption_credit=compile_("caption_credit", data["caption_credit"]),
            caption_prefix=compile_("caption_prefix", data["caption_prefix"]),
            sidebar_timestamp=compile_("sidebar_timestamp", data["sidebar_timestamp"]),
            sidebar_headings=tuple(data["sidebar_headings"]),
            rubrics=frozenset(data["rubrics"]),
            byline=compile_("byline", data["byline"]),
            bullets=tuple(data["bullets"]),
            datelines=tuple(compile_("dateline", d["pattern"]) for d in data["dateline"]),
            months=months,
        )
    except KeyError as exc:
        raise CatalogError(f"{path.name}: missing key {exc}: see the comments in the file") from exc
