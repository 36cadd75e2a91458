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
from stop_words import StopWordError, get_stop_words

from corpus.errors import CatalogError, RuleTimeoutError
from corpus.fileio import read_toml
from corpus.ingest.linemodel import LineModel, load_model
from corpus.ingest.seeds import SEED_MAX_BYTES
from corpus.paths import safe_join

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

    def fullmatch(self, text: str) -> regex.Match[str] | None:
        return self._apply(self.pattern.fullmatch, text)

    def sub(self, replacement: str, text: str) -> str:
        try:
            result: str = self.pattern.sub(replacement, text, timeout=self.timeout)
        except TimeoutError as exc:
            raise self._timeout(text) from exc
        return result

    def _apply(self, method: Callable[..., Any], text: str) -> regex.Match[str] | None:
        try:
            result: regex.Match[str] | None = method(text, timeout=self.timeout)
        except TimeoutError as exc:
            raise self._timeout(text) from exc
        return result

    def _timeout(self, text: str) -> RuleTimeoutError:
        return RuleTimeoutError(
            f"rule {self.name} = {self.pattern.pattern!r} of catalog/rules.toml ran more than {self.timeout:g} s "
            f"on a line of {len(text)} characters ({text[:60]!r}…): the pattern backtracks catastrophically; "
            "rewrite it (or raise [limits] rule_timeout_seconds)"
        )


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
    credit_line: Rule
    credit_end: Rule
    byline_prefix: Rule
    lexicon: dict[str, frozenset[str]]  # kind -> whole lines (normalised)
    lexicon_starts: tuple[tuple[str, str], ...]  # (kind, start of a line), longest first
    lexicon_inside: tuple[tuple[str, Rule], ...]  # (kind, its longer phrases anywhere in a line)
    date_languages: tuple[str, ...]
    date_max_words: int
    date_noise: Rule
    stopwords: frozenset[str]  # of all the languages together
    stopword_sets: tuple[frozenset[str], ...]  # one per language
    clause_words: frozenset[str]
    reader_words: frozenset[str]
    source_end: Rule
    model: LineModel | None  # the line classifier (None: the rules alone, as when training it)
    limits: Limits = Limits()

    def lexicon_kind(self, text: str) -> str | None:
        """The kind of furniture a line's words name (``nav``, ``promo`` …), or None.

        A line up to :data:`LEXICON_MAX_WORDS` words that is a phrase of the lexicon, or starts with
        one, is of its kind; so is a longer line (up to :data:`LEXICON_START_WORDS`) starting with a
        call to other articles or a source line ("Read also: <headline>", "Source: …").
        """
        key = lexicon_key(text)
        n = len(key.split())
        if not key or n > LEXICON_START_WORDS:
            return None
        if n <= LEXICON_MAX_WORDS:
            for kind, lines in self.lexicon.items():
                if key in lines:
                    return kind
        for kind, start in self.lexicon_starts:
            if key.startswith(start) and (n <= LEXICON_MAX_WORDS or kind in LONG_START_KINDS):
                return kind
        return None

    def lexicon_kinds_inside(self, text: str) -> set[str]:
        """The kinds whose longer phrases (two words or more, or six letters) occur anywhere in a line."""
        return {kind for kind, pattern in self.lexicon_inside if pattern.search(text)}


#: Lexicon entries only apply to lines up to this many words: longer lines are text.
LEXICON_MAX_WORDS = 12
#: Kinds whose starts also mark longer lines, up to this many words (a call before a headline).
LONG_START_KINDS = ("related", "meta")
LEXICON_START_WORDS = 25
_EDGE = regex.compile(r"^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$")


def lexicon_key(text: str) -> str:
    """A line as the lexicon compares it: case-folded, surrounding punctuation and spaces removed."""
    return " ".join(_EDGE.sub("", text.casefold()).split())


def _stopwords(languages: tuple[str, ...], source: str) -> tuple[frozenset[str], ...]:
    sets = []
    for language in languages:
        try:
            sets.append(frozenset(w.casefold() for w in get_stop_words(language)))
        except StopWordError as exc:
            raise CatalogError(f"{source}: stopword_languages: {language!r} has no stop-word list ({exc})") from exc
    return tuple(sets)


