"""Codebook concepts: rates per 1,000 tokens, frame families, sentences, co-occurrence within sentences."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from corpus.analysis.overview import group_sizes
from corpus.analysis.select import Selection
from corpus.analysis.stats import gries_dp, mean_interval
from corpus.analysis.units import Denominator, article_units, concept_counts, size_column
from corpus.ingest.languages import check_language
from corpus.text import nlp
from corpus.text.codebook import Group, Strictness


def concept_rates(selection: Selection, *, concept_group: Group | None = None) -> pd.DataFrame:
    """Concept mentions per 1,000 word tokens, for every group and concept (zeros included).

    Returns:
        Columns ``group``, ``concept_id``, ``label``, ``concept_group``, ``subgroup``,
        ``mentions``, ``tokens``, ``per_1000``.
    """
    codebook = selection.tables.codebook
    concepts = [c for c in codebook.concepts if concept_group is None or c.group == concept_group]
    sizes = group_sizes(selection)
    counts = selection.mentions.groupby(["group", "concept_id"]).size()
    rows = []
    for size in sizes.itertuples(index=False):
        for c in concepts:
            n = int(counts.get((str(size.group), c.id), 0))
            tokens = int(str(size.tokens))
            per_1000 = 1000 * n / tokens if tokens else 0.0
            rows.append((str(size.group), c.id, c.label, c.group, c.subgroup, n, tokens, per_1000))
    columns = ["group", "concept_id", "label", "concept_group", "subgroup"]
    return pd.DataFrame(rows, columns=[*columns, "mentions", "tokens", "per_1000"])


def frame_rates(selection: Selection) -> pd.DataFrame:
    """Frame mentions per 1,000 tokens by frame family (cooperation, confrontation, ...).

    Returns:
        Columns ``group``, ``subgroup``, ``mentions``, ``tokens``, ``per_1000``.
    """
    rates = concept_rates(selection, concept_group="frame")
    frame = rates.groupby(["group", "subgroup"], as_index=False).agg(
        mentions=("mentions", "sum"), tokens=("tokens", "first")
    )
    frame["per_1000"] = [1000 * m / t if t else 0.0 for m, t in zip(frame["mentions"], frame["tokens"], strict=True)]
    return frame


def sentence_table(selection: Selection) -> pd.DataFrame:
    """Every sentence of the selected paragraphs with its position.

    Returns:
        Columns ``doc_id``, ``paragraph``, ``sentence`` (1-based within the paragraph),
        ``group``, ``language``, ``start``, ``end`` (within the paragraph text), ``text``.
    """
    rows = []
    for p in selection.paragraphs.itertuples(index=False):
        lang = check_language(str(p.language))
        for number, s in enumerate(nlp.sentences(str(p.text), lang), start=1):
            key = (str(p.doc_id), int(str(p.paragraph)), number, str(p.group), lang)
            rows.append((*key, s["start"], s["end"], s["text"]))
    columns = ["doc_id", "paragraph", "sentence", "group", "language", "start", "end", "text"]
    return pd.DataFrame(rows, columns=columns)


def mentions_by_sentence(
    selection: Selection, sentences: pd.DataFrame
) -> dict[tuple[str, int, int], list[tuple[str, int, int, str]]]:
    """(doc, paragraph, sentence) -> [(concept_id, para_start, para_end, text)]."""
    spans: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
    for s in sentences.itertuples(index=False):
        key = (str(s.doc_id), int(str(s.paragraph)))
        spans.setdefault(key, []).append((int(str(s.start)), int(str(s.end)), int(str(s.sentence))))
    result: dict[tuple[str, int, int], list[tuple[str, int, int, str]]] = {}
    for m in selection.mentions.itertuples(index=False):
        key = (str(m.doc_id), int(str(m.paragraph)))
        pos = int(str(m.para_start))
        for start, end, number in spans.get(key, []):
            if start <= pos < end:
                result.setdefault((*key, number), []).append(
                    (str(m.concept_id), pos, int(str(m.para_end)), str(m.text))
                )
                break
    return result


def cooccurrence(selection: Selection, *, concept_group: Group | None = None, min_count: int = 1) -> pd.DataFrame:
    """How many sentences mention both of two concepts.

    Returns:
        Columns ``concept_a``, ``concept_b`` (ids, a < b), ``label_a``, ``label_b``,
        ``sentences``; sorted by count (descending) then ids.
    """
    by_id = selection.tables.codebook.by_id
    allowed = {c.id for c in by_id.values() if concept_group is None or c.group == concept_group}
    pairs: Counter[tuple[str, str]] = Counter()
    sentences = sentence_table(selection)
    for found in mentions_by_sentence(selection, sentences).values():
        ids = sorted({f[0] for f in found} & allowed)
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    rows = [(a, b, by_id[a].label, by_id[b].label, n) for (a, b), n in pairs.items() if n >= min_count]
    frame = pd.DataFrame(rows, columns=["concept_a", "concept_b", "label_a", "label_b", "sentences"])
    return frame.sort_values(["sentences", "concept_a", "concept_b"], ascending=[False, True, True], ignore_index=True)


def article_rates(
    selection: Selection,
    *,
    concept_group: Group | None = None,
    denominator: Denominator = "content",
    strictness: Strictness = "strict",
) -> pd.DataFrame:
    """Concept rates with the article as the unit: per group, the mean of the articles' rates.

    Each article's rate is its mentions per 1,000 tokens of ``denominator``; the group's rate is
    the mean over its articles (every article weighs the same, however long), with a 95 %
    bootstrap interval over articles and Gries' DP_norm (0: spread as the articles' sizes; near
    1: crowded into one article).

    Returns:
        Columns ``group``, ``concept_id``, ``label``, ``concept_group``, ``subgroup``,
        ``articles``, ``articles_mentioning``, ``mentions``, ``mean_rate``, ``rate_low``,
        ``rate_high``, ``dp_norm``; every group and concept, zeros included.
    """
    codebook = selection.tables.codebook
    concepts = [c for c in codebook.concepts if concept_group is None or c.group == concept_group]
    units = article_units(selection)
    counts = concept_counts(selection, strictness=strictness).set_index(["doc_id", "group", "item"])["count"]
    size = size_column(denominator)
    rows = []
    for group, part in units.groupby("group", sort=True):
        sizes = list(part[size])
        for c in concepts:
            found = [int(counts.get((d, group, c.id), 0)) for d in part["doc_id"]]
            rates = [1000 * n / s if s else 0.0 for n, s in zip(found, sizes, strict=True)]
            low, high = mean_interval(rates)
            rows.append((
                str(group), c.id, c.label, c.group, c.subgroup, len(part), sum(1 for n in found if n), sum(found),
                sum(rates) / len(rates) if rates else 0.0, low, high, gries_dp(found, sizes)[1],
            ))  # fmt: skip
    columns = ["group", "concept_id", "label", "concept_group", "subgroup", "articles", "articles_mentioning"]
    return pd.DataFrame(rows, columns=[*columns, "mentions", "mean_rate", "rate_low", "rate_high", "dp_norm"])
