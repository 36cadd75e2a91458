"""Keyword in context: a term (matched by lemma) or a codebook concept, with offsets."""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from corpus.analysis.frequencies import Form
from corpus.analysis.select import Selection
from corpus.errors import ParameterError
from corpus.ingest.languages import check_language
from corpus.text import nlp

KWIC_COLUMNS: Final[list[str]] = [
    "doc_id", "paragraph", "group", "language", "left", "match", "right",
    "para_start", "para_end", "start", "end",
]  # fmt: skip


def kwic(
    selection: Selection,
    *,
    term: str | None = None,
    concept: str | None = None,
    width: int = 60,
    form: Form = "lemma",
) -> pd.DataFrame:
    """Keyword-in-context lines for a term or a codebook concept.

    A term matches tokens whose normalized form (lemma by default, so «санкциями» matches
    ``санкция``) equals the term's in the paragraph's language; a concept uses its mentions.

    Args:
        selection: The selection.
        term: A word; give exactly one of ``term`` and ``concept``.
        concept: A codebook concept id.
        width: Characters of context on each side.
        form: How tokens and ``term`` are normalized.

    Returns:
        Columns of :data:`KWIC_COLUMNS`: ``para_start``/``para_end`` index the paragraph
        text, ``start``/``end`` the raw seed (paragraph start + position).

    Raises:
        ParameterError: If neither or both of ``term`` and ``concept`` are given, or the
            concept is unknown.
    """
    if (term is None) == (concept is None):
        raise ParameterError("kwic needs exactly one of term= or concept=")
    if concept is not None:
        hits = _concept_hits(selection, concept)
    else:
        assert term is not None  # for type checkers: guaranteed by the check above
        hits = _term_hits(selection, term, form=form)
    paragraphs = {
        (str(p.doc_id), int(str(p.paragraph))): (
            str(p.text),
            int(str(p.start)),
            str(p.group),
            str(p.language),
        )
        for p in selection.paragraphs.itertuples(index=False)
    }
    rows = []
    for doc_id, paragraph, a, b in hits:
        text, offset, group, language = paragraphs[(doc_id, paragraph)]
        rows.append(
            (
                doc_id, paragraph, group, language,
                _one_line(text[max(0, a - width) : a]), text[a:b], _one_line(text[b : b + width]),
                a, b, offset + a, offset + b,
            )
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    return frame.sort_values(["doc_id", "paragraph", "para_start"], ignore_index=True)


#: A hit: doc_id, paragraph, and the match's start and end in the paragraph's text.
_Hit = tuple[str, int, int, int]


def _concept_hits(selection: Selection, concept: str) -> list[_Hit]:
    if concept not in selection.tables.codebook.by_id:
        known = selection.tables.codebook.ids()
        raise ParameterError(f"concept {concept!r} is not in the codebook: use one of {known}")
    found = selection.mentions[selection.mentions["concept_id"] == concept]
    return [
        (str(m.doc_id), int(str(m.paragraph)), int(str(m.para_start)), int(str(m.para_end)))
        for m in found.itertuples(index=False)
    ]


def _term_hits(selection: Selection, term: str, *, form: Form) -> list[_Hit]:
    hits: list[_Hit] = []
    for p in selection.paragraphs.itertuples(index=False):
        lang = check_language(str(p.language))
        wanted = {nlp.normalize(t, lang, form=form) for t in nlp.tokenize(term)}
        if len(wanted) != 1:
            raise ParameterError(f"kwic term {term!r} must be a single word")
        text = str(p.text)
        for start, end in nlp.token_spans(text):
            if nlp.normalize(text[start:end], lang, form=form) in wanted:
                hits.append((str(p.doc_id), int(str(p.paragraph)), start, end))
    return hits


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)
