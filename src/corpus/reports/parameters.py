"""Check a report's planned parameters against the notebook's ``parameters`` cell before anything runs."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import ReportError
from corpus.reports.notebooks import read_notebook
from corpus.paths import Layout, safe_join
from corpus.reports.plan import PlannedReport, load_plan

@dataclass(frozen=True)
class DeclaredParameter:
    """A parameter declared in a notebook's ``parameters`` cell.

    Attributes:
        name: Variable name.
        type_name: The annotation (``n: int = 3``) or type comment, else the type of the default
            value's literal (``n = 3`` → ``int``); ``"any"`` when neither tells (e.g. ``= None``).
        default: The default's source text.
    """

    name: str
    type_name: str
    default: str


def _literal_type(default: str) -> str:
    try:
        value = ast.literal_eval(default)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return "any"
    return _type_name(value) if value is not None else "any"


def _type_name(value: object) -> str:
    return type(value).__name__


def declared_parameters(notebook: Path) -> dict[str, DeclaredParameter]:
    """Return the parameters declared in a notebook's ``parameters``-tagged cell.

    Uses papermill's own parser (:func:`papermill.inspect_notebook`) so the names are exactly
    those papermill would override.

    Raises:
        ReportError: If the notebook has no ``parameters``-tagged cell.
    """
    import papermill

    found = papermill.inspect_notebook(str(notebook))
    if not found:
        nb = read_notebook(notebook)
        tagged = any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
        if not tagged:
            raise ReportError(
                f"notebook {notebook.name} has no cell tagged 'parameters': tag the cell that assigns the defaults"
            )
    params: dict[str, DeclaredParameter] = {}
    for name, info in found.items():
        annotated = str(info.get("inferred_type_name", "None"))
        default = str(info.get("default", ""))
        type_name = annotated if annotated != "None" else _literal_type(default)
        params[name] = DeclaredParameter(name=name, type_name=type_name, default=default)
    return params


def _accepted_types(type_name: str) -> frozenset[str] | None:
    """Map an annotation to the Python type names it accepts (None: anything)."""
    t = type_name.replace(" ", "")
    optional = t.startswith("Optional[") and t.endswith("]")
    if optional:
        t = t[len("Optional[") : -1]
    base = t.split("[", 1)[0].lower()
    accepted = {
        "str": {"str"},
        "int": {"int"},
        "float": {"float", "int"},
        "bool": {"bool"},
        "list": {"list"},
        "tuple": {"list"},
        "sequence": {"list"},
        "dict": {"dict"},
    }.get(base)
    if accepted is None:
        return None
    return frozenset(accepted | ({"NoneType"} if optional else set()))


def parameter_problems(report: PlannedReport, declared: Mapping[str, DeclaredParameter]) -> list[str]:
    """Check a report's planned parameters against the notebook's declared ones.

    Args:
        report: The planned report.
        declared: What :func:`declared_parameters` returned for its notebook.

    Returns:
        One message per unknown or mistyped parameter (empty when all are fine).
    """
    problems: list[str] = []
    allowed = ", ".join(f"{p.name}: {p.type_name}" for p in declared.values()) or "none"
    for name, value in report.parameters.items():
        spec = declared.get(name)
        if spec is None:
            problems.append(
                f"report {report.name!r}: parameter {name!r} is not declared in the parameters "
                f"cell of notebooks/{report.notebook} (declared: {allowed})"
            )
            continue
        accepted = _accepted_types(spec.type_name)
        if accepted is not None and _type_name(value) not in accepted:
            problems.append(
                f"report {report.name!r}: parameter {name!r} = {value!r} is a "
                f"{_type_name(value)}, but notebooks/{report.notebook} declares it as "
                f"{spec.type_name} (default {spec.default})"
            )
    return problems



def planned_parameters(layout: Layout) -> list[tuple[str, str, dict[str, object]]]:
    """Every planned report with its effective parameters: its notebook's defaults, then the plan's values.

    Returns:
        ``(name, notebook, parameters)`` per report of ``notebooks/plan.toml``, in plan order.

    Raises:
        ReportError: If the plan or a notebook's parameters cell cannot be read.
    """
    reports = load_plan(layout)
    found = []
    for report in reports:
        declared = declared_parameters(safe_join(layout.notebooks, report.notebook))
        values: dict[str, object] = {}
        for name, parameter in declared.items():
            try:
                values[name] = ast.literal_eval(parameter.default)
            except (ValueError, SyntaxError) as exc:
                raise ReportError(f"notebooks/{report.notebook}: default of {name} is not a literal: {exc}") from exc
        values.update(report.parameters)
        found.append((report.name, report.notebook, values))
    return found
