"""The extraction benchmark (``benchmarks/extraction/``) and its score.

Each page of the benchmark is read the way the build reads a seed: decoded, extracted with the
rules of ``catalog/rules.toml``, and given metadata by :func:`corpus.package.records.documents`
with the catalog's outlets. A benchmark page gets nothing from the catalog but its URL (what
``corpus add --url`` records); the five corpus seeds get their own catalog rows, as in the build.
The score compares what comes out with the hand-checked labels:

* per line: is it furniture? Precision and recall of furniture removal, and recall per kind;
* per article: title, date and its precision, author, language and outlet right; no sentence of
  the body dropped; no furniture left in the text; "fully right" when all of these hold and the
  page splits into the right number of articles.

The pages are split ``dev`` / ``holdout`` by outlet; rules are tuned on ``dev`` only.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from corpus.errors import CorpusError
from corpus.fileio import read_csv_rows
from corpus.ingest.catalog import Catalog, Entry, host_in_domains, load_catalog, registrable_domain
from corpus.ingest.extract import extract
from corpus.ingest.furniture import repeated_lines, repetition_keys
from corpus.ingest.rules import Rules, load_rules
from corpus.ingest.seeds import decode_seed
from corpus.package.records import documents, site_of
from corpus.paths import Layout

#: The article checks, in the order of the score table; "fully right" needs them all.
CHECKS: Final[tuple[str, ...]] = (
    "title",
    "date",
    "author",
    "language",
    "outlet",
    "nothing_dropped",
    "no_furniture_left",
)
SPLITS: Final[tuple[str, ...]] = ("dev", "holdout", "all")
#: Line labels that are part of an article (everything else but ``blank`` is furniture).
ARTICLE_LABELS: Final[frozenset[str]] = frozenset({"title", "alt_title", "byline", "date", "text"})
#: Removed stretches that keep a line in its article (as title, date, byline): not furniture.
KEPT_KINDS: Final[frozenset[str]] = frozenset({"title", "alt-title", "byline", "dateline", "header"})
#: Line notes whose fragment is not article text.
_NOT_TEXT_NOTES = ("header", "glued", "mixed")
_BULLETS = "•·▪"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Note:
    """A fragment of a line that does not carry the line's label (``line_notes.csv``)."""

    line: int
    kind: str
    fragment: str


@dataclass(frozen=True)
class GoldArticle:
    """The expected metadata of one article (a row of ``articles.csv``)."""

    number: int
    values: dict[str, str]


@dataclass
class Page:
    """One benchmark page: its raw text, labels, notes and expected articles."""

    page_id: str
    file: str
    url: str
    split: str
    text: str
    labels: list[tuple[int | None, str]]  # per line: article number, label
    notes: list[Note] = field(default_factory=list)
    articles: list[GoldArticle] = field(default_factory=list)

    @property
    def line_spans(self) -> list[tuple[int, int]]:
        """Start and end offset of every line (``text.split("\\n")``, the benchmark's convention)."""
        spans, pos = [], 0
        for piece in self.text.split("\n"):
            spans.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        if self.text.endswith("\n"):
            spans.pop()
        return spans


def _read_csv(path: Path) -> list[dict[str, str]]:
    return read_csv_rows(path, error=CorpusError, missing="the extraction benchmark is incomplete")


def _labels(path: Path, n_lines: int) -> list[tuple[int | None, str]]:
    rows = path.read_text(encoding="utf-8").split("\n")[1:]
    out = [(int(r.split("\t")[1]) if r.split("\t")[1] else None, r.split("\t")[2]) for r in rows if r]
    if len(out) != n_lines:
        raise CorpusError(f"{path}: {len(out)} labels for {n_lines} lines: the labels no longer match the page")
    return out


def load_benchmark(folder: Path) -> list[Page]:
    """Read the benchmark in ``folder`` (``sources.csv``, ``labels/``, ``articles.csv``, ``line_notes.csv``).

    Raises:
        CorpusError: If a file is missing or the labels do not match their page.
    """
    pages: dict[str, Page] = {}
    root = folder.resolve().parent.parent
    for row in _read_csv(folder / "sources.csv"):
        path = (folder / row["file"]).resolve()
        if not path.is_relative_to(root):  # seeds are named relative to the benchmark: ../../seeds/…
            raise CorpusError(f"sources.csv, page {row['page_id']}: {row['file']!r} points outside the project")
        text = path.read_text(encoding="utf-8")
        page = Page(row["page_id"], path.name, row["url"], row["split"], text, [])
        page.labels = _labels(folder / "labels" / f"{row['page_id']}.tsv", len(page.line_spans))
        pages[row["page_id"]] = page
    for row in _read_csv(folder / "line_notes.csv"):
        pages[row["page_id"]].notes.append(Note(int(row["line"]), row["kind"], row["fragment"]))
    for row in _read_csv(folder / "articles.csv"):
        pages[row["page_id"]].articles.append(GoldArticle(int(row["article"]), row))
    return list(pages.values())


