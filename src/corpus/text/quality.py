"""How well the codebook finds what the gold annotator coded: precision and recall per concept.

The codebook is applied to every coded line of the gold (:mod:`corpus.text.gold`), each line in
the language the corpus's own detector gives it (as a paragraph of the corpus would be);
whatever it finds inside a left-out fragment (header, dateline, rubric) is ignored.

**Matching.** A predicted mention and a gold mention *agree* when they are on the same line,
of the same concept, and their spans overlap (share at least one code point): spans are the
smallest naming stretch in the gold, and an instrument marking "Russian Foreign Ministry" whole
for ``russian_mfa`` still names the gold's "Foreign Ministry". Precision is the share of
predictions that agree with some gold mention; recall the share of gold mentions that some
prediction agrees with. Both are computed per concept, per group (actor, topic, frame) and
overall, for each split (``dev``: pages the rules were tuned on; ``holdout``: never looked at
while tuning; ``all``) and each article language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from corpus.ingest.langid import detect_many
from corpus.ingest.languages import check_language
from corpus.paths import Layout
from corpus.text.codebook import Codebook, Strictness, find_mentions
from corpus.text.gold import SPLITS, Gold, GoldLine, GoldQuote, load_gold
from corpus.text.speech import Act, Block, speech_acts

#: Columns of the published ``codebook_quality`` table.
QUALITY_COLUMNS: Final[tuple[str, ...]] = (
    "split", "language", "level", "scope", "gold", "found", "predicted", "correct", "precision", "recall",
)  # fmt: skip

ALL: Final[str] = "all"


@dataclass(frozen=True)
class Span:
    """A mention on a gold line: page, line, offsets, concept, text."""

    source: str
    line: int
    start: int
    end: int
    concept_id: str
    text: str

    def agrees(self, other: Span) -> bool:
        """Same line and concept, overlapping spans."""
        return (
            self.source == other.source
            and self.line == other.line
            and self.concept_id == other.concept_id
            and self.start < other.end
            and other.start < self.end
        )


def line_languages(gold: Gold) -> dict[tuple[str, int], str]:
    """The language the corpus's detector gives each coded line (as it would to a paragraph)."""
    languages = detect_many([g.text for g in gold.lines])
    return {(g.source, g.line): lang for g, lang in zip(gold.lines, languages, strict=True)}


def predict_line(codebook: Codebook, line: GoldLine, language: str, *, strictness: Strictness) -> list[Span]:
    """The codebook's mentions on one gold line, minus those in its left-out fragments."""
    found = find_mentions(
        codebook, doc_id=line.source, paragraph=line.line, text=line.text, language=language, offset=0,
        strictness=strictness,
    )  # fmt: skip
    spans = []
    for m in found:
        start, end = int(str(m["para_start"])), int(str(m["para_end"]))
        if not line.inside_left_out(start, end):
            spans.append(Span(line.source, line.line, start, end, str(m["concept_id"]), str(m["text"])))
    return spans


def predict_mentions(
    codebook: Codebook, gold: Gold, languages: dict[tuple[str, int], str], *, strictness: Strictness = "strict"
) -> list[Span]:
    """The codebook's mentions on every coded line of the gold."""
    return [
        span
        for line in gold.lines
        for span in predict_line(codebook, line, languages[(line.source, line.line)], strictness=strictness)
    ]


def gold_spans(gold: Gold) -> list[Span]:
    """The gold mentions as :class:`Span`."""
    return [Span(m.source, m.line, m.start, m.end, m.concept_id, m.text) for m in gold.mentions]


def _by_key(spans: Iterable[Span]) -> dict[tuple[str, int, str], list[Span]]:
    index: dict[tuple[str, int, str], list[Span]] = {}
    for s in spans:
        index.setdefault((s.source, s.line, s.concept_id), []).append(s)
    return index


def agreement(truth: Sequence[Span], predicted: Sequence[Span]) -> tuple[list[bool], list[bool]]:
    """Which gold mentions were found, and which predictions are correct (same order as given)."""
    by_truth, by_predicted = _by_key(truth), _by_key(predicted)
    found = [any(p.agrees(t) for p in by_predicted.get((t.source, t.line, t.concept_id), [])) for t in truth]
    correct = [any(t.agrees(p) for t in by_truth.get((p.source, p.line, p.concept_id), [])) for p in predicted]
    return found, correct


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _scopes(concept_id: str, group_of: dict[str, str]) -> list[tuple[str, str]]:
    return [("concept", concept_id), ("group", group_of[concept_id]), (ALL, ALL)]


