"""The one builder of small data packages for tests, written from the real schemas and writers.

:func:`write_project` lays out a project the way the build leaves it: ``catalog/package.toml``
and ``catalog/codebook.toml`` (the repository's), one raw seed per article under ``seeds/``
(the headline on line 1, the paragraphs after it, so every offset is a real offset into the
seed), and the data package: every table written by the build's own table writers from
the real Table Schemas (so the columns cannot drift from the build's), the derived tables
(stopwords, codebook, mentions) from the same functions the build uses, and the descriptor from
the build's :func:`~corpus.package.build.describe_package`. The result passes ``corpus validate``.

:data:`ANALYSIS_DOCS` is the package the analysis tests reason about by hand.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus.ingest.catalog import Outlet
from corpus.ingest.langid import dominant
from corpus.ingest.languages import is_supported
from corpus.package.build import describe_package, write_codebook_tables, write_extraction_quality, write_outlets
from corpus.package.metadata import load_metadata
from corpus.package.tables import resource_name, seed_resource, writer
from corpus.paths import Layout
from corpus.text.codebook import find_mentions, load_codebook
from corpus.text.nlp import word_count

REPO = Path(__file__).resolve().parents[1]

#: Lines between the headline and the first paragraph: the articles start at offset 100.
FIRST_PARAGRAPH = 100


@dataclass(frozen=True)
class Doc:
    """One article of a test package, alone in its seed ``<seed>.txt`` (doc_id ``<seed>-1``)."""

    seed: str
    outlet_id: str
    perspective: str
    date: str
    date_precision: str
    date_source: str
    title: str
    paragraphs: tuple[tuple[str, str], ...]  # (language, text)

    @property
    def doc_id(self) -> str:
        return f"{self.seed}-1"

    def seed_text(self) -> str:
        """The raw seed: the headline, blank lines up to offset 100, paragraphs a blank line apart."""
        head = self.title + "\n" * (FIRST_PARAGRAPH - len(self.title))
        return head + "\n\n".join(text for _, text in self.paragraphs) + "\n"


def _outlet(outlet_id: str, name: str, domain: str, perspective: str) -> Outlet:
    return Outlet(outlet_id, name, domain, (), "", "unknown", perspective, (name,), "Test outlet.")


#: The release metadata of every fixture project (tests of versions and citations rely on them).
FIXTURE_VERSION = "0.1.0"
FIXTURE_CREATED = "2026-11-23T00:00:00Z"

SCRIPT = '<script>alert("x")</script>'

#: Four articles: two English ones from Russian state media, one Russian article with a Ukrainian
#: paragraph from a Ukrainian outlet, and one Russian article of unknown outlet and date whose
#: text carries markup (``<script>``) that every analysis must return as text.
ANALYSIS_DOCS: tuple[Doc, ...] = (
    Doc(
        "000_aaaa", "sputnik", "russian-state-media", "2025-08-23", "day", "header", "Russia, US Discuss Arctic",
        (
            ("en", "Russia and the United States discussed cooperation in the Arctic, Putin said."),
            ("en", '"We are discussing cooperation in the Arctic," Putin said. Sanctions remain.'),
        ),
    ),
    Doc(
        "001_bbbb", "blog-repost", "russian-state-media", "2021-10", "month", "inferred", "Moscow Rejects Accusations",
        (
            ("en", "Washington accused Moscow of undermining the talks. "
                   "The so-called experts allegedly blamed Russia."),
            ("en", "Lavrov said cooperation with the US on arms control is possible."),
        ),
    ),
    Doc(
        "002_cccc", "lenta-ua", "ukrainian", "2025-03-05", "day", "dateline", "Дмитриев о редкоземельных металлах",
        (
            ("ru", "Дмитриев заявил, что Россия и США обсуждают редкоземельные металлы. "
                   "Против России действуют санкции."),
            ("ru", "По словам Дмитриева, сотрудничество с США возможно, несмотря на санкциями "
                   "ограниченную торговлю."),
            ("uk", "Росія нібито готова до співпраці зі США щодо санкцій."),
        ),
    ),
    Doc(
        "003_dddd", "", "ukrainian", "", "unknown", "unknown", "Без даты",
        (
            ("ru", f"{SCRIPT} Санкции против России обсуждались в Вашингтоне."),
            ("ru", "Российский диктатор якобы готов к диалогу с США."),
        ),
    ),
)  # fmt: skip

ANALYSIS_OUTLETS: tuple[Outlet, ...] = (
    _outlet("sputnik", "Sputnik International", "sputnikglobe.com", "russian-state-media"),
    _outlet("blog-repost", "Unidentified blog", "", "russian-state-media"),
    _outlet("lenta-ua", "Lenta.UA", "lenta.ua", "ukrainian"),
)


def _paragraph_spans(doc: Doc) -> list[tuple[int, int, str, str]]:
    spans, start = [], FIRST_PARAGRAPH
    for language, text in doc.paragraphs:
        spans.append((start, start + len(text), language, text))
        start += len(text) + 2
    return spans


def _document_row(doc: Doc) -> dict[str, object]:
    spans = _paragraph_spans(doc)
    text = "\n\n".join(t for *_, t in spans)
    language = dominant([s[2] for s in spans], [len(s[3]) for s in spans])
    return {
        "doc_id": doc.doc_id,
        "seed": f"{doc.seed}.txt",
        "article": 1,
        "outlet_id": doc.outlet_id,
        "perspective": doc.perspective,
        "date": doc.date,
        "date_precision": doc.date_precision,
        "date_source": doc.date_source,
        "date_note": "Test fixture.",
        "language": language,
        "language_source": "detected",
        "title": doc.title,
        "title_language": language,
        "title_start": 0,
        "title_end": len(doc.title),
        "text": text,
        "start": spans[0][0],
        "end": spans[-1][1],
        "n_paragraphs": len(spans),
        "token_count": word_count(text),
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "evidence": "Test fixture.",
        "unreviewed": False,
        "missing": "" if doc.outlet_id else "outlet;url",
    }


def _write_seeds(layout: Layout, docs: tuple[Doc, ...], texts_license: dict[str, str]) -> list[dict[str, object]]:
    layout.seeds.mkdir(parents=True, exist_ok=True)
    resources = []
    with writer(layout.data, "seed_files") as table:
        for doc in sorted(docs, key=lambda d: d.seed):
            raw = doc.seed_text().encode("utf-8")
            (layout.seeds / f"{doc.seed}.txt").write_bytes(raw)
            digest = hashlib.sha256(raw).hexdigest()
            row = {"file": f"{doc.seed}.txt", "resource": resource_name(f"{doc.seed}.txt"), "bytes": len(raw)}
            table.write({**row, "sha256": digest, "bom": False, "line_endings": "lf", "n_articles": 1})
            resources.append(seed_resource(f"{doc.seed}.txt", len(raw), digest, texts_license))
    return resources


def _write_tables(layout: Layout, docs: tuple[Doc, ...]) -> None:
    codebook = load_codebook(layout.catalog / "codebook.toml")
    with (
        writer(layout.data, "documents") as documents,
        writer(layout.data, "paragraphs") as paragraphs,
        writer(layout.data, "boilerplate") as boilerplate,
        writer(layout.data, "mentions") as mentions,
    ):
        for doc in sorted(docs, key=lambda d: d.seed):
            documents.write(_document_row(doc))
            boilerplate.write(
                {"seed": f"{doc.seed}.txt", "line": 1, "start": 0, "end": len(doc.title), "kind": "title"}
            )
            for number, (start, end, language, text) in enumerate(_paragraph_spans(doc), start=1):
                row = {"doc_id": doc.doc_id, "paragraph": number, "kind": "paragraph", "start": start, "end": end}
                paragraphs.write({**row, "text": text, "language": language, "repairs": ""})
                if not is_supported(language):
                    continue  # the codebook has patterns for the analysed languages only, as in the build
                for mention in find_mentions(
                    codebook, doc_id=doc.doc_id, paragraph=number, text=text, language=language, offset=start
                ):
                    mentions.write(mention)
    write_codebook_tables(layout.data, codebook)
    write_extraction_quality(layout.data, REPO / "benchmarks" / "extraction" / "scores.csv")


def _pin_version(path: Path) -> None:
    text = re.sub(r'(?m)^version = ".*"$', f'version = "{FIXTURE_VERSION}"', path.read_text(encoding="utf-8"))
    path.write_text(re.sub(r'(?m)^created = ".*"$', f'created = "{FIXTURE_CREATED}"', text), encoding="utf-8")


def write_project(
    root: Path, docs: tuple[Doc, ...] = ANALYSIS_DOCS, outlets: tuple[Outlet, ...] = ANALYSIS_OUTLETS
) -> Layout:
    """Write a project with a built data package of ``docs`` under ``root`` (see the module docstring)."""
    layout = Layout(root)
    layout.catalog.mkdir(parents=True, exist_ok=True)
    layout.data.mkdir(parents=True, exist_ok=True)
    for name in ("package.toml", "codebook.toml"):
        shutil.copy(REPO / "catalog" / name, layout.catalog / name)
    _pin_version(layout.catalog / "package.toml")
    meta = load_metadata(layout)
    seed_resources = _write_seeds(layout, docs, meta.license("texts"))
    _write_tables(layout, docs)
    write_outlets(layout.data, outlets)
    descriptor = describe_package(meta, outlets, layout.data, seed_resources)
    layout.descriptor.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return layout


def reseal(layout: Layout, name: str) -> None:
    """After a test edited ``data/<name>.csv``, make the descriptor's bytes and hash match it again."""
    descriptor = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            raw = (layout.root / resource["path"]).read_bytes()
            resource["bytes"] = len(raw)
            resource["hash"] = "sha256:" + hashlib.sha256(raw).hexdigest()
    layout.descriptor.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


