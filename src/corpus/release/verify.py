"""Verify a release archive that someone downloaded, trusting nothing in it (``corpus verify ARCHIVE``).

The verifier needs no checkout (it reads nothing but the archive and its ``.sha256`` sidecar) and
never touches the network. Before anything is decompressed it reads the zip's central directory
and refuses: entries that would unpack outside one top folder, links, duplicates; a total size
over :data:`MAX_TOTAL_BYTES` (or ``--max-bytes``); a member larger than the ``bytes`` its
descriptor declares. It then reads ``SHA256SUMS`` and ``datapackage.json`` (each capped at
:data:`MAX_METADATA_BYTES`) and refuses a descriptor whose resources are not local files of the
archive (an ``http://``, ``file:``, absolute or ``..`` path, a remote schema or profile), and an
archive whose files are not exactly those ``SHA256SUMS`` lists, which are exactly the
descriptor's resources plus the documentation (:data:`DOCUMENTS`). Only then is each member
unpacked, streamed with a cap of its declared size, and hashed; Frictionless finally validates
the unpacked package with remote loading impossible (every path was checked to be a local member).
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from corpus.errors import ReleaseError, UnsafePathError
from corpus.fileio import storage_errors
from corpus.package.frictionless import frictionless_problems
from corpus.paths import safe_join
from corpus.release.spreadsheet import SPREADSHEET

SUMS_NAME = "SHA256SUMS"
DESCRIPTOR = "datapackage.json"
#: The largest total uncompressed size accepted (refused before anything is decompressed).
MAX_TOTAL_BYTES = 4 * 1024**3
#: The largest ``datapackage.json`` or ``SHA256SUMS`` read.
MAX_METADATA_BYTES = 64 * 1024**2
#: Files an archive carries besides its descriptor and resources (``LICENSES/*.txt`` too): the
#: documentation and the spreadsheet view of the tables (:mod:`corpus.release.spreadsheet`).
DOCUMENTS = frozenset({"README.md", "CITATION.cff", "CHANGELOG.md", SUMS_NAME, SPREADSHEET})
#: The only profiles a descriptor may name: Frictionless knows them without fetching anything.
PROFILES = frozenset(
    {
        "https://datapackage.org/profiles/2.0/datapackage.json",
        "https://datapackage.org/profiles/1.0/datapackage.json",
        "https://datapackage.org/profiles/2.0/dataresource.json",
        "https://datapackage.org/profiles/1.0/dataresource.json",
        "data-package",
        "tabular-data-package",
        "data-resource",
        "tabular-data-resource",
    }
)
_BLOCK = 1 << 20


def _is_document(name: str) -> bool:
    return name in DOCUMENTS or (name.startswith("LICENSES/") and name.count("/") == 1 and name.endswith(".txt"))


def check_sidecar(path: Path) -> None:
    """Check an archive against ``<archive>.sha256`` when that file exists (``sha256sum`` format).

    Raises:
        ReleaseError: If the sidecar is empty, not UTF-8, not ``<64 hex digits>  <name>``, names
            another file, or the archive's SHA-256 differs.
    """
    sidecar = path.with_name(path.name + ".sha256")
    if not sidecar.is_file():
        return
    with storage_errors(f"reading {sidecar.name}"):
        raw = sidecar.read_bytes()[:4096]
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ReleaseError(f"{sidecar.name} is not UTF-8 text: download it again") from exc
    match = re.fullmatch(r"([0-9a-fA-F]{64})(?: [ *](.+))?", lines[0].strip()) if len(lines) == 1 else None
    if match is None:
        raise ReleaseError(
            f"{sidecar.name} is empty or not one line '<SHA-256 in hex>  {path.name}' (sha256sum format): "
            "download it again"
        )
    if match[2] is not None and PurePosixPath(match[2]).name != path.name:
        raise ReleaseError(f"{sidecar.name} is the checksum of {match[2]!r}, not of {path.name}")
    digest = hashlib.sha256()
    with storage_errors(f"reading {path.name}"), path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    if digest.hexdigest() != match[1].lower():
        raise ReleaseError(f"{path.name}: its SHA-256 does not match {sidecar.name}; download or rebuild it again")


def safe_entries(archive: zipfile.ZipFile, *, label: str) -> tuple[str, dict[str, zipfile.ZipInfo]]:
    """The archive's one top folder and its files by path inside that folder (central directory only).

    Raises:
        ReleaseError: For no entries, duplicates, links, or entries escaping one top folder.
    """
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
    folder = roots.pop()
    return folder, {i.filename.split("/", 1)[1]: i for i in infos if not i.is_dir()}


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, sink: Callable[[bytes], object]) -> str:
    """Decompress one member block by block into ``sink``, refusing more than ``cap`` bytes; its SHA-256."""
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(info) as handle:
            for block in iter(lambda: handle.read(_BLOCK), b""):
                size += len(block)
                if size > cap:
                    raise ReleaseError(f"{info.filename}: more than the {cap:,} bytes declared; refusing to unpack it")
                digest.update(block)
                sink(block)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ReleaseError(f"{info.filename}: cannot be decompressed ({exc}); the archive is corrupt") from exc
    return digest.hexdigest()


def _read_metadata(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A small member (descriptor, checksums), at most :data:`MAX_METADATA_BYTES`."""
    if info.file_size > MAX_METADATA_BYTES:
        raise ReleaseError(f"{info.filename}: {info.file_size:,} bytes, over {MAX_METADATA_BYTES:,}; refusing it")
    kept: list[bytes] = []
    _stream(archive, info, info.file_size, kept.append)
    return b"".join(kept)


