"""Notebook parameter validation: every bad value names the parameter and what is allowed."""

from __future__ import annotations

import inspect

import pytest

from corpus.analysis import params
from corpus.analysis.data import Tables
from corpus.analysis.select import GroupBy, group_values
from corpus.errors import ParameterError

GOOD: dict[str, object] = {
    "groups_by": "perspective",
    "languages": ["en", "ru"],
    "date_from": "2021",
    "date_to": "2025-08-23",
    "outlets": None,
    "top_n": 10,
    "min_freq": 2,
}


def test_good_parameters_come_back_typed(tables: Tables) -> None:
    p = params.validate(
        tables,
        **{**GOOD, "outlets": ["sputnik"]},
        target="russian-state-media",
        reference="ukrainian",
        kwic_concept="sanctions",
    )
    assert p.languages == ("en", "ru") and p.top_n == 10 and p.outlets == ("sputnik",)
    assert p.measure is None, "a notebook without a measure parameter gets none"
    assert (p.target, p.reference, p.kwic_concept, p.kwic_term) == (
        "russian-state-media",
        "ukrainian",
        "sanctions",
        None,
    )


def test_defaults_live_in_the_notebooks_not_here() -> None:
    signature = inspect.signature(params.validate)
    for name in GOOD:
        assert signature.parameters[name].default is inspect.Parameter.empty, name
    for name in ("target", "reference", "kwic_term", "kwic_concept", "measure"):
        assert signature.parameters[name].default is None, "None: the notebook has no such parameter"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"groups_by": "country"}, r"groups_by='country'.*\['outlet', 'perspective', 'language'\]"),
        ({"languages": ["en", "de"]}, r"languages='de'.*\['en', 'ru', 'uk'\]"),
        ({"languages": []}, r"languages=\[\] must be a non-empty list"),
        ({"languages": "en"}, r"languages='en' must be a non-empty list"),
        (
            {"date_from": "2025-08-24", "date_to": "2025-08-23"},
            r"date_from='2025-08-24' and date_to='2025-08-23'.*empty",
        ),
        ({"date_from": "yesterday"}, r"date_from.*not an ISO date"),
        ({"date_to": ""}, r"date_to=''"),
        ({"top_n": 0}, r"top_n=0 is out of range"),
        ({"top_n": "10"}, r"top_n='10' must be an integer"),
        ({"top_n": True}, r"top_n=True must be an integer"),
        ({"min_freq": -1}, r"min_freq=-1 is out of range"),
        ({"min_freq": 2.5}, r"min_freq=2.5 must be an integer"),
        ({"outlets": ["rt"]}, r"outlets='rt'.*\['\(unknown\)', 'blog-repost', 'lenta-ua', 'sputnik'\]"),
        ({"target": "russian-state-media", "reference": "russian-state-media"}, r"target and reference are both"),
        ({"target": "sputnik"}, r"target='sputnik'.*\['russian-state-media', 'ukrainian'\]"),
        ({"kwic_concept": "weather"}, r"kwic_concept='weather'.*'putin'"),
        ({"kwic_term": "two words"}, r"kwic_term='two words' must be a single word"),
        ({"kwic_term": "sanctions", "kwic_concept": "sanctions"}, r"kwic_term and kwic_concept are both set"),
        ({"measure": "dice"}, r"measure='dice'.*\['likelihood_ratio', 'pmi'\]"),
    ],
)
def test_bad_parameters_name_the_parameter(tables: Tables, change: dict[str, object], message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        params.validate(tables, **{**GOOD, **change})


@pytest.mark.parametrize(
    ("groups_by", "values"),
    [
        ("outlet", ["(unknown)", "blog-repost", "lenta-ua", "sputnik"]),
        ("perspective", ["russian-state-media", "ukrainian"]),
        ("language", ["en", "ru", "uk"]),
    ],
)
def test_group_values(tables: Tables, groups_by: GroupBy, values: list[str]) -> None:
    assert group_values(tables, groups_by) == values