@dataclass(frozen=True)
class Predicted:
    """What the pipeline made of one page: its document rows, paragraph spans and furniture lines."""

    documents: list[dict[str, Any]]
    spans: list[list[tuple[int, int]]]  # per article: its paragraphs' [start, end)
    kept: set[int]  # 1-based numbers of the lines some article keeps (text, title, date, byline …)


def _page_catalog(page: Page, catalog: Catalog, seed_name: str) -> Catalog:
    """The catalog a page is read with: a seed's own rows, or only the page's URL for a benchmark page."""
    if page.page_id.startswith("seed-"):
        return catalog
    values = {"url": page.url} if page.url else {}
    entry = Entry(0, seed_name, None, values, "", reviewed=False)
    return Catalog(catalog.outlets, {seed_name: [entry]})


def _seed_name(page: Page) -> str:
    return page.file if page.page_id.startswith("seed-") else f"{page.page_id}.txt"


def repetitions(pages: list[Page], rules: Rules, catalog: Catalog) -> dict[str, frozenset[str]]:
    """The lines each page shares with other pages of its site, as the build finds them among seeds."""
    keyed = {}
    for page in pages:
        name = _seed_name(page)
        keyed[page.page_id] = (
            site_of(name, page.text, _page_catalog(page, catalog, name), rules),
            repetition_keys(page.text, rules),
        )
    return repeated_lines(keyed)


def predict(page: Page, rules: Rules, catalog: Catalog, repeated: frozenset[str] = frozenset()) -> Predicted:
    """Run the build's extraction and metadata resolution on one page."""
    name = _seed_name(page)
    seed = decode_seed(name, page.text.encode("utf-8"))
    page_catalog = _page_catalog(page, catalog, name)
    found = extract(seed.text, rules, site_names=page_catalog.site_names, repeated=repeated)
    docs = [doc for doc, _ in documents(seed, found, page_catalog)]
    spans = [[(p.start, p.end) for p in article.paragraphs] for article in found.articles]
    kept_spans = [s for article in spans for s in article]
    kept_spans += [
        (a.title_start, a.title_end) for a in found.articles if a.title_start is not None and a.title_end is not None
    ]
    # A header kept alone on its line is the article's date line; a header before the page's first
    # line leaves that line to be judged by what follows it.
    ends = {number: end for number, (_, end) in enumerate(page.line_spans, start=1)}
    kept_spans += [
        (r.start, r.end)
        for r in found.removed
        if r.kind in KEPT_KINDS and (r.kind != "header" or r.end == len(page.text[: ends[r.line]].rstrip()))
    ]
    kept = set()
    for number, (start, end) in enumerate(page.line_spans, start=1):
        if any(s < end and start < e for s, e in kept_spans):
            kept.add(number)
    return Predicted(docs, spans, kept)


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _required_chars(page: Page, number: int) -> set[int]:
    """Offsets of a text line's characters that must be in its article (notes' fragments excepted)."""
    start, end = page.line_spans[number - 1]
    line = page.text[start:end]
    excluded: set[int] = set()
    for note in page.notes:
        if note.line == number and note.kind in (*_NOT_TEXT_NOTES, "dateline") and note.fragment:
            at = line.find(note.fragment)
            excluded.update(range(start + at, start + at + len(note.fragment)))
    return {
        start + i for i, ch in enumerate(line) if not ch.isspace() and ch not in _BULLETS and start + i not in excluded
    }


def _covered(offsets: Iterable[int], spans: list[tuple[int, int]]) -> set[int]:
    return {o for o in offsets if any(s <= o < e for s, e in spans)}