def score_mentions(codebook: Codebook, gold: Gold, predicted: Sequence[Span]) -> list[dict[str, object]]:
    """Rows of ``codebook_quality``: precision and recall per split, language and scope.

    Every concept of the codebook has a row for every split and language, even without gold
    mentions there (then recall is empty; precision is empty without predictions).
    """
    truth = gold_spans(gold)
    found, correct = agreement(truth, predicted)
    group_of: dict[str, str] = {c.id: c.group for c in codebook.concepts}
    language_of = {(g.source, g.line): g.language for g in gold.lines}
    split_of = {(g.source, g.line): g.split for g in gold.lines}
    counts: dict[tuple[str, str, str, str], list[int]] = {}
    for spans, flags, slot in ((truth, found, 0), (predicted, correct, 2)):
        for span, flag in zip(spans, flags, strict=True):
            key = (span.source, span.line)
            for split in (split_of[key], ALL):
                for language in (language_of[key], ALL):
                    for level, scope in _scopes(span.concept_id, group_of):
                        cell = counts.setdefault((split, language, level, scope), [0, 0, 0, 0])
                        cell[slot] += 1
                        cell[slot + 1] += int(flag)
    languages = sorted({g.language for g in gold.lines})
    scopes = [("concept", c.id) for c in codebook.concepts]
    scopes += [("group", g) for g in dict.fromkeys(c.group for c in codebook.concepts)] + [(ALL, ALL)]
    rows: list[dict[str, object]] = []
    for split in (*SPLITS, ALL):
        for language in (*languages, ALL):
            for level, scope in scopes:
                n_gold, n_found, n_predicted, n_correct = counts.get((split, language, level, scope), [0, 0, 0, 0])
                rows.append(
                    dict(zip(QUALITY_COLUMNS, (
                        split, language, level, scope, n_gold, n_found, n_predicted, n_correct,
                        _ratio(n_correct, n_predicted), _ratio(n_found, n_gold),
                    ), strict=True))
                )  # fmt: skip
    return rows


# ------------------------------------------------------------------------- speech acts

#: Columns of the published ``quote_quality`` table.
QUOTE_COLUMNS: Final[tuple[str, ...]] = (
    "split", "language", "basis", "gold", "predicted", "shown", "matched", "right_speaker", "right_kind", "right",
    "precision", "recall",
)  # fmt: skip

#: A predicted act's segments on gold lines: (source, line, start, end).
Segment = tuple[str, int, int, int]


@dataclass(frozen=True)
class PredictedAct:
    """A speech act found on the gold lines, with its segments addressed like the gold's."""

    segments: tuple[Segment, ...]
    act: Act


def predict_acts(codebook: Codebook, gold: Gold, languages: dict[tuple[str, int], str]) -> list[PredictedAct]:
    """The speech acts :func:`~corpus.text.speech.speech_acts` finds in every gold article."""
    subgroups = {c.id: c.subgroup for c in codebook.concepts if c.group == "actor"}
    markers = frozenset(codebook.ids(group="frame", subgroup="reported-speech"))
    found = []
    for lines in gold.articles():
        blocks = []
        for line in lines:
            language = check_language(languages[(line.source, line.line)])
            spans = predict_line(codebook, line, language, strictness="strict")
            mentions = tuple((s.concept_id, s.start, s.end) for s in spans)
            blocks.append(Block(line.text, language, mentions))
        for act in speech_acts(blocks, subgroups=subgroups, markers=markers):
            segments = tuple(
                (lines[b].source, lines[b].line, start, end)
                for b, start, end in act.segments
                if not lines[b].inside_left_out(start, end) or end - start > 40
            )
            if segments:
                found.append(PredictedAct(segments, act))
    return found


def _gold_acts(gold: Gold) -> dict[str, list[GoldQuote]]:
    acts: dict[str, list[GoldQuote]] = {}
    for q in gold.quotes:
        acts.setdefault(q.quote_id, []).append(q)
    return acts


