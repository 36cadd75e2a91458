"""Release archives: reproducible zips of both editions, verified before they replace anything.

:func:`build_archives` writes ``dist/<name>-<version>.zip`` and ``dist/<name>-public-<version>.zip``
(each with a ``SHA256SUMS`` and a ``.sha256`` beside it), byte for byte reproducible (sorted
entries, timestamps set to the release date, fixed permissions); :func:`verify_archive` checks an
archive (safe entry names, checksums, Frictionless validity after unpacking).
"""

from __future__ import annotations

import io
import re
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Literal

from corpus.errors import ReleaseError, UnsafePathError
from corpus.fileio import FILE_MODE, sha256_bytes, write_atomic
from corpus.package.frictionless import frictionless_problems
from corpus.package.metadata import load_metadata
from corpus.paths import Layout, safe_join
from corpus.release.cite import check_citation
from corpus.release.editions import Member, full_members, public_members
from corpus.release.resources import read_descriptor

Edition = Literal["full", "public", "both"]
SUMS_NAME = "SHA256SUMS"


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
        wanted.append((meta.archive_stem("full"), full_members(layout, descriptor)))
    if edition in ("public", "both"):
        wanted.append((meta.archive_stem("public"), public_members(layout, descriptor)))
    built = [(stem, zip_bytes(members, folder=stem, released=meta.released)) for stem, members in wanted]
    return [_install(layout, f"{stem}.zip", data) for stem, data in built]
