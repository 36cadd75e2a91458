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

from corpus.errors import CatalogError
from corpus.ingest.features import FEATURES, body_like, page_features, view
from corpus.ingest.furniture import (
    CAPTION_MAX_WORDS,
    after_body,
    captions,
    copies,
    glued_byline,
    labels_and_alt_texts,
    strip_labels,
    strip_sources,
)
from corpus.ingest.linemodel import LineModel
from corpus.ingest.lines import Line, ends_full_stop, normal, sentence_like, split_lines
from corpus.ingest.pagedates import PageDate, read_date
from corpus.ingest.paragraphs import paragraphs
from corpus.ingest.rules import Rules
from corpus.ingest.structure import Article, articles, dedupe_copies

__all__ = [
    "CLASSIFIER_PREFIX",
    "JUDGEMENT_KINDS",
    "Extraction",
    "PageDate",
    "Removed",
    "extract",
    "is_judgement",
    "parse_dateline",
]

#: The classifier "leans" to furniture from this probability: below its threshold such a line stays
#: text, unless where it stands makes it a label above the headline or a teaser after the body.
LEANING = 0.5
#: The title model must rate a line at least this likely to make it the headline.
TITLE_PROBABILITY = 0.5
#: Of the lines the title model rates within this margin of the best, the first is the headline.
TITLE_MARGIN = 0.15
_BEFORE_BODY = FEATURES.index("before_body")
#: Removed stretches decided by where a line stands rather than by a pattern or word of the rules:
#: the decisions a curator should look at first (``corpus status`` lists them).
JUDGEMENT_KINDS = frozenset({"teaser", "label", "breadcrumb", "repeated", "duplicate", "caption", "alt-title"})
#: Lines the classifier removed are recorded as ``classifier:<kind>`` (``classifier:promo`` …).
CLASSIFIER_PREFIX = "classifier:"


def is_judgement(kind: str) -> bool:
    """Whether a removed stretch's kind is a judgement (position, neighbourhood or the classifier)."""
    return kind in JUDGEMENT_KINDS or kind.startswith(CLASSIFIER_PREFIX)


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


def _rule_kind(line: Line, rules: Rules, sites: set[str]) -> str | None:
    """The furniture kind a general rule gives one line: site name, machine residue, credit, caption."""
    if line.text in sites:
        return "site-name"
    if _byline(line, rules) is not None:
        return None  # "by charles" is a byline, not a lowercase tag
    for kind, pattern in rules.boilerplate:
        if pattern.search(line.text):
            return kind
    if (word := rules.lexicon_kind(line.text)) is not None:
        return word
    if rules.caption_prefix.match(line.text):
        return "caption"
    if rules.caption_credit.match(line.text) or rules.credit_line.match(line.text):
        return "photo-credit"
    if rules.credit_end.search(line.text) and len(line.text.split()) <= CAPTION_MAX_WORDS:
        return "caption"
    return None


def _split_byline(lines: list[Line], i: int, rules: Rules) -> tuple[str, PageDate | None] | None:
    """A byline split over two lines: a label ending in ":" ("- Автор:"), the name on the next line."""
    text = lines[i].text.rstrip()
    if not text.endswith(":") or len(text.split()) > 2 or i + 1 >= len(lines) or not lines[i + 1].text:
        return None
    name = lines[i + 1].text.lstrip("-•· ").strip()
    if not rules.byline.match(name):
        return None
    return _byline(Line(lines[i].number, lines[i].start, lines[i].end, f"{text} {name}"), rules)


def _bylines_and_dates(
    lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules
) -> tuple[PageDate | None, str | None]:
    """Mark bylines and date lines; return the page's first date line and a byline's author."""
    dateline: PageDate | None = None
    author: str | None = None
    for i in content:
        if i in kinds:
            continue
        byline = _byline(lines[i], rules)
        split = _split_byline(lines, i, rules) if byline is None and author is None else None
        if split is not None:
            byline = split
            kinds[i + 1] = "byline"
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


