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
from stop_words import StopWordError, get_stop_words

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
    credit_line: regex.Pattern[str]
    credit_end: regex.Pattern[str]
    byline_prefix: regex.Pattern[str]
    lexicon: dict[str, frozenset[str]]  # kind -> whole lines (normalised)
    lexicon_starts: tuple[tuple[str, str], ...]  # (kind, start of a line), longest first
    date_languages: tuple[str, ...]
    date_max_words: int
    date_noise: regex.Pattern[str]
    stopwords: frozenset[str]
    clause_words: frozenset[str]
    source_end: regex.Pattern[str]

    def lexicon_kind(self, text: str) -> str | None:
        """The kind of furniture a short line's words name (``nav``, ``promo`` …), or None."""
        key = lexicon_key(text)
        if not key or len(key.split()) > LEXICON_MAX_WORDS:
            return None
        for kind, lines in self.lexicon.items():
            if key in lines:
                return kind
        for kind, start in self.lexicon_starts:
            if key.startswith(start):
                return kind
        return None


#: Lexicon entries only apply to lines up to this many words: longer lines are text.
LEXICON_MAX_WORDS = 12
_EDGE = regex.compile(r"^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$")


def lexicon_key(text: str) -> str:
    """A line as the lexicon compares it: case-folded, surrounding punctuation and spaces removed."""
    return " ".join(_EDGE.sub("", text.casefold()).split())


def _stopwords(languages: tuple[str, ...], source: str) -> frozenset[str]:
    words: set[str] = set()
    for language in languages:
        try:
            words.update(w.casefold() for w in get_stop_words(language))
        except StopWordError as exc:
            raise CatalogError(f"{source}: stopword_languages: {language!r} has no stop-word list ({exc})") from exc
    return frozenset(words)


def _lexicon(data: dict[str, dict[str, list[str]]]) -> tuple[dict[str, frozenset[str]], tuple[tuple[str, str], ...]]:
    lines = {kind: frozenset(lexicon_key(w) for w in entry.get("lines", [])) for kind, entry in data.items()}
    starts = [(kind, start.casefold().strip()) for kind, entry in data.items() for start in entry.get("starts", [])]
    return lines, tuple(sorted(starts, key=lambda ks: (-len(ks[1]), ks)))


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
        lexicon = _lexicon(data["lexicon"])
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
            date_languages=tuple(data["date_languages"]),
            date_max_words=int(data["date_max_words"]),
            date_noise=compile_("date_noise", data["date_noise"]),
            stopwords=_stopwords(tuple(data["stopword_languages"]), path.name),
            clause_words=frozenset(w.casefold() for w in data["clause_words"]),
            source_end=compile_("source_end", data["source_end"]),
        )
    except KeyError as exc:
        raise CatalogError(f"{path.name}: missing key {exc}: see the comments in the file") from exc
