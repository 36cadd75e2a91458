"""The exception hierarchy: every failure the user can fix is a :class:`CorpusError`."""

from __future__ import annotations

import errno


class CorpusError(Exception):
    """Base class of all errors the CLI reports as a clear message and a non-zero exit."""


class SeedError(CorpusError):
    """A raw seed file cannot be read as a news document (encoding, empty, binary, duplicate)."""


class CatalogError(CorpusError):
    """The curated catalog is malformed or disagrees with the seeds."""


class UnsafePathError(CorpusError):
    """A path taken from data would resolve outside the folder it must stay in."""


class ExtractionError(CorpusError):
    """A seed's layout could not be turned into at least one article."""


class PackageError(CorpusError):
    """The data package cannot be built or written."""


class ValidationError(CorpusError):
    """The data package fails validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str], *, preface: str = "") -> None:
        self.problems = problems
        head = f"{preface}: " if preface else ""
        super().__init__(f"{head}{len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems))


class DateError(CorpusError):
    """A date is not an ISO date of reduced precision (YYYY, YYYY-MM, YYYY-MM-DD) or no calendar day."""


class ParameterError(CorpusError):
    """A notebook or analysis parameter has a value outside what is allowed."""


class EmptySelectionError(CorpusError):
    """A filter selected no documents, so there is nothing to analyse."""


class GoldError(CorpusError):
    """A gold annotation file is missing or a row does not address a coded line."""


class ReportError(CorpusError):
    """One or more reports failed to execute or render."""


class ReleaseError(CorpusError):
    """Citation, version or release archive is inconsistent or unsafe."""


class StorageError(CorpusError):
    """A file or folder cannot be read or written: disk full, no permission, read-only file system."""


class RuleTimeoutError(CorpusError):
    """An extraction rule took longer than its time limit on one line of a seed."""


#: What to do about the operating-system errors a user can fix, by ``errno``.
_FIXES = {
    errno.ENOSPC: "the disk is full: free some space and run the command again",
    errno.EDQUOT: "the disk quota is exhausted: free some space and run the command again",
    errno.EACCES: "permission denied: give your user write access to it (or run in a copy you own)",
    errno.EPERM: "operation not permitted: give your user write access to it (or run in a copy you own)",
    errno.EROFS: "the file system is read-only: run in a writable copy of the project",
    errno.ENOENT: "it does not exist: check the path",
    errno.EISDIR: "it is a folder, not a file: check the path",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and run the command again",
}


def storage_error(exc: OSError, action: str) -> StorageError:
    """Turn an :class:`OSError` into a :class:`StorageError` naming the file and the fix.

    Args:
        exc: The error raised by the operating system.
        action: What was being done, e.g. ``"writing the new package into .staging/"``; used
            when the error itself names no file (a failed ``write`` does not).
    """
    where = exc.filename if exc.filename is not None else None
    fix = _FIXES.get(exc.errno or 0, exc.strerror or str(exc))
    name = errno.errorcode.get(exc.errno or 0, "error")
    target = f"{where}" + (f" -> {exc.filename2}" if exc.filename2 else "") if where else None
    subject = f"{action}: {target}" if target else action
    return StorageError(f"{subject}: {exc.strerror or exc} ({name}); {fix}")
