"""The two editions: the full one as built, and the public one without the publishers' texts.

Which columns are withheld is a declared rule, not a list of tables: every table whose
descriptor carries the publisher licence loses its :data:`TEXT_FIELDS` (each replaced by its
SHA-256) and every file resource with that licence (a raw seed) is left out.

What the public edition keeps of the publishers' words is declared per field, with the reason
(:data:`KEPT_PUBLISHER_TEXT`, repeated in each field's description in the public descriptor):
headlines and bylines, as bibliographic metadata. As a safety net :func:`find_leaks` checks
*every* kept cell, those fields included, against *all* the publisher text the edition
withholds: the text columns and the raw seeds whole (body, captions, credits, sidebars, every
line). A run of :data:`LEAK_MIN_WORDS` consecutive words of withheld text is a leak unless the
package classifies the stretch it comes from as a headline or byline (:data:`PUBLISHED_KINDS` in
the ``boilerplate`` table) or it is a curated title of the catalog (a title without offsets).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from corpus.errors import ReleaseError
from corpus.fileio import sha256_bytes
from corpus.package.metadata import PUBLISHER_LICENSE_PATH, is_publisher_license, load_metadata
from corpus.package.tables import CsvRows
from corpus.paths import Layout, safe_join
from corpus.release.resources import (
    WITHHELD_FOLDER,
    csv_rows,
    field_names,
    has_publisher_licence,
    is_tabular,
    is_withheld,
    resource_bytes,
    resource_paths,
)

#: The declared rule for the public edition: a table whose descriptor carries the publisher
#: licence has these columns withheld (each replaced by ``<column>_sha256`` unless the table
#: already has it) and is then published under the package's open licence; a file resource with
#: the publisher licence (a raw seed) is left out whole.
TEXT_FIELDS = frozenset({"text"})
#: The publishers' words the public edition keeps, per field, and why (stated in the public
#: descriptor). They are checked like every other cell: see :data:`PUBLISHED_KINDS`.
KEPT_PUBLISHER_TEXT: dict[str, str] = {
    "title": "the article's headline is bibliographic metadata, cited like a title in a reference list",
    "alt_title": "a second headline of the page (often the title in another language) is bibliographic metadata",
    "author": "the byline's names are bibliographic metadata",
}
#: Kinds of seed stretches (``boilerplate`` table) whose words the public edition may repeat:
#: headlines and bylines. Every other stretch of a seed is withheld with it.
PUBLISHED_KINDS = frozenset({"title", "alt-title", "title-repeat", "byline"})
#: A run of this many consecutive words of a withheld text, found in a public cell, is a leak.
LEAK_MIN_WORDS = 8
#: Files from the project root packed into both editions (licence texts are added separately).
DOC_FILES = ("README.md", "CITATION.cff", "CHANGELOG.md")
LICENSES_DIR = "LICENSES"


def _shingles(text: str) -> Iterator[str]:
    """Yield every run of :data:`LEAK_MIN_WORDS` consecutive words of ``text``, case-folded."""
    words = text.casefold().split()
    for i in range(len(words) - LEAK_MIN_WORDS + 1):
        yield " ".join(words[i : i + LEAK_MIN_WORDS])


def runs_of(texts: Iterable[str]) -> set[int]:
    """The runs of :data:`LEAK_MIN_WORDS` words of ``texts``, as hashes (memory: one int per run)."""
    return {hash(run) for text in texts for run in _shingles(text)}


def _hash_field(name: str) -> dict[str, Any]:
    return {
        "name": f"{name}_sha256",
        "type": "string",
        "title": f"SHA-256 of {name}",
        "description": (
            f"Hex SHA-256 of the UTF-8 bytes of '{name}', which the public edition withholds "
            "(publisher copyright): holders of the texts can verify and rejoin them."
        ),
        "constraints": {"required": True, "pattern": "^[0-9a-f]{64}$"},
    }


def _public_fields(
    resource: dict[str, Any], header: list[str], withheld: list[int]
) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """The public table's fields, and for each its source column kept as is or hashed."""
    new_fields: list[dict[str, Any]] = []
    plan: list[tuple[str, int]] = []  # ("keep", i) or ("hash", i)
    for i, field in enumerate(resource["schema"]["fields"]):
        name = header[i]
        if i not in withheld:
            if name in KEPT_PUBLISHER_TEXT:
                note = f"Public edition: kept, because {KEPT_PUBLISHER_TEXT[name]}."
                field = {**field, "description": f"{field.get('description', '')} {note}".strip()}
            new_fields.append(field)
            plan.append(("keep", i))
        elif f"{name}_sha256" not in header:
            new_fields.append(_hash_field(name))
            plan.append(("hash", i))
    return new_fields, plan