def _lexicon(data: dict[str, dict[str, list[str]]]) -> tuple[dict[str, frozenset[str]], tuple[tuple[str, str], ...]]:
    lines = {kind: frozenset(lexicon_key(w) for w in entry.get("lines", [])) for kind, entry in data.items()}
    starts = [(kind, start.casefold().strip()) for kind, entry in data.items() for start in entry.get("starts", [])]
    return lines, tuple(sorted(starts, key=lambda ks: (-len(ks[1]), ks)))


def _lexicon_inside(data: dict[str, dict[str, list[str]]], timeout: float) -> tuple[tuple[str, Rule], ...]:
    out = []
    for kind, entry in data.items():
        phrases = {lexicon_key(w) for w in [*entry.get("lines", []), *entry.get("starts", [])]}
        phrases = {w for w in phrases if " " in w or len(w) >= 6}
        if phrases:
            body = "|".join(regex.escape(w) for w in sorted(phrases, key=lambda w: (-len(w), w)))
            pattern = regex.compile(rf"(?i)(?<!\w)(?:{body})(?!\w)")
            out.append((kind, Rule(f"lexicon.{kind}", pattern, timeout)))
    return tuple(out)


def _compile(source: str, timeout: float, key: str, pattern: object) -> Rule:
    if not isinstance(pattern, str):
        raise CatalogError(f"{source}: {key} must be a string pattern")
    try:
        return Rule(key, regex.compile(pattern), timeout)
    except regex.error as exc:
        raise CatalogError(f"{source}: {key} = {pattern!r} is not a valid pattern: {exc}") from exc


def _model_path(path: Path, data: dict[str, object]) -> Path:
    name = data.get("line_model")
    if not isinstance(name, str) or not name:
        raise CatalogError(f"{path.name}: line_model must name the line classifier's file (line_model.json)")
    return safe_join(path.parent, name)


def model_path(path: Path) -> Path:
    """Where the line model that the rules in ``path`` name is stored (next to them).

    Raises:
        CatalogError: If the rules do not name it, or name a path outside the catalog.
    """
    return _model_path(path, read_toml(path, error=CatalogError, missing="the extraction rules live there"))


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
def load_rules(path: Path, *, with_model: bool = True) -> Rules:
    """Load and compile the extraction rules and, unless ``with_model`` is False, the line model they name.

    Raises:
        CatalogError: If the file is missing, not TOML, lacks a key or has a bad pattern.
    """
    data = read_toml(path, error=CatalogError, missing="the extraction rules live there")
    limits = _limits(path.name, data.get("limits", {}))
    compile_ = partial(_compile, path.name, limits.rule_timeout_seconds)
    try:
        lexicon = _lexicon(data["lexicon"])
        stopword_sets = _stopwords(tuple(data["stopword_languages"]), path.name)
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
            credit_line=compile_("credit_line", data["credit_line"]),
            credit_end=compile_("credit_end", data["credit_end"]),
            byline_prefix=compile_("byline_prefix", data["byline_prefix"]),
            lexicon=lexicon[0],
            lexicon_starts=lexicon[1],
            lexicon_inside=_lexicon_inside(data["lexicon"], limits.rule_timeout_seconds),
            date_languages=tuple(data["date_languages"]),
            date_max_words=int(data["date_max_words"]),
            date_noise=compile_("date_noise", data["date_noise"]),
            stopwords=frozenset().union(*stopword_sets),
            stopword_sets=stopword_sets,
            clause_words=frozenset(w.casefold() for w in data["clause_words"]),
            reader_words=frozenset(w.casefold() for w in data["reader_words"]),
            source_end=compile_("source_end", data["source_end"]),
            model=load_model(_model_path(path, data)) if with_model else None,
            limits=limits,
        )
    except KeyError as exc:
        raise CatalogError(f"{path.name}: missing key {exc}: see the comments in the file") from exc
