"""Derived resources written by the build beside the article tables.

``stopwords`` (the exact lists the analyses remove), ``codebook`` (the study's concepts) and
``mentions`` (every codebook match, with offsets into the raw seed). They are computed while the
build streams the paragraphs, so the seeds are read once.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.codebook import CODEBOOK_SCHEMA, MENTIONS_SCHEMA, Codebook, codebook_rows, load_codebook
from corpus.nlp import STOPWORDS_SCHEMA, stopword_rows
from corpus.paths import Layout


@dataclass(frozen=True)
class TableSpec:
    """A derived table: its resource name, title, description and Table Schema."""

    name: str
    title: str
    description: str
    schema: dict[str, Any]


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "stopwords",
        "Stopwords",
        "The stopword lists removed by the analyses, per language, with their source.",
        dict(STOPWORDS_SCHEMA),
    ),
    TableSpec(
        "codebook",
        "Codebook",
        "The study's concepts (actors, topics, frames) with definitions and the "
        "patterns that find them in each language.",
        dict(CODEBOOK_SCHEMA),
    ),
    TableSpec(
        "mentions",
        "Concept mentions",
        "Every match of a codebook concept in a paragraph, with offsets.",
        dict(MENTIONS_SCHEMA),
    ),
)


class Annotator:
    """Writes the derived tables; the build writes each paragraph's mention rows to :attr:`mentions`."""

    def __init__(self, layout: Layout) -> None:
        self.codebook: Codebook = load_codebook(layout.catalog / "codebook.toml")
        self._mentions: Any = None

    def open(self, stage: Path) -> ExitStack:
        """Open the tables in ``stage``; the returned context closes them."""
        from corpus.package import TableWriter

        stack = ExitStack()
        with TableWriter(stage / "stopwords.csv", TABLES[0].schema) as stopwords:
            for row in stopword_rows():
                stopwords.write(row)
        with TableWriter(stage / "codebook.csv", TABLES[1].schema) as codebook:
            for concept in codebook_rows(self.codebook):
                codebook.write(concept)
        self._mentions = stack.enter_context(TableWriter(stage / "mentions.csv", TABLES[2].schema))
        return stack

    @property
    def mentions(self) -> Any:
        """The open writer of the mentions table (a :class:`corpus.package.TableWriter`)."""
        if self._mentions is None:
            raise RuntimeError("Annotator.open() has not been called")
        return self._mentions
