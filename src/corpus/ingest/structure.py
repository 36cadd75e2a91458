"""The structure of a page: which text lines are titles, bylines and bodies of which article.

A headline repeated is one headline; a second copy of the body (e.g. a run-together copy in the
page metadata) is dropped in favour of the fuller copy; a standalone headline set apart more
than paragraphs are starts a second article.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

import regex

from corpus.ingest.lines import CLOSERS, Line, ends_mid_clause, is_heading, is_headline, normal
from corpus.ingest.paragraphs import GLUE, PARAGRAPH_SEPARATOR, Paragraph
from corpus.ingest.rules import Rules

_SENTENCES = regex.compile(r"(?<=[.!?…][\"”’»]?)\s*(?=[\"“«]?\p{Lu})")
#: Share of common sentences from which two runs of body lines are copies of one text.
COPY_OVERLAP = 0.6
#: A headline has at least this many words; a shorter heading-like line before it is a section label.
TITLE_MIN_WORDS = 3
#: A line under the headline this short is a photo's label, not a second headline.
CAPTION_LABEL_WORDS = 3
#: A first line set apart as a headline has at most this many words.
SET_APART_WORDS = 15
#: What may stand between a headline and its second headline (a deck): nothing but these.
_BEFORE_DECK = frozenset({"title-repeat", "dateline", "header", "markup", "tag-run", "duplicate", "repeated"})


@dataclass
class Article:
    """One article found in a seed."""

    title: str | None = None
    title_start: int | None = None
    title_end: int | None = None
    alt_title: str | None = None
    author: str | None = None
    head: int | None = None  # index of the headline's line
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


def sentences(text: str) -> set[str]:
    """Normalised sentences of ``text`` (≥ 3 words), for comparing copies of a body."""
    out = set()
    for part in _SENTENCES.split(GLUE.sub(lambda m: m.group("q") + " ", text)):
        norm = normal(part)
        if len(norm.split()) >= 3:
            out.add(norm)
    return out


def strip_rubrics(text: str, rules: Rules) -> int:
    """Length of the rubric prefix glued in front of a headline (0 if none).

    Only before a headline in sentence case ("Россия Москва передала США …"): in a Title Case
    headline ("Russia Expels Deputy …") a rubric cannot be told from the headline's first word.
    """
    words = text.split(" ")
    tail = [w for w in words[1:] if w[:1].isalpha()]
    if tail and sum(w[:1].isupper() for w in tail) >= 0.5 * len(tail):
        return 0
    cut = 0
    for i, word in enumerate(words[:-1]):
        following = words[i + 1]
        if word in rules.rubrics and following[:1].isupper():
            cut += len(word) + 1
        else:
            break
    return cut


def _new_article(line: Line, i: int, rules: Rules) -> Article:
    cut = strip_rubrics(line.text, rules)
    return Article(title=line.text[cut:], title_start=line.start + cut, title_end=line.end, head=i)


def _continues(lines: list[Line], i: int) -> bool:
    """Whether line ``i`` runs on into the next line (a hard-wrapped paragraph, not a headline)."""
    if i + 1 >= len(lines) or not lines[i + 1].text:
        return False
    following = lines[i + 1].text
    return following[:1].islower() or lines[i].text.endswith((",", ";", "–", "—", "-"))


def _head_line(current: Article, lines: list[Line], i: int, kinds: dict[int, str], rules: Rules) -> None:
    """A headline-like line before an article's first body line: a repeat, byline, deck or photo label."""
    line = lines[i]
    between = {kinds.get(j) for j in range(current.head + 1 if current.head is not None else i, i) if lines[j].text}
    if normal(line.text).endswith(normal(current.title or "")) and current.title:
        kinds[i] = "title-repeat"
    elif rules.byline.match(line.text) and current.author is None:
        current.author = line.text
        kinds[i] = "byline"
    elif _continues(lines, i) or ends_mid_clause(line.text, rules.clause_words):
        current.lines.append(i)  # the first line of a hard-wrapped paragraph keeps its text
    elif (
        current.alt_title is None
        and current.author is None
        and between <= _BEFORE_DECK
        and len(line.text.split()) > CAPTION_LABEL_WORDS
    ):
        current.alt_title = line.text
        kinds[i] = "alt-title"
    elif len(line.text.split()) <= CAPTION_LABEL_WORDS:
        kinds[i] = "caption"
    else:
        current.lines.append(i)


