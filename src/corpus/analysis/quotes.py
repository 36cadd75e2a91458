"""Who is quoted: speech acts of the selected articles with their speakers, right or silent.

Each document's selected paragraphs, with their published mentions, go through
:func:`corpus.text.speech.speech_acts` (quotations followed across sentences, pronouns and
titles resolved to the actor last named, dash attributions, newspaper names in quotation marks
not taken for speech). An attribution is shown only when its confidence is at least
``min_confidence`` (``medium`` by default: a named speaker, or a resolved reference); every other
act is counted as **speaker unresolved**. How often a shown attribution is right is measured on
the gold quotes and published (``quote_quality``); :func:`attribution_quality` reads it.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

import pandas as pd

from corpus.analysis.select import Selection
from corpus.ingest.languages import check_language
from corpus.text.speech import CONFIDENCES, UNKNOWN, UNRESOLVED, Act, Block, speech_acts

MinConfidence = Literal["high", "medium"]
MIN_CONFIDENCES: Final[tuple[MinConfidence, ...]] = get_args(MinConfidence)
#: Label of the acts whose attribution is not shown.
SPEAKER_UNRESOLVED: Final[str] = "speaker unresolved"

QUOTE_COLUMNS: Final[list[str]] = [
    "doc_id", "paragraph", "group", "language", "kind", "marker", "speaker", "speaker_label", "speaker_text",
    "basis", "confidence", "shown", "text",
]  # fmt: skip


def _label(speaker: str, labels: dict[str, str]) -> str:
    if speaker.startswith("other:"):
        return speaker.removeprefix("other:")
    if speaker == UNKNOWN:
        return "no source named"
    return labels.get(speaker, speaker)


def _shown(act: Act, min_confidence: MinConfidence) -> bool:
    allowed = CONFIDENCES[: CONFIDENCES.index(min_confidence) + 1]
    return act.speaker != UNRESOLVED and act.confidence in allowed


def quotes(selection: Selection, *, min_confidence: MinConfidence = "medium") -> pd.DataFrame:
    """Every speech act of the selected paragraphs, one row each, with its attribution.

    Args:
        selection: The selected text; each document's paragraphs are read in order.
        min_confidence: ``high`` shows only speakers named in the attribution; ``medium`` also
            resolved pronouns, titles and continued quotations.

    Returns:
        Columns of :data:`QUOTE_COLUMNS`; ``speaker_label`` is "speaker unresolved" for acts not
        shown; ``text`` is the act's words (its first segment).
    """
    codebook = selection.tables.codebook
    subgroups = {c.id: c.subgroup for c in codebook.concepts if c.group == "actor"}
    labels = {c.id: c.label for c in codebook.concepts}
    markers = frozenset(codebook.ids(group="frame", subgroup="reported-speech"))
    mentions = {
        key: tuple(zip(m["concept_id"], m["para_start"].astype(int), m["para_end"].astype(int), strict=True))
        for key, m in selection.mentions.groupby(["doc_id", "paragraph"])
    }
    rows = []
    for doc_id, paragraphs in selection.paragraphs.groupby("doc_id", sort=True):
        paragraphs = paragraphs.sort_values("paragraph")
        keys = list(zip(paragraphs["paragraph"].astype(int), paragraphs["group"], paragraphs["language"], strict=True))
        texts = list(paragraphs["text"].astype(str))
        blocks = [
            Block(text, check_language(str(lang)), mentions.get((doc_id, number), ()))
            for (number, _, lang), text in zip(keys, texts, strict=True)
        ]
        for act in speech_acts(blocks, subgroups=subgroups, markers=markers):
            number, group, lang = keys[act.block]
            b, start, end = act.segments[0]
            shown = _shown(act, min_confidence)
            rows.append((
                str(doc_id), int(number), str(group), str(lang), act.kind, act.marker,
                act.speaker if shown else UNRESOLVED, _label(act.speaker, labels) if shown else SPEAKER_UNRESOLVED,
                act.speaker_text, act.basis,
                act.confidence, shown, texts[b][start:end],
            ))  # fmt: skip
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def quote_counts(quoted: pd.DataFrame) -> pd.DataFrame:
    """Who is quoted how often, per group and kind of speech, over how many articles.

    Returns:
        Columns ``group``, ``speaker``, ``speaker_label``, ``direct``, ``reported``, ``total``,
        ``articles``; sorted by group, then total (descending), "speaker unresolved" last.
    """
    columns = ["group", "speaker", "speaker_label", "direct", "reported", "total", "articles"]
    if quoted.empty:
        return pd.DataFrame(columns=columns)
    keys = ["group", "speaker", "speaker_label"]
    table = quoted.groupby([*keys, "kind"]).size().unstack("kind", fill_value=0)
    for kind in ("direct", "reported"):
        if kind not in table.columns:
            table[kind] = 0
    table = table[["direct", "reported"]].reset_index()
    table.columns.name = None
    table["total"] = table["direct"] + table["reported"]
    articles = quoted.groupby(keys)["doc_id"].nunique().rename("articles").reset_index()
    table = table.merge(articles, on=keys)
    table["_last"] = table["speaker"] == UNRESOLVED
    table = table.sort_values(["group", "_last", "total", "speaker_label"], ascending=[True, True, False, True])
    return table[columns].reset_index(drop=True)


def attribution_quality(selection: Selection) -> pd.DataFrame:
    """The published scores of the attribution against the gold quotes (all languages), per split and basis.

    Returns:
        The ``quote_quality`` rows with ``language == "all"``; empty when the package was built
        without the gold.
    """
    table = selection.tables.quote_quality
    return table[table["language"] == "all"].reset_index(drop=True) if not table.empty else table