def _furniture_chars(page: Page, number: int) -> set[int]:
    """Offsets of characters that must not be in any article: a furniture line, a mixed fragment."""
    start, end = page.line_spans[number - 1]
    line = page.text[start:end]
    if page.labels[number - 1][1].startswith("furniture:"):
        return {start + i for i, ch in enumerate(line) if not ch.isspace()}
    out: set[int] = set()
    for note in page.notes:
        if note.line == number and note.kind in _NOT_TEXT_NOTES[1:] and note.fragment.strip():
            at = line.find(note.fragment)
            out.update(start + at + i for i, ch in enumerate(note.fragment) if not ch.isspace())
    return out


def _outlet_right(gold: str, doc: dict[str, Any], catalog: Catalog) -> bool:
    """The URL's registrable domain is the expected one, and a matched outlet is the URL's outlet."""
    domain = registrable_domain(doc["url"])
    outlet = catalog.outlets.get(doc["outlet_id"])
    if outlet is not None and domain and not host_in_domains(domain, (outlet.domain, *outlet.other_domains)):
        return False
    return domain == gold


def _body_words_present(gold: dict[str, str], text: str) -> bool:
    squeezed = _SPACE.sub("", text)
    return all(_SPACE.sub("", gold[key]) in squeezed for key in ("first_words", "last_words"))


def score_article(page: Page, gold: GoldArticle, predicted: Predicted, catalog: Catalog) -> dict[str, bool]:
    """The checks of one article (see :data:`CHECKS`), each True when right."""
    index = gold.number - 1
    if index >= len(predicted.documents):
        return dict.fromkeys(CHECKS, False)
    doc, spans, want = predicted.documents[index], predicted.spans[index], gold.values
    needed = set().union(
        *(
            _required_chars(page, n)
            for n, (a, label) in enumerate(page.labels, 1)
            if a == gold.number and label == "text"
        )
    )
    leaked = set().union(*(_furniture_chars(page, n) for n in range(1, len(page.labels) + 1)))
    return {
        "title": _collapse(doc["title"]) == _collapse(want["title"]),
        "date": (doc["date"], doc["date"] and doc["date_precision"])
        == (want["date"], want["date"] and want["date_precision"]),
        "author": _collapse(doc["author"]) == _collapse(want["author"]),
        "language": doc["language"] == want["language"],
        "outlet": _outlet_right(want["outlet_domain"], doc, catalog),
        "nothing_dropped": _covered(needed, spans) == needed and _body_words_present(want, doc["text"]),
        "no_furniture_left": not _covered(leaked, spans),
    }


@dataclass
class PageScore:
    """The score of one page: line counts and the checks of each article."""

    page_id: str
    split: str
    furniture: list[tuple[str, bool]]  # per gold furniture line: kind, removed?
    false_removals: list[int]  # lines of an article that were removed as furniture
    predicted_furniture: int
    articles: list[tuple[int, dict[str, bool], bool]]  # number, checks, split right


def score_page(page: Page, rules: Rules, catalog: Catalog, repeated: frozenset[str] = frozenset()) -> PageScore:
    """Score one page."""
    predicted = predict(page, rules, catalog, repeated)
    spans = page.line_spans
    content = [n for n in range(1, len(spans) + 1) if page.text[slice(*spans[n - 1])].strip()]
    furniture = [
        (page.labels[n - 1][1], n not in predicted.kept)
        for n in content
        if page.labels[n - 1][1].startswith("furniture:")
    ]
    false_removals = [n for n in content if page.labels[n - 1][1] in ARTICLE_LABELS and n not in predicted.kept]
    removed = sum(1 for n in content if n not in predicted.kept)
    split_right = len(predicted.documents) == len(page.articles)
    articles = [(g.number, score_article(page, g, predicted, catalog), split_right) for g in page.articles]
    return PageScore(page.page_id, page.split, furniture, false_removals, removed, articles)


#: Columns of the score table (``benchmarks/extraction/scores.csv``, the ``extraction_quality`` resource).
SCORE_FIELDS: Final[tuple[str, ...]] = ("split", "measure", "right", "total", "share")


def _row(split: str, measure: str, right: int, total: int) -> dict[str, str]:
    share = f"{right / total:.3f}" if total else ""
    return {"split": split, "measure": measure, "right": str(right), "total": str(total), "share": share}


