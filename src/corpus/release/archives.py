"""Release archives: reproducible zips of both editions, verified before they replace anything.

:func:`build_archives` writes ``dist/<name>-<version>.zip`` and ``dist/<name>-public-<version>.zip``
(each with a ``SHA256SUMS`` and a ``.sha256`` beside it), byte for byte reproducible (sorted
entries, timestamps set to the release date, fixed permissions), each checked by the download
verifier (:func:`corpus.release.verify.verify_archive`) before it replaces anything.
"""

from __future__ import annotations

import io
import json
import stat
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from corpus.errors import ReleaseError
from corpus.fileio import FILE_MODE, sha256_bytes, write_atomic
from corpus.package.metadata import load_metadata
from corpus.paths import Layout
from corpus.release.cite import check_citation
from corpus.release.editions import Member, full_members, public_members
from corpus.release.resources import read_descriptor
from corpus.release.spreadsheet import SPREADSHEET, workbook_bytes
from corpus.release.verify import SUMS_NAME, verify_archive
from corpus.transaction import using

Edition = Literal["full", "public", "both"]


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


def with_spreadsheet(members: list[Member], *, title: str, released: date) -> list[Member]:
    """Add the spreadsheet view of the members' tables (:mod:`corpus.release.spreadsheet`)."""
    files = {m.name: m.data for m in members}
    descriptor = json.loads(files["datapackage.json"])
    return [*members, Member(SPREADSHEET, workbook_bytes(descriptor, files, title=title, released=released))]


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
    with using(layout.root, [layout.staging], exclusive=False):  # no build replaces the package meanwhile
        return _build_archives(layout, edition)


def _build_archives(layout: Layout, edition: Edition) -> list[Path]:
    check_citation(layout)
    meta = load_metadata(layout)
    descriptor = read_descriptor(layout)
    wanted: list[tuple[str, list[Member]]] = []
    if edition in ("full", "both"):
        members = with_spreadsheet(full_members(layout, descriptor), title=meta.title, released=meta.released)
        wanted.append((meta.archive_stem("full"), members))
    if edition in ("public", "both"):
        public_title = f"{meta.title} (public edition)"
        members = with_spreadsheet(public_members(layout, descriptor), title=public_title, released=meta.released)
        wanted.append((meta.archive_stem("public"), members))
    built = [(stem, zip_bytes(members, folder=stem, released=meta.released)) for stem, members in wanted]
    return [_install(layout, f"{stem}.zip", data) for stem, data in built]
