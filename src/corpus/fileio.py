"""File helpers shared by the stages: atomic writes, SHA-256 digests, and reading TOML, CSV and descriptor files."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus.errors import CorpusError, PackageError

#: Mode of every file the project publishes (mkstemp would leave them private, 0600).
FILE_MODE = 0o644


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes, *, check: Callable[[Path], None] | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    A reader sees the old file or the new one, never a half-written one; on failure the old
    file is untouched and the temporary file removed.

    Args:
        path: The file to write.
        data: Its new content.
        check: Called with the temporary file before it replaces ``path``; raising keeps the old file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).chmod(FILE_MODE)
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_toml(path: Path, *, error: type[CorpusError], missing: str) -> dict[str, Any]:
    """Read a TOML file that must exist (a catalog file, the report plan).

    Args:
        path: The file.
        error: The error class to raise, so each stage reports in its own terms.
        missing: What to do when the file does not exist.

    Raises:
        CorpusError: (of class ``error``) naming the file as ``<folder>/<name>`` if it is missing,
            unreadable, not UTF-8 or not TOML.
    """
    label = f"{path.parent.name}/{path.name}"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise error(f"{label} not found: {missing}") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise error(f"{label} cannot be read as UTF-8 TOML ({exc}): fix the file") from exc


def read_csv_rows(path: Path, *, error: type[CorpusError], missing: str) -> list[dict[str, str]]:
    """Read a CSV file with a header row that must exist, as one dict per row.

    Raises:
        CorpusError: (of class ``error``) naming the file as ``<folder>/<name>`` if it is missing,
            unreadable or not UTF-8.
    """
    label = f"{path.parent.name}/{path.name}"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError as exc:
        raise error(f"{label} not found: {missing}") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise error(f"{label} cannot be read as UTF-8 CSV ({exc}): fix the file") from exc


def read_descriptor(path: Path, *, error: type[CorpusError] = PackageError) -> dict[str, Any]:
    """Read a ``datapackage.json`` that must exist and hold a ``resources`` list.

    Args:
        path: The descriptor.
        error: The error class to raise, so each stage reports in its own terms.

    Raises:
        CorpusError: (of class ``error``) if the file is missing, not JSON or has no resources.
    """
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise error(f"{path.name} not found: run `corpus build` first (nox -s data)") from exc
    except json.JSONDecodeError as exc:
        raise error(f"{path.name} is not valid JSON ({exc}): rebuild it with `corpus build`") from exc
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise error(f"{path.name} has no 'resources' list: rebuild it with `corpus build`")
    return descriptor
