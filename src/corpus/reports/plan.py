"""The report plan (``notebooks/plan.toml``): which notebook runs with which parameters under which name."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from corpus.errors import ReportError, UnsafePathError
from corpus.fileio import read_toml
from corpus.paths import Layout, safe_join

PLAN_FILE = "plan.toml"
REPORT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
PLAN_KEYS = frozenset({"name", "title", "notebook", "parameters", "reads_data", "reads_plan", "description"})
ParamValue = str | int | float | bool | list[Any]

@dataclass(frozen=True)
class PlannedReport:
    """One planned report: a notebook run with one parameter set under one name.

    Attributes:
        name: File stem of the outputs (``reports/<name>.html``), unique in the plan.
        title: Human title shown in the index and the page title.
        notebook: Notebook path relative to ``notebooks/`` (POSIX).
        parameters: Values injected by papermill, checked against the notebook's declared ones.
        reads_data: Whether the report reads the data package (its key then covers the hash
            of every resource the analyses read); ``true`` unless the plan says otherwise.
        description: Optional one-line description for the index.
        reads_plan: Whether the report reads the plan itself (the findings report runs every
            planned analysis): its key then covers the plan and every planned notebook.
    """

    name: str
    title: str
    notebook: str
    parameters: Mapping[str, ParamValue]
    reads_data: bool = True
    description: str = ""
    reads_plan: bool = False


def _plan_error(where: str, message: str) -> ReportError:
    return ReportError(f"{where}: {message}")


def _check_value(value: object, *, where: str) -> ParamValue:
    if isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list) and all(isinstance(v, str | bool | int | float) for v in value):
        return value
    raise _plan_error(where, f"value {value!r} is not a string, number, boolean or list of those: use one of these")


def _parse_entry(entry: object, *, where: str, seen: set[str]) -> PlannedReport:
    """Check one ``[[report]]`` table (``where`` names it by position until its name is known)."""
    if not isinstance(entry, dict):
        raise _plan_error(where, "is not a table: write it as [[report]]")
    extra = sorted(set(entry) - PLAN_KEYS)
    if extra:
        raise _plan_error(where, f"unknown key(s) {extra}: allowed are {sorted(PLAN_KEYS)}")
    for key in ("name", "title", "notebook"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise _plan_error(where, f"'{key}' is missing or not a non-empty string")
    name = entry["name"]
    where = f"{where.rsplit(' report #', 1)[0]} report {name!r}"
    if not REPORT_NAME.match(name) or name == "index":
        raise _plan_error(where, "name must be 1-64 lowercase letters, digits, '-' or '_' (and not 'index')")
    if name in seen:
        raise _plan_error(where, "name is used twice: give each report its own name")
    seen.add(name)
    if not entry["notebook"].endswith(".ipynb"):
        raise _plan_error(where, f"notebook {entry['notebook']!r} is not a .ipynb file")
    params = entry.get("parameters", {})
    if not isinstance(params, dict):
        raise _plan_error(where, "'parameters' must be a table of name = value")
    reads_data = entry.get("reads_data", True)
    if not isinstance(reads_data, bool):
        raise _plan_error(where, "'reads_data' must be true or false")
    description = entry.get("description", "")
    if not isinstance(description, str):
        raise _plan_error(where, "'description' must be a string")
    reads_plan = entry.get("reads_plan", False)
    if not isinstance(reads_plan, bool):
        raise _plan_error(where, "'reads_plan' must be true or false")
    return PlannedReport(
        name=name,
        title=entry["title"].strip(),
        notebook=entry["notebook"],
        parameters={k: _check_value(v, where=f"{where} parameter {k!r}") for k, v in sorted(params.items())},
        reads_data=reads_data,
        description=description.strip(),
        reads_plan=reads_plan,
    )


def parse_plan(raw: Mapping[str, Any], *, source: str) -> list[PlannedReport]:
    """Turn the parsed TOML of a plan into reports, refusing anything unclear.

    Args:
        raw: The parsed ``plan.toml``.
        source: Name of the file, for messages.

    Returns:
        The planned reports in file order.

    Raises:
        ReportError: If a key is unknown, a name is invalid or repeated, or a value has the
            wrong type.
    """
    unknown = sorted(set(raw) - {"report"})
    if unknown:
        raise _plan_error(source, f"unknown top-level key(s) {unknown}: only [[report]] tables are allowed")
    entries = raw.get("report", [])
    if not isinstance(entries, list) or not entries:
        raise _plan_error(source, "no [[report]] table: plan at least one report")
    seen: set[str] = set()
    return [_parse_entry(entry, where=f"{source} report #{i}", seen=seen) for i, entry in enumerate(entries, start=1)]


def load_plan(layout: Layout) -> list[PlannedReport]:
    """Read and check ``notebooks/plan.toml``; every planned notebook must exist.

    Raises:
        ReportError: If the plan is missing, malformed, or names a missing or unsafe notebook.
    """
    raw = read_toml(layout.notebooks / PLAN_FILE, error=ReportError, missing="write the report plan there")
    reports = parse_plan(raw, source=f"notebooks/{PLAN_FILE}")
    for report in reports:
        try:
            nb_path = safe_join(layout.notebooks, report.notebook)
        except UnsafePathError as exc:
            raise ReportError(f"report {report.name!r}: {exc}") from exc
        if not nb_path.is_file():
            raise ReportError(
                f"report {report.name!r}: notebook notebooks/{report.notebook} does not exist: "
                "fix the plan entry or add the notebook"
            )
    return reports


def select(plan: Sequence[PlannedReport], only: Sequence[str] | None) -> list[PlannedReport]:
    """Return the planned reports named in ``only`` (all of them when ``only`` is None).

    Raises:
        ReportError: If ``only`` names a report that is not planned.
    """
    if only is None:
        return list(plan)
    names = {r.name for r in plan}
    unknown = sorted(set(only) - names)
    if unknown:
        raise ReportError(f"--only {unknown}: not in the plan; planned reports are {sorted(names)}")
    return [r for r in plan if r.name in set(only)]

