"""Read, clean and write notebooks: what makes two executions of the same inputs byte-identical."""

from __future__ import annotations

import base64
import copy
import struct
from pathlib import Path

import nbformat

#: Id given to papermill's injected-parameters cell instead of its random one.
INJECTED_CELL_ID = "injected-parameters"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Ancillary PNG chunks that carry text or time (matplotlib writes \`\`Software\`\`), never pixels.
_PNG_DROPPED_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt", b"tIME"})

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