@dataclass
class Prepared:
    """A page before the classifier: its lines, what the general rules decided, the features of the rest."""

    lines: list[Line]
    content: list[int]  # indices of the non-blank lines
    kinds: dict[int, str]  # index -> kind, decided by a rule
    extra: list[Removed]  # stretches removed from a line whose rest is kept
    header: tuple[str | None, str | None, int | None]  # date, URL, line number
    dateline: PageDate | None  # the page's first date line
    authors: tuple[str | None, str | None]  # of the first byline, and of a byline glued to a sidebar
    judged: list[int]  # indices of the lines the classifier judges
    vectors: list[list[float]]  # their features, in the order of ``judged``
    after_block: dict[int, bool]  # per judged line: past the page's main block of running text


def prepare(
    text: str, rules: Rules, *, site_names: Iterable[str] = (), repeated: frozenset[str] = frozenset()
) -> Prepared:
    """Split a seed into lines, apply the general rules and compute the features of the other lines."""
    lines = split_lines(text)
    kinds: dict[int, str] = {}
    content = [i for i, line in enumerate(lines) if line.text]
    extra: list[Removed] = []
    header: tuple[str | None, str | None, int | None] = (None, None, None)
    header_index = None
    if content and (m := rules.header.match(lines[content[0]].text)):
        first = lines[content[0]]
        header, header_index = (m["date"], m["url"], first.number), content[0]
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
    sites = {s for s in site_names if s}
    for i in content:
        if i not in kinds and (kind := _rule_kind(lines[i], rules, sites)) is not None:
            kinds[i] = kind
        elif i not in kinds and normal(lines[i].text) in repeated:
            kinds[i] = "repeated"
    dateline, byline_author = _bylines_and_dates(lines, content, kinds, rules)
    labels_and_alt_texts(lines, content, kinds, rules)
    copies(lines, content, kinds)
    furniture = frozenset(i for i, k in kinds.items() if k not in ("byline", "dateline", "header"))
    calls = frozenset(i for i, k in kinds.items() if k in ("related", "promo"))
    page = view(lines, content, rules, frozenset(kinds), furniture, calls)
    vectors = page_features(page, rules, sites=frozenset(sites), repeated=repeated, header=header_index)
    judged = [k for k, i in enumerate(content) if i not in kinds]
    return Prepared(
        lines,
        content,
        kinds,
        extra,
        header,
        dateline,
        (byline_author, sidebar_author),
        [content[k] for k in judged],
        [vectors[k] for k in judged],
        {content[k]: k > page.block[1] for k in judged},
    )


def classify(prepared: Prepared, model: LineModel, rules: Rules) -> dict[int, float]:
    """Mark the lines the classifier takes for furniture (never a likely headline, nor a name under it:
    the structure judges those); return every judged line's probability of being furniture."""
    if model.features != FEATURES:
        raise CatalogError(
            "catalog/line_model.json was fitted on other features than the extraction computes: "
            "retrain it with `corpus train` (nox -s train)"
        )
    probabilities = {}
    for i, x in zip(prepared.judged, prepared.vectors, strict=True):
        p = probabilities[i] = model.probability(x)
        byline = rules.byline.match(prepared.lines[i].text) and x[_BEFORE_BODY] > 0
        if p >= model.threshold and model.title_probability(x) < TITLE_PROBABILITY and not byline:
            prepared.kinds[i] = f"{CLASSIFIER_PREFIX}{model.kind(x)}"
    return probabilities


def _teasers(prepared: Prepared, leaning: frozenset[int], rules: Rules) -> None:
    """Past the main block and its last running text, lines that are not running text and that the
    classifier leans to are teasers;
    a cut-off last line of the page that follows the body's text directly stays text."""
    lines, kinds, content = prepared.lines, prepared.kinds, prepared.content
    last = content[-1] if content else None
    running = [
        i
        for i in content
        if i not in kinds and (sentence_like(lines[i].text, rules.stopwords) or ends_full_stop(lines[i].text))
    ]
    for i in sorted(leaning):
        if not prepared.after_block[i] or sentence_like(lines[i].text, rules.stopwords):
            continue
        if running and i < running[-1]:
            continue  # running text follows: a subheading of the body, not a teaser
        previous = max((j for j in content if j < i), default=None)
        cut_off = i == last and lines[i].text[-1:].isalnum() and previous is not None and previous not in kinds
        if not cut_off:
            kinds[i] = "teaser"


