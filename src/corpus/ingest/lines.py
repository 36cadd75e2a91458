"""Lines of a seed, with offsets, and how a line reads: a headline, a sentence end, its words."""

from __future__ import annotations

from dataclasses import dataclass

import regex

#: Whitespace stripped around a line (a byte-order mark included: it is character 0 of its seed).
WHITESPACE = " \t\r\n\u00a0\ufeff"
#: Characters that may close a sentence after its final punctuation.
CLOSERS = "\"'”’»)]"
SENTENCE_END = ".!?…"
_WORD = regex.compile(r"\w+")
#: An abbreviation of single capitals ending a line ("U.S.", "U.K."), kept out of the sentence-end test.
_ABBREVIATION_END = regex.compile(r"(?<=\s\p{L}*)(?:\p{Lu}\.){2,}$")


@dataclass(frozen=True)
class Line:
    """One line of a seed with surrounding whitespace stripped; offsets index the seed's text."""

    number: int
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Split ``text`` into lines (LF, CRLF or CR), each stripped, with offsets into ``text``."""
    lines = []
    pos = 0
    for number, raw in enumerate(text.splitlines(keepends=True), start=1):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip(WHITESPACE))
        stripped = body.strip(WHITESPACE)
        start = pos + lead
        lines.append(Line(number, start, start + len(stripped), stripped))
        pos += len(raw)
    return lines


def ends_sentence(text: str) -> bool:
    """Whether a line ends with sentence punctuation (ignoring closing quotes and brackets)."""
    core = text.rstrip(CLOSERS)
    return bool(core) and core[-1] in SENTENCE_END


def is_heading(text: str) -> bool:
    """Whether a line reads as a headline: no sentence or clause punctuation at its end, ≤ 25 words.

    A final abbreviation ("… Dialogue With U.S.") is no sentence end.
    """
    core = _ABBREVIATION_END.sub("", text.rstrip(CLOSERS))
    return bool(core) and core[-1] not in SENTENCE_END + ",;:–—-" and len(text.split()) <= 25


def is_headline(text: str) -> bool:
    """Whether a line has a headline's shape: a heading, or a short question or exclamation."""
    core = text.rstrip(CLOSERS)
    return is_heading(text) or (core.endswith(("?", "!")) and len(text.split()) <= 25)


def is_subheading(text: str) -> bool:
    """Whether a one-line paragraph is a subheading: ≤ 12 words, a question or no end punctuation."""
    if len(text.split()) > 12:
        return False
    return text.rstrip(CLOSERS).endswith("?") or is_heading(text)


def normal(text: str) -> str:
    """The words of ``text``, lowercase, one space apart: the form in which copies are compared."""
    return " ".join(_WORD.findall(text.lower()))


def words(text: str) -> list[str]:
    """The words of a line, lowercase (letters and digits only)."""
    found: list[str] = _WORD.findall(text.lower())
    return found


def stopword_share(text: str, stopwords: frozenset[str]) -> float:
    """Share of a line's words that are stop words (0 for a line without words)."""
    found = words(text)
    return sum(w in stopwords for w in found) / len(found) if found else 0.0


def sentence_like(text: str, stopwords: frozenset[str]) -> bool:
    """Whether a line reads as running text rather than a label, headline or caption.

    Long lines are text; shorter ones when they end a sentence, or when they are dense in stop
    words (a paragraph cut off before its full stop).
    """
    n = len(text.split())
    if n >= 20:
        return True
    if n >= 6 and ends_sentence(text) and not text.rstrip(CLOSERS).endswith(("?", "!")):
        return True
    return n >= 10 and stopword_share(text, stopwords) >= 0.3


def ends_mid_clause(text: str, clause_words: frozenset[str]) -> bool:
    """Whether a line stops on a function word ("… met with"): a hard-wrapped line, not a headline."""
    found = words(text)
    return bool(found) and found[-1] in clause_words and not ends_sentence(text)
