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
from corpus.ingest.linemodel import LineModel, load_model
from corpus.paths import safe_join


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
    lexicon_inside: tuple[tuple[str, regex.Pattern[str]], ...]  # (kind, its longer phrases anywhere in a line)
    date_languages: tuple[str, ...]
    date_max_words: int
    date_noise: regex.Pattern[str]
    stopwords: frozenset[str]  # of all the languages together
    stopword_sets: tuple[frozenset[str], ...]  # one per language
    clause_words: frozenset[str]
    reader_words: frozenset[str]
    source_end: regex.Pattern[str]
    model: LineModel | None  # the line classifier (None: the rules alone, as when training it)

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


def _lexicon_inside(data: dict[str, dict[str, list[str]]]) -> tuple[tuple[str, regex.Pattern[str]], ...]:
    out = []
    for kind, entry in data.items():
        phrases = {lexicon_key(w) for w in [*entry.get("lines", []), *entry.get("starts", [])]}
        phrases = {w for w in phrases if " " in w or len(w) >= 6}
        if phrases:
            body = "|".join(regex.escape(w) for w in sorted(phrases, key=lambda w: (-len(w), w)))
            out.append((kind, regex.compile(rf"(?i)(?<!\w)(?:{body})(?!\w)")))
    return tuple(out)


def _compile(source: str, key: str, pattern: object) -> regex.Pattern[str]:
    if not isinstance(pattern, str):
        raise CatalogError(f"{source}: {key} must be a string pattern")
    try:
        return regex.compile(pattern)
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


@cache
def load_rules(path: Path, *, with_model: bool = True) -> Rules:
    """Load and compile the extraction rules and, unless ``with_model`` is False, the line model they name.

    Raises:
        CatalogError: If the file is missing, not TOML, lacks a key or has a bad pattern.
    """
    data = read_toml(path, error=CatalogError, missing="the extraction rules live there")
    compile_ = partial(_compile, path.name)
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
            lexicon_inside=_lexicon_inside(data["lexicon"]),
            date_languages=tuple(data["date_languages"]),
            date_max_words=int(data["date_max_words"]),
            date_noise=compile_("date_noise", data["date_noise"]),
            stopwords=frozenset().union(*stopword_sets),
            stopword_sets=stopword_sets,
            clause_words=frozenset(w.casefold() for w in data["clause_words"]),
            reader_words=frozenset(w.casefold() for w in data["reader_words"]),
            source_end=compile_("source_end", data["source_end"]),
            model=load_model(_model_path(path, data)) if with_model else None,
        )
    except KeyError as exc:
        raise CatalogError(f"{path.name}: missing key {exc}: see the comments in the file") from exc
