"""The edge of the analyses: the *published* data package, read as DataFrames.

:func:`load_tables` reads ``datapackage.json`` and the tables it lists (:data:`RESOURCES`), and
nothing upstream of them: the codebook is the published ``codebook`` table and the mentions are
the published ``mentions`` table (never ``catalog/`` nor a fresh match). Cells stay strings (an
empty cell is an unknown value, never NaN); the integer columns the tables' schemas declare as
required integers become ``int64``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from corpus.errors import CatalogError, PackageError
from corpus.fileio import read_descriptor
from corpus.paths import Layout, safe_join
from corpus.text.codebook import Codebook, codebook_from_rows

if TYPE_CHECKING:
    import pandas as pd

#: The resources :func:`load_tables` reads: what every report that reads data depends on.
RESOURCES: Final[tuple[str, ...]] = (
    "documents", "paragraphs", "outlets", "mentions", "codebook", "codebook_rules", "codebook_quality",
    "quote_quality",
)  # fmt: skip


@dataclass(frozen=True)
class Tables:
    """The data package's tables as string-typed DataFrames (plus integer columns), and its codebook."""

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    outlets: pd.DataFrame
    mentions: pd.DataFrame
    codebook_table: pd.DataFrame
    codebook: Codebook
    codebook_quality: pd.DataFrame
    quote_quality: pd.DataFrame


def _integer_columns(resource: dict[str, Any]) -> list[str]:
    """The columns the resource's schema declares as required integers (never empty)."""
    fields = resource.get("schema", {}).get("fields", [])
    return [
        f["name"] for f in fields if f.get("type") == "integer" and f.get("constraints", {}).get("required") is True
    ]


def _read_table(layout: Layout, resource: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    path = resource.get("path")
    if not isinstance(path, str):
        raise PackageError(f"datapackage.json: resource {resource.get('name')!r} has no single path: rebuild it")
    frame = pd.read_csv(safe_join(layout.root, path), dtype=str, keep_default_na=False, encoding="utf-8")
    for column in _integer_columns(resource):
        if column not in frame.columns:
            raise PackageError(f"{Path(path).name}: column {column!r} is missing: rebuild the package")
        frame[column] = frame[column].astype("int64")
    return frame


def _codebook(table: pd.DataFrame, rules: pd.DataFrame) -> Codebook:
    try:
        rows = [{str(key): value for key, value in row.items()} for row in table.to_dict("records")]
        rule_rows = [{str(key): value for key, value in row.items()} for row in rules.to_dict("records")]
        return codebook_from_rows(rows, source="data/codebook.csv", rule_rows=rule_rows)
    except CatalogError as exc:
        raise PackageError(f"{exc}: rebuild the package (nox -s data)") from exc


def load_tables(layout: Layout) -> Tables:
    """Read the published data package's tables (:data:`RESOURCES`) through ``datapackage.json``.

    Args:
        layout: The project layout (``corpus.paths.project()``).

    Returns:
        The tables, strings kept as strings (``keep_default_na=False``).

    Raises:
        PackageError: If the descriptor or a resource the analyses read is missing.
    """
    descriptor = read_descriptor(layout.descriptor)
    listed = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    frames: dict[str, pd.DataFrame] = {}
    for name in RESOURCES:
        if name not in listed:
            raise PackageError(f"datapackage.json has no resource {name!r}: rebuild the package (nox -s data)")
        frames[name] = _read_table(layout, listed[name])
    return Tables(
        documents=frames["documents"],
        paragraphs=frames["paragraphs"],
        outlets=frames["outlets"],
        mentions=frames["mentions"],
        codebook_table=frames["codebook"],
        codebook=_codebook(frames["codebook"], frames["codebook_rules"]),
        codebook_quality=frames["codebook_quality"],
        quote_quality=frames["quote_quality"],
    )
