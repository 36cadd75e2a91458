"""Adding raw pages to the corpus: ``corpus add FILE… [--url URL] [--outlet ID]``.

Each file is copied into ``seeds/`` byte for byte under its canonical name
``NNN_<first 16 hex of its sha256>.txt`` (the next free number), never over an existing file, and
a draft row marked ``unreviewed`` is appended to ``catalog/seeds.csv`` with what the curator
gave. Every file is checked before any is copied: one that is not a UTF-8 text, or whose bytes a
seed already has, stops the whole batch with the reason.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import CatalogError, SeedError
from corpus.ingest.catalog import SEED_FIELDS, URL_PATTERN, load_outlets
from corpus.ingest.seeds import decode_seed, seed_names
from corpus.paths import Layout

_NUMBER = re.compile(r"^(\d+)_")


@dataclass(frozen=True)
class Added:
    """A file taken into ``seeds/``: where it came from and its canonical name."""

    source: Path
    name: str


def canonical_name(number: int, raw: bytes) -> str:
    """``NNN_<first 16 hex of sha256>.txt`` (at least three digits)."""
    return f"{number:03d}_{hashlib.sha256(raw).hexdigest()[:16]}.txt"


def _next_number(names: list[str]) -> int:
    numbers = [int(m.group(1)) for name in names if (m := _NUMBER.match(name))]
    return max(numbers, default=-1) + 1


def _existing_hashes(seeds: Path, names: list[str]) -> dict[str, str]:
    return {hashlib.sha256((seeds / name).read_bytes()).hexdigest(): name for name in names}


def _check_options(layout: Layout, files: list[Path], url: str | None, outlet: str | None) -> None:
    if url is not None and len(files) != 1:
        raise CatalogError("--url names the page of one file: add files with different URLs one at a time")
    if url is not None and not URL_PATTERN.match(url):
        raise CatalogError(f"--url {url!r} is not an http(s) URL")
    if outlet is not None and outlet not in load_outlets(layout.catalog / "outlets.csv"):
        raise CatalogError(f"--outlet {outlet!r} is not in catalog/outlets.csv: add the outlet there first")


def add_seeds(layout: Layout, files: list[Path], *, url: str | None = None, outlet: str | None = None) -> list[Added]:
    """Copy raw files into ``seeds/`` under their canonical names and write draft catalog rows.

    Raises:
        SeedError: For a missing, unreadable or non-UTF-8 file, or one whose bytes a seed (or
            another file of the batch) already has; nothing is copied then.
        CatalogError: For a bad ``--url`` or an unknown ``--outlet``.
    """
    _check_options(layout, files, url, outlet)
    names = seed_names(layout.seeds) if layout.seeds.is_dir() and any(layout.seeds.iterdir()) else []
    known = _existing_hashes(layout.seeds, names)
    number = _next_number(names)
    planned: list[tuple[Added, bytes]] = []
    for source in files:
        try:
            raw = source.read_bytes()
        except OSError as exc:
            raise SeedError(f"{source}: cannot read it ({exc.strerror or exc})") from exc
        digest = hashlib.sha256(raw).hexdigest()
        if digest in known:
            raise SeedError(f"{source}: same bytes as seeds/{known[digest]}: it is in the corpus already")
        name = canonical_name(number, raw)
        decode_seed(name, raw)  # refuses empty, binary, UTF-16 and non-UTF-8 files with the fix
        known[digest] = name
        planned.append((Added(source, name), raw))
        number += 1
    layout.seeds.mkdir(exist_ok=True)
    for added, raw in planned:
        with (layout.seeds / added.name).open("xb") as handle:  # never overwrite
            handle.write(raw)
    _append_rows(layout, [a for a, _ in planned], url=url, outlet=outlet)
    return [a for a, _ in planned]


def _append_rows(layout: Layout, added: list[Added], *, url: str | None, outlet: str | None) -> None:
    path = layout.catalog / "seeds.csv"
    new_file = not path.exists()
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(SEED_FIELDS), lineterminator="\n")
        if new_file:
            writer.writeheader()
        for item in added:
            row = dict.fromkeys(SEED_FIELDS, "")
            evidence = f"Added with `corpus add` from a file named {item.source.name!r}; not reviewed yet."
            writer.writerow(
                row
                | {"file": item.name, "outlet_id": outlet or "", "url": url or "", "review": "unreviewed"}
                | {"evidence": evidence}
            )
