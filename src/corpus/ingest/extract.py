"""Extract articles from a decoded seed, keeping code-point offsets into the raw text.

The extraction is a pure function of the seed's text and the rules in ``catalog/rules.toml``
(:mod:`corpus.ingest.rules`). It classifies every line as page furniture (kept in the
boilerplate table with its kind) or text: the header line, sidebars of other headlines, photo
captions and credits, site names, furniture patterns and datelines (this module); then it finds
titles, bylines and bodies (:mod:`~corpus.ingest.structure`), drops a duplicated copy of the
body, splits pages holding several articles, and forms paragraphs
(:mod:`~corpus.ingest.paragraphs`, which also defines the repairs a paragraph may carry).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from corpus.ingest.furniture import (
    after_body,
    captions,
    copies,
    glued_byline,
    labels_and_alt_texts,
    strip_labels,
    strip_sources,
)
from corpus.ingest.lines import Line, normal, split_lines
from corpus.ingest.pagedates import PageDate, read_date
from corpus.ingest.paragraphs import paragraphs
from corpus.ingest.rules import Rules
from corpus.ingest.structure import Article, articles, dedupe_copies

__all__ = ["JUDGEMENT_KINDS", "Extraction", "PageDate", "Removed", "extract", "parse_dateline"]

#: Removed stretches decided by where a line stands rather than by a pattern or word of the rules:
#: the decisions a curator should look at first (``corpus status`` lists them).
JUDGEMENT_KINDS = frozenset({"teaser", "label", "breadcrumb", "repeated", "duplicate", "caption", "alt-title"})


@dataclass(frozen=True)
class Removed:
    """A stretch of a seed that is not article text, with the rule that removed it."""

    line: int
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract` found in one seed."""

    articles: list[Article]
    removed: list[Removed]
    header_date: str | None
    header_url: str | None
    header_line: int | None
    dateline: PageDate | None


def parse_dateline(line: Line, rules: Rules) -> PageDate | None:
    """The date a dateline states (None if no dateline rule matches the line)."""
    for pattern in rules.datelines:
        m = pattern.match(line.text)
        if not m:
            continue
        parts = m.groupdict()
        month_text = parts.get("month")
        month: int | None
        if month_text is None:
            month = None
        elif month_text.isdigit():
            month = int(month_text)
        else:
            month = rules.months.get(month_text.lower().rstrip("."))
            if month is None:
                continue
        year = int(parts["year"]) if parts.get("year") else None
        day = int(parts["day"]) if parts.get("day") else None
        return PageDate(line.number, line.text, year, month, day)
    return None


def _sidebars(lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules) -> str | None:
    """Mark a run of headline / timestamp pairs; return a byline glued to the sidebar's heading."""
    author = None
    stamps = [i for i in content if rules.sidebar_timestamp.match(lines[i].text)]
    if len(stamps) < 2:
        return None
    for i in stamps:
        kinds[i] = "sidebar"
        before = [j for j in content if j < i and j not in kinds]
        if before:
            kinds[before[-1]] = "sidebar"
    first = min(i for i, k in kinds.items() if k == "sidebar")
    before = [j for j in content if j < first and j not in kinds]
    if before:
        j = before[-1]
        for heading in rules.sidebar_headings:
            line_text = lines[j].text
            if line_text == heading:
                kinds[j] = "sidebar"
            elif line_text.endswith(heading) and rules.byline.match(line_text[: -len(heading)].strip()):
                author = line_text[: -len(heading)].strip()
                kinds[j] = "byline"
    return author


def _byline(line: Line, rules: Rules) -> tuple[str, PageDate | None] | None:
    """The author a byline names ("By …", "Автор: …", "від … · 29.12.2025") and a date it carries."""
    m = rules.byline_prefix.match(line.text)
    if not m or len(line.text.split()) > 10 or len(m["name"].split()) > 4:
        return None
    rest = m["rest"] or ""
    date = read_date(Line(line.number, line.start, line.end, rest), rules) if rest else None
    if rest and date is None:
        return None
    return m["name"].strip(), date


def _line_kind(line: Line, rules: Rules, sites: set[str]) -> str | None:
    """The furniture kind one line shows on its own: site name, lexicon word, furniture pattern."""
    if line.text in sites:
        return "site-name"
    if _byline(line, rules) is not None:
        return None  # "by charles" is a byline, not a lowercase tag
    for kind, pattern in rules.boilerplate:
        if pattern.search(line.text):
            return kind
    return rules.lexicon_kind(line.text)


