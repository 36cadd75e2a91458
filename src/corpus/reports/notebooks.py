"""Notebooks as the reports read and write them: normalised sources, cleaned executions.

A source notebook is what a researcher edits in JupyterLab. Whatever an editor adds on save
(outputs, execution counts, the kernel's display name and version, cell run times or folding
state) is removed by :func:`normalise_source` before a report runs and before its cache key is
computed, so saving a notebook in JupyterLab changes no report. ``corpus notebooks strip`` writes
the same normal form back (what is committed). An executed notebook is cleaned by
:func:`clean_executed` of what differs between two runs of the same inputs.
"""

from __future__ import annotations

import base64
import copy
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from corpus.errors import ReportError
from corpus.fileio import write_atomic

#: Id given to papermill's injected-parameters cell instead of its random one.
INJECTED_CELL_ID = "injected-parameters"
#: The project's kernel: every environment that installs the project carries its kernelspec
#: (``share/jupyter/kernels/<name>``, from ``corpus/reports/kernelspec``), and ``nox -s lab``
#: registers it for the user so other Jupyter front ends open the notebooks in the project's
#: environment.
KERNEL_NAME = "us-russia-news-corpus"
KERNELSPEC_DIR = Path(__file__).parent / "kernelspec"
#: How the notebooks name that kernel.
KERNELSPEC: dict[str, str] = {
    "display_name": "Python (US–Russia news corpus)",
    "language": "python",
    "name": KERNEL_NAME,
}
#: Notebook metadata of a normalised source, and of an executed report: nothing that depends on
#: the interpreter (a kernel records its exact Python version in ``language_info``).
SOURCE_METADATA: dict[str, Any] = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
#: Cell metadata a source keeps: the tags (``parameters``); run times and view state are dropped.
KEPT_CELL_METADATA = ("tags",)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Ancillary PNG chunks that carry text or time (matplotlib writes ``Software``), never pixels.
_PNG_DROPPED_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt", b"tIME"})


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat 4 (a typed wrapper of :func:`nbformat.read`)."""
    try:
        nb: nbformat.NotebookNode = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as exc:  # nbformat's NotJSONError is a ValueError
        raise ReportError(f"{path.name} is not a readable notebook ({exc}): restore it from git") from exc
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
    ``execution`` timestamps and empty tag lists papermill adds; replaces the kernel's
    ``language_info`` (which records the interpreter's exact version) by :data:`SOURCE_METADATA`,
    so reports are byte-identical on every supported Python; gives the injected-parameters cell
    a constant id; strips PNG text chunks.
    """
    nb = copy.deepcopy(nb)
    nb.metadata = nbformat.from_dict(copy.deepcopy(SOURCE_METADATA))  # type: ignore[no-untyped-call]
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


def normalise_source(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of a source notebook in its normal form: what the reports execute and hash.

    nbformat 4.5 with an id on every cell (:func:`with_stable_ids`), no outputs or execution
    counts, only the cells' tags as cell metadata, and :data:`SOURCE_METADATA` as notebook
    metadata.
    """
    nb = with_stable_ids(nb)
    nb.metadata = nbformat.from_dict(copy.deepcopy(SOURCE_METADATA))  # type: ignore[no-untyped-call]
    for cell in nb.cells:
        kept = {k: v for k, v in cell.get("metadata", {}).items() if k in KEPT_CELL_METADATA and v}
        cell["metadata"] = nbformat.from_dict(kept)  # type: ignore[no-untyped-call]
        if cell.cell_type == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def strip_notebooks(paths: Sequence[Path], *, check: bool) -> list[Path]:
    """Write each notebook in its normal form (:func:`normalise_source`) unless it already is.

    Args:
        paths: The notebooks.
        check: Only report which notebooks are not in normal form; write nothing.

    Returns:
        The notebooks that were (or, with ``check``, would be) rewritten.
    """
    changed = []
    for path in paths:
        data = notebook_bytes(normalise_source(read_notebook(path)))
        if path.read_bytes() != data:
            changed.append(path)
            if not check:
                write_atomic(path, data)
    return changed


def notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    """Serialize a notebook the way Jupyter does (sorted keys, indent 1, final newline)."""
    text: str = nbformat.writes(nb, version=4)  # type: ignore[no-untyped-call]
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")

