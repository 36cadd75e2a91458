"""Read raw seed files: decode them strictly, hash them, and refuse what is not a news text.

Offsets everywhere in the package are code-point offsets into ``raw_bytes.decode("utf-8")``:
the exact text of the file, with a UTF-8 byte-order mark (if any) kept as character 0 and
CRLF line endings kept as two characters. Reading a seed with
``open(path, encoding="utf-8", newline="").read()`` reproduces that text exactly.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from corpus.errors import SeedError

SEED_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$")
BOM = "\ufeff"
#: Control characters that do not occur in text files (C0 except tab, LF, form feed, CR).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")

LineEndings = Literal["lf", "crlf", "cr", "mixed", "none"]


@dataclass(frozen=True)
class Seed:
    """One raw seed file, decoded.

    Attributes:
        name: File name inside ``seeds/`` (e.g. ``000_cf7a337e85c81ec2.txt``).
        size: Size in bytes.
        sha256: Hex SHA-256 of the raw bytes.
        text: The decoded text (see the module docstring for the offset convention).
        bom: Whether the file starts with a UTF-8 byte-order mark.
        line_endings: The line-ending convention found in the file.
    """

    name: str
    size: int
    sha256: str
    text: str
    bom: bool
    line_endings: LineEndings

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".txt")


def line_endings_of(text: str) -> LineEndings:
    """Classify the line endings of ``text``."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("crlf", crlf), ("cr", cr), ("lf", lf)) if n]
    if not kinds:
        return "none"
    if len(kinds) > 1:
        return "mixed"
    return kinds[0]  # type: ignore[return-value]


def decode_seed(name: str, raw: bytes) -> Seed:
    """Decode and check the bytes of one seed.

    Args:
        name: The file name, used in error messages.
        raw: The file's bytes.

    Returns:
        The decoded :class:`Seed`.

    Raises:
        SeedError: If the file is empty, binary, UTF-16/32, not valid UTF-8, or has no text.
    """
    where = f"seeds/{name}"
    if not SEED_NAME.match(name):
        raise SeedError(
            f"{where}: seed file names must match {SEED_NAME.pattern} (letters, digits, '._-', ending .txt); rename it"
        )
    if not raw.strip():
        raise SeedError(f"{where}: the file is empty (or only whitespace): remove it or replace it with the article")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SeedError(
            f"{where}: the file is UTF-16 (byte-order mark {raw[:2].hex()}); seeds must be UTF-8: "
            f"convert it on intake, e.g. `iconv -f UTF-16 -t UTF-8`, and note the conversion in the catalog"
        )
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise SeedError(
            f"{where}: byte {offset} is NUL: the file is binary (or UTF-16/32 without a BOM), not a text seed"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SeedError(
            f"{where}: line {line} (byte {exc.start}) is not valid UTF-8 ({exc.reason}); the file is probably "
            "in a legacy encoding such as cp1251: convert it on intake, e.g. `iconv -f cp1251 -t UTF-8`"
        ) from exc
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise SeedError(f"{where}: {controls} control characters: the file looks binary, not a text seed")
    return Seed(
        name=name,
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        text=text,
        bom=text.startswith(BOM),
        line_endings=line_endings_of(text),
    )


def seed_names(folder: Path) -> list[str]:
    """List the seed file names in ``folder``, sorted, refusing unexpected entries.

    Raises:
        SeedError: If the folder is missing, or holds a sub-folder, symlink or a file that is not ``*.txt``.
    """
    if not folder.is_dir():
        raise SeedError(f"{folder.name}/ is missing: create it and add the raw seed files")
    names = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() or not entry.is_file():
            raise SeedError(f"seeds/{entry.name}: only regular files are allowed in seeds/ (no folders or symlinks)")
        if not entry.name.endswith(".txt"):
            raise SeedError(f"seeds/{entry.name}: seeds must be .txt files; move other files out of seeds/")
        names.append(entry.name)
    if not names:
        raise SeedError("seeds/ holds no .txt files: add at least one raw seed")
    return names


def iter_seeds(folder: Path, names: list[str] | None = None) -> Iterator[Seed]:
    """Yield the seeds in ``folder`` one at a time (never all in memory), refusing duplicates.

    Args:
        folder: The ``seeds/`` folder.
        names: The file names to read; all of :func:`seed_names` by default.

    Raises:
        SeedError: For an unreadable seed, or one whose bytes equal an earlier seed's.
    """
    seen: dict[str, str] = {}
    for name in names if names is not None else seed_names(folder):
        seed = decode_seed(name, (folder / name).read_bytes())
        refuse_duplicate(seen, name, seed.sha256)
        yield seed


def refuse_duplicate(seen: dict[str, str], name: str, sha256: str) -> None:
    """Record a seed's hash in ``seen`` (hash → name), refusing one whose bytes an earlier seed has.

    Raises:
        SeedError: Naming both seeds.
    """
    if sha256 in seen:
        raise SeedError(
            f"seeds/{name}: same bytes as seeds/{seen[sha256]} (sha256 {sha256[:12]}…): remove the duplicate"
        )
    seen[sha256] = name
