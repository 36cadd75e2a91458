"""Release the data package: version checks, reproducible archives and the public edition.

* :func:`check_version` compares the current ``datapackage.json`` and tables with the last
  release recorded in ``releases/<version>.json`` and applies the Data Package Version recipe
  (major: a change that breaks readers, i.e. a resource or field removed, renamed, retyped,
  reordered or added; minor: new rows or resources; patch: fixes of values or metadata).
* :func:`build_archives` writes ``dist/<name>-<version>.zip`` (descriptor, tables, seeds, README,
  CITATION.cff, CHANGELOG.md, licence texts, SHA256SUMS) and ``dist/<name>-public-<version>.zip``
  (the same without publisher texts and seeds, with SHA-256 hashes of the texts instead), byte
  for byte reproducible, each checked by :func:`verify_archive` before it replaces anything.

Run ``python -m corpus.release --help`` for the maintainer commands (record a release snapshot,
regenerate CITATION.cff, verify an archive).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import stat
import sys
import tempfile
import tomllib
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from corpus.errors import CorpusError, ReleaseError, UnsafePathError
from corpus.fileio import FILE_MODE, sha256_bytes, write_atomic
from corpus.fileio import read_descriptor as fileio_read_descriptor
from corpus.package.citation import render_cff
from corpus.package.metadata import PUBLISHER_LICENSE, load_metadata
from corpus.paths import Layout, safe_join

Bump = Literal["major", "minor", "patch"]
Edition = Literal["full", "public", "both"]

_RANK: dict[Bump, int] = {"patch": 1, "minor": 2, "major": 3}
#: Semantic Versioning 2.0.0 core plus optional pre-release and build (semver.org's own regex).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)

#: The declared rule for the public edition: a table whose descriptor carries the publisher
#: licence has these columns withheld (each replaced by ``<column>_sha256`` unless the table
#: already has it) and is then published under the package's open licence; a file resource with
#: the publisher licence (a raw seed) is left out whole.
TEXT_FIELDS = frozenset({"text"})
#: Free-text columns the public edition publishes on purpose (bibliographic metadata), exempt
#: from the leak check that refuses any other cell quoting a sentence of the withheld texts.
PUBLISHED_TEXT_FIELDS = frozenset({"title", "alt_title"})
#: Resources under this folder are raw publisher pages: never in the public edition.
WITHHELD_FOLDER = "seeds/"
#: A run of this many consecutive words of a withheld text, found in a public cell, is a leak.
LEAK_MIN_WORDS = 8
#: Files from the project root packed into both editions (licence texts are added separately).
DOC_FILES = ("README.md", "CITATION.cff", "CHANGELOG.md")
LICENSES_DIR = "LICENSES"
RELEASES_DIR = "releases"
SUMS_NAME = "SHA256SUMS"
SNAPSHOT_FORMAT = 1

# --- versions ------------------------------------------------------------------------------


def parse_version(version: str, *, source: str) -> tuple[int, int, int]:
    """Return ``(major, minor, patch)`` of a semantic version.

    Args:
        version: The version string, e.g. ``0.1.0``.
        source: Where the version was read, for the error message.

    Raises:
        ReleaseError: If ``version`` is not a Semantic Versioning 2.0.0 version.
    """
    match = SEMVER.match(version)
    if not match:
        raise ReleaseError(
            f"{source}: version {version!r} is not a semantic version MAJOR.MINOR.PATCH (e.g. 0.1.0); "
            "see 'Publishing a release' in the README"
        )
    return int(match[1]), int(match[2]), int(match[3])


def next_version(version: str, bump: Bump) -> str:
    """Return the version after ``version`` for a ``bump`` (pre-release and build dropped)."""
    major, minor, patch = parse_version(version, source="version")
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def bump_between(old: str, new: str) -> Bump | None:
    """Return the level by which ``new`` exceeds ``old``; None when equal.

    Raises:
        ReleaseError: If ``new`` is lower than ``old`` or either is not semantic.
    """
    a = parse_version(old, source="last release")
    b = parse_version(new, source="catalog/package.toml")
    if b < a:
        raise ReleaseError(f"catalog/package.toml version {new} is lower than the last release {old}")
    if a == b:
        return None
    if b[0] != a[0]:
        return "major"
    return "minor" if b[1] != a[1] else "patch"


# --- small I/O helpers -----------------------------------------------------------------------


def read_descriptor(layout: Layout) -> dict[str, Any]:
    """Read ``datapackage.json`` (see :func:`corpus.fileio.read_descriptor`), raising ReleaseError."""
    return fileio_read_descriptor(layout.descriptor, error=ReleaseError)


def resource_paths(resource: dict[str, Any]) -> list[str]:
    """Return the relative paths of a resource (``path`` may be a string or a list)."""
    path = resource.get("path")
    if path is None:
        return []
    return [path] if isinstance(path, str) else [str(p) for p in path]


def is_tabular(resource: dict[str, Any]) -> bool:
    """Whether a resource is a CSV table with an inline schema."""
    return isinstance(resource.get("schema"), dict) and bool(resource_paths(resource))


def has_publisher_licence(resource: dict[str, Any]) -> bool:
    """Whether a resource's descriptor declares the publisher-copyright licence."""
    return any(isinstance(lic, dict) and lic.get("name") == PUBLISHER_LICENSE for lic in resource.get("licenses", []))