def _furniture(
    lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules, sites: set[str]
) -> tuple[PageDate | None, str | None]:
    """Mark furniture, bylines and date lines; return the page's first date line and a byline's author."""
    dateline: PageDate | None = None
    author: str | None = None
    for i in content:
        if i in kinds:
            continue
        kind = _line_kind(lines[i], rules, sites)
        if kind is not None:
            kinds[i] = kind
            continue
        byline = _byline(lines[i], rules)
        if byline is not None and author is None:
            kinds[i] = "byline"
            author, date = byline
            dateline = dateline or date
            continue
        parsed = parse_dateline(lines[i], rules) or read_date(lines[i], rules)
        if parsed is not None:
            kinds[i] = "dateline"
            dateline = dateline or parsed
    return dateline, author


def _removed(lines: list[Line], kinds: dict[int, str], found: list[Article]) -> list[Removed]:
    """Every removed stretch in seed order; a rubric glued before a title is its own stretch."""
    removed = [Removed(lines[i].number, lines[i].start, lines[i].end, kind) for i, kind in sorted(kinds.items())]
    for article in found:
        if article.title_start is not None:
            line = next(x for x in lines if x.start <= article.title_start <= x.end)
            if article.title_start > line.start:
                removed.append(Removed(line.number, line.start, article.title_start - 1, "rubric"))
    removed.sort(key=lambda r: (r.start, r.end))
    return removed


def extract(
    text: str, rules: Rules, *, site_names: Iterable[str] = (), repeated: frozenset[str] = frozenset()
) -> Extraction:
    """Extract the articles of one seed.

    Args:
        text: The seed's decoded text.
        rules: Compiled rules from ``catalog/rules.toml``.
        site_names: Names of outlets as they appear on their pages (lines equal to one are furniture).
        repeated: Lines (in :func:`~corpus.ingest.lines.normal` form) that other pages of the same
            site print too: page furniture, since articles do not repeat.

    Returns:
        The articles (possibly none) and every removed line with its kind.
    """
    lines = split_lines(text)
    kinds: dict[int, str] = {}  # index into `lines` -> kind of furniture
    content = [i for i, line in enumerate(lines) if line.text]
    extra: list[Removed] = []  # stretches removed from a line whose rest is kept
    header_date = header_url = None
    header_line = None
    if content and (m := rules.header.match(lines[content[0]].text)):
        first = lines[content[0]]
        header_date, header_url, header_line = m["date"], m["url"], first.number
        rest = first.text[m.end() :]
        if rest:
            lines[content[0]] = Line(first.number, first.end - len(rest), first.end, rest)
            extra.append(
                Removed(first.number, first.start, first.start + len(first.text[: m.end()].rstrip()), "header")
            )
        else:
            kinds[content[0]] = "header"
    sidebar_author = _sidebars(lines, content, kinds, rules)
    captions(lines, content, kinds, rules)
    dateline, byline_author = _furniture(lines, content, kinds, rules, {s for s in site_names if s})
    labels_and_alt_texts(lines, content, kinds, rules)
    for i in content:
        if i not in kinds and normal(lines[i].text) in repeated:
            kinds[i] = "repeated"
    copies(lines, content, kinds)
    after_body(lines, content, kinds, rules)
    for _, line, cut in strip_labels(lines, content, kinds, rules):
        extra.append(Removed(line.number, line.start, line.start + cut, "label"))
    for _, line, keep in strip_sources(lines, content, kinds, rules):
        extra.append(Removed(line.number, line.start + keep, line.end, "source"))
    if byline_author is None and (glued := glued_byline(lines, content, kinds, rules)) is not None:
        byline_author, index, old = glued
        extra.append(Removed(old.number, old.start, lines[index].start, "byline"))
    found = articles(lines, [i for i in content if i not in kinds], kinds, rules)
    author = byline_author or sidebar_author
    if found and author and not found[0 if byline_author else -1].author:
        found[0 if byline_author else -1].author = author
    for article in found:
        dedupe_copies(article, lines, kinds)
        article.paragraphs = paragraphs(text, lines, article.lines, rules)
    found = [a for a in found if a.paragraphs]
    removed = sorted([*_removed(lines, kinds, found), *extra], key=lambda r: (r.start, r.end))
    return Extraction(found, removed, header_date, header_url, header_line, dateline)
