"""The analysis notebooks: structure, and execution under papermill on fixture and real data."""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path

import nbformat
import pytest
from analysis_fixture import make_project

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_overview.ipynb", "02_vocabulary.ipynb", "03_actors_topics.ipynb", "04_framing.ipynb"]

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
    },
    "03_actors_topics.ipynb": {"groups_by": "language", "top_n": 5},
    "04_framing.ipynb": {"groups_by": "perspective", "kwic_concept": "frame_evaluative"},
}


def generator() -> object:
    spec = importlib.util.spec_from_file_location("build_notebooks", NOTEBOOKS / "build_notebooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_what_the_generator_writes(name: str) -> None:
    module = generator()
    expected = module.render(module.NOTEBOOKS[name])  # type: ignore[attr-defined]
    assert (NOTEBOOKS / name).read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("name", NAMES)
def test_notebook_structure(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    prefix = nb.cells[0].id.split("-")[0]
    assert all(c.id.startswith(prefix + "-") for c in nb.cells)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert "params.validate(" in code[1].source  # validation comes first after the parameters
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source)
        defines = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)]
        assert not defines, f"{cell.id} defines {defines}: move it into corpus"
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Try)], f"{cell.id} has try/except"
    for statement in ast.parse(code[0].source).body:  # literal defaults only
        assert isinstance(statement, ast.Assign)
        ast.literal_eval(statement.value)


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
        kernel_name="python3",
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


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("variant", ["defaults", "other"])
def test_notebook_runs_on_the_fixture(name: str, variant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "project").root
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    parameters = {} if variant == "defaults" else OTHER_PARAMETERS[name]
    rendered = _html_outputs(_execute(name, root, out_dir, parameters, monkeypatch))
    assert "<table" in rendered or "No rows" in rendered
    # the fixture's <script> is in the text of every notebook's tables; it must stay text
    assert "<script>" not in rendered


@pytest.mark.slow
def test_kwic_shows_markup_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "project").root
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    rendered = _html_outputs(_execute("02_vocabulary.ipynb", root, out_dir, {"min_freq": 1}, monkeypatch))
    assert "&lt;script&gt;alert" in rendered and "<script>" not in rendered


@pytest.mark.slow
def test_empty_selection_explains_instead_of_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "project").root
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for name in NAMES:
        rendered = _html_outputs(_execute(name, root, out_dir, {"date_from": "2030-01-01"}, monkeypatch))
        assert "Nothing to analyse" in rendered


@pytest.mark.slow
def test_bad_parameter_fails_first_with_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import papermill

    root = make_project(tmp_path / "project").root
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(papermill.PapermillExecutionError, match=r"ParameterError.*languages='de'"):
        _execute("01_overview.ipynb", root, out_dir, {"languages": ["de"]}, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_defaults_run_on_the_real_corpus(
    name: str, repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    if not repo.descriptor.is_file():
        pytest.skip("the data package is not built (run `corpus build`)")
    rendered = _html_outputs(_execute(name, repo.root, tmp_path, {}, monkeypatch))
    assert "Nothing to analyse" not in rendered and "<table" in rendered
