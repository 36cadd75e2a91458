"""Extract articles from a decoded seed, keeping code-point offsets into the raw text.

The extraction is a pure function of the seed's text and the rules in ``catalog/rules.toml``.
It classifies every line as page furniture (kept in the boilerplate table with its kind) or
text, finds titles, bylines, datelines, sidebars and photo captions, drops a duplicated copy
of the body, splits pages holding several articles, and forms paragraphs.

Every paragraph's text is ``repair(raw[start:end])`` where the only repairs are:

* ``join-lines``: a line break inside a paragraph, with the spaces around it, becomes one space;
* ``split-glued``: a sentence glued to the previous one (``Thursday.Putin``) starts a new
  paragraph; the glued texts of page dumps run paragraphs together this way.

An article's text is its paragraphs' texts joined by a blank line (``"\\n\\n"``).
"""

from __future__ import annotations

import itertools
import re
import statistics
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import regex

from corpus.errors import CatalogError

PARAGRAPH_SEPARATOR = "\n\n"
_LINE_BREAK = re.compile(r"[ \t\u00a0]*(?:\r\n|\r|\n)[ \t\u00a0\r\n]*")
_WS = " \t\r\n\u00a0\ufeff"
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = ".!?…"
# A sentence end glued to a capitalised next sentence: "Thursday.Putin", "make.”During".
_GLUE = regex.compile(r"(?<=[\p{Ll}\d][.!?])(?P<q>[\"”’»]?)(?=[\"“«]?\p{Lu}(?:\p{Ll}|\s))")
_SENTENCES = regex.compile(r"(?<=[.!?…][\"”’»]?)\s*(?=[\"“«]?\p{Lu})")
_WORD = regex.compile(r"\w+")


def repair(raw_slice: str) -> str:
    """Apply the ``join-lines`` repair: each line break inside a paragraph becomes one space."""
    return _LINE_BREAK.sub(" ", raw_slice)


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


@cache
def load_rules(path: Path) -> Rules:
    """Load and compile the extraction rules.

    Raises:
        CatalogError: If the file is missing, not TOML, lacks a key or has a bad pattern.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path.name}: cannot read the extraction rules: {exc}") from exc

    def compile_(key: str, pattern: object) -> regex.Pattern[str]:
        if not isinstance(pattern, str):
            raise CatalogError(f"{path.name}: {key} must be a string pattern")
        try:
            return regex.compile(pattern)
        except regex.error as exc:
            raise CatalogError(f"{path.name}: {key} = {pattern!r} is not a valid pattern: {exc}") from exc

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


@dataclass(frozen=True)
class Line:
    """One line of a seed with surrounding whitespace stripped; offsets index the seed's text."""

    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Removed:
    """A stretch of a seed that is not article text, with the rule that removed it."""

    line: int
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class PageDate:
    """A date read from a dateline in the page; parts the dateline lacks are ``None``."""

    line: int
    text: str
    year: int | None
    month: int | None
    day: int | None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: ``text == repair(seed_text[start:end])``."""

    start: int
    end: int
    text: str
    kind: str
    repairs: tuple[str, ...]


@dataclass
class Article:
    """One article found in a seed."""

    title: str | None = None
    title_start: int | None = None
    title_end: int | None = None
    alt_title: str | None = None
    author: str | None = None
    lines: list[int] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs)

    @property
    def start(self) -> int:
        return self.paragraphs[0].start

    @property
    def end(self) -> int:
        return self.paragraphs[-1].end


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract` found in one seed."""

    articles: list[Article]
    removed: list[Removed]
    header_date: str | None
    header_url: str | None
    header_line: int | None
    dateline: PageDate | None


def split_lines(text: str) -> list[Line]:
    """Split ``text`` into lines (LF, CRLF or CR), each stripped, with offsets into ``text``."""
    lines = []
    pos = 0
    for number, raw in enumerate(text.splitlines(keepends=True), start=1):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip(_WS))
        stripped = body.strip(_WS)
        start = pos + lead
        lines.append(Line(number, start, start + len(stripped), stripped))
        pos += len(raw)
    return lines


def ends_sentence(text: str) -> bool:
    """Whether a line ends with sentence punctuation (ignoring closing quotes and brackets)."""
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _SENTENCE_END


def is_heading(text: str) -> bool:
    """Whether a line reads as a headline: no sentence or clause punctuation at its end, ≤ 25 words."""
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] not in _SENTENCE_END + ",;:–—-" and len(text.split()) <= 25


