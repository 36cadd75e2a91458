"""Versions of the data package: semantic versions, release snapshots and the version check.

:func:`check_version` compares the current ``datapackage.json`` and tables with the last release
recorded in ``releases/<version>.json`` and applies the Data Package Version recipe (major: a
change that breaks readers, i.e. a resource or field removed, renamed, retyped, reordered or
added; minor: new rows or resources; patch: fixes of values or metadata).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.errors import ReleaseError
from corpus.fileio import sha256_bytes, write_atomic
from corpus.package.metadata import load_metadata
from corpus.paths import Layout, safe_join
from corpus.release.cite import check_citation
from corpus.release.resources import csv_rows, is_tabular, read_descriptor, resource_bytes, resource_paths
from corpus.release.semver import RANK, Bump, bump_between, next_version, parse_version

RELEASES_DIR = "releases"
SNAPSHOT_FORMAT = 1


def _canonical_hash(value: Any) -> str:
    return sha256_bytes(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def table_summary(data: bytes, resource: dict[str, Any], *, where: str) -> dict[str, Any]:
    """Summarise one table for a release snapshot (pure).

    Returns:
        Field names and types, primary key, row count, rows per ``outlet_id`` (when the table
        has that column; empty ids count as ``""``), SHA-256 of the bytes, and a hash of the
        resource's descriptor without its size and hash.
    """
    header, rows = csv_rows(data, where=where)
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
        data = resource_bytes(layout, resource)
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
    return sorted(changes, key=lambda c: -RANK[c.level])


def required_bump(changes: Iterable[Change]) -> Bump | None:
    """Return the most severe level among ``changes``; None when there are none."""
    found: Bump | None = None
    for change in changes:
        if found is None or RANK[change.level] > RANK[found]:
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
            f"no release recorded in {RELEASES_DIR}/: record the current one with `corpus release snapshot`"
        )
    last = releases[-1]
    changes = compare_snapshots(last, take_snapshot(layout))
    needed = required_bump(changes)
    made = bump_between(str(last["version"]), meta.version)
    listing = "".join(f"\n  - {c}" for c in changes)
    if needed is not None and (made is None or RANK[made] < RANK[needed]):
        suggestion = next_version(str(last["version"]), needed)
        state = (
            f"catalog/package.toml still says {meta.version}"
            if made is None
            else f"version {meta.version} is only a {made} bump"
        )
        raise ReleaseError(
            f"data or schema changed since release {last['version']} but {state}:{listing}\n"
            f'Suggested: a {needed} bump to {suggestion}. Set version = "{suggestion}" and created in '
            "catalog/package.toml and pyproject.toml, run `corpus release citation`, add a "
            f"'## [{suggestion}]' section to CHANGELOG.md, run `corpus build`, then record the release "
            "with `corpus release snapshot`."
        )
    if not _changelog_has(layout, meta.version):
        raise ReleaseError(f"CHANGELOG.md has no '## [{meta.version}]' section: describe this version there")
    if made is None:
        return f"version {meta.version}: data and schema unchanged since release {last['version']}"
    return (
        f"version {meta.version} is a {made} bump over release {last['version']} "
        f"({len(changes)} change(s){', needing ' + needed if needed else ''}); record it with "
        "`corpus release snapshot` when you publish it"
    )
