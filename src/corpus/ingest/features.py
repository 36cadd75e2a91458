"""Generic features of a page's lines, the evidence the line classifier weighs.

Nothing here names an outlet, a page or a phrase of one page: a feature is a shape of the line
(length, stop words, punctuation, capitals, digits, dates and times, links), a *kind* of the
multilingual lexicon of ``catalog/rules.toml`` (menus, calls, teaser headings, credits), or where
the line stands: before, inside or after the page's **main block** (its longest stretch of running
text), what stands next to it, whether the page or other pages of the same site repeat it.

:func:`page_features` returns one vector per content line, in the order of :data:`FEATURES`; the
model of :mod:`corpus.ingest.linemodel` weighs them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Final

import regex

from corpus.ingest.lines import (
    CLOSERS,
    Line,
    ends_full_stop,
    ends_mid_clause,
    ends_sentence,
    is_headline,
    normal,
    sentence_like,
    words,
)
from corpus.ingest.pagedates import read_date
from corpus.ingest.rules import Rules

#: The lexicon's kinds, each a feature: a longer phrase of that kind occurs in the line (a line that *is*
#: a phrase, or starts with one, is furniture by the rules already).
LEXICON_KINDS: Final[tuple[str, ...]] = ("nav", "promo", "related", "meta", "other")

#: The features, in the order of a vector. Shares and flags lie in [0, 1]; counts are log-scaled.
FEATURES: Final[tuple[str, ...]] = (
    # what the line says and how it reads
    "words_log",
    "chars_log",
    "one_word",
    "short",
    "long",
    "stopword_share",
    "reader_share",
    "sentence_like",
    "headline_shape",
    "ends_sentence",
    "ends_question",
    "ends_colon",
    "ends_open",
    "ends_function_word",
    "sentences",
    "capital_share",
    "starts_lower",
    "all_caps",
    "digit_share",
    "punctuation_share",
    "url",
    "email",
    "handle",
    "date_like",
    "time_like",
    *(f"lexicon_{kind}" for kind in LEXICON_KINDS),
    "credit",
    "byline",
    "header",
    "quoted",
    "starts_quote",
    "bullet",
    "site_name",
    # where it stands
    "before_block",
    "inside_block",
    "after_block",
    "block_distance",
    "position",
    "first_line",
    "last_line",
    "blank_before",
    "blank_after",
    "previous_words_log",
    "next_words_log",
    "previous_sentence_like",
    "next_sentence_like",
    "next_to_credit",
    "previous_furniture",
    "next_furniture",
    "list_after_call",
    "title_candidate",
    "later_heading",
    "before_body",
    "after_not_running",
    "before_heading",
    "inside_not_running",
    "cut_off_last",
    # copies
    "repeated_in_page",
    "earlier_copy",
    "cut_off_copy",
    "copy_of_title",
    "later_copy",
    "like_neighbour",
    "like_title",
    "breadcrumb",
    "repeated_on_site",
)

_SENTENCE_BREAK = regex.compile(r"[.!?…][\"”’»)]?\s+(?=[\"“«(\-–—]?\p{Lu})")
_URL = regex.compile(r"https?://|www\.\w|\b[\w-]+\.(?:com|org|net|ru|ua|de|fr|it|pl|es|info|media|news)\b")
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_HANDLE = regex.compile(r"(?<![\w.])[@#]\w{2,}")
_TIME = regex.compile(r"(?<!\d)\d{1,2}[:.h]\d{2}(?!\d)")
_QUOTES = "\"“”«»„‘’'"
_BULLET = regex.compile(r"^(?:[•·▪◦●■►–—-]\s)")
#: Weights of the main-block search: a line of running text counts its words (up to the cap),
#: any other line costs this many words.
BLOCK_WORD_CAP = 60
BLOCK_LINE_COST = 12
#: A heading-like line with at least this many words may be the page's headline.
TITLE_MIN_WORDS = 3
#: A line this long is running text wherever it stops.
LONG_WORDS = 20
#: Lexicon phrases are looked for in lines up to this many words.
LEXICON_INSIDE_WORDS = 40


@dataclass(frozen=True)
class PageView:
    """What the features of every line of a page need: its lines and where its main block lies."""

    lines: list[Line]
    content: list[int]  # indices of non-blank lines, in page order
    running: list[bool]  # per content line: running text (sentence-like)
    furniture: list[bool]  # per content line: furniture by a rule
    calls: list[bool]  # per content line: a call to other articles or to subscribe (related, promo) by a rule
    block: tuple[int, int]  # first and last position (in ``content``) of the main block
    norms: list[str]  # per content line: its normal form
    body_start: int  # position of the first finished sentence of running text (len(content) if none)


def main_block(lengths: list[int], running: list[bool]) -> tuple[int, int]:
    """The stretch of lines richest in running text (the largest-sum run, Kadane's algorithm).

    A line of running text adds its words (capped); any other line subtracts a fixed cost, so
    a run of short labels, menus or teasers separates two stretches of text.

    Returns:
        First and last position of the stretch; (0, -1) when no line is running text.
    """
    best, best_span = 0.0, (0, -1)
    total, start = 0.0, 0
    for k, (n, is_text) in enumerate(zip(lengths, running, strict=True)):
        if total <= 0:
            total, start = 0.0, k
        total += min(n, BLOCK_WORD_CAP) if is_text else -BLOCK_LINE_COST
        if total > best:
            best, best_span = total, (start, k)
    return best_span


def view(
    lines: list[Line],
    content: list[int],
    rules: Rules,
    decided: frozenset[int] = frozenset(),
    furniture: frozenset[int] = frozenset(),
    calls: frozenset[int] = frozenset(),
) -> PageView:
    """The page as the features see it: its non-blank lines, those in ``decided`` (by a rule: furniture,
    byline, date line) never counted as running text; ``furniture``: the decided lines that are furniture."""
    running = [i not in decided and sentence_like(lines[i].text, rules.stopwords) for i in content]
    lengths = [len(lines[i].text.split()) for i in content]
    start = next((k for k, i in enumerate(content) if running[k] and body_like(lines[i].text)), len(content))
    return PageView(
        lines,
        content,
        running,
        [i in furniture for i in content],
        [i in calls for i in content],
        main_block(lengths, running),
        [normal(lines[i].text) for i in content],
        start,
    )


def body_like(text: str) -> bool:
    """Whether a line of running text reads as the body rather than a long headline: it finishes a
    sentence (not with "?"/"!") or is long."""
    return ends_full_stop(text) or len(text.split()) >= LONG_WORDS


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def _log(n: int) -> float:
    return math.log1p(n) / 5.0


def best_stopword_share(text: str, rules: Rules) -> float:
    """The share of a line's words that are stop words of one language, in its best language."""
    found = words(text)
    if not found:
        return 0.0
    return max(sum(w in stop for w in found) for stop in rules.stopword_sets) / len(found)


def _credit(text: str, rules: Rules) -> bool:
    return bool(
        rules.caption_credit.match(text)
        or rules.credit_line.match(text)
        or rules.caption_prefix.match(text)
        or (rules.credit_end.search(text) and len(text.split()) <= 40)
    )


def line_shape(text: str, rules: Rules, sites: frozenset[str]) -> dict[str, float]:
    """The features of what one line says and how it reads."""
    tokens = text.split()
    n = len(tokens)
    letters = [ch for ch in text if ch.isalpha()]
    alpha_words = [t for t in tokens if t[:1].isalpha()]
    core = text.rstrip(CLOSERS)
    inside = rules.lexicon_kinds_inside(text) if len(tokens) <= LEXICON_INSIDE_WORDS else set()
    date_like = bool(any(ch.isdigit() for ch in text) and read_date(Line(0, 0, len(text), text), rules))
    out = {
        "words_log": _log(n),
        "chars_log": _log(len(text)) * 0.6,
        "one_word": float(n == 1),
        "short": float(n <= 3),
        "long": float(n >= 20),
        "stopword_share": best_stopword_share(text, rules),
        "reader_share": _share(sum(w in rules.reader_words for w in words(text)), len(words(text))) ** 0.5,
        "sentence_like": float(sentence_like(text, rules.stopwords)),
        "headline_shape": float(is_headline(text)),
        "ends_sentence": float(ends_full_stop(text)),
        "ends_question": float(core.endswith(("?", "!"))),
        "ends_colon": float(core.endswith(":")),
        "ends_open": float(core.endswith((",", ";", "–", "—", "-", "|", "/"))),
        "ends_function_word": float(ends_mid_clause(text, rules.clause_words)),
        "sentences": min(len(_SENTENCE_BREAK.findall(text)) + ends_sentence(text), 5) / 5,
        "capital_share": _share(sum(t[0].isupper() for t in alpha_words), len(alpha_words)),
        "starts_lower": float(bool(letters) and text.lstrip(_QUOTES + "([")[:1].islower()),
        "all_caps": float(len(letters) >= 2 and all(ch.isupper() for ch in letters)),
        "digit_share": _share(sum(ch.isdigit() for ch in text), len(text)),
        "punctuation_share": _share(sum(not ch.isalnum() and not ch.isspace() for ch in text), len(text)),
        "url": float(bool(_URL.search(text))),
        "email": float(bool(_EMAIL.search(text))),
        "handle": float(bool(_HANDLE.search(text))),
        "date_like": float(date_like),
        "time_like": float(bool(_TIME.search(text))),
        "credit": float(_credit(text, rules)),
        "byline": float(bool(rules.byline_prefix.match(text)) and n <= 10),
        "quoted": float(any(ch in _QUOTES for ch in text)),
        "starts_quote": float(text[:1] in _QUOTES or text[:1] in "–—"),
        "bullet": float(text.startswith(rules.bullets) or bool(_BULLET.match(text))),
        "site_name": float(text in sites),
    }
    for k in LEXICON_KINDS:
        out[f"lexicon_{k}"] = float(k in inside)
    return out


def _neighbour(page: PageView, k: int, step: int) -> int | None:
    """Position in ``content`` of the previous (``step=-1``) or next content line, if any."""
    j = k + step
    return j if 0 <= j < len(page.content) else None


def _list_item(text: str) -> bool:
    return bool(_BULLET.match(text))


def _list_after_call(page: PageView, k: int) -> bool:
    """Whether line ``k`` is an item of a list right under a call to other articles or to subscribe."""
    if not _list_item(page.lines[page.content[k]].text):
        return False
    j = k - 1
    while j >= 0 and _list_item(page.lines[page.content[j]].text) and not page.calls[j]:
        j -= 1
    return j >= 0 and page.calls[j]


def _blanks(page: PageView, i: int, step: int) -> int:
    count, j = 0, i + step
    while 0 <= j < len(page.lines) and not page.lines[j].text:
        count, j = count + 1, j + step
    return count


def _headings(page: PageView) -> list[int]:
    """Headline-shaped lines of a few words up to the body's first finished sentence: the possible headlines."""
    out = []
    for k in range(min(page.body_start + 1, len(page.content))):
        text = page.lines[page.content[k]].text
        if is_headline(text) and len(text.split()) >= TITLE_MIN_WORDS:
            out.append(k)
    return out


def _position(page: PageView, k: int, shapes: list[dict[str, float]]) -> dict[str, float]:
    first, last = page.block
    i = page.content[k]
    prev, nxt = _neighbour(page, k, -1), _neighbour(page, k, 1)
    before, after = k < first, k > last
    distance = first - k if before else k - last if after else 0
    adjacent = [j for j in (prev, nxt) if j is not None and abs(page.content[j] - i) == 1]
    return {
        "before_block": float(before),
        "inside_block": float(not before and not after),
        "after_block": float(after),
        "block_distance": _log(distance),
        "position": k / max(len(page.content) - 1, 1),
        "first_line": float(k == 0),
        "last_line": float(k == len(page.content) - 1),
        "blank_before": min(_blanks(page, i, -1), 3) / 3,
        "blank_after": min(_blanks(page, i, 1), 3) / 3,
        "previous_words_log": shapes[prev]["words_log"] if prev is not None else 0.0,
        "next_words_log": shapes[nxt]["words_log"] if nxt is not None else 0.0,
        "previous_sentence_like": float(prev is not None and page.running[prev]),
        "next_sentence_like": float(nxt is not None and page.running[nxt]),
        "next_to_credit": float(any(shapes[j]["credit"] for j in adjacent)),
        "previous_furniture": float(prev is not None and page.furniture[prev]),
        "next_furniture": float(nxt is not None and page.furniture[nxt]),
        "list_after_call": float(_list_after_call(page, k)),
        "after_not_running": float(after and not page.running[k]),
        "before_heading": float(before and bool(shapes[k]["headline_shape"])),
        "inside_not_running": float(not before and not after and not page.running[k]),
        "cut_off_last": float(k == len(page.content) - 1 and not before and page.lines[i].text[-1:].isalnum()),
    }


def overlap(a: str, b: str) -> float:
    """Share of the words of ``a`` (three or more) that ``b`` repeats: an alt text and its caption."""
    words_a, words_b = set(a.split()), set(b.split())
    return len(words_a & words_b) / len(words_a) if len(words_a) >= 3 else 0.0


def _copies(
    page: PageView, k: int, counts: Counter[str], title: int | None, repeated: frozenset[str]
) -> dict[str, float]:
    norm = page.norms[k]
    n_words = len(norm.split())
    earlier = norm in page.norms[:k]
    cut_off = n_words >= 4 and any(o != norm and o.startswith(norm) for o in page.norms)
    title_norm = page.norms[title] if title is not None else ""
    later = [o for o in page.norms[k + 1 :] if o]
    return {
        "repeated_in_page": float(bool(norm) and counts[norm] > 1),
        "earlier_copy": float(bool(norm) and earlier),
        "cut_off_copy": float(cut_off),
        "copy_of_title": float(title is not None and k > title and bool(title_norm) and norm.endswith(title_norm)),
        "later_copy": float(n_words >= 2 and any(o == norm or o.endswith(" " + norm) for o in later)),
        "like_neighbour": max(
            (overlap(norm, page.norms[j]) for j in (k - 1, k + 1) if 0 <= j < len(page.norms)), default=0.0
        ),
        "like_title": overlap(norm, title_norm) if title is not None and k != title else 0.0,
        "breadcrumb": float(any(len(o.split()) >= 2 and norm != o and norm.endswith(" " + o) for o in later[:3])),
        "repeated_on_site": float(norm in repeated),
    }


def page_features(
    page: PageView,
    rules: Rules,
    *,
    sites: frozenset[str] = frozenset(),
    repeated: frozenset[str] = frozenset(),
    header: int | None = None,
) -> list[list[float]]:
    """One feature vector per content line of ``page`` (in :data:`FEATURES` order).

    Args:
        page: The page's :func:`view`.
        rules: The extraction rules (lexicon, stop words, credit and byline patterns, dates).
        sites: Outlet names as their pages print them.
        repeated: Lines (normal form) that other pages of the same site print too.
        header: Index of the line that opened with a curator's header (its rest is judged as a line).
    """
    shapes = [line_shape(page.lines[i].text, rules, sites) for i in page.content]
    counts = Counter(page.norms)
    headings = _headings(page)
    title = headings[0] if headings else None
    out = []
    for k in range(len(page.content)):
        values = {**shapes[k], **_position(page, k, shapes), **_copies(page, k, counts, title, repeated)}
        values["header"] = float(page.content[k] == header)
        values["title_candidate"] = float(k == title)
        values["later_heading"] = float(k in headings[1:])
        values["before_body"] = float(k < page.body_start)
        out.append([values[name] for name in FEATURES])
    return out