#: Two English articles (three paragraphs each) for the release tests: one of a known outlet, one not.
RELEASE_PARAGRAPHS = (
    "Russia and the United States are in talks about potential cooperation in the Arctic region.",
    "The president said the talks covered shipping routes along the northern coast this summer.",
    "Officials in Kyiv described the proposal as a distraction from the war in their country.",
)


def release_doc(seed: str, outlet_id: str, *, region: str = "Arctic") -> Doc:
    """A release-test article; ``region`` varies its text so that no two articles are the same."""
    paragraphs = tuple(("en", text.replace("Arctic", region)) for text in RELEASE_PARAGRAPHS)
    return Doc(seed, outlet_id, "russian-state-media", "2025-08-23", "day", "header", "Talks on the Arctic", paragraphs)


RELEASE_DOCS: tuple[Doc, ...] = (release_doc("a", "sputnik"), release_doc("b", "", region="Antarctic"))


def write_release_project(root: Path, docs: tuple[Doc, ...] = RELEASE_DOCS) -> Layout:
    """A project ready to release: the package of ``docs``, pyproject, README, changelog, licences, citation."""
    from corpus.release.cite import write_citation

    layout = write_project(root, docs)
    (root / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.1.0"\n', encoding="utf-8")
    shutil.copytree(REPO / "LICENSES", root / "LICENSES", dirs_exist_ok=True)
    (root / "README.md").write_text("# Tiny corpus\n", encoding="utf-8")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0] - 2026-11-23\n\n- first release\n", encoding="utf-8")
    shutil.copy(layout.data / "outlets.csv", layout.catalog / "outlets.csv")  # the same columns
    write_citation(layout)  # CITATION.cff and .zenodo.json
    return layout


def set_version(root: Path, version: str) -> None:
    """Bump the version everywhere it is repeated (catalog, pyproject, citation files, descriptor, changelog)."""
    from corpus.release.cite import write_citation

    for name in ("catalog/package.toml", "pyproject.toml"):
        path = root / name
        path.write_text(re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', path.read_text(encoding="utf-8")))
    write_citation(Layout(root))
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = version
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    changelog = root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text(encoding="utf-8") + f"\n## [{version}] - 2026-11-23\n\n- test release\n")


def csv_bytes(rows: list[list[str]]) -> bytes:
    """CSV bytes the way the build writes them (LF line ends)."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def edit_csv(path: Path, edit: Callable[[list[list[str]]], object]) -> None:
    """Edit a table's rows (header first) in place; the descriptor is left as it was."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    edit(rows)
    path.write_bytes(csv_bytes(rows))


def edit_notebook(path: Path, text: str = "Edited.") -> None:
    """Append a paragraph to a notebook's first cell, as a researcher's edit would."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += f"\n\n{text}"
    nbformat.write(nb, path)