def _sums(archive: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo], *, label: str) -> dict[str, str]:
    """``SHA256SUMS`` as path → hex digest; it must list exactly the archive's other files."""
    if SUMS_NAME not in files:
        raise ReleaseError(f"{label} has no {SUMS_NAME}; rebuild it with `nox -s package`")
    raw = _read_metadata(archive, files[SUMS_NAME])
    listed: dict[str, str] = {}
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ReleaseError(f"{label}: {SUMS_NAME} is not UTF-8 text") from exc
    for line in lines:
        match = re.fullmatch(r"([0-9a-f]{64})  (.+)", line)
        if not match:
            raise ReleaseError(f"{label}: malformed {SUMS_NAME} line {line[:100]!r}")
        listed[match[2]] = match[1]
    present = set(files) - {SUMS_NAME}
    if present != set(listed):
        extra = sorted(present - set(listed)) + sorted(set(listed) - present)
        raise ReleaseError(
            f"{label}: {SUMS_NAME} and the archive's files disagree on {extra} (an undeclared or missing member)"
        )
    return listed


def _local_path(value: object, *, where: str) -> str:
    """A resource's path, refused unless it is a plain relative path (so nothing is fetched)."""
    if not isinstance(value, str) or not value:
        raise ReleaseError(f"{where}: path {value!r} is not one relative file path")
    if urlsplit(value).scheme or value.startswith(("/", "~")) or "\\" in value or ".." in value.split("/"):
        raise ReleaseError(
            f"{where}: path {value!r} is remote or outside the archive; a release holds all its files, so it is "
            "refused (nothing was fetched)"
        )
    return value


