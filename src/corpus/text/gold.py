"""The gold annotations the instruments are scored against (``benchmarks/gold/``).

An independent annotator coded every concept mention and every speech act in the English,
Russian and Ukrainian articles of the seeds and of the extraction benchmark, from the concept
definitions only (``benchmarks/gold/CODING.md``). Rows are addressed by page (``source``), 1-based
line and code-point offsets into that line; the lines are the extraction benchmark's
(``benchmarks/extraction/labels/<source>.tsv``, whose ``text`` column is the line escaped), and a
coded line loses the fragments ``benchmarks/extraction/line_notes.csv`` marks as not the article's
words (curator headers, datelines, update stamps, glued rubrics; a glued *second headline* stays).

Each page has a ``split`` (``dev`` or ``holdout``) in ``benchmarks/gold/splits.csv``: the codebook
and the quote rules are tuned on ``dev`` pages only, and scores are reported per split. The gold
keeps its own split, fixed when it was coded: the extraction benchmark's split may change as
that benchmark grows (pages tuned on cannot become holdout again, and holdout pages once tuned on
move to dev), and must not turn gold pages the codebook was tuned on into holdout or the reverse.

This module only reads; :mod:`corpus.text.quality` scores.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Final, Literal

from corpus.errors import GoldError
from corpus.paths import Layout, safe_join

Split = Literal["dev", "holdout"]
SPLITS: Final[tuple[Split, ...]] = ("dev", "holdout")

#: Kinds of line notes whose fragment is not the article's words.
_LEFT_OUT_KINDS: Final[frozenset[str]] = frozenset({"header", "dateline", "mixed", "glued"})
#: A glued fragment whose note starts so is the article's second headline, and is coded.
_KEPT_GLUED_NOTE: Final[str] = "second headline"
_UNESCAPE: Final[dict[str, str]] = {"\\": "\\", "t": "\t", "r": "\r", "n": "\n"}


@dataclass(frozen=True)
class GoldLine:
    """One coded line of an article, with the stretches left out of coding."""

    source: str
    article: int
    line: int
    language: str
    split: Split
    text: str
    left_out: tuple[tuple[int, int], ...] = ()

    def inside_left_out(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a left-out fragment (an instrument's find there is ignored)."""
        return any(start < b and a < end for a, b in self.left_out)


@dataclass(frozen=True)
class GoldMention:
    """One row of ``mentions.tsv`` or ``non_mentions.tsv``."""

    source: str
    line: int
    start: int
    end: int
    text: str
    concept_id: str
    note: str


@dataclass(frozen=True)
class GoldQuote:
    """One row (one segment of a speech act) of ``quotes.tsv``."""

    source: str
    line: int
    start: int
    end: int
    quote_id: str
    kind: str
    speaker: str
    speaker_text: str
    resolved_from: int | None
    note: str


@dataclass(frozen=True)
class Gold:
    """The gold sets: coded lines, mentions, non-mentions and speech acts."""

    lines: tuple[GoldLine, ...]
    mentions: tuple[GoldMention, ...]
    non_mentions: tuple[GoldMention, ...]
    quotes: tuple[GoldQuote, ...]

    @cached_property
    def by_line(self) -> dict[tuple[str, int], GoldLine]:
        """Coded lines keyed by ``(source, line)``."""
        return {(g.source, g.line): g for g in self.lines}

    def articles(self) -> Iterator[tuple[GoldLine, ...]]:
        """The coded lines of each article, in reading order (articles in file order)."""
        grouped: dict[tuple[str, int], list[GoldLine]] = {}
        for g in self.lines:
            grouped.setdefault((g.source, g.article), []).append(g)
        for lines in grouped.values():
            yield tuple(sorted(lines, key=lambda g: g.line))

    def split_of(self, source: str) -> Split:
        """The split of a page (every line of a page has the same)."""
        return next(g.split for g in self.lines if g.source == source)


def _rows(path: Path, *, tsv: bool) -> list[dict[str, str]]:
    label = "/".join(path.parts[-3:])
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            if tsv:
                return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
            return list(csv.DictReader(handle))
    except FileNotFoundError as exc:
        raise GoldError(f"{label} not found: the gold annotations live in benchmarks/") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GoldError(f"{label} cannot be read as UTF-8 {'TSV' if tsv else 'CSV'} ({exc})") from exc


