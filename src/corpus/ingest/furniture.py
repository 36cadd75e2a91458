"""Page furniture told by where a line stands and what stands next to it, not by its words alone.

* **Captions and credits**: a credit on its own line, a caption whose credit ends its line, the
  line right before a credit (or right after it, when it is no sentence), a short label right
  before a caption, an image's alt text followed by a caption repeating its words.
* **Copies**: a line that repeats another (or is a cut-off copy of it) is a duplicate; of equal
  copies the one inside the longer run of text is kept.
* **After the body**: past the last line of running text, lines that are not running text are
  teasers, menus and prompts; only a cut-off last line right after the body stays text.
* **Labels glued before a paragraph** ("W skrócie …", "Читать на полной версииВ …") are cut off.

Every function takes the page's lines and the ``kinds`` found so far (index → kind) and adds to them.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from corpus.ingest.lines import Line, ends_sentence, is_headline, normal, sentence_like
from corpus.ingest.rules import Rules

#: A caption longer than this many words is taken for text even next to a credit.
CAPTION_MAX_WORDS = 40
#: A label before a caption, or an alt text, has at most this many words.
LABEL_MAX_WORDS = 6
#: A caption repeating an image's alt text is at most this long (a longer line is the lede).
ALT_CAPTION_WORDS = 25
#: A line this long is running text wherever it stops.
LONG_WORDS = 20
#: Copies shorter than this many words are left to the structure (headline repeats).
COPY_MIN_WORDS = 6


def _adjacent(lines: list[Line], i: int, j: int) -> bool:
    """Whether line ``j`` follows or precedes line ``i`` with no blank line between."""
    return 0 <= j < len(lines) and abs(i - j) == 1 and bool(lines[j].text)


def captions(lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules) -> None:
    """Mark photo captions, alt texts and credits."""
    for i in content:
        if i in kinds:
            continue
        text = lines[i].text
        if rules.caption_prefix.match(text):
            kinds[i] = "caption"
        elif rules.caption_credit.match(text) or rules.credit_line.match(text):
            kinds[i] = "photo-credit"
        elif rules.credit_end.search(text) and len(text.split()) <= CAPTION_MAX_WORDS:
            kinds[i] = "caption"
    for i in [i for i in content if kinds.get(i) == "photo-credit"]:
        before, after = i - 1, i + 1
        apart = before == 0 or not lines[before - 1].text  # a caption stands apart from the text above it
        first = bool(content) and before == content[0]  # a page's first line is its headline, not a caption
        short = _adjacent(lines, i, before) and len(lines[before].text.split()) <= CAPTION_MAX_WORDS
        if short and before not in kinds and apart and not first:
            kinds[before] = "caption"
        if _adjacent(lines, i, after) and after not in kinds and not sentence_like(lines[after].text, rules.stopwords):
            kinds[after] = "caption"


def labels_and_alt_texts(lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules) -> None:
    """A short label right before a caption; an alt text followed by a caption that repeats it."""
    seen_text = False
    for i in content:
        text = lines[i].text
        nxt = i + 1
        if i in kinds or not _adjacent(lines, i, nxt):
            seen_text = seen_text or (i not in kinds and sentence_like(text, rules.stopwords))
            continue
        short = len(text.split()) <= LABEL_MAX_WORDS and not ends_sentence(text)
        if short and kinds.get(nxt) == "caption" and not text.endswith(("—", "–", "-", ":", ",")):
            kinds[i] = "caption"
        elif (
            seen_text
            and nxt not in kinds
            and not ends_sentence(text)
            and len(lines[nxt].text.split()) <= ALT_CAPTION_WORDS
            and _repeats_words(text, lines[nxt].text)
        ):
            kinds[i] = kinds[nxt] = "caption"
        seen_text = seen_text or (i not in kinds and sentence_like(text, rules.stopwords))


def _repeats_words(first: str, second: str) -> bool:
    """Whether ``second`` repeats most of the words of ``first`` (an alt text and its caption)."""
    a, b = set(normal(first).split()), set(normal(second).split())
    shared = a & b
    return len(shared) >= 3 and len(shared) >= 0.6 * len(a)


def _runs(lines: list[Line], content: list[int], kinds: dict[int, str]) -> dict[int, int]:
    """Each kept line's run: lines of text with no furniture between them (blank lines allowed)."""
    run_of: dict[int, int] = {}
    run = 0
    for i in content:
        if i in kinds:
            run += 1
        else:
            run_of[i] = run
    return run_of


def copies(lines: list[Line], content: list[int], kinds: dict[int, str]) -> None:
    """Mark lines that repeat another line: a cut-off copy, or an equal copy outside the main run."""
    norms = {i: normal(lines[i].text) for i in content}
    long_lines = [i for i in content if len(norms[i].split()) >= COPY_MIN_WORDS]
    for i in long_lines:
        cut_off = not ends_sentence(lines[i].text) or lines[i].text.endswith(("...", "…"))
        longer = [j for j in long_lines if j not in kinds and norms[j] != norms[i] and norms[j].startswith(norms[i])]
        if i not in kinds and cut_off and longer:
            kinds[i] = "duplicate"
    for i in long_lines:  # a caption printed again without its credit
        if i not in kinds and any(
            kinds.get(j) == "caption" and norms[j] != norms[i] and norms[j].startswith(norms[i]) for j in long_lines
        ):
            kinds[i] = "caption"
    run_of = _runs(lines, content, kinds)
    size: dict[int, int] = {}
    for run in run_of.values():
        size[run] = size.get(run, 0) + 1
    groups: dict[str, list[int]] = {}
    for i in long_lines:
        groups.setdefault(norms[i], []).append(i)
    for group in groups.values():
        if len(group) < 2 or is_headline(lines[group[0]].text):
            continue  # copies of a headline are the structure's to judge (title repeats)
        furniture = [i for i in group if i in kinds]
        if furniture:  # a copy of a caption is a caption
            for i in group:
                kinds.setdefault(i, kinds[furniture[0]])
            continue
        keep = max(group, key=lambda i: (size[run_of[i]], -i))
        for i in group:
            if i != keep:
                kinds[i] = "duplicate"