def _resource_paths(descriptor: object, files: dict[str, zipfile.ZipInfo], *, label: str) -> dict[str, int | None]:
    """Every resource's local path with the bytes it declares; remote or missing resources refused."""
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise ReleaseError(f"{label}: {DESCRIPTOR} is not a data package descriptor with a resources list")
    for key in ("$schema", "profile"):
        if key in descriptor and descriptor[key] not in PROFILES:
            raise ReleaseError(f"{label}: {DESCRIPTOR} names the profile {descriptor[key]!r}, which would be fetched")
    declared: dict[str, int | None] = {}
    for index, resource in enumerate(descriptor["resources"]):
        where = f"{label}: {DESCRIPTOR} resource {index}"
        if not isinstance(resource, dict):
            raise ReleaseError(f"{where} is not an object")
        where = f"{where} ({resource.get('name')!r})"
        for key in ("schema", "dialect", "$schema", "profile"):
            value = resource.get(key)
            if isinstance(value, str) and (key in ("schema", "dialect") or value not in PROFILES):
                raise ReleaseError(f"{where}: {key} {value!r} is a reference to load; releases inline it")
        paths = resource.get("path")
        if paths is None and "data" in resource:
            continue  # inline data
        for value in paths if isinstance(paths, list) else [paths]:
            path = _local_path(value, where=where)
            if path not in files:
                raise ReleaseError(f"{where}: {path} is not in the archive")
            size = resource.get("bytes")
            declared[path] = size if isinstance(size, int) and not isinstance(paths, list) else None
            if isinstance(size, int) and declared[path] is not None and files[path].file_size > size:
                raise ReleaseError(
                    f"{where}: {path} unpacks to {files[path].file_size:,} bytes, more than the {size:,} its "
                    "descriptor declares; refusing to unpack it"
                )
    return declared


def _unpack(
    archive: zipfile.ZipFile,
    files: dict[str, zipfile.ZipInfo],
    sums: dict[str, str],
    declared: dict[str, int | None],
    target: Path,
) -> None:
    """Unpack every listed member into ``target``, each capped at its declared size and hashed."""
    for name, info in sorted(files.items()):
        cap = declared.get(name) or info.file_size
        path = safe_join(target, name)
        with storage_errors(f"unpacking into {target}"):
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as out:
                digest = _stream(archive, info, cap, out.write)
        if name != SUMS_NAME and digest != sums[name]:
            raise ReleaseError(f"{info.filename} does not match its SHA-256 in {SUMS_NAME}; the archive is corrupt")


def verify_archive(path: Path, *, max_total_bytes: int = MAX_TOTAL_BYTES) -> None:
    """Check a release archive without trusting it (see the module docstring).

    Args:
        path: The ``.zip`` archive.
        max_total_bytes: The largest total uncompressed size accepted.

    Raises:
        ReleaseError: Naming the archive and the entry at fault.
    """
    label = path.name
    check_sidecar(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReleaseError(f"{label} is not a readable zip archive: {exc}") from exc
    with archive:
        folder, files = safe_entries(archive, label=label)
        total = sum(i.file_size for i in files.values())
        if total > max_total_bytes:
            raise ReleaseError(
                f"{label} would unpack to {total:,} bytes, over the limit of {max_total_bytes:,} (--max-bytes); "
                "refusing to unpack it"
            )
        sums = _sums(archive, files, label=label)
        if DESCRIPTOR not in files:
            raise ReleaseError(f"{label} has no {folder}/{DESCRIPTOR}")
        raw = _read_metadata(archive, files[DESCRIPTOR])
        try:
            descriptor: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ReleaseError(f"{label}: {DESCRIPTOR} is not UTF-8 JSON ({exc})") from exc
        declared = _resource_paths(descriptor, files, label=label)
        undeclared = sorted(n for n in files if n not in declared and n != DESCRIPTOR and not _is_document(n))
        if undeclared:
            raise ReleaseError(f"{label}: {undeclared} are neither resources of {DESCRIPTOR} nor documentation")
        with tempfile.TemporaryDirectory(prefix="corpus-verify-") as tmp:
            _unpack(archive, files, sums, declared, Path(tmp))
            problems = frictionless_problems(descriptor, Path(tmp))
    if problems:
        raise ReleaseError(
            f"{label} does not validate with Frictionless after unpacking:\n"
            + "\n".join(f"  - {p}" for p in problems[:20])
        )
