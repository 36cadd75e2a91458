"""The extraction rules of ``catalog/rules.toml``, loaded and compiled.

The rules describe page furniture (metadata lines, tags, image URLs, publisher blocks, related
links, captions and credits, calls to read or subscribe, sidebars of other headlines), datelines
and bylines. Nothing in them names a seed: they must hold for pages of outlets never seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import regex

from corpus.errors import CatalogError, RuleTimeoutError
from corpus.fileio import read_toml
from corpus.ingest.seeds import SEED_MAX_BYTES

#: Default of ``[limits] rule_timeout_seconds`` in ``catalog/rules.toml`` (and see SEED_MAX_BYTES).
RULE_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Limits:
    """Bounds of the build: the largest seed read, and the time one rule may take on one line."""

    seed_max_bytes: int = SEED_MAX_BYTES
    rule_timeout_seconds: float = RULE_TIMEOUT_SECONDS


class Rule:
    """A compiled rule pattern that is applied under a time limit (``match``, ``search``).

    A pattern that backtracks catastrophically (``(a|aa)+$`` on a long line) would hang the
    build; past the limit the ``regex`` module stops it and :class:`~corpus.errors.RuleTimeoutError`
    names the rule (the build adds the seed).
    """

    __slots__ = ("name", "pattern", "timeout")

    def __init__(self, name: str, pattern: regex.Pattern[str], timeout: float) -> None:
        self.name = name
        self.pattern = pattern
        self.timeout = timeout

    def match(self, text: str) -> regex.Match[str] | None:
        return self._apply(self.pattern.match, text)

    def search(self, text: str) -> regex.Match[str] | None:
        return self._apply(self.pattern.search, text)

    def _apply(self, method: Callable[..., Any], text: str) -> regex.Match[str] | None:
        try:
            result: regex.Match[str] | None = method(text, timeout=self.timeout)
        except TimeoutError as exc:
            raise RuleTimeoutError(
                f"rule {self.name} = {self.pattern.pattern!r} of catalog/rules.toml ran more than {self.timeout:g} s "
                f"on a line of {len(text)} characters ({text[:60]!r}…): the pattern backtracks catastrophically; "
                "rewrite it (or raise [limits] rule_timeout_seconds)"
            ) from exc
        return result


@dataclass(frozen=True)
class Rules:
    """Compiled extraction rules (see ``catalog/rules.toml``)."""

    header: Rule
    boilerplate: tuple[tuple[str, Rule], ...]
    caption_credit: Rule
    caption_prefix: Rule
    sidebar_timestamp: Rule
    sidebar_headings: tuple[str, ...]
    rubrics: frozenset[str]
    byline: Rule
    bullets: tuple[str, ...]
    datelines: tuple[Rule, ...]
    months: dict[str, int]
    limits: Limits = Limits()


def _compile(source: str, timeout: float, key: str, pattern: object) -> Rule:
    if not isinstance(pattern, str):
        raise CatalogError(f"{source}: {key} must be a string pattern")
    try:
        return Rule(key, regex.compile(pattern), timeout)
    except regex.error as exc:
        raise CatalogError(f"{source}: {key} = {pattern!r} is not a valid pattern: {exc}") from exc


def _limits(source: str, raw: object) -> Limits:
    """The optional ``[limits]`` table: positive numbers, defaults for what it leaves out."""
    if not isinstance(raw, dict) or set(raw) - {"seed_max_bytes", "rule_timeout_seconds"}:
        raise CatalogError(f"{source}: [limits] may only set seed_max_bytes and rule_timeout_seconds")
    size = raw.get("seed_max_bytes", SEED_MAX_BYTES)
    timeout = raw.get("rule_timeout_seconds", RULE_TIMEOUT_SECONDS)
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise CatalogError(f"{source}: [limits] seed_max_bytes = {size!r} must be a positive whole number of bytes")
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise CatalogError(f"{source}: [limits] rule_timeout_seconds = {timeout!r} must be a positive number")
    return Limits(size, float(timeout))


@cache
def load_rules(path: Path) -> Rules:
    """Load and compile the extraction rules.

    Raises:
        CatalogError: If the file is missing, not TOML, lacks a key or has a bad pattern.
    """
    data = read_toml(path, error=CatalogError, missing="the extraction rules live there")
    limits = _limits(path.name, data.get("limits", {}))
    compile_ = partial(_compile, path.name, limits.rule_timeout_seconds)
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
            limits=limits,
        )
    except KeyError as exc:
        raise CatalogError(f"{path.name}: missing key {exc}: see the comments in the file") from exc