def choose_title(prepared: Prepared, model: LineModel, rules: Rules) -> int | None:
    """The headline: of the lines left before the first finished sentence of the body, the one the
    title model rates highest, if it rates it at least :data:`TITLE_PROBABILITY` (else no headline)."""
    candidates = []
    left = [i for i in prepared.judged if i not in prepared.kinds]
    for i, x in zip(prepared.judged, prepared.vectors, strict=True):
        if i in prepared.kinds:
            continue
        p = model.title_probability(x)
        text = prepared.lines[i].text
        following = next((normal(prepared.lines[j].text) for j in left if j > i), "")
        # a caption ending with its credit, or a breadcrumb ending with the headline, is no headline
        caption = rules.credit_end.search(text) is not None
        crumb = bool(following) and normal(text) != following and normal(text).endswith(following)
        if p >= TITLE_PROBABILITY and not caption and not crumb:
            candidates.append((i, p))
        elif sentence_like(prepared.lines[i].text, rules.stopwords) and body_like(prepared.lines[i].text):
            break  # the body has begun
    if not candidates:
        return None
    best = max(p for _, p in candidates)
    return next(i for i, p in candidates if p >= best - TITLE_MARGIN)  # a headline comes before its deck


def _title_repeats(lines: list[Line], kinds: dict[int, str], found: list[Article]) -> None:
    """A line the classifier removed that repeats an article's headline is named a repeat of it."""
    titles = {normal(a.title) for a in found if a.title}
    for i, kind in kinds.items():
        if kind.startswith(CLASSIFIER_PREFIX) and normal(lines[i].text) in titles:
            kinds[i] = "title-repeat"


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
        rules: Compiled rules from ``catalog/rules.toml``, with the line model they name.
        site_names: Names of outlets as they appear on their pages (lines equal to one are furniture).
        repeated: Lines (in :func:`~corpus.ingest.lines.normal` form) that other pages of the same
            site print too: page furniture, since articles do not repeat.

    Returns:
        The articles (possibly none) and every removed line with its kind.
    """
    prepared = prepare(text, rules, site_names=site_names, repeated=repeated)
    lines, content, kinds, extra = prepared.lines, prepared.content, prepared.kinds, prepared.extra
    probabilities = classify(prepared, rules.model, rules) if rules.model is not None else {}
    leaning = frozenset(i for i, p in probabilities.items() if p >= LEANING and i not in kinds)
    _teasers(prepared, leaning, rules)
    after_body(lines, content, kinds, rules)
    byline_author, sidebar_author = prepared.authors
    for _, line, cut in strip_labels(lines, content, kinds, rules):
        extra.append(Removed(line.number, line.start, line.start + cut, "label"))
    for _, line, keep in strip_sources(lines, content, kinds, rules):
        extra.append(Removed(line.number, line.start + keep, line.end, "source"))
    if byline_author is None and (glued := glued_byline(lines, content, kinds, rules)) is not None:
        byline_author, index, old = glued
        extra.append(Removed(old.number, old.start, lines[index].start, "byline"))
    title = choose_title(prepared, rules.model, rules) if rules.model is not None else None
    found = articles(lines, [i for i in content if i not in kinds], kinds, rules, title=title, leaning=leaning)
    _title_repeats(lines, kinds, found)
    author = byline_author or sidebar_author
    if found and author and not found[0 if byline_author else -1].author:
        found[0 if byline_author else -1].author = author
    for article in found:
        dedupe_copies(article, lines, kinds)
        article.paragraphs = paragraphs(text, lines, article.lines, rules)
    found = [a for a in found if a.paragraphs]
    removed = sorted([*_removed(lines, kinds, found), *extra], key=lambda r: (r.start, r.end))
    header_date, header_url, header_line = prepared.header
    return Extraction(found, removed, header_date, header_url, header_line, prepared.dateline)