def _breadcrumb(lines: list[Line], body: list[int], n: int) -> bool:
    """Whether body line ``n`` ends with the next heading-like line: a breadcrumb or a glued copy of it."""
    if n + 1 >= len(body):
        return False
    line, following = normal(lines[body[n]].text), normal(lines[body[n + 1]].text)
    return bool(following) and line != following and line.endswith(following) and is_headline(lines[body[n + 1]].text)


def _blanks(lines: list[Line], a: int, b: int) -> int:
    """Blank lines right before line ``b`` (back to line ``a``): a caption block between does not count."""
    count = 0
    for j in range(b - 1, a, -1):
        if lines[j].text:
            break
        count += 1
    return count


def _set_apart(lines: list[Line], body: list[int], n: int, typical_gap: float) -> bool:
    """Whether the page's first text line is a headline ending in a full stop: short, set apart from
    the text below it by more blank lines than its paragraphs are, and followed by running text."""
    if n != 0 or len(body) < 2 or len(lines[body[0]].text.split()) > SET_APART_WORDS:
        return False
    return _blanks(lines, body[0], body[1]) > typical_gap and not is_heading(lines[body[1]].text)


def _starts_article(lines: list[Line], body: list[int], n: int, heading: bool, typical_gap: float) -> bool:
    """Whether body line ``n`` is a standalone headline set apart more than paragraphs are."""
    line = lines[body[n]]
    gap_before = _blanks(lines, body[n - 1], body[n]) if n else 0
    following = body[n + 1] if n + 1 < len(body) else None
    return (
        heading
        and not line.text.rstrip(CLOSERS).endswith("?")
        and len(line.text.split()) >= 4
        and gap_before > typical_gap
        and following is not None
        and not is_heading(lines[following].text)
    )


def articles(lines: list[Line], body: list[int], kinds: dict[int, str], rules: Rules) -> list[Article]:
    """Group text lines into articles: titles, alternative titles, bylines and body lines."""
    found: list[Article] = []
    current: Article | None = None
    gaps = [_blanks(lines, a, b) for a, b in itertools.pairwise(body)]
    typical_gap = statistics.median(gaps) if gaps else 0
    for n, i in enumerate(body):
        line = lines[i]
        heading = is_headline(line.text) and not line.text.startswith(rules.bullets)
        if current is None or not current.lines:
            if current is None and len(line.text.split()) < TITLE_MIN_WORDS:
                kinds[i] = "label"  # a section name, kicker or counter above the headline
            elif heading and current is None and _breadcrumb(lines, body, n):
                kinds[i] = "breadcrumb"
            elif current is None and (heading or _set_apart(lines, body, n, typical_gap)):
                current = _new_article(line, i, rules)
                found.append(current)
                kinds[i] = "title"
            elif heading and current is not None:
                _head_line(current, lines, i, kinds, rules)
            else:
                if current is None:
                    current = Article()
                    found.append(current)
                current.lines.append(i)
        elif heading and current.title and normal(line.text) == normal(current.title):
            kinds[i] = "title-repeat"
        elif _starts_article(lines, body, n, heading, typical_gap):
            current = _new_article(line, i, rules)
            found.append(current)
            kinds[i] = "title"
        else:
            current.lines.append(i)
    return found


def _runs(article: Article, kinds: dict[int, str]) -> list[list[int]]:
    """Body lines split wherever furniture (not blank lines) stands between them."""
    runs: list[list[int]] = []
    for i in article.lines:
        if runs and not any(j in kinds for j in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def dedupe_copies(article: Article, lines: list[Line], kinds: dict[int, str]) -> None:
    """Drop a run of body lines that repeats another run's sentences (a second copy of the body)."""
    runs = _runs(article, kinds)
    sets = [sentences(" ".join(lines[i].text for i in run)) for run in runs]
    dropped: set[int] = set()
    for a in range(len(runs)):
        for b in range(a + 1, len(runs)):
            if a in dropped or b in dropped or not sets[a] or not sets[b]:
                continue
            overlap = len(sets[a] & sets[b]) / min(len(sets[a]), len(sets[b]))
            if overlap >= COPY_OVERLAP:
                # Keep the fuller copy; on a tie the one with more lines (its paragraphs intact).
                key_a, key_b = (len(sets[a]), len(runs[a])), (len(sets[b]), len(runs[b]))
                dropped.add(a if key_a <= key_b else b)
    for r in dropped:
        for i in runs[r]:
            kinds[i] = "duplicate-copy"
    article.lines = [i for i in article.lines if kinds.get(i) != "duplicate-copy"]
