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
from corpus.fileio import storage_errors

#: The default maximum size of one seed in bytes (``[limits] seed_max_bytes`` in ``catalog/rules.toml``).
SEED_MAX_BYTES = 50_000_000
SEED_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$")
BOM = "\ufeff"
#: Control characters that do not occur in text files (C0 except tab, LF, form feed, CR).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")

LineEndings = Literal["lf", "crlf", "cr", "mixed", "none"]
#: Byte-order marks of the Unicode encodings that are not UTF-8, longest first (the UTF-32LE mark
#: begins with the UTF-16LE one), with the name ``iconv -f`` takes.
_FOREIGN_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)", "UTF-32"),
    (b"\xff\xfe", "UTF-16 (little-endian)", "UTF-16"),
    (b"\xfe\xff", "UTF-16 (big-endian)", "UTF-16"),
)


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
    for bom, label, iconv in _FOREIGN_BOMS:
        if raw.startswith(bom):
            raise SeedError(
                f"{where}: the file is {label} (byte-order mark {bom.hex()}); seeds must be UTF-8: "
                f"convert it on intake, e.g. `iconv -f {iconv} -t UTF-8`, and note the conversion in the catalog"
            )
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise SeedError(f"{where}: byte {offset} is NUL: {_nul_guess(raw)}")
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


def _nul_guess(raw: bytes) -> str:
    """What a file with NUL bytes probably is: UTF-16 or UTF-32 text without a byte-order mark, or binary."""
    head = raw[: 4096 - 4096 % 4]
    quads = [head[i : i + 4] for i in range(0, len(head) - 3, 4)]
    # Text in UTF-32: every code unit's two high bytes are zero (the BMP), its two low bytes are not.
    guesses = [
        ("UTF-32LE", sum(1 for q in quads if q[2:] == b"\0\0" and q[:2] != b"\0\0"), len(quads)),
        ("UTF-32BE", sum(1 for q in quads if q[:2] == b"\0\0" and q[2:] != b"\0\0"), len(quads)),
        # In UTF-16 the NULs of Latin text fall only on odd (LE) or only on even (BE) offsets.
        ("UTF-16LE", head[1::2].count(0) if not head[0::2].count(0) else 0, len(head) // 2),
        ("UTF-16BE", head[0::2].count(0) if not head[1::2].count(0) else 0, len(head) // 2),
    ]
    for name, fitting, units in guesses:
        if units and fitting >= (0.9 if name.startswith("UTF-32") else 0.2) * units:
            return (
                f"the file looks like {name} text without a byte-order mark; seeds must be UTF-8: convert it on "
                f"intake, e.g. `iconv -f {name} -t UTF-8`, and note the conversion in the catalog"
            )
    return "the file is binary, not a text seed"


def read_seed(folder: Path, name: str, *, max_bytes: int) -> Seed:
    """Read and decode one seed, refusing a file over ``max_bytes`` before reading it.

    Raises:
        SeedError: If the file is too large or cannot be decoded (see :func:`decode_seed`).
    """
    path = folder / name
    too_big = SeedError(
        f"seeds/{name}: the file is over the maximum seed size of {max_bytes:,} bytes ([limits] seed_max_bytes in "
        "catalog/rules.toml): split the page into one seed per article, or raise the limit"
    )
    with storage_errors(f"reading seeds/{name}"):
        if path.stat().st_size > max_bytes:
            raise too_big
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)  # the file may have grown since stat
    if len(raw) > max_bytes:
        raise too_big
    return decode_seed(name, raw)


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


def iter_seeds(folder: Path, names: list[str] | None = None, *, max_bytes: int = SEED_MAX_BYTES) -> Iterator[Seed]:
    """Yield the seeds in ``folder`` one at a time (never all in memory), refusing duplicates.

    Args:
        folder: The ``seeds/`` folder.
        names: The file names to read; all of :func:`seed_names` by default.
        max_bytes: The maximum seed size (see :func:`read_seed`).

    Raises:
        SeedError: For an unreadable or too large seed, or one whose bytes equal an earlier seed's.
    """
    seen: dict[str, str] = {}
    for name in names if names is not None else seed_names(folder):
        seed = read_seed(folder, name, max_bytes=max_bytes)
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