def _int(value: str, *, where: str, field: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise GoldError(f"{where}: field '{field}' is {value!r}, not an integer") from exc


def unescape(text: str) -> str:
    """A label file's ``text`` cell as the line it stands for (``\\\\``, ``\\t``, ``\\r``)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in _UNESCAPE:
            out.append(_UNESCAPE[text[i + 1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _page_lines(extraction: Path, source: str) -> dict[int, str]:
    path = safe_join(extraction / "labels", f"{source}.tsv")
    rows = _rows(path, tsv=True)
    return {_int(r["line"], where=f"labels/{source}.tsv", field="line"): unescape(r["text"]) for r in rows}


def _left_out(extraction: Path) -> dict[tuple[str, int], list[str]]:
    fragments: dict[tuple[str, int], list[str]] = {}
    for row in _rows(extraction / "line_notes.csv", tsv=False):
        if row["kind"] not in _LEFT_OUT_KINDS or not row["fragment"]:
            continue
        if row["kind"] == "glued" and row["note"].startswith(_KEPT_GLUED_NOTE):
            continue
        key = (row["page_id"], _int(row["line"], where="line_notes.csv", field="line"))
        fragments.setdefault(key, []).append(row["fragment"])
    return fragments


def _spans(text: str, fragments: list[str], where: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for fragment in fragments:
        at = text.find(fragment)
        if at < 0:
            raise GoldError(f"{where}: line note fragment {fragment!r} is not in the line")
        spans.append((at, at + len(fragment)))
    return tuple(sorted(spans))


def _lines(extraction: Path, gold: Path) -> tuple[GoldLine, ...]:
    splits = {r["page_id"]: r["split"] for r in _rows(gold / "splits.csv", tsv=False)}
    notes = _left_out(extraction)
    lines = []
    for row in _rows(gold / "coded.csv", tsv=False):
        source = row["source"]
        where = f"gold/coded.csv: {source}"
        split = next((s for s in SPLITS if s == splits.get(source)), None)
        if split is None:
            raise GoldError(f"{where}: page has no dev/holdout split in gold/splits.csv: add a row")
        texts = _page_lines(extraction, source)
        article = _int(row["article"], where=where, field="article")
        for number in (_int(n, where=where, field="lines") for n in row["lines"].split(";")):
            if number not in texts:
                raise GoldError(f"{where}: line {number} is not a line of the page")
            text = texts[number]
            left_out = _spans(text, notes.get((source, number), []), f"{where} line {number}")
            lines.append(GoldLine(source, article, number, row["language"], split, text, left_out))
    return tuple(lines)


def _mentions(path: Path, by_line: dict[tuple[str, int], GoldLine]) -> tuple[GoldMention, ...]:
    found = []
    for number, row in enumerate(_rows(path, tsv=True), start=2):
        where = f"gold/{path.name} row {number}"
        line = _int(row["line"], where=where, field="line")
        start, end = _int(row["start"], where=where, field="start"), _int(row["end"], where=where, field="end")
        coded = by_line.get((row["source"], line))
        if coded is None or coded.text[start:end] != row["text"]:
            raise GoldError(f"{where}: {row['text']!r} is not at {start}:{end} of a coded line {row['source']}:{line}")
        found.append(GoldMention(row["source"], line, start, end, row["text"], row["concept_id"], row["note"]))
    return tuple(found)


def _quotes(path: Path, by_line: dict[tuple[str, int], GoldLine]) -> tuple[GoldQuote, ...]:
    found = []
    for number, row in enumerate(_rows(path, tsv=True), start=2):
        where = f"gold/quotes.tsv row {number}"
        line = _int(row["line"], where=where, field="line")
        if (row["source"], line) not in by_line:
            raise GoldError(f"{where}: line {row['source']}:{line} is not a coded line")
        resolved = _int(row["resolved_from"], where=where, field="resolved_from") if row["resolved_from"] else None
        found.append(
            GoldQuote(
                row["source"], line,
                _int(row["start"], where=where, field="start"), _int(row["end"], where=where, field="end"),
                row["quote_id"], row["kind"], row["speaker"], row["speaker_text"], resolved, row["note"],
            )
        )  # fmt: skip
    return tuple(found)


def load_gold(layout: Layout) -> Gold:
    """Read and check the gold sets of ``benchmarks/gold/`` against the benchmark's lines.

    Raises:
        GoldError: Naming the file and row, if a file is missing or a row does not address a
            coded line (or its ``text`` is not at its offsets).
    """
    gold_dir, extraction = layout.benchmarks / "gold", layout.benchmarks / "extraction"
    lines = _lines(extraction, gold_dir)
    by_line = {(g.source, g.line): g for g in lines}
    return Gold(
        lines=lines,
        mentions=_mentions(gold_dir / "mentions.tsv", by_line),
        non_mentions=_mentions(gold_dir / "non_mentions.tsv", by_line),
        quotes=_quotes(gold_dir / "quotes.tsv", by_line),
    )
