"""VADER tone of English sentences, reported beside the frame families found in them."""

from __future__ import annotations

from typing import Final

import pandas as pd

from corpus.analysis.concepts import mentions_by_sentence, sentence_table
from corpus.analysis.select import Selection
from corpus.text import nlp

TONE_COLUMNS: Final[list[str]] = [
    "doc_id", "paragraph", "sentence", "group", "compound", "pos", "neu", "neg", "frames",
]  # fmt: skip


def tone(selection: Selection) -> pd.DataFrame:
    """VADER tone of every English sentence, beside the frame families found in it.

    VADER is an English lexicon, so Russian and Ukrainian sentences are not scored (no
    machine translation). ``frames`` lists the codebook frame families in the sentence
    (``;``-separated, sorted) or ``none``.

    Returns:
        Columns of :data:`TONE_COLUMNS`.
    """
    codebook = selection.tables.codebook
    sentences = sentence_table(selection)
    sentences = sentences[sentences["language"] == "en"]
    mentions = mentions_by_sentence(selection, sentences)
    rows = []
    for s in sentences.itertuples(index=False):
        key = (str(s.doc_id), int(str(s.paragraph)), int(str(s.sentence)))
        families = sorted(
            {
                codebook.by_id[f[0]].subgroup
                for f in mentions.get(key, [])
                if f[0] in codebook.by_id
                and codebook.by_id[f[0]].group == "frame"
                and codebook.by_id[f[0]].subgroup != "reported-speech"
            }
        )
        scores = nlp.tone(str(s.text))
        frames = ";".join(families) or "none"
        values = (scores["compound"], scores["pos"], scores["neu"], scores["neg"])
        rows.append((*key, str(s.group), *values, frames))
    return pd.DataFrame(rows, columns=TONE_COLUMNS)


def tone_by_frame(scored: pd.DataFrame) -> pd.DataFrame:
    """Mean and median VADER compound score of sentences by group and frame family.

    A sentence with two families counts under each.

    Returns:
        Columns ``group``, ``frame``, ``sentences``, ``mean_compound``, ``median_compound``.
    """
    columns = ["group", "frame", "sentences", "mean_compound", "median_compound"]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    exploded = scored.assign(frame=scored["frames"].str.split(";")).explode("frame")
    table = exploded.groupby(["group", "frame"], as_index=False).agg(
        sentences=("compound", "size"),
        mean_compound=("compound", "mean"),
        median_compound=("compound", "median"),
    )
    return table[columns].sort_values(["group", "frame"], ignore_index=True)
