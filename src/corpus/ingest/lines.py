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
    """Whether a line reads as a headline: no sentence or clause punctuation at its end, ≤ 25 words."""
    core = text.rstrip(CLOSERS)
    return bool(core) and core[-1] not in SENTENCE_END + ",;:–—-" and len(text.split()) <= 25


def is_subheading(text: str) -> bool:
    """Whether a one-line paragraph is a subheading: ≤ 12 words, a question or no end punctuation."""
    if len(text.split()) > 12:
        return False
    return text.rstrip(CLOSERS).endswith("?") or is_heading(text)


def normal(text: str) -> str:
    """The words of ``text``, lowercase, one space apart: the form in which copies are compared."""
    return " ".join(_WORD.findall(text.lower()))
