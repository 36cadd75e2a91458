"""Execute the planned notebooks and render them as byte-reproducible, offline HTML reports.

``corpus reports`` (and ``nox -s reports``) reads the report plan (``notebooks/plan.toml``),
checks every planned parameter against the notebook's ``parameters`` cell, then executes each
report whose inputs changed with papermill and renders ``reports/<name>.html`` (code hidden,
figures embedded, provenance footer) and ``reports/<name>.ipynb`` (the executed notebook),
plus ``reports/index.html``.

The cache key of a report (``reports/.cache.json``) covers everything the output depends on: the
notebook's bytes, its parameters, the plan entry, the data package's name, version and the
sha256 of every resource, the ``corpus`` package's files, ``uv.lock`` and the versions of the key
libraries. A report is re-executed when its key changed or its outputs were edited.

Reproducibility: papermill's run-time metadata, nbclient's timestamps and the random id of the
injected-parameters cell are removed; PNG text chunks (matplotlib's ``Software`` tag) are
dropped; kernels run with ``SOURCE_DATE_EPOCH`` and a matplotlibrc that fixes ``svg.hashsalt``
(see :func:`kernel_environment`). No clock time is written anywhere; durations go to stderr.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import copy
import csv
import hashlib
import json
import os
import platform
import re
import struct
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal

import nbformat

from corpus.errors import ReportError, UnsafePathError, ValidationError
from corpus.fileio import read_descriptor, sha256_bytes, sha256_file, write_atomic
from corpus.paths import Layout, safe_join
from corpus.render import (
    About,
    CountTable,
    IndexRow,
    PackageInfo,
    Provenance,
    Status,
    render_index,
    render_report_html,
)

#: The ``corpus`` package whose files are part of every report's cache key (tests pin a copy).
PACKAGE_DIR = Path(__file__).parent
#: Seconds one cell may run before the report fails (a hung kernel must not block the run).
CELL_TIMEOUT = 900

PLAN_FILE = "plan.toml"
MANIFEST_FILE = ".cache.json"
FAILED_DIR = "_failed"
MANIFEST_FORMAT = 1

#: A fixed date for every file the kernels write (matplotlib's SVG ``<dc:date>``, PDF dates).
SOURCE_DATE_EPOCH = "0"
#: Id given to papermill's injected-parameters cell instead of its random one.
INJECTED_CELL_ID = "injected-parameters"
#: The libraries whose versions each footer states (distribution name, label).
KEY_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("us-russia-news-corpus", "corpus"),
    ("pandas", "pandas"),
    ("matplotlib", "matplotlib"),
    ("nltk", "nltk"),
    ("papermill", "papermill"),
    ("nbconvert", "nbconvert"),
    ("frictionless", "frictionless"),
)

REPORT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
PLAN_KEYS = frozenset({"name", "title", "notebook", "parameters", "reads_data", "description"})
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Ancillary PNG chunks that carry text or time (matplotlib writes ``Software``), never pixels.
_PNG_DROPPED_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt", b"tIME"})

ParamValue = str | int | float | bool | list[Any]
Jobs = int | None


# --------------------------------------------------------------------------------------------
# The plan


@dataclass(frozen=True)
class PlannedReport:
    """One planned report: a notebook run with one parameter set under one name.

    Attributes:
        name: File stem of the outputs (``reports/<name>.html``), unique in the plan.
        title: Human title shown in the index and the page title.
        notebook: Notebook path relative to ``notebooks/`` (POSIX).
        parameters: Values injected by papermill, checked against the notebook's declared ones.
        reads_data: Whether the report reads the data package (its key then covers every
            resource's hash); ``true`` unless the plan says otherwise.
        description: Optional one-line description for the index.
    """

    name: str
    title: str
    notebook: str
    parameters: Mapping[str, ParamValue]
    reads_data: bool = True
    description: str = ""


def _plan_error(where: str, message: str) -> ReportError:
    return ReportError(f"{where}: {message}")


def _check_value(value: object, *, where: str) -> ParamValue:
    if isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list) and all(isinstance(v, str | bool | int | float) for v in value):
        return value
    raise _plan_error(where, f"value {value!r} is not a string, number, boolean or list of those: use one of these")


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
    reports: list[PlannedReport] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        where = f"{source} report #{i}"
        if not isinstance(entry, dict):
            raise _plan_error(where, "is not a table: write it as [[report]]")
        extra = sorted(set(entry) - PLAN_KEYS)
        if extra:
            raise _plan_error(where, f"unknown key(s) {extra}: allowed are {sorted(PLAN_KEYS)}")
        for key in ("name", "title", "notebook"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise _plan_error(where, f"'{key}' is missing or not a non-empty string")
        name = entry["name"]
        where = f"{source} report {name!r}"
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
        reports.append(
            PlannedReport(
                name=name,
                title=entry["title"].strip(),
                notebook=entry["notebook"],
                parameters={k: _check_value(v, where=f"{where} parameter {k!r}") for k, v in sorted(params.items())},
                reads_data=reads_data,
                description=description.strip(),
            )
        )
    return reports


def load_plan(layout: Layout) -> list[PlannedReport]:
    """Read and check ``notebooks/plan.toml``; every planned notebook must exist.

    Raises:
        ReportError: If the plan is missing, malformed, or names a missing or unsafe notebook.
    """
    path = layout.notebooks / PLAN_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ReportError(f"{path.name} not found in notebooks/: write the report plan there") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ReportError(f"notebooks/{PLAN_FILE} is not valid TOML: {exc}") from exc
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


# --------------------------------------------------------------------------------------------
# Parameters


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


# --------------------------------------------------------------------------------------------
# Inputs and the cache key


def canonical_json(value: object) -> str:
    """JSON with sorted keys and no insignificant whitespace (the form that is hashed)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def tree_digest(folder: Path) -> str:
    """Digest of every file under ``folder`` (relative path and bytes), caches excluded."""
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
    )
    for path in files:
        rel = path.relative_to(folder).as_posix()
        digest.update(f"{rel}\0{sha256_file(path)}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Context:
    """What every report of one run shares: the data package, the code and the environment."""

    package: PackageInfo
    resources: tuple[tuple[str, str, str], ...]
    source_sha256: str
    lock_sha256: str
    libraries: tuple[tuple[str, str], ...]


def _library_versions() -> tuple[tuple[str, str], ...]:
    versions = [("python", platform.python_version())]
    for dist, label in KEY_LIBRARIES:
        try:
            versions.append((label, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            versions.append((label, "not installed"))
    return tuple(versions)


def _resource_hash(layout: Layout, resource: Mapping[str, Any]) -> str:
    declared = resource.get("hash")
    if isinstance(declared, str) and declared.startswith("sha256:"):
        return declared.removeprefix("sha256:")
    path = resource.get("path")
    if not isinstance(path, str):
        raise ReportError(
            f"datapackage.json resource {resource.get('name')!r} has no single 'path': "
            "rebuild the package with `corpus build`"
        )
    target = safe_join(layout.root, path)
    if not target.is_file():
        raise ReportError(f"datapackage.json resource {path!r} is missing: run `corpus build`")
    return sha256_file(target)


def load_context(layout: Layout) -> Context:
    """Read the data package descriptor, hash the code and lock file, collect versions.

    Raises:
        ReportError: If ``datapackage.json`` is missing or unreadable.
    """
    descriptor = read_descriptor(layout.descriptor, error=ReportError)
    resources = tuple(
        sorted(
            (str(r.get("name", "")), str(r.get("path", "")), _resource_hash(layout, r))
            for r in descriptor.get("resources", [])
        )
    )
    lock = layout.root / "uv.lock"
    package = PackageInfo(
        name=str(descriptor.get("name", "")),
        title=str(descriptor.get("title", descriptor.get("name", ""))),
        version=str(descriptor.get("version", "")),
    )
    return Context(
        package=package,
        resources=resources,
        # The code the kernels actually import: this installed (or editable) package.
        source_sha256=tree_digest(PACKAGE_DIR),
        lock_sha256=sha256_file(lock) if lock.is_file() else "no uv.lock",
        libraries=_library_versions(),
    )


def report_provenance(layout: Layout, report: PlannedReport, context: Context) -> Provenance:
    """Compute the inputs of one report and its cache key (``inputs_digest``)."""
    nb_path = safe_join(layout.notebooks, report.notebook)
    notebook_sha256 = sha256_file(nb_path)
    resources = context.resources if report.reads_data else ()
    parameters = tuple((k, canonical_json(v)) for k, v in sorted(report.parameters.items()))
    key = {
        "format": MANIFEST_FORMAT,
        "plan_entry": {
            "name": report.name,
            "title": report.title,
            "notebook": report.notebook,
            "parameters": dict(report.parameters),
            "reads_data": report.reads_data,
            "description": report.description,
        },
        "notebook_sha256": notebook_sha256,
        "package": [context.package.name, context.package.version],
        "resources": [list(r) for r in resources],
        "source_sha256": context.source_sha256,
        "lock_sha256": context.lock_sha256,
        "libraries": [list(v) for v in context.libraries],
    }
    return Provenance(
        package_name=context.package.name,
        package_version=context.package.version,
        resources=resources,
        parameters=parameters,
        notebook=f"notebooks/{report.notebook}",
        notebook_sha256=notebook_sha256,
        source_sha256=context.source_sha256,
        lock_sha256=context.lock_sha256,
        inputs_digest=sha256_bytes(canonical_json(key).encode()),
        libraries=context.libraries,
    )


# --------------------------------------------------------------------------------------------
# The manifest (reports/.cache.json)


@dataclass(frozen=True)
class CacheEntry:
    """What the manifest remembers of a report rendered successfully."""

    digest: str
    html_sha256: str
    notebook_sha256: str
    package_version: str


def read_manifest(layout: Layout) -> dict[str, CacheEntry]:
    """Read ``reports/.cache.json``; a missing or foreign-format manifest is an empty cache."""
    path = layout.reports / MANIFEST_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"reports/{MANIFEST_FILE} is not valid JSON ({exc}): delete it to rebuild all reports"
        ) from exc
    if raw.get("format") != MANIFEST_FORMAT:
        return {}
    return {name: CacheEntry(**entry) for name, entry in raw.get("reports", {}).items()}


def manifest_text(entries: Mapping[str, CacheEntry]) -> str:
    """Serialize the manifest deterministically (sorted keys, trailing newline)."""
    body = {
        "format": MANIFEST_FORMAT,
        "reports": {
            name: {
                "digest": e.digest,
                "html_sha256": e.html_sha256,
                "notebook_sha256": e.notebook_sha256,
                "package_version": e.package_version,
            }
            for name, e in sorted(entries.items())
        },
    }
    return json.dumps(body, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def is_fresh(layout: Layout, name: str, digest: str, entry: CacheEntry | None) -> bool:
    """Whether a report's outputs exist, are unchanged, and were made from these inputs."""
    if entry is None or entry.digest != digest:
        return False
    html_path = layout.reports / f"{name}.html"
    nb_path = layout.reports / f"{name}.ipynb"
    return (
        html_path.is_file()
        and nb_path.is_file()
        and sha256_file(html_path) == entry.html_sha256
        and sha256_file(nb_path) == entry.notebook_sha256
    )


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically unless the file already holds exactly ``data``; return whether written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


# --------------------------------------------------------------------------------------------
# Cleaning executed notebooks


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat 4 (a typed wrapper of :func:`nbformat.read`)."""
    nb: nbformat.NotebookNode = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    return nb


def strip_png_text(png: bytes) -> bytes:
    """Drop the text and time chunks of a PNG (matplotlib's ``Software`` tag), keep the pixels.

    Returns ``png`` unchanged if it is not a well-formed PNG.
    """
    if not png.startswith(_PNG_SIGNATURE):
        return png
    out = [_PNG_SIGNATURE]
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(png):
            return png
        if kind not in _PNG_DROPPED_CHUNKS:
            out.append(png[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out)


def _clean_png(data: str | list[str]) -> str:
    raw = base64.b64decode("".join(data))
    return base64.b64encode(strip_png_text(raw)).decode("ascii")


def with_stable_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy at nbformat 4.5 where every cell has an id (``cell-<n>`` where missing).

    Notebooks stored without ids would otherwise get random ones at every run.
    """
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, max(5, int(nb.get("nbformat_minor", 0)))
    used = {c.get("id") for c in nb.cells if c.get("id")}
    for i, cell in enumerate(nb.cells):
        if not cell.get("id"):
            new = f"cell-{i}"
            while new in used:
                new += "-"
            cell["id"] = new
            used.add(new)
    return nb


def clean_executed(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove everything that differs between two executions of the same inputs.

    Drops papermill's notebook and cell metadata (times, input/output paths), nbclient's
    ``execution`` timestamps and empty tag lists papermill adds; gives the injected-parameters
    cell a constant id; strips PNG text chunks.
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("papermill", None)
    markers = 0
    for cell in nb.cells:
        meta = cell.setdefault("metadata", {})
        meta.pop("papermill", None)
        meta.pop("execution", None)
        tags = meta.get("tags")
        if tags == []:
            del meta["tags"]
        if tags and INJECTED_CELL_ID in tags:
            cell["id"] = INJECTED_CELL_ID
        elif tags and "papermill-error-cell-tag" in tags:
            cell["id"] = f"papermill-error-{markers}"
            markers += 1
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data and "image/png" in data:
                data["image/png"] = _clean_png(data["image/png"])
    return nb


def notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    """Serialize a notebook the way Jupyter does (sorted keys, indent 1, final newline)."""
    text: str = nbformat.writes(nb, version=4)  # type: ignore[no-untyped-call]
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------
# Executing one report (runs in a worker process)


@cache
def _matplotlibrc() -> Path:
    return Path(__file__).parent / "templates" / "matplotlibrc"


def kernel_environment(root: Path) -> dict[str, str]:
    """Environment variables set for the kernels that execute reports.

    ``CORPUS_ROOT`` makes :func:`corpus.paths.project` inside a notebook find the project being
    rendered; ``SOURCE_DATE_EPOCH`` and ``MATPLOTLIBRC`` (fixed ``svg.hashsalt``) make figures
    byte-reproducible. ``MPLBACKEND`` stays ipykernel's inline backend: with ``Agg`` figures shown
    by ``plt.show()`` would not reach the report. ``CORPUS_REPORT=1`` tells notebook helpers they
    run inside a report.
    """
    return {
        "CORPUS_ROOT": str(root),
        "CORPUS_REPORT": "1",
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "MATPLOTLIBRC": str(_matplotlibrc()),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    # The kernel is a child process: it inherits os.environ at launch, so set it around the run.
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to execute and render one report (picklable)."""

    root: str
    report: PlannedReport
    provenance: Provenance


@dataclass(frozen=True)
class Outcome:
    """The result of one report in this run."""

    name: str
    status: Literal["executed", "cached", "failed"]
    seconds: float = 0.0
    error: str = ""
    html_sha256: str = ""
    notebook_sha256: str = ""


def _failure_message(
    report: PlannedReport, source: nbformat.NotebookNode, executed: nbformat.NotebookNode, exc: Any
) -> str:
    index = int(exc.cell_index)
    cell_id = executed.cells[index].get("id", "?") if 0 <= index < len(executed.cells) else "?"
    source_ids = [c.get("id") for c in source.cells]
    where = (
        f"cell {source_ids.index(cell_id)} (id {cell_id!r})"
        if cell_id in source_ids
        else f"executed cell {index} (id {cell_id!r})"
    )
    return f"report {report.name!r}: notebooks/{report.notebook} {where} raised {exc.ename}: {exc.evalue}"


def _forget_failure(failed_path: Path) -> None:
    failed_path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty (other failures kept) or already gone
        failed_path.parent.rmdir()


def run_job(job: Job) -> Outcome:
    """Execute one report with papermill and render it; never raises for a notebook failure.

    On success writes ``reports/<name>.ipynb`` and ``reports/<name>.html`` atomically and removes
    a stale ``reports/_failed/<name>.ipynb``. On failure writes the executed notebook to
    ``reports/_failed/<name>.ipynb`` and leaves the previous outputs untouched.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillException, PapermillExecutionError
    from traitlets.config import Config

    layout = Layout(Path(job.root))
    report = job.report
    started = time.perf_counter()
    failed_path = layout.reports / FAILED_DIR / f"{report.name}.ipynb"
    source = with_stable_ids(read_notebook(safe_join(layout.notebooks, report.notebook)))
    with tempfile.TemporaryDirectory(prefix="corpus-report-") as tmp:
        out = Path(tmp) / f"{report.name}.ipynb"
        try:
            # ipc: the kernel talks over Unix sockets in this temporary folder, not TCP ports.
            env = {**kernel_environment(layout.root), "JUPYTER_RUNTIME_DIR": tmp}
            with _environment(env):
                executed = papermill.execute_notebook(
                    source,
                    str(out),
                    parameters=dict(report.parameters),
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    cwd=str(layout.notebooks),
                    execution_timeout=CELL_TIMEOUT,
                    # Each kernel gets its own socket files; parallel kernels must not share them.
                    config=Config({"KernelManager": {"transport": "ipc", "ip": str(Path(tmp) / "kernel")}}),
                    # The kernel logs an interrupt at every shutdown; real errors are cell outputs.
                    extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                    # All outputs are in once the last cell ran; a graceful shutdown only waits.
                    shutdown_kernel="immediate",
                )
        except PapermillExecutionError as exc:
            failed = read_notebook(out) if out.is_file() else source
            # Papermill put an error-marker cell at the top after the error; index without it.
            cells = [c for c in failed.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
            unmarked = copy.copy(failed)
            unmarked.cells = cells
            write_atomic(failed_path, notebook_bytes(clean_executed(failed)))
            return Outcome(
                report.name,
                "failed",
                time.perf_counter() - started,
                _failure_message(report, source, unmarked, exc),
            )
        except (PapermillException, CellTimeoutError, DeadKernelError, RuntimeError, OSError) as exc:
            return Outcome(
                report.name,
                "failed",
                time.perf_counter() - started,
                f"report {report.name!r}: notebooks/{report.notebook} could not be executed: "
                f"{type(exc).__name__}: {exc}",
            )
    cleaned = clean_executed(executed)
    nb_data = notebook_bytes(cleaned)
    html_data = render_report_html(cleaned, title=report.title, provenance=job.provenance).encode("utf-8")
    write_atomic(layout.reports / f"{report.name}.ipynb", nb_data)
    write_atomic(layout.reports / f"{report.name}.html", html_data)
    _forget_failure(failed_path)
    return Outcome(
        report.name,
        "executed",
        time.perf_counter() - started,
        html_sha256=sha256_bytes(html_data),
        notebook_sha256=sha256_bytes(nb_data),
    )


def _run_all(jobs: Sequence[Job], workers: int) -> Iterator[Outcome]:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield run_job(job)
        return
    # spawn: a fresh interpreter per worker, safe whatever threads the parent started.
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            yield from pool.map(run_job, jobs)
    except BrokenProcessPool as exc:
        raise ReportError(
            "a report worker process died (out of memory, or a script that starts the run without "
            "an `if __name__ == '__main__':` guard): re-run with --jobs 1 to see the report at fault"
        ) from exc


# --------------------------------------------------------------------------------------------
# The index


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def about_corpus(layout: Layout, package: PackageInfo) -> About:
    """Summarize the corpus for the index from ``data/documents.csv`` and ``data/outlets.csv``."""
    docs_path = layout.data / "documents.csv"
    if not docs_path.is_file():
        return About(summary=f"{package.title}: no documents table yet (run `corpus build`).", tables=())
    with docs_path.open(encoding="utf-8", newline="") as f:
        docs = list(csv.DictReader(f))
    names: dict[str, str] = {}
    outlets_path = layout.data / "outlets.csv"
    if outlets_path.is_file():
        with outlets_path.open(encoding="utf-8", newline="") as f:
            names = {r["outlet_id"]: r.get("name") or r["outlet_id"] for r in csv.DictReader(f)}
    language_names = {"en": "English", "ru": "Russian", "uk": "Ukrainian"}

    def counted(values: Sequence[str]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))

    outlets = counted([names.get(d.get("outlet_id", ""), "") or "unknown outlet" for d in docs])
    languages = counted([language_names.get(d.get("language", ""), d.get("language", "")) for d in docs])
    perspectives = counted([d.get("perspective", "") or "unknown" for d in docs])
    seeds = len({d.get("seed", "") for d in docs})
    dates = sorted(d.get("date", "") for d in docs if d.get("date"))
    span = f", dated {dates[0]} to {dates[-1]}" if dates else ""
    summary = (
        f"{package.title} (version {package.version}) holds {_n(len(docs), 'article')} "
        f"extracted from {_n(seeds, 'raw web capture')}{span}, from {_n(len(outlets), 'outlet')} "
        f"in {_n(len(languages), 'language')}."
    )
    return About(
        summary=summary,
        tables=(
            CountTable("Articles per outlet", "Outlet", outlets),
            CountTable("Articles per language", "Language", languages),
            CountTable("Articles per perspective", "Perspective", perspectives),
        ),
    )


def citation_for_index(layout: Layout, package: PackageInfo) -> str:
    """The citation shown in the index, as HTML (from :func:`corpus.cite.citation_html`)."""
    try:
        from corpus.cite import citation_html
    except ImportError:
        import html

        return (
            f"<p>{html.escape(package.title)} (version {html.escape(package.version)}) "
            f"[Data package <code>{html.escape(package.name)}</code>].</p>"
        )
    return citation_html(layout)


def index_rows(
    layout: Layout,
    plan: Sequence[PlannedReport],
    statuses: Mapping[str, Status],
    manifest: Mapping[str, CacheEntry],
) -> list[IndexRow]:
    """One index row per planned report, in plan order."""
    rows = []
    for report in plan:
        entry = manifest.get(report.name)
        rows.append(
            IndexRow(
                name=report.name,
                title=report.title,
                notebook=f"notebooks/{report.notebook}",
                parameters=tuple((k, canonical_json(v)) for k, v in sorted(report.parameters.items())),
                status=statuses[report.name],
                package_version=entry.package_version if entry else "",
                has_html=(layout.reports / f"{report.name}.html").is_file(),
                has_notebook=(layout.reports / f"{report.name}.ipynb").is_file(),
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# The run


@dataclass
class RunSummary:
    """What one run did, report by report."""

    outcomes: list[Outcome] = field(default_factory=list)

    def names(self, status: Literal["executed", "cached", "failed"]) -> list[str]:
        """Names of the reports with this status, in plan order."""
        return [o.name for o in self.outcomes if o.status == status]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def render_reports(
    layout: Layout,
    *,
    force: bool = False,
    jobs: int | None = None,
    only: Sequence[str] | None = None,
) -> RunSummary:
    """Execute and render every planned report whose inputs changed; rewrite the index.

    Args:
        layout: The project.
        force: Re-run every selected report, ignoring the cache.
        jobs: Reports run in parallel (default: CPU count).
        only: Run only these planned reports (others keep their outputs).

    Returns:
        The outcome of every selected report. Failures do not raise here (see
        :func:`run_reports`).

    Raises:
        ReportError: If the plan or the data package cannot be read.
    """
    plan = load_plan(layout)
    selected = select(plan, only)
    context = load_context(layout)
    manifest = read_manifest(layout)
    provenance = {r.name: report_provenance(layout, r, context) for r in plan}
    outcomes: dict[str, Outcome] = {}
    to_run: list[Job] = []
    declared_cache: dict[str, dict[str, DeclaredParameter]] = {}
    for report in selected:
        digest = provenance[report.name].inputs_digest
        if not force and is_fresh(layout, report.name, digest, manifest.get(report.name)):
            outcomes[report.name] = Outcome(report.name, "cached")
            # The outputs match these inputs, so a kept failure belongs to other inputs.
            _forget_failure(layout.reports / FAILED_DIR / f"{report.name}.ipynb")
            continue
        if report.notebook not in declared_cache:
            declared_cache[report.notebook] = declared_parameters(safe_join(layout.notebooks, report.notebook))
        problems = parameter_problems(report, declared_cache[report.notebook])
        if problems:
            outcomes[report.name] = Outcome(report.name, "failed", error="; ".join(problems))
            continue
        to_run.append(Job(str(layout.root), report, provenance[report.name]))

    workers = max(1, min(jobs or os.cpu_count() or 1, len(to_run)))
    if to_run:
        _log(f"corpus reports: executing {len(to_run)} report(s) on {workers} worker(s)")
    started = time.perf_counter()
    for outcome in _run_all(to_run, workers):
        outcomes[outcome.name] = outcome
        if outcome.status == "executed":
            _log(f"  {outcome.name}: executed and rendered in {outcome.seconds:.1f} s")
        else:
            _log(f"  {outcome.name}: FAILED after {outcome.seconds:.1f} s")

    for outcome in outcomes.values():
        if outcome.status == "executed":
            manifest[outcome.name] = CacheEntry(
                digest=provenance[outcome.name].inputs_digest,
                html_sha256=outcome.html_sha256,
                notebook_sha256=outcome.notebook_sha256,
                package_version=context.package.version,
            )
    if only is None:
        planned = {r.name for r in plan}
        for name in sorted(set(manifest) - planned):
            # A report removed from the plan: its outputs would otherwise linger unlisted.
            del manifest[name]
            for suffix in (".html", ".ipynb"):
                (layout.reports / f"{name}{suffix}").unlink(missing_ok=True)
    write_if_changed(layout.reports / MANIFEST_FILE, manifest_text(manifest).encode("utf-8"))

    statuses: dict[str, Status] = {}
    for report in plan:
        if report.name in outcomes and outcomes[report.name].status == "failed":
            statuses[report.name] = "failed"
        elif is_fresh(layout, report.name, provenance[report.name].inputs_digest, manifest.get(report.name)):
            statuses[report.name] = "ok"
        elif (layout.reports / f"{report.name}.html").is_file():
            statuses[report.name] = "stale"
        else:
            statuses[report.name] = "missing"
    index = render_index(
        package=context.package,
        rows=index_rows(layout, plan, statuses, manifest),
        about=about_corpus(layout, context.package),
        citation_html=citation_for_index(layout, context.package),
    )
    write_if_changed(layout.reports / "index.html", index.encode("utf-8"))
    cached = sum(1 for o in outcomes.values() if o.status == "cached")
    executed = sum(1 for o in outcomes.values() if o.status == "executed")
    _log(
        f"corpus reports: {executed} executed, {cached} cached, "
        f"{sum(1 for o in outcomes.values() if o.status == 'failed')} failed "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return RunSummary([outcomes[r.name] for r in selected])


def run_reports(layout: Layout, *, force: bool, jobs: int | None, only: list[str] | None, build: bool) -> int:
    """The ``corpus reports`` command: build and validate the package, then render the reports.

    Args:
        layout: The project.
        force: Re-run every report, ignoring the cache.
        jobs: Reports run in parallel (default: CPU count).
        only: Run only these planned reports.
        build: Rebuild and validate the data package first.

    Returns:
        0 when every selected report is up to date.

    Raises:
        ValidationError: If the rebuilt package does not validate.
        ReportError: If any report failed; the message names each report, cell and error.
    """
    if jobs is not None and jobs < 1:
        raise ReportError(f"--jobs {jobs}: give a positive number of parallel reports")
    if build:
        from corpus.package import build as build_package
        from corpus.validate import validate_package

        started = time.perf_counter()
        build_package(layout, progress=True)
        problems = validate_package(layout, progress=True)
        if problems:
            raise ValidationError(problems)
        _log(f"corpus reports: data package built and validated in {time.perf_counter() - started:.1f} s")
    summary = render_reports(layout, force=force, jobs=jobs, only=only)
    failures = summary.failures
    if failures:
        failed_dir = f"reports/{FAILED_DIR}/"
        raise ReportError(
            f"{len(failures)} report(s) failed (executed notebooks kept in {failed_dir}; previous "
            "good HTML left in place):\n" + "\n".join(f"  - {o.error}" for o in failures)
        )
    return 0


__all__ = [
    "DeclaredParameter",
    "Outcome",
    "PlannedReport",
    "RunSummary",
    "clean_executed",
    "declared_parameters",
    "kernel_environment",
    "load_plan",
    "parameter_problems",
    "render_reports",
    "run_reports",
    "strip_png_text",
]
