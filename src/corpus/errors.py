"""The exception hierarchy: every failure the user can fix is a :class:`CorpusError`."""

from __future__ import annotations


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

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems))


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