def after_body(lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules) -> None:
    """Mark the lines after the last line of running text that are not running text (teasers)."""
    kept = [i for i in content if i not in kinds]
    # The body ends with a finished sentence (or a long paragraph), not with a teaser's cut-off lede.
    core = [
        i
        for i in kept
        if sentence_like(lines[i].text, rules.stopwords)
        and (ends_sentence(lines[i].text) or len(lines[i].text.split()) >= LONG_WORDS)
    ]
    if not core:
        return
    furniture_between = False
    for i in content:
        if i <= core[-1]:
            continue
        if i in kinds:
            furniture_between = True
        elif furniture_between or i != content[-1]:
            kinds[i] = "teaser"


def strip_sources(
    lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules
) -> Iterator[tuple[int, Line, int]]:
    """Cut a source credit glued after a paragraph's last sentence; yield (index, old line, length cut)."""
    for i in content:
        if i in kinds:
            continue
        line = lines[i]
        m = rules.source_end.search(line.text)
        if m and m.start() > 0:
            lines[i] = Line(line.number, line.start, line.start + m.start(), line.text[: m.start()])
            yield i, line, m.start()


#: Where a name glued to the following text ends: a lowercase letter then a capitalised word ("onlineVladimir").
_GLUE_JUNCTION = regex.compile(r"(?<=\p{Ll})(?=\p{Lu}\p{Ll})")


def glued_byline(
    lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules
) -> tuple[str, int, Line] | None:
    """A byline glued before a paragraph ("di Redazione onlineVladimir Putin ha …"): cut it off.

    Returns:
        The author, the index of the line and the line before the cut; None if no line has one.
    """
    for i in content:
        if i in kinds:
            continue
        line = lines[i]
        head = line.text[:80]
        junction = _GLUE_JUNCTION.search(head)
        if junction is None:
            continue
        m = rules.byline_prefix.match(head[: junction.start()])
        if m and not m["rest"] and len(m["name"].split()) <= 4 and len(line.text[junction.start() :].split()) >= 3:
            lines[i] = Line(line.number, line.start + junction.start(), line.end, line.text[junction.start() :])
            return m["name"].strip(), i, line
    return None


def strip_labels(
    lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules
) -> Iterator[tuple[int, Line, int]]:
    """Cut a section label or call glued before a paragraph; yield (index, old line, length cut).

    The label is a lexicon phrase of a menu or a call (``nav``, ``promo``) followed by a capital
    letter, with or without a space: ``W skrócie Władimir …``, ``Читать на полной версииВ здании …``.
    """
    phrases = sorted(
        {*rules.lexicon.get("nav", ()), *(start for kind, start in rules.lexicon_starts if kind == "promo")},
        key=len,
        reverse=True,
    )
    for i in content:
        if i in kinds:
            continue
        line = lines[i]
        folded = line.text.casefold()
        for phrase in phrases:
            if not folded.startswith(phrase) or len(phrase) < 4:
                continue
            rest = line.text[len(phrase) :].lstrip(" :")
            if rest[:1].isupper() and len(rest.split()) >= 3:
                cut = len(line.text) - len(rest)
                lines[i] = Line(line.number, line.start + cut, line.end, rest)
                yield i, line, cut
            break


#: A line printed by at least this many pages of one site is that site's furniture.
REPEAT_MIN_PAGES = 2
#: Headline-shaped lines this long are left out of the repetition evidence: one page's headline is
#: another page's teaser, and the headline must stay where it is the headline.
REPEAT_MAX_HEADING_WORDS = 3


def repetition_keys(text: str, rules: Rules) -> set[str]:
    """The lines of one page that may count as repeated furniture, in :func:`normal` form.

    Running text never counts (agencies repeat background sentences in the body of many
    articles), nor do headlines (a headline on its own page is a teaser on others).
    """
    keys = set()
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or sentence_like(stripped, rules.stopwords):
            continue
        if is_headline(stripped) and len(stripped.split()) > REPEAT_MAX_HEADING_WORDS:
            continue
        key = normal(stripped)
        if key:
            keys.add(key)
    return keys


def repeated_lines(pages: dict[str, tuple[str, set[str]]]) -> dict[str, frozenset[str]]:
    """Lines repeated across pages of the same site, per page: ``{page: frozenset(lines)}``.

    Args:
        pages: For each page (e.g. a seed file name), its site (an outlet id or a registrable
            domain; empty when unknown) and its :func:`repetition_keys`.

    Returns:
        For each page of a known site, the keys that at least :data:`REPEAT_MIN_PAGES` pages of
        that site print. The answer depends on the set of pages only, not on their order.
    """
    counts: dict[str, dict[str, int]] = {}
    for site, keys in pages.values():
        if site:
            per_site = counts.setdefault(site, {})
            for key in keys:
                per_site[key] = per_site.get(key, 0) + 1
    out = {}
    for page, (site, keys) in pages.items():
        if site:
            out[page] = frozenset(k for k in keys if counts[site][k] >= REPEAT_MIN_PAGES)
    return out
