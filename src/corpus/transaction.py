"""Transactions on what the project publishes: a lock, a journal, and recovery after a crash.

A build replaces ``datapackage.json`` and ``data/`` together; a report run replaces several
files of ``reports/`` together. Two renames are never atomic together, so each such change is a
*journaled* commit (:func:`commit`):

1. everything new is written (and flushed to the disk) in a staging folder beside its target,
   ``<area>/<id>/`` with ``<area>`` = ``.staging/`` (package) or ``reports/.staging/``;
2. the journal ``<area>/journal.json`` lists the renames (and removals) to make; it is written
   atomically and flushed: from that instant the change is decided;
3. the renames are made, the journal removed, the staging folder deleted.

Whoever next takes the lock (:func:`using`) and finds a journal finishes the renames it lists
(roll forward: the staged files are complete, the journal only exists once they are) before
anything else; a staging folder without a journal is a run that died before deciding, and is
deleted (roll back: the published files were never touched). So a reader sees the old files or
the new ones, never a mix, and a killed run leaves no staging behind after the next run.

The lock is an advisory ``flock`` on the folder itself (no lock file to leave behind): writers
take it exclusively, readers shared, so no reader runs while a commit is under way.

:func:`checkpoint` marks the points of the write paths where the fault-injection tests kill the
process (``CORPUS_FAULT_AT=<n>``: SIGKILL at the n-th checkpoint; ``CORPUS_FAULT_LOG=<file>``:
append each checkpoint's label).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from corpus.errors import CorpusError
from corpus.fileio import fsync_path, storage_errors, write_atomic
from corpus.paths import safe_join

STAGING = ".staging"
JOURNAL = "journal.json"
FAULT_AT = "CORPUS_FAULT_AT"
FAULT_LOG = "CORPUS_FAULT_LOG"
#: Temporary files of :func:`corpus.fileio.write_atomic` (``.<name>.<8 random characters>.tmp``), and the
#: staging folders of builds made before the journal existed (``.data-<8>``, ``.data-old-<8>``).
_TEMP_FILE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$|^\.datapackage\.json\.\d+\.tmp$")
_OLD_STAGE = re.compile(r"^\.data-(old-)?[a-z0-9_]{8}$")

_checkpoints = 0


def checkpoint(label: str) -> None:
    """A point of a write path where the fault-injection tests may kill this process.

    Does nothing unless ``CORPUS_FAULT_AT`` is set; then counts the checkpoints this process
    passed, logs the label to ``CORPUS_FAULT_LOG`` if set, and kills the process (SIGKILL, as
    ``kill -9`` would: no clean-up runs) at the n-th one.
    """
    at = os.environ.get(FAULT_AT)
    if not at:
        return
    global _checkpoints
    _checkpoints += 1
    log = os.environ.get(FAULT_LOG)
    if log:
        with open(log, "a", encoding="utf-8") as handle:  # noqa: PTH123 (a test hook; no Path needed)
            handle.write(f"{_checkpoints} {label}\n")
    if str(_checkpoints) == at:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def _flock(folder: Path, *, exclusive: bool) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # no flock (Windows): one command at a time is the user's care
        yield
        return
    with storage_errors(f"locking {folder}"):
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY)
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another corpus command working in {folder.name}/ …", file=sys.stderr, flush=True)
            fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _apply(root: Path, area: Path, journal: dict[str, Any]) -> None:
    """Make the renames and removals a journal lists; each step may already be done."""
    for i, (source, target) in enumerate(journal["moves"]):
        src, dst = safe_join(root, source), safe_join(root, target)
        if not src.exists():
            continue  # moved before the crash
        if dst.is_dir() and not dst.is_symlink():
            trash = area / f"replaced-{i}"
            shutil.rmtree(trash, ignore_errors=True)
            os.replace(dst, trash)  # a folder cannot be renamed onto a non-empty one
            checkpoint(f"moved aside {target}")
        os.replace(src, dst)
        checkpoint(f"renamed {source} -> {target}")
    for name in journal.get("remove", []):
        path = safe_join(root, str(name))
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        checkpoint(f"removed {name}")
    fsync_path(root)


def _read_journal(path: Path) -> dict[str, Any]:
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorpusError(
            f"{path} is damaged ({exc}): the last commit cannot be finished; restore datapackage.json, data/ and "
            "reports/ from version control, delete the staging folder and run again"
        ) from exc
    if not isinstance(journal, dict) or not isinstance(journal.get("moves"), list):
        raise CorpusError(f"{path} is not a journal of this program: delete its folder and run again")
    return journal


def recover(root: Path, area: Path) -> bool:
    """Finish a commit a crash interrupted, then delete what staging is left (call it under the lock).

    Args:
        root: The folder the journal's paths are relative to (the project root).
        area: The staging area (``.staging/`` or ``reports/.staging/``).

    Returns:
        Whether a journal was found and its commit finished.
    """
    journal_path = area / JOURNAL
    found = journal_path.is_file()
    with storage_errors(f"finishing the interrupted commit in {area} (or delete that folder by hand)"):
        if found:
            _apply(root, area, _read_journal(journal_path))
            journal_path.unlink()
        if area.exists():
            shutil.rmtree(area)
        for leftover in area.parent.iterdir() if area.parent.is_dir() else ():
            if leftover.is_file() and _TEMP_FILE.match(leftover.name):
                leftover.unlink(missing_ok=True)  # a write_atomic killed before its rename
            elif leftover.is_dir() and not leftover.is_symlink() and _OLD_STAGE.match(leftover.name):
                shutil.rmtree(leftover)
    return found


@contextlib.contextmanager
def using(root: Path, areas: Sequence[Path], *, exclusive: bool) -> Iterator[None]:
    """Hold the lock of ``root`` (exclusive for writers, shared for readers), recovering first.

    Every staging area in ``areas`` (e.g. ``.staging/``) is recovered under an exclusive lock
    before a reader's shared lock is taken, so no reader starts amid an unfinished commit.
    """
    with _flock(root, exclusive=True):
        for area in areas:
            recover(root, area)
        if exclusive:
            yield
            return
    with _flock(root, exclusive=False):
        yield


def new_stage(area: Path) -> Path:
    """Create a fresh staging folder ``<area>/<id>/`` (umask permissions, like any folder)."""
    with storage_errors(f"creating the staging folder {area}"):
        area.mkdir(parents=True, exist_ok=True)
        for n in range(1000):
            stage = area / f"{os.getpid()}-{n}"
            try:
                stage.mkdir()
            except FileExistsError:
                continue
            return stage
    raise CorpusError(f"{area} holds too many staging folders: delete it and run again")


def commit(root: Path, area: Path, moves: Sequence[tuple[Path, Path]], remove: Sequence[Path] = ()) -> None:
    """Replace the targets of ``moves`` by their staged sources, and delete ``remove``, as one change.

    Args:
        root: The project root (every path must lie inside it).
        area: The staging area holding the sources; it is deleted afterwards.
        moves: ``(staged source, published target)`` pairs, renamed in this order.
        remove: Published files or folders to delete in the same change.

    Raises:
        StorageError: If the journal cannot be written (nothing was changed) or a rename fails
            (the next run finishes the commit).
    """
    with storage_errors(f"committing the staged files of {area}"):
        for source, _ in moves:
            for path in [source, *source.rglob("*")] if source.is_dir() else [source]:
                fsync_path(path)
        journal = {
            "moves": [[s.relative_to(root).as_posix(), t.relative_to(root).as_posix()] for s, t in moves],
            "remove": [p.relative_to(root).as_posix() for p in remove],
        }
    checkpoint("staged")
    write_atomic(area / JOURNAL, (json.dumps(journal, indent=1) + "\n").encode("utf-8"), durable=True)
    checkpoint("journal written")
    with storage_errors(f"committing the staged files of {area}"):
        _apply(root, area, journal)
        (area / JOURNAL).unlink()
    checkpoint("journal removed")
    shutil.rmtree(area, ignore_errors=True)  # committed; what cannot be deleted now goes next run
    checkpoint("staging removed")
