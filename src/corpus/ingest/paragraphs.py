"""Paragraphs from an article's body lines, and the only two repairs a paragraph's text may carry.

Every paragraph's text is ``repair(raw[start:end])`` where the only repairs are:

* ``join-lines``: a line break inside a paragraph, with the spaces around it, becomes one space;
* ``split-glued``: a sentence glued to the previous one (``Thursday.Putin``) starts a new
  paragraph; the glued texts of page dumps run paragraphs together this way.

An article's text is its paragraphs' texts joined by :data:`PARAGRAPH_SEPARATOR`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Final

import regex

from corpus.ingest.lines import Line, ends_sentence, is_subheading
from corpus.ingest.rules import Rules

PARAGRAPH_SEPARATOR: Final[str] = "\n\n"
#: The repairs a paragraph's ``repairs`` column may list, in this order, with what each does.
REPAIRS: Final[dict[str, str]] = {
    "join-lines": "line breaks inside the paragraph became spaces",
    "split-glued": "paragraph boundary restored at a glued sentence",
}
#: What a paragraph is: body text, a subheading, or a list item.
PARAGRAPH_KINDS: Final[tuple[str, ...]] = ("paragraph", "heading", "bullet")

_LINE_BREAK = re.compile(r"[ \t\u00a0]*(?:\r\n|\r|\n)[ \t\u00a0\r\n]*")
#: A sentence end glued to a capitalised next sentence: "Thursday.Putin", "make.”During".
GLUE = regex.compile(r"(?<=[\p{Ll}\d][.!?])(?P<q>[\"”’»]?)(?=[\"“«]?\p{Lu}(?:\p{Ll}|\s))")

#: One raw span of a line: start, end, whether glued sentences were split, index of its line.
_Segment = tuple[int, int, bool, int]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: ``text == repair(seed_text[start:end])``."""

    start: int
    end: int
    text: str
    kind: str
    repairs: tuple[str, ...]


def repair(raw_slice: str) -> str:
    """Apply the ``join-lines`` repair: each line break inside a paragraph becomes one space."""
    return _LINE_BREAK.sub(" ", raw_slice)


def glue_points(text: str) -> list[int]:
    """Positions in ``text`` where a glued sentence starts (see the module docstring)."""
    points = []
    for m in GLUE.finditer(text):
        quote = m.group("q")
        if quote == '"' and text.count('"', 0, m.start()) % 2 == 0:
            points.append(m.start())  # an even count before it: this straight quote opens the next sentence
        else:
            points.append(m.end())
    return points


def _segments(text: str, lines: list[Line], body: list[int], rules: Rules) -> tuple[list[_Segment], dict[int, str]]:
    """Raw spans of the body lines, split at glued sentences, never crossing a line; their kinds."""
    segments: list[_Segment] = []
    kinds: dict[int, str] = {}
    for i in body:
        line = lines[i]
        start = line.start
        kind = "paragraph"
        for bullet in rules.bullets:
            if line.text.startswith(bullet):
                rest = line.text[len(bullet) :]
                start = line.end - len(rest.lstrip())
                kind = "bullet"
                break
        cuts = [start + p for p in glue_points(text[start : line.end])]
        for s, e in itertools.pairwise([start, *cuts, line.end]):
            segments.append((s, e, bool(cuts), i))
            kinds[s] = kind
    return segments, kinds


def _merge(text: str, segments: list[_Segment], kinds: dict[int, str]) -> list[list[_Segment]]:
    """Group segments into paragraphs: a line continues the previous one when it is not a new sentence."""
    merged: list[list[_Segment]] = []
    for seg in segments:
        if merged:
            prev = merged[-1][-1]
            prev_text = text[prev[0] : prev[1]]
            cur_text = text[seg[0] : seg[1]]
            adjacent_lines = seg[3] == prev[3] + 1 and kinds[seg[0]] == "paragraph"
            continues = not ends_sentence(prev_text) and (
                prev_text.endswith((",", ";", ":", "–", "—", "-")) or cur_text[:1] in "–—-" or cur_text[:1].islower()
            )
            if adjacent_lines and continues:
                merged[-1].append(seg)
                continue
        merged.append([seg])
    return merged


def paragraphs(text: str, lines: list[Line], body: list[int], rules: Rules) -> list[Paragraph]:
    """Form paragraphs from body lines: split glued sentences, join continued lines."""
    segments, kinds = _segments(text, lines, body, rules)
    found: list[Paragraph] = []
    for group in _merge(text, segments, kinds):
        start, end = group[0][0], group[-1][1]
        repairs = []
        if len(group) > 1:
            repairs.append("join-lines")
        if any(g[2] for g in group):
            repairs.append("split-glued")
        body_text = repair(text[start:end])
        kind = kinds[start]
        if kind == "paragraph" and len(group) == 1 and is_subheading(body_text):
            kind = "heading"
        found.append(Paragraph(start, end, body_text, kind, tuple(repairs)))
    return found