def is_subheading(text: str) -> bool:
    """Whether a one-line paragraph is a subheading: ≤ 12 words, a question or no end punctuation."""
    if len(text.split()) > 12:
        return False
    return text.rstrip(_CLOSERS).endswith("?") or is_heading(text)


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def sentences(text: str) -> set[str]:
    """Normalised sentences of ``text`` (≥ 3 words), for comparing copies of a body."""
    out = set()
    for part in _SENTENCES.split(_GLUE.sub(lambda m: m.group("q") + " ", text)):
        norm = _normal(part)
        if len(norm.split()) >= 3:
            out.add(norm)
    return out


def glue_points(text: str) -> list[int]:
    """Positions in ``text`` where a glued sentence starts (see module docstring)."""
    points = []
    for m in _GLUE.finditer(text):
        quote = m.group("q")
        if quote == '"' and text.count('"', 0, m.start()) % 2 == 0:
            points.append(m.start())  # an even count before it: this straight quote opens the next sentence
        else:
            points.append(m.end())
    return points


def _parse_dateline(line: Line, rules: Rules) -> PageDate | None:
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


def _strip_rubrics(text: str, rules: Rules) -> int:
    """Length of the rubric prefix glued in front of a headline (0 if none)."""
    words = text.split(" ")
    cut = 0
    for i, word in enumerate(words[:-1]):
        following = words[i + 1]
        if word in rules.rubrics and following[:1].isupper():
            cut += len(word) + 1
        else:
            break
    return cut


def extract(text: str, rules: Rules, *, site_names: Iterable[str] = ()) -> Extraction:
    """Extract the articles of one seed.

    Args:
        text: The seed's decoded text.
        rules: Compiled rules from ``catalog/rules.toml``.
        site_names: Names of outlets as they appear on their pages (lines equal to one are furniture).

    Returns:
        The articles (possibly none) and every removed line with its kind.
    """
    lines = split_lines(text)
    kinds: dict[int, str] = {}  # index into `lines` -> kind of furniture
    content = [i for i, line in enumerate(lines) if line.text]
    sites = {s for s in site_names if s}
    author: str | None = None
    header_date = header_url = None
    header_line = None

    if content and (m := rules.header.match(lines[content[0]].text)):
        kinds[content[0]] = "header"
        header_date, header_url, header_line = m["date"], m["url"], lines[content[0]].number

    # Sidebars: a run of headline / timestamp pairs; its heading may be glued to a byline.
    stamps = [i for i in content if rules.sidebar_timestamp.match(lines[i].text)]
    if len(stamps) >= 2:
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

    # Photo captions: a separate line just before a credit line, or a line with a caption prefix.
    for i in content:
        if i in kinds:
            continue
        line_text = lines[i].text
        if rules.caption_prefix.match(line_text):
            kinds[i] = "caption"
        elif rules.caption_credit.match(line_text):
            kinds[i] = "photo-credit"
            j = i - 1
            if j >= 0 and lines[j].text and j not in kinds and (j == 0 or not lines[j - 1].text):
                kinds[j] = "caption"

    dateline: PageDate | None = None
    for i in content:
        if i in kinds:
            continue
        line_text = lines[i].text
        if line_text in sites:
            kinds[i] = "site-name"
            continue
        for kind, pattern in rules.boilerplate:
            if pattern.search(line_text):
                kinds[i] = kind
                break
        else:
            parsed = _parse_dateline(lines[i], rules)
            if parsed is not None:
                kinds[i] = "dateline"
                dateline = dateline or parsed

    articles = _articles(lines, [i for i in content if i not in kinds], kinds, rules)
    if articles and author and not articles[-1].author:
        articles[-1].author = author
    for article in articles:
        _dedupe_copies(article, lines, kinds)
        article.paragraphs = _paragraphs(text, lines, article.lines, rules)
    articles = [a for a in articles if a.paragraphs]

    removed = [Removed(lines[i].number, lines[i].start, lines[i].end, kind) for i, kind in sorted(kinds.items())]
    for article in articles:  # a rubric glued before a title is removed too, as its own stretch
        if article.title_start is not None:
            line = next(x for x in lines if x.start <= article.title_start <= x.end)
            if article.title_start > line.start:
                removed.append(Removed(line.number, line.start, article.title_start - 1, "rubric"))
    removed.sort(key=lambda r: (r.start, r.end))
    return Extraction(articles, removed, header_date, header_url, header_line, dateline)


