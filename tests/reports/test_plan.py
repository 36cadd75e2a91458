"""The report plan: what is refused, and the project's own plan."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from corpus.errors import ReportError
from corpus.paths import Layout
from corpus.reports import parameters, plan

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no [[report]] table"),
        ("title = 'x'", "unknown top-level key"),
        ("[[report]]\nname = 'a'\ntitle = 'A'", "'notebook' is missing"),
        ("[[report]]\nname = 'A b'\ntitle = 'A'\nnotebook = 'x.ipynb'", "name must be"),
        ("[[report]]\nname = 'index'\ntitle = 'A'\nnotebook = 'x.ipynb'", "not 'index'"),
        ("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.py'", "is not a .ipynb file"),
        ("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\ncolour = 1", "unknown key(s) ['colour']"),
        ("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\nreads_data = 'yes'", "'reads_data'"),
        ("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\nreads_plan = 1", "'reads_plan'"),
        ("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\nparameters = 3", "'parameters' must"),
        (
            "[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\nparameters = { d = 1979-05-27 }",
            "parameter 'd'",
        ),
        (
            "[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\n"
            "[[report]]\nname = 'a'\ntitle = 'B'\nnotebook = 'y.ipynb'",
            "used twice",
        ),
    ],
)
def test_parse_plan_refuses_unclear_plans(text: str, message: str) -> None:
    with pytest.raises(ReportError) as err:
        plan.parse_plan(tomllib.loads(text), source="plan.toml")
    assert message in str(err.value)


def test_load_plan_refuses_missing_and_escaping_notebooks(project: Layout) -> None:
    plan_file = project.notebooks / "plan.toml"
    plan_file.write_text("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'missing.ipynb'\n", encoding="utf-8")
    with pytest.raises(ReportError, match="does not exist"):
        plan.load_plan(project)
    plan_file.write_text("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = '../x.ipynb'\n", encoding="utf-8")
    with pytest.raises(ReportError, match="outside"):
        plan.load_plan(project)


def test_select_names_unknown_reports(project: Layout) -> None:
    planned = plan.load_plan(project)
    assert [r.name for r in plan.select(planned, ["other"])] == ["other"]
    with pytest.raises(ReportError, match=r"--only \['nope'\]: not in the plan"):
        plan.select(planned, ["nope"])


def test_project_plan_covers_every_notebook_and_its_parameters_are_declared() -> None:
    layout = Layout(REPO)
    planned = plan.load_plan(layout)
    notebooks = sorted(p.name for p in layout.notebooks.glob("*.ipynb"))
    assert notebooks, "the project has analysis notebooks"
    assert sorted({r.notebook for r in planned}) == notebooks
    for report in planned:
        declared = parameters.declared_parameters(layout.notebooks / report.notebook)
        assert parameters.parameter_problems(report, declared) == []