def _overlap(a: Segment, b: Segment) -> int:
    if a[:2] != b[:2]:
        return 0
    return max(0, min(a[3], b[3]) - max(a[2], b[2]))


def match_acts(gold: Gold, predicted: Sequence[PredictedAct]) -> dict[int, str]:
    """Predicted act (by index) → the gold act (quote id) it is matched to, one to one.

    Pairs overlap on a line; pairs with the right speaker and kind are matched first, then by
    the size of the overlap.
    """
    acts = _gold_acts(gold)
    pairs = []
    for i, p in enumerate(predicted):
        for quote_id, rows in acts.items():
            overlap = sum(_overlap(ps, (r.source, r.line, r.start, r.end)) for ps in p.segments for r in rows)
            if overlap:
                right = p.act.speaker == rows[0].speaker and p.act.kind == rows[0].kind
                pairs.append((not right, -overlap, i, quote_id))
    matched: dict[int, str] = {}
    taken: set[str] = set()
    for _, _, i, quote_id in sorted(pairs):
        if i not in matched and quote_id not in taken:
            matched[i] = quote_id
            taken.add(quote_id)
    return matched


def score_acts(gold: Gold, predicted: Sequence[PredictedAct]) -> list[dict[str, object]]:
    """Rows of ``quote_quality``: for each split, article language and basis of attribution,
    how many shown attributions have the right speaker and kind (precision) and how many gold
    acts are found with both right (recall; on the ``all`` basis rows only)."""
    acts = _gold_acts(gold)
    matched = match_acts(gold, predicted)
    line_of = {(g.source, g.line): g for g in gold.lines}
    bases = sorted({p.act.basis for p in predicted})
    counts: dict[tuple[str, str, str], list[int]] = {}
    for segments in acts.values():
        g = line_of[(segments[0].source, segments[0].line)]
        for key in _keys(g.split, g.language, ALL):
            counts.setdefault(key, [0] * 7)[0] += 1
    for i, p in enumerate(predicted):
        g = line_of[p.segments[0][:2]]
        truth = acts[matched[i]][0] if i in matched else None
        flags = (
            1, int(p.act.shown), int(p.act.shown and truth is not None),
            int(p.act.shown and truth is not None and truth.speaker == p.act.speaker),
            int(p.act.shown and truth is not None and truth.kind == p.act.kind),
            int(p.act.shown and truth is not None and truth.speaker == p.act.speaker and truth.kind == p.act.kind),
        )  # fmt: skip
        for basis in (p.act.basis, ALL):
            for key in _keys(g.split, g.language, basis):
                cell = counts.setdefault(key, [0] * 7)
                for slot, flag in enumerate(flags, start=1):
                    cell[slot] += flag
    languages = sorted({g.language for g in gold.lines})
    rows: list[dict[str, object]] = []
    for split in (*SPLITS, ALL):
        for language in (*languages, ALL):
            for basis in (ALL, *bases):
                n = counts.get((split, language, basis), [0] * 7)
                recall = _ratio(n[6], counts.get((split, language, ALL), [0])[0]) if basis == ALL else None
                values = (split, language, basis, n[0] if basis == ALL else None, *n[1:], _ratio(n[6], n[2]), recall)
                rows.append(dict(zip(QUOTE_COLUMNS, values, strict=True)))
    return rows


def _keys(split: str, language: str, basis: str) -> list[tuple[str, str, str]]:
    return [(s, lang, basis) for s in (split, ALL) for lang in (language, ALL)]


def _rounded(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Ratios to four decimals, so the published table reads well and is byte-stable."""
    return [{k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()} for row in rows]


def quality_tables(layout: Layout, codebook: Codebook) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Rows of ``codebook_quality`` and ``quote_quality`` for ``codebook``, scored on the gold.

    Both are empty when the project has no ``benchmarks/gold/`` (a generated or partial copy).

    Raises:
        GoldError: If the gold is there but a file is missing or a row is wrong.
    """
    if not (layout.benchmarks / "gold" / "coded.csv").is_file():
        return [], []
    gold = load_gold(layout)
    languages = line_languages(gold)
    mentions = score_mentions(codebook, gold, predict_mentions(codebook, gold, languages))
    acts = score_acts(gold, predict_acts(codebook, gold, languages))
    return _rounded(mentions), _rounded(acts)
