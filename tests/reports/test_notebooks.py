"""Notebooks as the reports read them (normal form) and write them (cleaned executions)."""

from __future__ import annotations

import base64
import copy
import io
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pytest

from corpus.reports import notebooks

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
PROJECT_NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def _png_with_software_tag() -> bytes:
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def test_strip_png_text_drops_the_software_tag_and_keeps_the_pixels() -> None:
    png = _png_with_software_tag()
    assert b"tEXtSoftware" in png
    stripped = notebooks.strip_png_text(png)
    assert b"tEXt" not in stripped
    assert stripped.endswith(b"IEND\xaeB`\x82")
    original = plt.imread(io.BytesIO(png))
    assert (plt.imread(io.BytesIO(stripped)) == original).all()
    assert notebooks.strip_png_text(stripped) == stripped


@pytest.mark.parametrize("data", [b"", b"GIF89a", b"\x89PNG\r\n\x1a\n\x00\x00\x00\xffIHDR"])
def test_strip_png_text_leaves_non_png_alone(data: bytes) -> None:
    assert notebooks.strip_png_text(data) == data


def _executed_like_papermill() -> nbformat.NotebookNode:
    nb = nbformat.read(FIXTURES / "counts.ipynb", as_version=4)
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00", "input_path": "/somewhere/x.ipynb"}
    injected = nbformat.v4.new_code_cell("# Parameters\nlanguage = 'ru'\n")
    injected.id = "a1b2c3d4"
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(2, injected)
    png = base64.b64encode(_png_with_software_tag()).decode()
    for cell in nb.cells:
        cell.metadata["papermill"] = {"duration": 0.1}
        cell.metadata.setdefault("tags", [])
        if cell.cell_type == "code":
            cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    nb.cells[-1].outputs = [nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    return nb


def test_clean_executed_removes_run_time_noise() -> None:
    nb = _executed_like_papermill()
    cleaned = notebooks.clean_executed(nb)
    assert "papermill" not in cleaned.metadata
    for cell in cleaned.cells:
        assert "papermill" not in cell.metadata
        assert "execution" not in cell.metadata
        assert cell.metadata.get("tags", ["x"]) != []
    assert cleaned.cells[2].id == notebooks.INJECTED_CELL_ID
    assert cleaned.cells[1].metadata["tags"] == ["parameters"]
    png = base64.b64decode(cleaned.cells[-1].outputs[0].data["image/png"])
    assert png.startswith(b"\x89PNG") and b"tEXt" not in png
    nbformat.validate(cleaned)
    assert "papermill" in nb.metadata, "the input is not modified"


def test_with_stable_ids_gives_missing_ids_deterministically() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1"), nbformat.v4.new_code_cell("2")])
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    a, b = notebooks.with_stable_ids(nb), notebooks.with_stable_ids(copy.deepcopy(nb))
    assert [c.id for c in a.cells] == [c.id for c in b.cells] == ["cell-0", "cell-1"]
    assert a.nbformat_minor == 5
    nbformat.validate(a)


def _saved_by_jupyterlab(path: Path) -> nbformat.NotebookNode:
    """The notebook as JupyterLab 4 saves it after running every cell."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.12.1",
    }
    for number, cell in enumerate(nb.cells, start=1):
        cell.metadata["jupyter"] = {"source_hidden": False}
        if cell.cell_type == "code":
            cell.execution_count = number
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="output\n")]
            cell.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00.000Z"}
            cell.metadata["scrolled"] = True
    return nb


def _normal_bytes(nb: nbformat.NotebookNode) -> bytes:
    return notebooks.notebook_bytes(notebooks.normalise_source(nb))


@pytest.mark.parametrize("path", PROJECT_NOTEBOOKS, ids=lambda p: p.name)
def test_a_jupyterlab_save_changes_nothing_the_reports_see(path: Path) -> None:
    """Reports execute and hash the normal form: outputs, counts and editor metadata do not count."""
    assert _normal_bytes(_saved_by_jupyterlab(path)) == _normal_bytes(notebooks.read_notebook(path))


def test_normal_form_is_a_fixed_point() -> None:
    once = notebooks.normalise_source(_saved_by_jupyterlab(FIXTURES / "counts.ipynb"))
    assert _normal_bytes(once) == notebooks.notebook_bytes(once)


def test_normal_form_keeps_sources_ids_and_tags() -> None:
    nb = _saved_by_jupyterlab(FIXTURES / "counts.ipynb")
    normal = notebooks.normalise_source(nb)
    assert [c.source for c in normal.cells] == [c.source for c in nb.cells]
    assert [c.id for c in normal.cells] == [c.id for c in nb.cells]
    assert normal.cells[1].metadata == {"tags": ["parameters"]}
    assert all(c.outputs == [] and c.execution_count is None for c in normal.cells if c.cell_type == "code")
    assert normal.metadata == notebooks.SOURCE_METADATA


def test_strip_notebooks_rewrites_only_what_is_not_in_normal_form(tmp_path: Path) -> None:
    clean, saved = tmp_path / "clean.ipynb", tmp_path / "saved.ipynb"
    clean.write_bytes(_normal_bytes(notebooks.read_notebook(FIXTURES / "other.ipynb")))
    nbformat.write(_saved_by_jupyterlab(FIXTURES / "other.ipynb"), saved)
    before = saved.read_bytes()
    assert notebooks.strip_notebooks([clean, saved], check=True) == [saved]
    assert saved.read_bytes() == before, "--check writes nothing"
    assert notebooks.strip_notebooks([clean, saved], check=False) == [saved]
    assert saved.read_bytes() == clean.read_bytes()
    assert notebooks.strip_notebooks([clean, saved], check=True) == []


def test_an_unreadable_notebook_is_a_clear_error(tmp_path: Path) -> None:
    from corpus.errors import ReportError

    path = tmp_path / "broken.ipynb"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ReportError, match="broken.ipynb is not a readable notebook"):
        notebooks.read_notebook(path)


def test_an_executed_notebook_keeps_no_trace_of_the_interpreter() -> None:
    """A kernel records its exact Python version; the reports are the same on every supported one."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.12.1", "pygments_lexer": "ipython3"}
    nb.metadata["papermill"] = {"duration": 1.5, "start_time": "2026-01-01T00:00:00"}
    cleaned = notebooks.clean_executed(nb)
    assert cleaned.metadata == notebooks.SOURCE_METADATA
    assert "3.12" not in notebooks.notebook_bytes(cleaned).decode()