def _withheld_values(rows: list[list[str]], header: list[str], withheld: list[int], *, where: str) -> list[str]:
    """The withheld cells, each checked against the table's own hash column when it has one."""
    values: list[str] = []
    for line, row in enumerate(rows, start=2):
        for i in withheld:
            values.append(row[i])
            given = f"{header[i]}_sha256"
            if given in header and row[header.index(given)] != sha256_bytes(row[i].encode("utf-8")):
                raise ReleaseError(
                    f"{where} line {line}: {given} does not match the SHA-256 of {header[i]}; rebuild with "
                    "`corpus build`"
                )
    return values


def public_table(
    data: bytes, resource: dict[str, Any], *, licenses: list[dict[str, Any]]
) -> tuple[bytes, dict[str, Any], list[str]]:
    """Withhold the :data:`TEXT_FIELDS` of one publisher-licensed table (pure).

    Each withheld column ``c`` is replaced, in place, by ``c_sha256`` (hex SHA-256 of the UTF-8
    value) unless the table already has that column, in which case it is checked instead.

    Args:
        data: The CSV bytes of the full table.
        resource: Its resource descriptor.
        licenses: The open licences the public table is published under.

    Returns:
        The public CSV bytes, the public resource descriptor, and the withheld values (for the
        leak check).

    Raises:
        ReleaseError: If the header disagrees with the schema, the table has no column named in
            :data:`TEXT_FIELDS`, or an existing hash column does not match its text.
    """
    where = resource_paths(resource)[0]
    header, rows = csv_rows(data, where=where)
    names = field_names(resource)
    if header != names:
        raise ReleaseError(f"{where}: header {header} differs from its schema {names}; rebuild with `corpus build`")
    withheld = [i for i, name in enumerate(header) if name in TEXT_FIELDS]
    if not withheld:
        raise ReleaseError(
            f"{where} is licensed {PUBLISHER_LICENSE_PATH} but has none of the columns {sorted(TEXT_FIELDS)}: add "
            "its publisher-text columns to corpus.release.editions.TEXT_FIELDS, or license the table CC-BY-4.0"
        )
    new_fields, plan = _public_fields(resource, header, withheld)
    withheld_values = _withheld_values(rows, header, withheld, where=where)
    out = io.StringIO(newline="")
    terminator = "\r\n" if b"\r\n" in data.split(b"\n", 1)[0] + b"\n" else "\n"
    writer = CsvRows(out, lineterminator=terminator)
    writer.writerow([header[i] if op == "keep" else f"{header[i]}_sha256" for op, i in plan])
    for row in rows:
        writer.writerow([row[i] if op == "keep" else sha256_bytes(row[i].encode("utf-8")) for op, i in plan])
    public = dict(resource)
    public["schema"] = {**resource["schema"], "fields": new_fields}
    public["licenses"] = licenses
    body = out.getvalue().encode("utf-8")
    if "bytes" in public:
        public["bytes"] = len(body)
    if "hash" in public:
        public["hash"] = f"sha256:{sha256_bytes(body)}"
    return body, public, withheld_values


