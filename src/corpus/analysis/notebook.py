"""The one call every analysis notebook starts with, after its ``parameters`` cell.

:func:`start` finds the project (the working directory or ``CORPUS_ROOT``), reads the published
data package, validates the notebook's parameters (a bad value stops the notebook here, naming
the parameter and the allowed values) and selects the text they describe.
"""

from __future__ import annotations

from corpus.analysis.data import Tables, load_tables
from corpus.analysis.params import Parameters, validate
from corpus.analysis.select import Selection, select
from corpus.paths import project


def start(
    *,
    groups_by: object,
    languages: object,
    date_from: object,
    date_to: object,
    outlets: object,
    top_n: object,
    min_freq: object,
    target: object = None,
    reference: object = None,
    kwic_term: object = None,
    kwic_concept: object = None,
    measure: object = None,
    denominator: object = None,
    min_articles: object = None,
    min_occurrences: object = None,
    correction: object = None,
    min_confidence: object = None,
) -> tuple[Parameters, Selection]:
    """Load the published package, validate the notebook's parameters and select the text.

    Takes the notebook's parameters as they are (see :func:`corpus.analysis.params.validate`).

    Returns:
        The validated parameters and the selection (possibly empty: show ``selection.notice()``).

    Raises:
        ParameterError: For the first bad parameter.
        PackageError: If the data package is missing.
    """
    tables = load_tables(project())
    p = validate(
        tables,
        groups_by=groups_by,
        languages=languages,
        date_from=date_from,
        date_to=date_to,
        outlets=outlets,
        top_n=top_n,
        min_freq=min_freq,
        target=target,
        reference=reference,
        kwic_term=kwic_term,
        kwic_concept=kwic_concept,
        measure=measure,
        denominator=denominator,
        min_articles=min_articles,
        min_occurrences=min_occurrences,
        correction=correction,
        min_confidence=min_confidence,
    )
    return p, selection_for(tables, p)


def selection_for(tables: Tables, p: Parameters) -> Selection:
    """The text a notebook with the validated parameters ``p`` analyses."""
    return select(
        tables,
        groups_by=p.groups_by,
        languages=p.languages,
        date_from=p.date_from,
        date_to=p.date_to,
        outlets=p.outlets,
    )
