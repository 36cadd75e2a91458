"""The package's resources: every table with its title, description, schema and licence, and how
tables are written and described (:class:`TableWriter`, :func:`table_resource`, :func:`seed_resource`).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final, Literal

from corpus.fileio import sha256_file
from corpus.package import schema
from corpus.package.metadata import PackageMetadata


@dataclass(frozen=True)
class TableSpec:
    """A table of the package: resource name, title, description, Table Schema and licence.

    ``licence`` is ``texts`` for the tables holding the publishers' article texts and
    ``metadata`` for our own tables and annotations (see ``catalog/package.toml``).
    """

    name: str
    title: str
    description: str
    schema: schema.Schema
    licence: Literal["texts", "metadata"]


#: The package's tables, in the order of the descriptor's resources (the seeds follow them).
TABLES: Final[tuple[TableSpec, ...]] = (
    TableSpec(
        "documents",
        "Articles",
        "One row per article: metadata with provenance, and the extracted text.",
        schema.DOCUMENTS,
        "texts",
    ),
    TableSpec(
        "paragraphs",
        "Paragraphs",
        "One row per paragraph, with offsets into its raw seed and its detected language.",
        schema.PARAGRAPHS,
        "texts",
    ),
    TableSpec("outlets", "Outlets", "The news outlets, their ownership and perspective.", schema.OUTLETS, "metadata"),
    TableSpec(
        "seed_files", "Seed files", "Every raw seed file with its size and SHA-256.", schema.SEED_FILES, "metadata"
    ),
    TableSpec(
        "boilerplate",
        "Removed page furniture",
        "Every stretch of the seeds that is not article text, with the rule that removed it.",
        schema.BOILERPLATE,
        "metadata",
    ),
    TableSpec(
        "stopwords",
        "Stopwords",
        "The stopword lists removed by the analyses, per language, with their source.",
        schema.STOPWORDS,
        "metadata",
    ),
    TableSpec(
        "codebook",
        "Codebook",
        "The study's concepts (actors, topics, frames) with definitions and the "
        "patterns that find them in each language.",
        schema.CODEBOOK,
        "metadata",
    ),
    TableSpec(
        "mentions",
        "Concept mentions",
        "Every match of a codebook concept in a paragraph, with offsets.",
        schema.MENTIONS,
        "metadata",
    ),
    TableSpec(
        "extraction_quality",
        "Extraction quality",
        "How well the extraction does on the hand-labelled benchmark of news pages "
        "(benchmarks/extraction/): furniture removal per line, metadata and text per article.",
        schema.EXTRACTION_QUALITY,
        "metadata",
    ),
    TableSpec(
        "codebook_rules",
        "Codebook context rules",
        "Where a codebook pattern's match is not a mention (negation, denied claims, job titles, names of "
        "newspapers and programmes, capitals as plain places); without them the codebook is 'lenient'.",
        schema.CODEBOOK_RULES,
        "metadata",
    ),
    TableSpec(
        "codebook_quality",
        "Codebook precision and recall",
        "The codebook scored against the gold annotation of benchmarks/gold (dev and holdout pages): "
        "precision and recall per concept, group and language. Empty when the gold is absent.",
        schema.CODEBOOK_QUALITY,
        "metadata",
    ),
    TableSpec(
        "quote_quality",
        "Quote attribution scores",
        "Speech acts and their speakers scored against the gold quotes of benchmarks/gold: how often a shown "
        "attribution has the right speaker and kind, per split, language and basis. Empty when the gold is absent.",
        schema.QUOTE_QUALITY,
        "metadata",
    ),
)
SPECS: Final[dict[str, TableSpec]] = {spec.name: spec for spec in TABLES}


class TableWriter:
    """Write the rows of one table as CSV (header first, LF line ends, UTF-8)."""

    def __init__(self, path: Path, table_schema: schema.Schema) -> None:
        self.path = path
        self.fields = [f["name"] for f in table_schema["fields"]]
        self._handle: IO[str] | None = None
        self._writer: Any = None
        self.rows = 0

    def __enter__(self) -> TableWriter:
        self._handle = self.path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(self.fields)
        return self

    def write(self, row: dict[str, Any]) -> None:
        self.write_cells(self.cells(row))

    def cells(self, row: dict[str, Any]) -> list[str]:
        """The CSV cells of ``row`` in column order (keys not in the schema are ignored)."""
        get = row.get
        # Most cells are already strings: skip the conversion for them.
        return [v if type(v) is str else _cell(v) for v in (get(k) for k in self.fields)]

    def write_cells(self, cells: list[str]) -> None:
        """Write one row already converted by :meth:`cells`."""
        self._writer.writerow(cells)
        self.rows += 1

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        assert self._handle is not None
        self._handle.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)  # the CSV form of Table Schema array/object fields
    return str(value)


def writer(stage: Path, name: str) -> TableWriter:
    """A writer of the table ``name`` into ``stage/<name>.csv``, with its schema's columns."""
    return TableWriter(stage / f"{name}.csv", SPECS[name].schema)


def table_resource(stage: Path, spec: TableSpec, meta: PackageMetadata) -> dict[str, Any]:
    """The descriptor of a table written in ``stage`` (its size and hash read from the file)."""
    path = stage / f"{spec.name}.csv"
    return {
        "name": spec.name,
        "type": "table",
        "path": f"data/{spec.name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": spec.title,
        "description": spec.description,
        "bytes": path.stat().st_size,
        "hash": "sha256:" + sha256_file(path),
        "licenses": [meta.license(spec.licence)],
        "schema": spec.schema,
    }


def resource_name(seed_file: str) -> str:
    """The name of a seed file's own resource (``seed-`` and the lowercase stem)."""
    return "seed-" + seed_file.removesuffix(".txt").lower()


def seed_resource(name: str, size: int, sha256: str, license_: dict[str, str]) -> dict[str, Any]:
    """The descriptor of a raw seed's own resource (its bytes and hash make any edit fail validation)."""
    return {
        "name": resource_name(name),
        "path": f"seeds/{name}",
        "scheme": "file",
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "title": f"Raw seed {name}",
        "description": "The raw news document exactly as received; offsets in the tables index its text.",
        "bytes": size,
        "hash": "sha256:" + sha256,
        "licenses": [license_],
    }