def _new_article(line: Line, rules: Rules) -> Article:
    cut = _strip_rubrics(line.text, rules)
    return Article(title=line.text[cut:], title_start=line.start + cut, title_end=line.end)


def _articles(lines: list[Line], body: list[int], kinds: dict[int, str], rules: Rules) -> list[Article]:
    """Group text lines into articles: titles, alternative titles, bylines and body lines."""
    articles: list[Article] = []
    current: Article | None = None
    gaps = [b - a - 1 for a, b in itertools.pairwise(body)]
    typical_gap = statistics.median(gaps) if gaps else 0

    def is_bullet(text: str) -> bool:
        return text.startswith(rules.bullets)

    for n, i in enumerate(body):
        line = lines[i]
        heading = is_heading(line.text) and not is_bullet(line.text)
        if current is None or not current.lines:
            if heading:
                if current is None:
                    current = _new_article(line, rules)
                    articles.append(current)
                    kinds[i] = "title"
                elif _normal(line.text).endswith(_normal(current.title or "")) and current.title:
                    kinds[i] = "title-repeat"
                elif rules.byline.match(line.text) and current.author is None:
                    current.author = line.text
                    kinds[i] = "byline"
                elif current.alt_title is None:
                    current.alt_title = line.text
                    kinds[i] = "alt-title"
                else:
                    current.lines.append(i)
                continue
            if current is None:
                current = Article()
                articles.append(current)
            current.lines.append(i)
            continue
        if heading and current.title and _normal(line.text) == _normal(current.title):
            kinds[i] = "title-repeat"
            continue
        gap_before = i - body[n - 1] - 1 if n else 0
        nxt = body[n + 1] if n + 1 < len(body) else None
        starts_article = (
            heading
            and not line.text.rstrip(_CLOSERS).endswith("?")
            and len(line.text.split()) >= 4
            and gap_before > typical_gap
            and nxt is not None
            and not is_heading(lines[nxt].text)
        )
        if starts_article:
            current = _new_article(line, rules)
            articles.append(current)
            kinds[i] = "title"
            continue
        current.lines.append(i)
    return articles


def _runs(article: Article, kinds: dict[int, str]) -> list[list[int]]:
    """Body lines split wherever furniture (not blank lines) stands between them."""
    runs: list[list[int]] = []
    for i in article.lines:
        if runs and not any(j in kinds for j in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _dedupe_copies(article: Article, lines: list[Line], kinds: dict[int, str]) -> None:
    """Drop a run of body lines that repeats another run's sentences (a second copy of the body)."""
    runs = _runs(article, kinds)
    sets = [sentences(" ".join(lines[i].text for i in run)) for run in runs]
    dropped: set[int] = set()
    for a in range(len(runs)):
        for b in range(a + 1, len(runs)):
            if a in dropped or b in dropped or not sets[a] or not sets[b]:
                continue
            overlap = len(sets[a] & sets[b]) / min(len(sets[a]), len(sets[b]))
            if overlap >= 0.6:
                # Keep the fuller copy; on a tie the one with more lines (its paragraphs intact).
                key_a, key_b = (len(sets[a]), len(runs[a])), (len(sets[b]), len(runs[b]))
                dropped.add(a if key_a <= key_b else b)
    for r in dropped:
        for i in runs[r]:
            kinds[i] = "duplicate-copy"
    article.lines = [i for i in article.lines if kinds.get(i) != "duplicate-copy"]


def _paragraphs(text: str, lines: list[Line], body: list[int], rules: Rules) -> list[Paragraph]:
    """Form paragraphs from body lines: split glued sentences, join continued lines."""
    # Segments: (start, end, split_glued) raw spans, in order, never crossing a line.
    segments: list[tuple[int, int, bool, int]] = []  # start, end, glued, line index
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
        bounds = [start, *cuts, line.end]
        for s, e in itertools.pairwise(bounds):
            segments.append((s, e, bool(cuts), i))
            kinds[s] = kind
    paragraphs: list[Paragraph] = []
    merged: list[list[tuple[int, int, bool, int]]] = []
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
    for group in merged:
        start, end = group[0][0], group[-1][1]
        raw = text[start:end]
        repairs = []
        if len(group) > 1:
            repairs.append("join-lines")
        if any(g[2] for g in group):
            repairs.append("split-glued")
        body_text = repair(raw)
        kind = kinds[start]
        if kind == "paragraph" and len(group) == 1 and is_subheading(body_text):
            kind = "heading"
        paragraphs.append(Paragraph(start, end, body_text, kind, tuple(repairs)))
    return paragraphs