def _split_rows(split: str, scores: list[PageScore]) -> list[dict[str, str]]:
    furniture = [f for s in scores for f in s.furniture]
    removed_right = sum(1 for _, ok in furniture if ok)
    predicted = sum(s.predicted_furniture for s in scores)
    articles = [(checks, split_right) for s in scores for _, checks, split_right in s.articles]
    rows = [
        _row(split, "pages", len(scores), len(scores)),
        _row(split, "articles fully right", sum(all(c.values()) and ok for c, ok in articles), len(articles)),
        *(
            _row(split, f"{check.replace('_', ' ')}", sum(c[check] for c, _ in articles), len(articles))
            for check in CHECKS
        ),
        _row(split, "articles split right", sum(ok for _, ok in articles), len(articles)),
        _row(split, "furniture lines: precision", removed_right, predicted),
        _row(split, "furniture lines: recall", removed_right, len(furniture)),
    ]
    for kind in sorted({k for k, _ in furniture}):
        of_kind = [ok for k, ok in furniture if k == kind]
        rows.append(_row(split, f"recall of {kind}", sum(of_kind), len(of_kind)))
    return rows


def score_table(scores: list[PageScore]) -> list[dict[str, str]]:
    """The score table: every measure for ``dev``, ``holdout`` and all pages together."""
    rows = []
    for split in SPLITS:
        rows.extend(_split_rows(split, [s for s in scores if split in ("all", s.split)]))
    return rows


def score_benchmark(folder: Path, rules: Rules, catalog: Catalog) -> list[PageScore]:
    """Score every page of the benchmark in ``folder``, in the order of ``sources.csv``."""
    pages = load_benchmark(folder)
    repeated = repetitions(pages, rules, catalog)
    return [score_page(page, rules, catalog, repeated.get(page.page_id, frozenset())) for page in pages]


def markdown(rows: list[dict[str, str]]) -> str:
    """The score table as Markdown, one column per split (``right / total = share``)."""
    measures = list(dict.fromkeys(r["measure"] for r in rows))
    cells = {(r["split"], r["measure"]): r for r in rows}
    lines = ["| measure | " + " | ".join(SPLITS) + " |", "| --- |" + " ---: |" * len(SPLITS)]
    for measure in measures:
        out = []
        for split in SPLITS:
            r = cells.get((split, measure))
            if r is None or not r["total"] or r["total"] == "0":
                out.append("")
            elif measure == "pages":
                out.append(r["total"])
            else:
                out.append(f"{float(r['share']) * 100:.1f} % ({r['right']}/{r['total']})")
        lines.append(f"| {measure} | " + " | ".join(out) + " |")
    return "\n".join(lines) + "\n"


def failures(scores: list[PageScore], split: str) -> list[str]:
    """What went wrong, per page of ``split`` (only ``dev`` may be inspected when tuning the rules)."""
    out = []
    for s in scores:
        if s.split != split:
            continue
        missed = [k for k, ok in s.furniture if not ok]
        problems = [
            f"{n}: " + ", ".join(c for c, ok in checks.items() if not ok)
            for n, checks, _ in s.articles
            if not all(checks.values())
        ]
        if missed or s.false_removals or problems:
            out.append(
                f"{s.page_id}: furniture kept {missed}; article lines removed {s.false_removals}; articles {problems}"
            )
    return out


def write_scores(path: Path, rows: list[dict[str, str]]) -> None:
    """Write the score table as CSV (LF, UTF-8), the form that is committed and published."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(SCORE_FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def run_benchmark(layout: Layout, *, write: bool = False, check: bool = False, show_failures: bool = False) -> str:
    """Score the benchmark with the project's rules and outlets; return the Markdown table.

    Args:
        layout: The project.
        write: Write the scores to ``benchmarks/extraction/scores.csv`` (committed, published by the build).
        check: Fail if the committed scores differ from these.
        show_failures: Append what went wrong on the ``dev`` pages (never the holdout's details).

    Raises:
        CorpusError: If the benchmark is incomplete, or ``check`` finds the committed scores out of date.
    """
    rules = load_rules(layout.catalog / "rules.toml")
    catalog = load_catalog(layout.catalog, layout.seeds)
    scores = score_benchmark(layout.benchmark, rules, catalog)
    rows = score_table(scores)
    target = layout.benchmark / "scores.csv"
    if check:
        committed = _read_csv(target) if target.exists() else []
        if committed != rows:
            raise CorpusError(
                "benchmarks/extraction/scores.csv is not what the extraction scores now: run "
                "`corpus extraction --write` (nox -s extraction), then `corpus build`, and commit"
            )
    if write:
        write_scores(target, rows)
    out = markdown(rows)
    if show_failures:
        out += "\nDev pages with a problem:\n" + "\n".join(failures(scores, "dev")) + "\n"
    return out
