"""The analysis notebooks are the source: their structure, and their execution on fixture and real data.

A researcher edits a notebook in JupyterLab and saves it; what a save adds (outputs, execution
counts, kernel and editor metadata) never fails these tests: the report pipeline executes and
hashes the notebook's normal form, and ``corpus notebooks strip`` (checked by ``nox -s lint``)
keeps the committed files free of outputs.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from builder import write_project

from corpus.reports.notebooks import KERNEL_NAME, KERNELSPEC

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = [
    "01_overview.ipynb", "02_vocabulary.ipynb", "03_actors_topics.ipynb", "04_framing.ipynb",
    "05_codebook_quality.ipynb", "06_findings.ipynb",
]  # fmt: skip
#: What a notebook may import: the project's package, and IPython's display objects.
ALLOWED_IMPORTS = ("corpus", "IPython.display")

#: One parameter set other than the defaults per notebook (run on the fixture package).
OTHER_PARAMETERS: dict[str, dict[str, object]] = {
    "01_overview.ipynb": {"groups_by": "outlet", "languages": ["ru", "uk"], "date_from": "2025"},
    "02_vocabulary.ipynb": {
        "groups_by": "outlet",
        "languages": ["en"],
        "target": "sputnik",
        "reference": "blog-repost",
        "measure": "pmi",
        "min_freq": 1,
        "kwic_term": "cooperation",
        "kwic_concept": None,
        "min_articles": 1,
        "min_occurrences": 1,
        "correction": "bh",
    },
    "03_actors_topics.ipynb": {"groups_by": "language", "top_n": 5, "min_confidence": "high", "denominator": "all"},
    "04_framing.ipynb": {"groups_by": "perspective", "kwic_concept": "frame_evaluative", "min_articles": 1},
    "05_codebook_quality.ipynb": {"top_n": 5},
    "06_findings.ipynb": {"top_n": 10},
}


def _code(name: str) -> list[nbformat.NotebookNode]:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_notebooks_are_the_planned_ones() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES
    assert not list(NOTEBOOKS.glob("*.py")), "notebooks are the source: no generator beside them"


@pytest.mark.parametrize("name", NAMES)
def test_format_and_cell_ids(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    ids = [c.get("id") for c in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids), "every cell has its own fixed id"
    assert nb.metadata["kernelspec"] == KERNELSPEC, "the project's kernel: run `corpus notebooks strip`"


@pytest.mark.parametrize("name", NAMES)
def test_parameters_cell_holds_literal_defaults_only(name: str) -> None:
    first = _code(name)[0]
    assert "parameters" in first.metadata.get("tags", [])
    statements = ast.parse(first.source).body
    assert statements
    for statement in statements:
        assert isinstance(statement, ast.Assign) and len(statement.targets) == 1, ast.unparse(statement)
        assert isinstance(statement.targets[0], ast.Name)
        ast.literal_eval(statement.value)  # raises unless the default is a literal


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_is_validated_first(name: str) -> None:
    """The cell after the parameters passes each of them, by name, to corpus.analysis.notebook.start."""
    code = _code(name)
    declared = {s.targets[0].id for s in ast.parse(code[0].source).body}  # type: ignore[attr-defined]
    calls = [n for n in ast.walk(ast.parse(code[1].source)) if isinstance(n, ast.Call)]
    (start,) = [c for c in calls if isinstance(c.func, ast.Name) and c.func.id == "start"]
    passed = {k.arg: k.value.id for k in start.keywords if isinstance(k.value, ast.Name)}
    assert passed == {name: name for name in declared}
    assert "from corpus.analysis.notebook import start" in code[1].source


@pytest.mark.parametrize("name", NAMES)
def test_cells_only_call_into_corpus(name: str) -> None:
    for cell in _code(name):
        tree = ast.parse(cell.source)
        defines = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)]
        assert not defines, f"{cell.id} defines {defines}: move it into corpus"
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Try)], f"{cell.id} has try/except"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                assert module.startswith(ALLOWED_IMPORTS), f"{cell.id} imports {module}: call into corpus instead"


def test_the_structure_tests_hold_after_a_jupyterlab_save(tmp_path: Path) -> None:
    """A save with outputs, execution counts and kernel metadata keeps these checks green."""
    from corpus.reports.notebooks import normalise_source, notebook_bytes

    path = NOTEBOOKS / NAMES[0]
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    nb.metadata["language_info"] = {"name": "python", "version": "3.12.1"}
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            cell.execution_count = number
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x\n")]
            cell.metadata["execution"] = {"iopub.status.idle": "2026-01-01T00:00:00Z"}
    nbformat.validate(nb)
    assert notebook_bytes(normalise_source(nb)) == notebook_bytes(normalise_source(nbformat.read(path, as_version=4)))


def _execute(
    name: str, root: Path, out_dir: Path, parameters: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> str:
    import papermill
    from traitlets.config import Config

    monkeypatch.setenv("CORPUS_ROOT", str(root))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(out_dir))
    out = out_dir / name
    papermill.execute_notebook(
        str(NOTEBOOKS / name),
        str(out),
        parameters=parameters,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(out_dir),
        # ipc: the kernel talks over Unix sockets, so the test needs no TCP port
        config=Config({"KernelManager": {"transport": "ipc", "ip": str(out_dir / "kernel")}}),
    )
    return out.read_text(encoding="utf-8")


def _html_outputs(text: str) -> str:
    nb = json.loads(text)
    return "".join(
        "".join(o.get("data", {}).get(kind, ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
        for kind in ("text/html", "text/markdown")
    )


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The builder's package, with the repository's plan and notebooks (the findings notebook runs the plan)."""
    layout = write_project(tmp_path_factory.mktemp("fixture") / "project")
    shutil.copytree(NOTEBOOKS, layout.notebooks)
    return layout.root


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("variant", ["defaults", "other"])
def test_notebook_runs_on_the_fixture(
    name: str, variant: str, fixture_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parameters = {} if variant == "defaults" else OTHER_PARAMETERS[name]
    rendered = _html_outputs(_execute(name, fixture_root, tmp_path, parameters, monkeypatch))
    assert "<table" in rendered or "No rows" in rendered
    # the fixture's <script> is in the text of every notebook's tables; it must stay text
    assert "<script>" not in rendered


@pytest.mark.slow
def test_kwic_shows_markup_as_text(fixture_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = _html_outputs(_execute("02_vocabulary.ipynb", fixture_root, tmp_path, {"min_freq": 1}, monkeypatch))
    assert "&lt;script&gt;alert" in rendered and "<script>" not in rendered


@pytest.mark.slow
def test_empty_selection_explains_instead_of_failing(
    fixture_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in NAMES:
        rendered = _html_outputs(_execute(name, fixture_root, tmp_path, {"date_from": "2030-01-01"}, monkeypatch))
        assert "Nothing to analyse" in rendered


@pytest.mark.slow
def test_bad_parameter_fails_first_with_a_clear_message(
    fixture_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match=r"ParameterError.*languages='de'") as info:
        _execute("01_overview.ipynb", fixture_root, tmp_path, {"languages": ["de"]}, monkeypatch)
    assert info.value.cell_index == 3, "the error is raised in the cell right after the injected parameters"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_defaults_run_on_the_real_corpus(
    name: str, repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    if not repo.descriptor.is_file():
        pytest.skip("the data package is not built (run `corpus build`)")
    rendered = _html_outputs(_execute(name, repo.root, tmp_path, {}, monkeypatch))
    assert "Nothing to analyse" not in rendered and "<table" in rendered
