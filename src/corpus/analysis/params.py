"""Validation of notebook parameters, so a bad value fails first with a clear message.

A notebook's ``parameters`` cell is the one place that sets the parameters' defaults; papermill
injects a report's values there as plain Python literals. :func:`validate` only checks them,
against the loaded tables, and returns a typed, frozen :class:`Parameters`. Every error is a
:class:`~corpus.errors.ParameterError` naming the parameter, the bad value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from corpus.analysis.collocations import MEASURES, Measure
from corpus.analysis.data import Tables
from corpus.analysis.quotes import MIN_CONFIDENCES, MinConfidence
from corpus.analysis.select import GROUP_BYS, UNKNOWN_OUTLET, GroupBy, bound_interval, group_values
from corpus.analysis.stats import CORRECTIONS, Correction
from corpus.analysis.units import DENOMINATORS, Denominator
from corpus.errors import ParameterError
from corpus.ingest.languages import LANGUAGES, Language, check_language
from corpus.text import nlp

#: Upper bound of ``top_n``: tables longer than this are unreadable in a report.
MAX_TOP_N: Final[int] = 500


@dataclass(frozen=True)
class Parameters:
    """Validated notebook parameters (None: the notebook has no such parameter, or it is unset)."""

    groups_by: GroupBy
    languages: tuple[Language, ...]
    date_from: str | None
    date_to: str | None
    top_n: int
    min_freq: int
    outlets: tuple[str, ...] | None
    target: str | None
    reference: str | None
    kwic_term: str | None
    kwic_concept: str | None
    measure: Measure | None
    denominator: Denominator | None = None
    min_articles: int | None = None
    min_occurrences: int | None = None
    correction: Correction | None = None
    min_confidence: MinConfidence | None = None


def _choice(name: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ParameterError(f"parameter {name}={value!r} is not allowed: use one of {list(allowed)}")
    return value


def _int(name: str, value: object, *, minimum: int, maximum: int) -> int:
    # bool is an int subclass: True must not pass as 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"parameter {name}={value!r} must be an integer in [{minimum}, {maximum}]")
    if not minimum <= value <= maximum:
        raise ParameterError(f"parameter {name}={value} is out of range: use [{minimum}, {maximum}]")
    return value


def _date(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ParameterError(f"parameter {name}={value!r} must be an ISO date string or None")
    bound_interval(f"parameter {name}", value)
    return value


def _string_list(name: str, value: object, allowed: Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise ParameterError(f"parameter {name}={value!r} must be a non-empty list drawn from {list(allowed)}")
    for item in value:
        _choice(name, item, allowed)
    return tuple(str(item) for item in value)


def _dates(date_from: object, date_to: object) -> tuple[str | None, str | None]:
    start, end = _date("date_from", date_from), _date("date_to", date_to)
    if start and end and bound_interval("date_from", start)[0] > bound_interval("date_to", end)[1]:
        raise ParameterError(
            f"parameters date_from={start!r} and date_to={end!r} give an empty date range: "
            "date_from must not be after date_to"
        )
    return start, end


def _comparison(tables: Tables, groups_by: GroupBy, target: object, reference: object) -> tuple[str | None, str | None]:
    groups = group_values(tables, groups_by)
    chosen_target = None if target is None else _choice("target", target, groups)
    chosen_reference = None if reference is None else _choice("reference", reference, groups)
    if chosen_target is not None and chosen_target == chosen_reference:
        raise ParameterError(
            f"parameters target and reference are both {chosen_target!r}: compare two different values of {groups}"
        )
    return chosen_target, chosen_reference


def _kwic(tables: Tables, kwic_term: object, kwic_concept: object) -> tuple[str | None, str | None]:
    term = None
    if kwic_term is not None:
        if not isinstance(kwic_term, str) or len(nlp.tokenize(kwic_term)) != 1:
            raise ParameterError(f"parameter kwic_term={kwic_term!r} must be a single word or None")
        term = kwic_term
    concept = None if kwic_concept is None else _choice("kwic_concept", kwic_concept, tables.codebook.ids())
    if term is not None and concept is not None:
        raise ParameterError("parameters kwic_term and kwic_concept are both set: set one, the other None")
    return term, concept


def validate(
    tables: Tables,
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
) -> Parameters:
    """Check every notebook parameter against the corpus and return them typed.

    The parameters every notebook declares are required; the others default to None, which
    means the notebook does not use them. Defaults live in the notebooks, never here.

    Args:
        tables: The loaded data package (:func:`corpus.analysis.data.load_tables`).
        groups_by: ``outlet``, ``perspective`` or ``language``.
        languages: Non-empty list of the corpus's languages.
        date_from: ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) or None.
        date_to: ISO date or None; not before ``date_from``.
        outlets: None (all) or a non-empty list of outlet ids (``(unknown)`` allowed).
        top_n: Rows per table, 1 to :data:`MAX_TOP_N`.
        min_freq: Minimum frequency, at least 1.
        target, reference: None, or two different values of ``groups_by`` (compared groups).
        kwic_term: None or a single word.
        kwic_concept: None or a codebook concept id (not together with ``kwic_term``).
        measure: None or the collocation measure, ``likelihood_ratio`` or ``pmi``.
        denominator, min_articles, min_occurrences, correction, min_confidence: None, or the
            inference choices: ``content``/``all``; ≥ 1; ≥ 1; ``holm``/``bh``; ``high``/``medium``.

    Returns:
        The validated :class:`Parameters`.

    Raises:
        ParameterError: For the first bad parameter, naming it and the allowed values.
    """
    group_by = next((g for g in GROUP_BYS if g == groups_by), None)
    if group_by is None:
        raise ParameterError(f"parameter groups_by={groups_by!r} is not allowed: use one of {list(GROUP_BYS)}")
    langs = tuple(check_language(lang) for lang in _string_list("languages", languages, LANGUAGES))
    start, end = _dates(date_from, date_to)
    known_outlets = sorted({i for i in tables.outlets["outlet_id"] if i} | {UNKNOWN_OUTLET})
    outlet_ids = None if outlets is None else _string_list("outlets", outlets, known_outlets)
    chosen_target, chosen_reference = _comparison(tables, group_by, target, reference)
    term, concept = _kwic(tables, kwic_term, kwic_concept)
    chosen_measure = next((m for m in MEASURES if m == measure), None)
    if measure is not None and chosen_measure is None:
        raise ParameterError(f"parameter measure={measure!r} is not allowed: use one of {list(MEASURES)}")
    inference = _inference(denominator, min_articles, min_occurrences, correction, min_confidence)
    return Parameters(
        groups_by=group_by,
        languages=langs,
        date_from=start,
        date_to=end,
        top_n=_int("top_n", top_n, minimum=1, maximum=MAX_TOP_N),
        min_freq=_int("min_freq", min_freq, minimum=1, maximum=1_000_000),
        outlets=outlet_ids,
        target=chosen_target,
        reference=chosen_reference,
        kwic_term=term,
        kwic_concept=concept,
        measure=chosen_measure,
        denominator=inference[0],
        min_articles=inference[1],
        min_occurrences=inference[2],
        correction=inference[3],
        min_confidence=inference[4],
    )


def _inference(
    denominator: object, min_articles: object, min_occurrences: object, correction: object, min_confidence: object
) -> tuple[Denominator | None, int | None, int | None, Correction | None, MinConfidence | None]:
    """The inference parameters checked (None: the notebook does not use it)."""
    return (
        None
        if denominator is None
        else next(d for d in DENOMINATORS if d == _choice("denominator", denominator, DENOMINATORS)),
        None if min_articles is None else _int("min_articles", min_articles, minimum=1, maximum=10_000),
        None if min_occurrences is None else _int("min_occurrences", min_occurrences, minimum=1, maximum=1_000_000),
        None
        if correction is None
        else next(c for c in CORRECTIONS if c == _choice("correction", correction, list(CORRECTIONS))),
        None
        if min_confidence is None
        else next(c for c in MIN_CONFIDENCES if c == _choice("min_confidence", min_confidence, MIN_CONFIDENCES)),
    )
