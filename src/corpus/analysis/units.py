"""The units of inference: each article's text in a comparison group, its size and its counts.

An article usually falls into one group (its outlet or perspective); with ``groups_by="language"``
an article with a Ukrainian fragment gives a Russian unit and a Ukrainian one. A unit's size is
counted two ways, the *denominator* of every rate:

* ``content``: content tokens, the word tokens that are not stopwords (``corpus.text.nlp``). Rates
  per 1,000 content tokens are comparable across languages, which a rate per 1,000 word tokens
  is not: English spends far more tokens on function words than Russian (articles, auxiliaries,
  prepositions that Russian expresses by inflection). The stopword lists differ in length too
  (the English list is longer), which is why this is a better, not a perfect, common scale.
* ``all``: every word token, stopwords included (the corpus's ``token_count``).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Final, Literal, get_args

import pandas as pd

from corpus.analysis.select import UNKNOWN_OUTLET, Selection
from corpus.ingest.languages import check_language
from corpus.text import nlp
from corpus.text.codebook import Strictness, find_mentions

Denominator = Literal["content", "all"]
DENOMINATORS: Final[tuple[Denominator, ...]] = get_args(Denominator)
Form = Literal["lemma", "lower"]

UNIT_COLUMNS: Final[list[str]] = ["doc_id", "group", "language", "outlet_id", "tokens", "content_tokens"]


@cache
def _sizes(text: str, language: str) -> tuple[int, int]:
    lang = check_language(language)
    return nlp.word_count(text), len(nlp.terms(text, lang, form="lower"))


def article_units(selection: Selection) -> pd.DataFrame:
    """One row per article and group: its article language, outlet and sizes (both denominators).

    Returns:
        Columns of :data:`UNIT_COLUMNS`, sorted by group then doc_id.
    """
    documents = selection.documents.set_index("doc_id")
    sizes: dict[tuple[str, str], list[int]] = {}
    for p in selection.paragraphs.itertuples(index=False):
        key = (str(p.doc_id), str(p.group))
        tokens, content = _sizes(str(p.text), str(p.language))
        total = sizes.setdefault(key, [0, 0])
        total[0] += tokens
        total[1] += content
    rows = []
    for (doc_id, group), (tokens, content) in sorted(sizes.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        outlet = str(documents.at[doc_id, "outlet_id"]) or UNKNOWN_OUTLET
        rows.append((doc_id, group, str(documents.at[doc_id, "language"]), outlet, tokens, content))
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def size_column(denominator: Denominator) -> str:
    """The column of :func:`article_units` holding the sizes of ``denominator``."""
    return "content_tokens" if denominator == "content" else "tokens"


def concept_counts(selection: Selection, *, strictness: Strictness = "strict") -> pd.DataFrame:
    """Mentions per article, group and concept.

    ``strict`` counts the published mentions; ``lenient`` re-applies the published codebook's
    patterns to the published paragraphs without its context rules (every pattern match counts).

    Returns:
        Columns ``doc_id``, ``group``, ``item`` (concept id), ``count``.
    """
    if strictness == "strict":
        found = selection.mentions[["doc_id", "group", "concept_id"]]
    else:
        codebook = selection.tables.codebook
        rows = [
            (str(p.doc_id), str(p.group), str(m["concept_id"]))
            for p in selection.paragraphs.itertuples(index=False)
            for m in find_mentions(
                codebook, doc_id=str(p.doc_id), paragraph=int(str(p.paragraph)), text=str(p.text),
                language=str(p.language), offset=0, strictness="lenient",
            )
        ]  # fmt: skip
        found = pd.DataFrame(rows, columns=["doc_id", "group", "concept_id"])
    counted = found.groupby(["doc_id", "group", "concept_id"]).size().reset_index(name="count")
    return counted.rename(columns={"concept_id": "item"})


def term_counts(selection: Selection, *, language: str, form: Form = "lemma") -> pd.DataFrame:
    """Terms (stopwords removed) per article and group, in the paragraphs of one language.

    Returns:
        Columns ``doc_id``, ``group``, ``item`` (term), ``count``.
    """
    lang = check_language(language)
    counts: Counter[tuple[str, str, str]] = Counter()
    for p in selection.paragraphs[selection.paragraphs["language"] == lang].itertuples(index=False):
        for term in nlp.terms(str(p.text), lang, form=form):
            counts[(str(p.doc_id), str(p.group), term)] += 1
    rows = [(d, g, t, n) for (d, g, t), n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["doc_id", "group", "item", "count"])


def language_units(selection: Selection, language: str) -> pd.DataFrame:
    """The units of :func:`article_units` sized by their paragraphs in ``language`` only."""
    lang = check_language(language)
    paragraphs = selection.paragraphs[selection.paragraphs["language"] == lang]
    sub = Selection(
        tables=selection.tables, groups_by=selection.groups_by, languages=(lang,), date_from=selection.date_from,
        date_to=selection.date_to, documents=selection.documents, paragraphs=paragraphs,
        mentions=selection.mentions, excluded_undated=selection.excluded_undated,
    )  # fmt: skip
    return article_units(sub)
