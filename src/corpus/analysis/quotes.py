"""Who is quoted: direct and reported speech per sentence, attributed to the nearest actor."""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from corpus.analysis.concepts import mentions_by_sentence, sentence_table
from corpus.analysis.select import Selection
from corpus.text.codebook import Codebook

#: Quotation spans: typographic and straight double quotes, guillemets, German-style quotes.
#: Only quotations of two or more words count: single quoted words are scare quotes or names.


QUOTE_PATTERN: Final[re.Pattern[str]] = re.compile(
    r"“[^”]*\w\s+\w[^”]*”|\"[^\"]*\w\s+\w[^\"]*\"|«[^»]*\w\s+\w[^»]*»|„[^“”]*\w\s+\w[^“”]*[“”]"
)

#: Actor subgroups that can be a speaker.
SPEAKER_SUBGROUPS: Final[frozenset[str]] = frozenset({"person", "institution", "media", "country"})

QUOTE_COLUMNS: Final[list[str]] = [
    "doc_id", "paragraph", "sentence", "group", "language", "kind", "marker", "speaker",
    "speaker_label", "text",
]  # fmt: skip


#: Who speaks when several actors are equally near: people, then institutions, media, countries.
_SPEAKER_RANK: Final[dict[str, int]] = {"person": 0, "institution": 1, "media": 2, "country": 3}

#: A mention in a sentence: concept id, start and end in the paragraph, matched text.
_Mention = tuple[str, int, int, str]


def _speaker(codebook: Codebook, found: list[_Mention], quoted: list[tuple[int, int]], anchor: int) -> _Mention | None:
    """The actor mention outside the quotations nearest to ``anchor`` (None when there is none)."""
    actors = [
        f
        for f in found
        if f[0] in codebook.by_id
        and codebook.by_id[f[0]].group == "actor"
        and codebook.by_id[f[0]].subgroup in SPEAKER_SUBGROUPS
        and not any(a <= f[1] < b for a, b in quoted)
    ]
    return min(
        actors,
        key=lambda f: (abs(f[1] - anchor), _SPEAKER_RANK[codebook.by_id[f[0]].subgroup], f[0]),
        default=None,
    )


def quotes(selection: Selection) -> pd.DataFrame:
    """Direct and reported speech per sentence, attributed to the nearest actor.

    A sentence is *direct* speech when it contains a quotation (“…”, "…", «…», „…“) and
    *reported* when it has a reported-speech marker of the codebook (said, «заявил»,
    «по словам») but no quotation. The speaker is the actor mention outside the quotation
    closest to the marker (or to the quotation when there is no marker); people are preferred
    over institutions, media and countries at equal distance. ``unattributed`` when the
    sentence names no actor. This is a transparent heuristic, not a parser: check with KWIC.

    Returns:
        Columns of :data:`QUOTE_COLUMNS`.
    """
    codebook = selection.tables.codebook
    markers = set(codebook.ids(group="frame", subgroup="reported-speech"))
    sentences = sentence_table(selection)
    mentions = mentions_by_sentence(selection, sentences)
    rows = []
    for s in sentences.itertuples(index=False):
        key = (str(s.doc_id), int(str(s.paragraph)), int(str(s.sentence)))
        found = mentions.get(key, [])
        base = int(str(s.start))
        quoted = [(base + q.start(), base + q.end()) for q in QUOTE_PATTERN.finditer(str(s.text))]
        marker = next((f for f in found if f[0] in markers), None)
        if not quoted and marker is None:
            continue
        anchor = marker[1] if marker is not None else quoted[0][0]
        speaker = _speaker(codebook, found, quoted, anchor)
        rows.append(
            (
                key[0], key[1], key[2], str(s.group), str(s.language),
                "direct" if quoted else "reported",
                marker[3] if marker is not None else "",
                speaker[0] if speaker else "unattributed",
                codebook.by_id[speaker[0]].label if speaker else "unattributed",
                str(s.text),
            )
        )  # fmt: skip
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def quote_counts(quoted: pd.DataFrame) -> pd.DataFrame:
    """Who is quoted how often, per group and kind of speech.

    Returns:
        Columns ``group``, ``speaker_label``, ``direct``, ``reported``, ``total``; sorted by
        group, then total (descending).
    """
    if quoted.empty:
        return pd.DataFrame(columns=["group", "speaker_label", "direct", "reported", "total"])
    table = quoted.groupby(["group", "speaker_label", "kind"]).size().unstack("kind", fill_value=0)
    for kind in ("direct", "reported"):
        if kind not in table.columns:
            table[kind] = 0
    table = table[["direct", "reported"]].reset_index()
    table.columns.name = None
    table["total"] = table["direct"] + table["reported"]
    return table.sort_values(["group", "total", "speaker_label"], ascending=[True, False, True], ignore_index=True)
