"""VADER tone of English sentences beside the frame families found in them, without circularity.

The codebook's frame markers are often VADER lexicon entries themselves ("restore", "improve",
"blamed", "undermined"): a sentence counted as cooperation because it says "restore" is scored
positive *because* it says "restore". So every sentence gets two scores: ``compound`` (VADER on
the sentence as written) and ``compound_unmarked`` (VADER on the sentence with every frame marker
of the codebook blanked out). Tone by frame is summarised per **article** (the mean score of an
article's sentences carrying that frame), with a bootstrap interval over articles, and the
cooperation–confrontation contrast is tested over the articles having both (sign-flip test).
VADER is an English lexicon: Russian and Ukrainian sentences are not scored (no translation).
"""

from __future__ import annotations

import math
from typing import Final, Literal

import pandas as pd

from corpus.analysis.concepts import mentions_by_sentence, sentence_table
from corpus.analysis.select import Selection
from corpus.analysis.stats import mean_interval, paired_test
from corpus.text import nlp

Score = Literal["compound", "compound_unmarked"]

TONE_COLUMNS: Final[list[str]] = [
    "doc_id", "paragraph", "sentence", "group", "compound", "compound_unmarked", "frames", "text",
]  # fmt: skip


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def tone(selection: Selection) -> pd.DataFrame:
    """VADER tone of every English sentence, as written and with the frame markers blanked out.

    ``frames`` lists the frame families in the sentence (``;``-separated, sorted; reported
    speech is not a family here) or ``none``.

    Returns:
        Columns of :data:`TONE_COLUMNS`.
    """
    codebook = selection.tables.codebook
    frames = {c.id: c.subgroup for c in codebook.concepts if c.group == "frame"}
    sentences = sentence_table(selection)
    sentences = sentences[sentences["language"] == "en"]
    mentions = mentions_by_sentence(selection, sentences)
    rows = []
    for s in sentences.itertuples(index=False):
        key = (str(s.doc_id), int(str(s.paragraph)), int(str(s.sentence)))
        found = [m for m in mentions.get(key, []) if m[0] in frames]
        families = sorted({frames[m[0]] for m in found if frames[m[0]] != "reported-speech"})
        base = int(str(s.start))
        unmarked = _blank(str(s.text), [(a - base, b - base) for _, a, b, _ in found])
        values = (nlp.tone(str(s.text))["compound"], nlp.tone(unmarked)["compound"])
        rows.append((*key, str(s.group), *values, ";".join(families) or "none", str(s.text)))
    return pd.DataFrame(rows, columns=TONE_COLUMNS)


def article_tone(scored: pd.DataFrame, *, score: Score = "compound_unmarked") -> pd.DataFrame:
    """The mean tone of each article's sentences per frame family (a sentence with two families counts in both).

    Returns:
        Columns ``doc_id``, ``group``, ``frame``, ``sentences``, ``tone``.
    """
    columns = ["doc_id", "group", "frame", "sentences", "tone"]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    exploded = scored.assign(frame=scored["frames"].str.split(";")).explode("frame")
    table = exploded.groupby(["doc_id", "group", "frame"], as_index=False).agg(
        sentences=(score, "size"), tone=(score, "mean")
    )
    return table[columns]


def tone_by_frame(scored: pd.DataFrame) -> pd.DataFrame:
    """Tone per group and frame family, averaged over articles, both scores, with 95 % intervals over articles.

    Returns:
        Columns ``group``, ``frame``, ``articles``, ``sentences``, ``tone``, ``tone_low``,
        ``tone_high`` (frame markers blanked out) and ``tone_with_markers`` (as written).
    """
    columns = ["group", "frame", "articles", "sentences", "tone", "tone_low", "tone_high", "tone_with_markers"]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    unmarked, marked = article_tone(scored), article_tone(scored, score="compound")
    rows = []
    for (group, frame), part in unmarked.groupby(["group", "frame"]):
        with_markers = marked[(marked["group"] == group) & (marked["frame"] == frame)]["tone"]
        low, high = mean_interval(list(part["tone"]))
        rows.append((group, frame, len(part), int(part["sentences"].sum()), float(part["tone"].mean()), low, high,
                     float(with_markers.mean())))  # fmt: skip
    return pd.DataFrame(rows, columns=columns).sort_values(["group", "frame"], ignore_index=True)


def frame_contrast(
    scored: pd.DataFrame,
    *,
    first: str = "cooperation",
    second: str = "confrontation",
    score: Score = "compound_unmarked",
) -> dict[str, object]:
    """Tone of ``first``-frame sentences minus ``second``-frame sentences, paired within articles.

    Only articles with sentences of both families count; the test is a sign-flip permutation
    over them, the interval a bootstrap over them.

    Returns:
        ``articles``, ``difference`` (mean over articles), ``low``, ``high``, ``p_value``,
        ``test``; NaN values when no article has both.
    """
    per = article_tone(scored, score=score)
    a = per[per["frame"] == first].set_index("doc_id")["tone"]
    b = per[per["frame"] == second].set_index("doc_id")["tone"]
    both = sorted(set(a.index) & set(b.index))
    result: dict[str, object] = {"articles": len(both), "difference": math.nan, "low": math.nan, "high": math.nan,
                                 "p_value": math.nan, "test": ""}  # fmt: skip
    if both:
        x, y = [float(a[d]) for d in both], [float(b[d]) for d in both]
        test = paired_test(x, y)
        low, high = mean_interval([p - q for p, q in zip(x, y, strict=True)])
        result.update(difference=test.observed, low=low, high=high, p_value=test.p_value,
                      test=f"sign-flip, exact, {test.allocations:,} allocations" if test.method == "exact"
                      else f"sign-flip, Monte Carlo, {test.resamples:,} resamples")  # fmt: skip
    return result