def is_withheld(resource: dict[str, Any]) -> bool:
    """Whether a resource is publisher material left out of the public edition as a whole."""
    in_seeds = any(p.startswith(WITHHELD_FOLDER) for p in resource_paths(resource))
    return in_seeds or (has_publisher_licence(resource) and not is_tabular(resource))


def _resource_bytes(layout: Layout, resource: dict[str, Any]) -> bytes:
    paths = resource_paths(resource)
    if len(paths) != 1:
        raise ReleaseError(
            f"datapackage.json: resource {resource.get('name')!r} has {len(paths)} paths; "
            "releases support exactly one local path per resource"
        )
    try:
        return safe_join(layout.root, paths[0]).read_bytes()
    except FileNotFoundError as exc:
        raise ReleaseError(
            f"datapackage.json: resource {resource.get('name')!r} points to {paths[0]}, which does not "
            "exist; rebuild with `corpus build`"
        ) from exc


def _field_names(resource: dict[str, Any]) -> list[str]:
    return [str(f.get("name")) for f in resource["schema"].get("fields", [])]


def _csv_rows(data: bytes, *, where: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReleaseError(f"{where} is not UTF-8: {exc}; rebuild with `corpus build`") from exc
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ReleaseError(f"{where} is empty: a table needs at least its header row")
    return rows[0], rows[1:]


# --- citation sync ---------------------------------------------------------------------------


def citation_problems(layout: Layout) -> list[str]:
    """List every disagreement between catalog/package.toml and the files that repeat it.

    Checks the version is semantic, ``pyproject.toml``'s ``[project] version``, ``CITATION.cff``
    (must equal :func:`corpus.cite.render_cff` of the catalog) and, when it exists,
    ``datapackage.json``'s name, version and created.

    Returns:
        One message per problem, each saying how to fix it; empty when all agree.
    """
    meta = load_metadata(layout)
    problems: list[str] = []
    try:
        parse_version(meta.version, source="catalog/package.toml")
    except ReleaseError as exc:
        problems.append(str(exc))
    try:
        project = tomllib.loads(layout.pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("version") != meta.version:
            problems.append(
                f"pyproject.toml: version {project.get('version')!r} differs from catalog/package.toml "
                f'{meta.version!r}; set [project] version = "{meta.version}"'
            )
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"pyproject.toml cannot be read ({exc}); it must repeat version {meta.version}")
    cff = layout.root / "CITATION.cff"
    expected = render_cff(meta)
    try:
        if cff.read_text(encoding="utf-8") != expected:
            problems.append(
                "CITATION.cff is out of sync with catalog/package.toml (version, date, authors or text "
                "differ); regenerate it with `python -m corpus.release citation`"
            )
    except FileNotFoundError:
        problems.append("CITATION.cff is missing; generate it with `python -m corpus.release citation`")
    if layout.descriptor.is_file():
        descriptor = read_descriptor(layout)
        created = str(descriptor.get("created", ""))
        for key, have, want in (
            ("name", descriptor.get("name"), meta.name),
            ("version", descriptor.get("version"), meta.version),
            ("created", created[:10], meta.released.isoformat()),
        ):
            if have != want:
                problems.append(
                    f"datapackage.json: {key} {have!r} differs from catalog/package.toml {want!r}; "
                    "rebuild with `corpus build`"
                )
    return problems


def check_citation(layout: Layout) -> None:
    """Raise if the version/date/citation files disagree with catalog/package.toml.

    Raises:
        ReleaseError: Listing every problem found by :func:`citation_problems`.
    """
    problems = citation_problems(layout)
    if problems:
        raise ReleaseError("release metadata out of sync:\n" + "\n".join(f"  - {p}" for p in problems))


def write_citation(layout: Layout) -> Path:
    """Regenerate ``CITATION.cff`` from catalog/package.toml (atomically); return its path."""
    path = layout.root / "CITATION.cff"
    write_atomic(path, render_cff(load_metadata(layout)).encode("utf-8"))
    return path


# --- snapshots and the version check --------------------------------------------------------


def _canonical_hash(value: Any) -> str:
    return sha256_bytes(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def table_summary(data: bytes, resource: dict[str, Any], *, where: str) -> dict[str, Any]:
    """Summarise one table for a release snapshot (pure).

    Returns:
        Field names and types, primary key, row count, rows per ``outlet_id`` (when the table
        has that column; empty ids count as ``""``), SHA-256 of the bytes, and a hash of the
        resource's descriptor without its size and hash.
    """
    header, rows = _csv_rows(data, where=where)
    schema = resource["schema"]
    summary: dict[str, Any] = {
        "kind": "table",
        "path": resource_paths(resource)[0],
        "fields": [[str(f.get("name")), str(f.get("type", "any"))] for f in schema.get("fields", [])],
        "primary_key": schema.get("primaryKey", []),
        "rows": len(rows),
        "sha256": sha256_bytes(data),
        "metadata_sha256": _canonical_hash({k: v for k, v in resource.items() if k not in {"bytes", "hash"}}),
    }
    if "outlet_id" in header:
        column = header.index("outlet_id")
        counts = Counter(row[column] if column < len(row) else "" for row in rows)
        summary["rows_per_outlet"] = dict(sorted(counts.items()))
    return summary


def take_snapshot(layout: Layout) -> dict[str, Any]:
    """Summarise the current datapackage.json and its files for comparison with a release.

    Raises:
        ReleaseError: If the descriptor or a file it names is missing or unreadable.
    """
    descriptor = read_descriptor(layout)
    resources: dict[str, Any] = {}
    for resource in descriptor["resources"]:
        name = str(resource.get("name"))
        data = _resource_bytes(layout, resource)
        if is_tabular(resource):
            resources[name] = table_summary(data, resource, where=resource_paths(resource)[0])
        else:
            resources[name] = {
                "kind": "file",
                "path": resource_paths(resource)[0],
                "bytes": len(data),
                "sha256": sha256_bytes(data),
                "metadata_sha256": _canonical_hash({k: v for k, v in resource.items() if k not in {"bytes", "hash"}}),
            }
    package_meta = {k: v for k, v in descriptor.items() if k not in {"resources", "version", "created"}}
    return {
        "format": SNAPSHOT_FORMAT,
        "name": descriptor.get("name"),
        "version": descriptor.get("version"),
        "created": descriptor.get("created"),
        "metadata_sha256": _canonical_hash(package_meta),
        "resources": dict(sorted(resources.items())),
    }


def record_snapshot(layout: Layout, *, replace: bool = False) -> Path:
    """Record the current package as the release of its version in ``releases/<version>.json``.

    Args:
        layout: The project.
        replace: Overwrite an existing snapshot of the same version that differs (only for a
            version that has not been published yet).

    Returns:
        The snapshot's path.

    Raises:
        ReleaseError: If the release metadata is out of sync, or a different snapshot of this
            version exists and ``replace`` is false (a published release never changes).
    """
    check_citation(layout)
    snapshot = take_snapshot(layout)
    version = str(snapshot["version"])
    path = safe_join(layout.root / RELEASES_DIR, f"{version}.json")
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") != text and not replace:
        raise ReleaseError(
            f"{RELEASES_DIR}/{version}.json already records a different release {version}: bump the "
            "version, or pass --replace if this version was never published"
        )
    write_atomic(path, text.encode("utf-8"))
    return path


def recorded_releases(layout: Layout) -> list[dict[str, Any]]:
    """Return the recorded release snapshots, oldest version first.

    Raises:
        ReleaseError: If a snapshot is unreadable or named with a non-semantic version.
    """
    folder = layout.root / RELEASES_DIR
    found: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        version = path.stem
        key = parse_version(version, source=f"{RELEASES_DIR}/{path.name}")
        try:
            snapshot = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ReleaseError(f"{RELEASES_DIR}/{path.name} is not valid JSON: {exc}") from exc
        if snapshot.get("version") != version or snapshot.get("format") != SNAPSHOT_FORMAT:
            raise ReleaseError(
                f"{RELEASES_DIR}/{path.name}: records version {snapshot.get('version')!r} in format "
                f"{snapshot.get('format')!r}; expected {version} in format {SNAPSHOT_FORMAT}"
            )
        found.append((key, snapshot))
    return [snapshot for _, snapshot in sorted(found, key=lambda pair: pair[0])]


@dataclass(frozen=True)
class Change:
    """One difference between a release and the current package, with the bump it needs."""

    level: Bump
    what: str

    def __str__(self) -> str:
        return f"[{self.level}] {self.what}"


def _outlet_delta(old: dict[str, int], new: dict[str, int]) -> str:
    parts = []
    for outlet in sorted(set(old) | set(new)):
        delta = new.get(outlet, 0) - old.get(outlet, 0)
        if delta:
            parts.append(f"{outlet or '(unknown outlet)'} {delta:+d}")
    return f" ({', '.join(parts)})" if parts else ""


def _compare_table(name: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    old_fields = [tuple(f) for f in old["fields"]]
    new_fields = [tuple(f) for f in new["fields"]]
    old_types, new_types = dict(old_fields), dict(new_fields)
    for field in old_types.keys() - new_types.keys():
        yield Change("major", f"{name}: field '{field}' removed or renamed")
    for field in new_types.keys() - old_types.keys():
        yield Change("major", f"{name}: field '{field}' added (readers relying on the columns break)")
    for field in sorted(old_types.keys() & new_types.keys()):
        if old_types[field] != new_types[field]:
            yield Change("major", f"{name}: field '{field}' type {old_types[field]} -> {new_types[field]}")
    common_old = [f for f, _ in old_fields if f in new_types]
    common_new = [f for f, _ in new_fields if f in old_types]
    if common_old != common_new:
        yield Change("major", f"{name}: fields reordered")
    if old["primary_key"] != new["primary_key"]:
        yield Change("major", f"{name}: primary key {old['primary_key']} -> {new['primary_key']}")
    delta = _outlet_delta(old.get("rows_per_outlet", {}), new.get("rows_per_outlet", {}))
    if new["rows"] < old["rows"]:
        yield Change("major", f"{name}: {old['rows'] - new['rows']} row(s) removed{delta}")
    elif new["rows"] > old["rows"]:
        yield Change("minor", f"{name}: {new['rows'] - old['rows']} row(s) added{delta}")
    elif old["sha256"] != new["sha256"]:
        yield Change("patch", f"{name}: values changed in existing rows{delta}")
    if old["metadata_sha256"] != new["metadata_sha256"] and old_fields == new_fields:
        yield Change("patch", f"{name}: descriptor metadata changed (descriptions, formats, constraints)")


def compare_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """List the changes from release snapshot ``old`` to ``new`` (pure).

    Returns:
        The changes, most severe first; empty when the package is unchanged.
    """
    changes: list[Change] = []
    old_res, new_res = old["resources"], new["resources"]
    changes += [Change("major", f"resource '{n}' removed") for n in sorted(old_res.keys() - new_res.keys())]
    changes += [Change("minor", f"resource '{n}' added") for n in sorted(new_res.keys() - old_res.keys())]
    for name in sorted(old_res.keys() & new_res.keys()):
        a, b = old_res[name], new_res[name]
        if a["kind"] != b["kind"]:
            changes.append(Change("major", f"resource '{name}' changed from {a['kind']} to {b['kind']}"))
        elif a["kind"] == "table":
            changes += list(_compare_table(name, a, b))
        elif a["sha256"] != b["sha256"]:
            changes.append(Change("patch", f"resource '{name}' content changed ({a['bytes']} -> {b['bytes']} bytes)"))
        elif a["metadata_sha256"] != b["metadata_sha256"]:
            changes.append(Change("patch", f"resource '{name}': descriptor metadata changed"))
        if a["path"] != b["path"]:
            changes.append(Change("major", f"resource '{name}' moved from {a['path']} to {b['path']}"))
    if old["metadata_sha256"] != new["metadata_sha256"]:
        changes.append(Change("patch", "package metadata changed (title, description, licences, contributors...)"))
    return sorted(changes, key=lambda c: -_RANK[c.level])


def required_bump(changes: Iterable[Change]) -> Bump | None:
    """Return the most severe level among ``changes``; None when there are none."""
    found: Bump | None = None
    for change in changes:
        if found is None or _RANK[change.level] > _RANK[found]:
            found = change.level
    return found


def _changelog_has(layout: Layout, version: str) -> bool:
    try:
        text = (layout.root / "CHANGELOG.md").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return re.search(rf"^## \[?{re.escape(version)}\]?(\s|$)", text, flags=re.MULTILINE) is not None


def check_version(layout: Layout) -> str:
    """Fail when data or schema changed since the last recorded release but the version did not.

    Also requires the release metadata to be in sync (:func:`check_citation`) and CHANGELOG.md
    to have a ``## [<version>]`` section for the current version.

    Returns:
        A one-line summary when the version is right.

    Raises:
        ReleaseError: With the changes found and the suggested bump and next version.
    """
    check_citation(layout)
    meta = load_metadata(layout)
    releases = recorded_releases(layout)
    if not releases:
        raise ReleaseError(
            f"no release recorded in {RELEASES_DIR}/: record the current one with `python -m corpus.release snapshot`"
        )
    last = releases[-1]
    changes = compare_snapshots(last, take_snapshot(layout))
    needed = required_bump(changes)
    made = bump_between(str(last["version"]), meta.version)
    listing = "".join(f"\n  - {c}" for c in changes)
    if needed is not None and (made is None or _RANK[made] < _RANK[needed]):
        suggestion = next_version(str(last["version"]), needed)
        state = (
            f"catalog/package.toml still says {meta.version}"
            if made is None
            else f"version {meta.version} is only a {made} bump"
        )
        raise ReleaseError(
            f"data or schema changed since release {last['version']} but {state}:{listing}\n"
            f'Suggested: a {needed} bump to {suggestion}. Set version = "{suggestion}" and created in '
            "catalog/package.toml and pyproject.toml, run `python -m corpus.release citation`, add a "
            f"'## [{suggestion}]' section to CHANGELOG.md, run `corpus build`, then record the release "
            "with `python -m corpus.release snapshot`."
        )
    if not _changelog_has(layout, meta.version):
        raise ReleaseError(f"CHANGELOG.md has no '## [{meta.version}]' section: describe this version there")
    if made is None:
        return f"version {meta.version}: data and schema unchanged since release {last['version']}"
    return (
        f"version {meta.version} is a {made} bump over release {last['version']} "
        f"({len(changes)} change(s){', needing ' + needed if needed else ''}); record it with "
        "`python -m corpus.release snapshot` when you publish it"
    )


# --- the public edition ------------------------------------------------------------------------


def _shingles(text: str) -> Iterator[str]:
    """Yield every run of :data:`LEAK_MIN_WORDS` consecutive words of ``text``, case-folded."""
    words = text.casefold().split()
    for i in range(len(words) - LEAK_MIN_WORDS + 1):
        yield " ".join(words[i : i + LEAK_MIN_WORDS])


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
    header, rows = _csv_rows(data, where=where)
    names = _field_names(resource)
    if header != names:
        raise ReleaseError(f"{where}: header {header} differs from its schema {names}; rebuild with `corpus build`")
    withheld = [i for i, name in enumerate(header) if name in TEXT_FIELDS]
    if not withheld:
        raise ReleaseError(
            f"{where} is licensed {PUBLISHER_LICENSE} but has none of the columns {sorted(TEXT_FIELDS)}: add "
            "its publisher-text columns to corpus.release.TEXT_FIELDS, or license the table CC-BY-4.0"
        )
    new_fields: list[dict[str, Any]] = []
    plan: list[tuple[str, int]] = []  # ("keep", i) or ("hash", i)
    for i, field in enumerate(resource["schema"]["fields"]):
        name = header[i]
        if i not in withheld:
            new_fields.append(field)
            plan.append(("keep", i))
        elif f"{name}_sha256" not in header:
            new_fields.append(
                {
                    "name": f"{name}_sha256",
                    "type": "string",
                    "title": f"SHA-256 of {name}",
                    "description": (
                        f"Hex SHA-256 of the UTF-8 bytes of '{name}', which the public edition withholds "
                        "(publisher copyright): holders of the texts can verify and rejoin them."
                    ),
                    "constraints": {"required": True, "pattern": "^[0-9a-f]{64}$"},
                }
            )
            plan.append(("hash", i))
    withheld_values: list[str] = []
    for line, row in enumerate(rows, start=2):
        for i in withheld:
            withheld_values.append(row[i])
            given = f"{header[i]}_sha256"
            if given in header and row[header.index(given)] != sha256_bytes(row[i].encode("utf-8")):
                raise ReleaseError(
                    f"{where} line {line}: {given} does not match the SHA-256 of {header[i]}; rebuild with "
                    "`corpus build`"
                )
    out = io.StringIO(newline="")
    terminator = "\r\n" if b"\r\n" in data.split(b"\n", 1)[0] + b"\n" else "\n"
    writer = csv.writer(out, lineterminator=terminator)
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
    licenses = [lic for lic in descriptor.get("licenses", []) if lic.get("name") != PUBLISHER_LICENSE]
    public["licenses"] = licenses
    public["resources"] = resources
    return public


def find_leaks(withheld: Iterable[str], tables: dict[str, bytes]) -> list[str]:
    """Find cells of public tables that quote a run of words of the withheld texts (pure).

    Args:
        withheld: The withheld text values.
        tables: Public CSV bytes by archive path.

    Returns:
        One message per leaking cell (resource path, line, column); empty when clean. Columns in
        :data:`PUBLISHED_TEXT_FIELDS` are exempt.
    """
    runs = {run for text in withheld for run in _shingles(text)}
    leaks: list[str] = []
    for path, data in sorted(tables.items()):
        header, rows = _csv_rows(data, where=path)
        for line, row in enumerate(rows, start=2):
            for name, cell in zip(header, row, strict=False):
                if name not in PUBLISHED_TEXT_FIELDS and any(run in runs for run in _shingles(cell)):
                    leaks.append(f"{path} line {line} column '{name}' quotes article text")
    return leaks


# --- archives ----------------------------------------------------------------------------------


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
            members.append(Member(resource_paths(resource)[0], _resource_bytes(layout, resource)))
    return members + _doc_members(layout, licences=_licence_files(layout, public=False))


def public_members(layout: Layout, descriptor: dict[str, Any]) -> list[Member]:
    """Collect the public edition: no withheld resources, text columns replaced by hashes.

    Raises:
        ReleaseError: If a kept cell still quotes article text (see :func:`find_leaks`).
    """
    kept: list[dict[str, Any]] = []
    members: list[Member] = []
    withheld_texts: list[str] = []
    tables: dict[str, bytes] = {}
    open_licences = [lic for lic in descriptor.get("licenses", []) if lic.get("name") != PUBLISHER_LICENSE]
    if not open_licences:
        raise ReleaseError("datapackage.json names no open licence (e.g. CC-BY-4.0) for the public edition")
    for resource in descriptor["resources"]:
        if is_withheld(resource):
            continue
        if not resource_paths(resource):
            kept.append(resource)
            continue
        data = _resource_bytes(layout, resource)
        path = resource_paths(resource)[0]
        if is_tabular(resource):
            if has_publisher_licence(resource):
                data, resource, texts = public_table(data, resource, licenses=open_licences)
                withheld_texts += texts
            tables[path] = data
        kept.append(resource)
        members.append(Member(path, data))
    leaks = find_leaks(withheld_texts, tables)
    if leaks:
        raise ReleaseError(
            "the public edition would still contain article text; add the columns to "
            "corpus.release.TEXT_FIELDS or drop them:\n" + "\n".join(f"  - {leak}" for leak in leaks[:20])
        )
    public = public_descriptor_base(descriptor, kept)
    members.insert(0, Member("datapackage.json", _json_bytes(public)))
    return members + _doc_members(layout, licences=_licence_files(layout, public=True))


def sha256sums(members: Iterable[Member]) -> bytes:
    """Return a ``sha256sum``-compatible listing of ``members`` (sorted by name)."""
    lines = [f"{sha256_bytes(m.data)}  {m.name}\n" for m in sorted(members, key=lambda m: m.name)]
    return "".join(lines).encode("utf-8")


def zip_bytes(members: Sequence[Member], *, folder: str, released: date) -> bytes:
    """Pack ``members`` plus their SHA256SUMS under ``folder/`` into a reproducible zip (pure).

    Entries are sorted, stamped with the release date at midnight, marked as Unix files with
    mode 0644 and deflated at level 9, so the same members always give the same bytes.
    """
    names = [m.name for m in members]
    if len(set(names)) != len(names) or SUMS_NAME in names:
        raise ReleaseError(f"archive {folder}: duplicate member names or a member called {SUMS_NAME}")
    everything = [*members, Member(SUMS_NAME, sha256sums(members))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in sorted(everything, key=lambda m: m.name):
            info = zipfile.ZipInfo(
                f"{folder}/{member.name}", date_time=(released.year, released.month, released.day, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is honoured by unzip
            info.external_attr = (stat.S_IFREG | FILE_MODE) << 16
            archive.writestr(info, member.data, compresslevel=9)
    return buffer.getvalue()


def _safe_entries(archive: zipfile.ZipFile, *, label: str) -> tuple[str, list[zipfile.ZipInfo]]:
    infos = archive.infolist()
    if not infos:
        raise ReleaseError(f"{label} is empty")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise ReleaseError(f"{label} has duplicate entries; refusing to unpack it")
    for info in infos:
        try:
            safe_join(Path("archive"), info.filename)
        except UnsafePathError as exc:
            raise ReleaseError(
                f"{label}: entry {info.filename!r} would unpack outside its folder (absolute path or "
                "'..'); refusing to unpack this archive"
            ) from exc
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ReleaseError(f"{label}: entry {info.filename!r} is a symbolic link; refusing to unpack it")
    roots = {PurePosixPath(n).parts[0] for n in names}
    if len(roots) != 1 or any(len(PurePosixPath(n).parts) < 2 for n in names if not n.endswith("/")):
        raise ReleaseError(f"{label}: entries must all lie in one top folder, found {sorted(roots)}")
    return roots.pop(), [i for i in infos if not i.is_dir()]


def _check_sums(archive: zipfile.ZipFile, files: list[zipfile.ZipInfo], *, folder: str, label: str) -> None:
    sums_name = f"{folder}/{SUMS_NAME}"
    try:
        listing = archive.read(sums_name).decode("utf-8")
    except KeyError as exc:
        raise ReleaseError(f"{label} has no {SUMS_NAME}; rebuild it with `nox -s package`") from exc
    listed: dict[str, str] = {}
    for line in listing.splitlines():
        match = re.fullmatch(r"([0-9a-f]{64})  (.+)", line)
        if not match:
            raise ReleaseError(f"{label}: malformed {SUMS_NAME} line {line!r}")
        listed[f"{folder}/{match[2]}"] = match[1]
    present = {i.filename for i in files} - {sums_name}
    if present != set(listed):
        extra = sorted(present - set(listed)) + sorted(set(listed) - present)
        raise ReleaseError(f"{label}: {SUMS_NAME} and the archive's files disagree on {extra}")
    for name, want in sorted(listed.items()):
        if sha256_bytes(archive.read(name)) != want:
            raise ReleaseError(f"{label}: {name} does not match its SHA-256 in {SUMS_NAME}; the archive is corrupt")


def frictionless_problems(descriptor: Path) -> list[str]:
    """Validate an unpacked data package with the Frictionless Python API.

    Returns:
        One message per error (empty when valid).
    """
    from frictionless import FrictionlessException, Package

    try:
        report = Package(str(descriptor)).validate()
    except FrictionlessException as exc:
        return [str(exc)]
    problems = [e.message for e in report.errors]
    for task in report.tasks:
        problems += [f"{task.name}: {e.message}" for e in task.errors]
    return problems


def verify_archive(path: Path) -> None:
    """Check a release archive: safe entry names, checksums, and Frictionless validity.

    The archive's own SHA-256 is checked against ``<archive>.sha256`` when that file exists;
    every entry against the archive's SHA256SUMS; then it is unpacked into a temporary folder
    and its ``datapackage.json`` validated.

    Raises:
        ReleaseError: Naming the archive and the entry at fault.
    """
    label = path.name
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.is_file():
        want = sidecar.read_text(encoding="utf-8").split()[0]
        if sha256_bytes(path.read_bytes()) != want:
            raise ReleaseError(f"{label}: its SHA-256 does not match {sidecar.name}; download or rebuild it again")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, FileNotFoundError) as exc:
        raise ReleaseError(f"{label} is not a readable zip archive: {exc}") from exc
    with archive, tempfile.TemporaryDirectory(prefix="corpus-verify-") as tmp:
        folder, files = _safe_entries(archive, label=label)
        _check_sums(archive, files, folder=folder, label=label)
        for info in files:
            target = safe_join(Path(tmp), info.filename)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
        descriptor = Path(tmp) / folder / "datapackage.json"
        if not descriptor.is_file():
            raise ReleaseError(f"{label} has no {folder}/datapackage.json")
        problems = frictionless_problems(descriptor)
    if problems:
        raise ReleaseError(
            f"{label} does not validate with Frictionless after unpacking:\n"
            + "\n".join(f"  - {p}" for p in problems[:20])
        )


def _install(layout: Layout, name: str, data: bytes) -> Path:
    """Write an archive to dist/ only after it verifies; then its .sha256 beside it."""
    path = layout.dist / name
    write_atomic(path, data, check=verify_archive)
    write_atomic(path.with_name(name + ".sha256"), f"{sha256_bytes(data)}  {name}\n".encode())
    return path


def build_archives(layout: Layout, *, edition: Edition) -> list[Path]:
    """Build the release archive(s) into ``dist/``.

    Args:
        layout: The project (datapackage.json must be built and in sync with the catalog).
        edition: ``full`` (``<name>-<version>.zip``), ``public`` (``<name>-public-<version>.zip``)
            or ``both``.

    Returns:
        The archive paths written, full edition first.

    Raises:
        ReleaseError: If the release metadata is out of sync, a file is missing, the public
            edition would leak text, or an archive fails verification (nothing is replaced).
    """
    check_citation(layout)
    meta = load_metadata(layout)
    descriptor = read_descriptor(layout)
    wanted: list[tuple[str, list[Member]]] = []
    if edition in ("full", "both"):
        wanted.append((f"{meta.name}-{meta.version}", full_members(layout, descriptor)))
    if edition in ("public", "both"):
        wanted.append((f"{meta.name}-public-{meta.version}", public_members(layout, descriptor)))
    built = [(stem, zip_bytes(members, folder=stem, released=meta.released)) for stem, members in wanted]
    return [_install(layout, f"{stem}.zip", data) for stem, data in built]


# --- maintainer commands -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m corpus.release``; return the exit code."""
    from corpus.paths import project

    top = argparse.ArgumentParser(prog="python -m corpus.release", description="Release maintenance commands.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("snapshot", help="record the current package as the release of its version in releases/")
    p.add_argument("--replace", action="store_true", help="overwrite a snapshot of a version never published")
    sub.add_parser("citation", help="regenerate CITATION.cff from catalog/package.toml")
    sub.add_parser("check", help="the version check (same as `corpus version-check`)")
    p = sub.add_parser("verify", help="verify release archives (paths, checksums, Frictionless)")
    p.add_argument("archives", nargs="+", type=Path)
    args = top.parse_args(argv)
    try:
        layout = project()
        if args.command == "snapshot":
            print(record_snapshot(layout, replace=args.replace).relative_to(layout.root))
        elif args.command == "citation":
            print(write_citation(layout).relative_to(layout.root))
        elif args.command == "check":
            print(check_version(layout))
        else:
            for archive in args.archives:
                verify_archive(archive)
                print(f"{archive}: ok")
    except CorpusError as exc:
        print(f"corpus.release {args.command}: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
