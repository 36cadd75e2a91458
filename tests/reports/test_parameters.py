"""Planned parameters checked against the notebook's ``parameters`` cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from corpus.errors import ReportError
from corpus.paths import Layout
from corpus.reports import parameters, plan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"


def test_declared_parameters_infer_types_from_defaults() -> None:
    declared = parameters.declared_parameters(FIXTURES / "counts.ipynb")
    assert {n: p.type_name for n, p in declared.items()} == {"language": "str", "top_n": "int", "fail": "bool"}


def test_declared_parameters_needs_a_parameters_cell(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    path = tmp_path / "untagged.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ReportError, match="no cell tagged 'parameters'"):
        parameters.declared_parameters(path)


DECLARED = {
    "language": parameters.DeclaredParameter("language", "str", '"en"'),
    "top_n": parameters.DeclaredParameter("top_n", "int", "3"),
    "ratio": parameters.DeclaredParameter("ratio", "float", "0.5"),
    "words": parameters.DeclaredParameter("words", "list[str]", "[]"),
    "maybe": parameters.DeclaredParameter("maybe", "Optional[int]", "None"),
    "anything": parameters.DeclaredParameter("anything", "any", "None"),
}


@pytest.mark.parametrize(
    ("planned", "problem"),
    [
        ({"language": "ru", "top_n": 5}, None),
        ({"ratio": 1}, None),  # an int is a valid float
        ({"words": ["a", "b"]}, None),
        ({"maybe": 3}, None),
        ({"anything": [1]}, None),
        ({"langauge": "ru"}, "parameter 'langauge' is not declared"),
        ({"top_n": "five"}, "parameter 'top_n' = 'five' is a str, but notebooks/x.ipynb declares it as int"),
        ({"top_n": True}, "is a bool, but"),
        ({"top_n": 2.5}, "is a float, but"),
        ({"language": ["en"]}, "is a list, but"),
        ({"words": "a"}, "is a str, but"),
    ],
)
def test_parameter_problems(planned: dict[str, plan.ParamValue], problem: str | None) -> None:
    report = plan.PlannedReport("r", "R", "x.ipynb", planned)
    problems = parameters.parameter_problems(report, DECLARED)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert problem in problems[0]
        assert "report 'r'" in problems[0]


def test_unknown_parameter_message_lists_the_allowed_names() -> None:
    report = plan.PlannedReport("r", "R", "x.ipynb", {"nope": 1})
    (problem,) = parameters.parameter_problems(report, DECLARED)
    assert "declared: language: str, top_n: int, ratio: float" in problem


def test_planned_parameters_are_the_defaults_with_the_plan_values(project: Layout) -> None:
    from corpus.reports.parameters import planned_parameters

    found = {name: (notebook, values) for name, notebook, values in planned_parameters(project)}
    assert set(found) == {"counts-en", "counts-ru", "other"}
    notebook, values = found["counts-ru"]
    assert notebook == "counts.ipynb" and values["language"] == "ru" and values["top_n"] == 1
    assert set(found["counts-en"][1]) == set(values)  # every declared parameter, with its default
