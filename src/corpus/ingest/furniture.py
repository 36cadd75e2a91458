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

from corpus.ingest.lines import Line, ends_sentence, normal, sentence_like
from corpus.ingest.rules import Rules

#: A caption longer than this many words is taken for text even next to a credit.
CAPTION_MAX_WORDS = 40
#: A label before a caption, or an alt text, has at most this many words.
LABEL_MAX_WORDS = 6
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
        if _adjacent(lines, i, before) and before not in kinds and len(lines[before].text.split()) <= CAPTION_MAX_WORDS:
            kinds[before] = "caption"
        if _adjacent(lines, i, after) and after not in kinds and not sentence_like(lines[after].text, rules.stopwords):
            kinds[after] = "caption"
    _labels_and_alt_texts(lines, content, kinds, rules)


def _labels_and_alt_texts(lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules) -> None:
    """A short label right before a caption; an alt text followed by a caption that repeats it."""
    seen_text = False
    for i in content:
        text = lines[i].text
        nxt = i + 1
        if i in kinds or not _adjacent(lines, i, nxt):
            seen_text = seen_text or (i not in kinds and sentence_like(text, rules.stopwords))
            continue
        short = len(text.split()) <= LABEL_MAX_WORDS and not ends_sentence(text)
        if short and kinds.get(nxt) == "caption":
            kinds[i] = "caption"
        elif seen_text and nxt not in kinds and not ends_sentence(text) and _repeats_words(text, lines[nxt].text):
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
        if i not in kinds and any(norms[j] != norms[i] and norms[j].startswith(norms[i]) for j in long_lines):
            kinds[i] = "duplicate"
    run_of = _runs(lines, content, kinds)
    size: dict[int, int] = {}
    for run in run_of.values():
        size[run] = size.get(run, 0) + 1
    groups: dict[str, list[int]] = {}
    for i in long_lines:
        groups.setdefault(norms[i], []).append(i)
    for group in groups.values():
        if len(group) < 2:
            continue
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
    core = [i for i in kept if sentence_like(lines[i].text, rules.stopwords)]
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


def strip_labels(lines: list[Line], content: list[int], kinds: dict[int, str], rules: Rules) -> Iterator[tuple[int, Line, int]]:
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