def public_descriptor_base(descriptor: dict[str, Any], kept: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the public edition's descriptor around its resources (pure).

    Publisher licences are dropped, and foreign keys to resources that are not kept removed.
    """
    names = {r.get("name") for r in kept}
    resources = []
    for resource in kept:
        schema = resource.get("schema")
        if isinstance(schema, dict) and schema.get("foreignKeys"):
            keys = [fk for fk in schema["foreignKeys"] if fk.get("reference", {}).get("resource", "") in names | {""}]
            resource = {**resource, "schema": {**schema, "foreignKeys": keys}}
            if not keys:
                del resource["schema"]["foreignKeys"]
        resources.append(resource)
    public = {k: v for k, v in descriptor.items() if k != "resources"}
    public["name"] = f"{descriptor.get('name')}-public"
    public["title"] = f"{descriptor.get('title', descriptor.get('name'))} (public edition)"
    public["description"] = (
        f"{descriptor.get('description', '')}\n\nPublic edition: the article texts and raw pages "
        "(publisher copyright) are withheld; each text is represented by its SHA-256 so holders of "
        "the texts can verify and rejoin them."
    ).strip()
    licenses = [lic for lic in descriptor.get("licenses", []) if not is_publisher_license(lic)]
    public["licenses"] = licenses
    public["resources"] = resources
    return public


def find_leaks(withheld: set[int], published: set[int], tables: dict[str, bytes]) -> list[str]:
    """Find cells of public tables that quote a run of words of the withheld texts (pure).

    Args:
        withheld: :func:`runs_of` every withheld text (text columns, raw seeds).
        published: :func:`runs_of` the stretches the edition may repeat (headlines, bylines).
        tables: Public CSV bytes by archive path.

    Returns:
        One message per leaking cell (resource path, line, column); empty when clean. No column
        is exempt: a kept headline is checked like any cell.
    """
    leaking = withheld - published
    leaks: list[str] = []
    for path, data in sorted(tables.items()):
        header, rows = csv_rows(data, where=path)
        for line, row in enumerate(rows, start=2):
            for name, cell in zip(header, row, strict=False):
                if any(hash(run) in leaking for run in _shingles(cell)):
                    leaks.append(f"{path} line {line} column '{name}' quotes withheld publisher text")
    return leaks


def published_runs(tables: dict[str, bytes], seeds: dict[str, str]) -> set[int]:
    """The runs the public edition may repeat: seed stretches of :data:`PUBLISHED_KINDS`, curated titles.

    Args:
        tables: The public tables by archive path (``data/boilerplate.csv``, ``data/documents.csv``).
        seeds: The withheld seeds' text by file name.
    """
    texts: list[str] = []
    if "data/boilerplate.csv" in tables:
        header, rows = csv_rows(tables["data/boilerplate.csv"], where="data/boilerplate.csv")
        at = {name: header.index(name) for name in ("seed", "start", "end", "kind") if name in header}
        for row in rows:
            if len(at) == 4 and row[at["kind"]] in PUBLISHED_KINDS and row[at["seed"]] in seeds:
                start, end = row[at["start"]], row[at["end"]]
                if start.isdigit() and end.isdigit():
                    texts.append(seeds[row[at["seed"]]][int(start) : int(end)])
    if "data/documents.csv" in tables:
        header, rows = csv_rows(tables["data/documents.csv"], where="data/documents.csv")
        if {"title", "title_start"} <= set(header):
            title, offset = header.index("title"), header.index("title_start")
            texts.extend(row[title] for row in rows if not row[offset])  # curated in the catalog, with evidence
    return runs_of(texts)


@dataclass(frozen=True)
class Member:
    """One file of an archive: its path inside the archive's folder and its bytes."""

    name: str
    data: bytes


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _doc_members(layout: Layout, *, licences: Sequence[str]) -> list[Member]:
    members = []
    for name in (*DOC_FILES, *licences):
        try:
            members.append(Member(name, safe_join(layout.root, name).read_bytes()))
        except FileNotFoundError as exc:
            raise ReleaseError(f"{name} is missing: every release archive includes it") from exc
    return members


def _licence_files(layout: Layout, *, public: bool) -> list[str]:
    folder = layout.root / LICENSES_DIR
    files = sorted(p.name for p in folder.glob("*.txt")) if folder.is_dir() else []
    data_licence = load_metadata(layout).data_license
    chosen = [f for f in files if not public or f.removesuffix(".txt") == data_licence]
    if public and not chosen:
        raise ReleaseError(f"{LICENSES_DIR}/{data_licence}.txt is missing: the public edition must carry it")
    return [f"{LICENSES_DIR}/{f}" for f in chosen]


def full_members(layout: Layout, descriptor: dict[str, Any]) -> list[Member]:
    """Collect the full edition: the descriptor as built, every resource file, docs, licences."""
    members = [Member("datapackage.json", layout.descriptor.read_bytes())]
    for resource in descriptor["resources"]:
        if resource_paths(resource):
            members.append(Member(resource_paths(resource)[0], resource_bytes(layout, resource)))
    return members + _doc_members(layout, licences=_licence_files(layout, public=False))


def public_members(layout: Layout, descriptor: dict[str, Any]) -> list[Member]:
    """Collect the public edition: no withheld resources, text columns replaced by hashes.

    Raises:
        ReleaseError: If a kept cell still quotes article text (see :func:`find_leaks`).
    """
    kept: list[dict[str, Any]] = []
    members: list[Member] = []
    withheld_texts: list[str] = []
    seeds: dict[str, str] = {}
    tables: dict[str, bytes] = {}
    open_licences = [lic for lic in descriptor.get("licenses", []) if not is_publisher_license(lic)]
    if not open_licences:
        raise ReleaseError("datapackage.json names no open licence (e.g. CC-BY-4.0) for the public edition")
    for resource in descriptor["resources"]:
        if is_withheld(resource):
            for path in resource_paths(resource):
                seeds[path.removeprefix(WITHHELD_FOLDER)] = resource_bytes(layout, resource).decode("utf-8", "replace")
            continue
        if not resource_paths(resource):
            kept.append(resource)
            continue
        data = resource_bytes(layout, resource)
        path = resource_paths(resource)[0]
        if is_tabular(resource):
            if has_publisher_licence(resource):
                data, resource, texts = public_table(data, resource, licenses=open_licences)
                withheld_texts += texts
            tables[path] = data
        kept.append(resource)
        members.append(Member(path, data))
    leaks = find_leaks(runs_of([*withheld_texts, *seeds.values()]), published_runs(tables, seeds), tables)
    if leaks:
        raise ReleaseError(
            "the public edition would still contain publisher text it withholds; remove it from those cells, add "
            "the columns to corpus.release.editions.TEXT_FIELDS, or (for a headline the extraction missed) fix the "
            "extraction:\n" + "\n".join(f"  - {leak}" for leak in leaks[:20])
        )
    public = public_descriptor_base(descriptor, kept)
    members.insert(0, Member("datapackage.json", _json_bytes(public)))
    return members + _doc_members(layout, licences=_licence_files(layout, public=True))
