"""Read and check the curated catalog: ``catalog/outlets.csv`` and ``catalog/seeds.csv``.

The catalog holds what cannot be read from a seed (its outlet, an inferred date, …) with the
evidence for it. It only adds to or overrides what the extraction reads; an empty cell means
"take what the file says", and what neither says stays empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from corpus.errors import CatalogError, DateError, UnsafePathError
from corpus.ingest.dates import DATE_SOURCES, PRECISIONS, date_interval, precision_of
from corpus.ingest.languages import ISO_639_1
from corpus.ingest.urls import ascii_domain, host_in_domains, url_problem
from corpus.paths import safe_join

#: Whose perspective an outlet's coverage represents, by who owns or runs it (README, *Perspectives*).
#: ``russian-state-media`` keeps the name and meaning it had in 0.1 (owned or funded by the Russian state).
PERSPECTIVES = (
    "russian-state-media",
    "russian-non-state",
    "ukrainian",
    "us",
    "european",
    "international",
    "other",
)
#: A seed row's review state: checked by a curator, or a draft written by ``corpus add``.
REVIEW = ("reviewed", "unreviewed")
OWNERSHIP = ("state-owned", "private", "public-service", "unknown")
#: An outlet id: lowercase letters, digits and '-'.
OUTLET_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: An ISO 3166 alpha-2 country code.
COUNTRY = re.compile(r"^[A-Z]{2}$")
#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
#: No catalog field is a signed number or a range, so a curated cell never needs to start so:
#: ids, codes, dates and URLs have their own patterns, and free text can start otherwise.
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")

OUTLET_FIELDS = (
    "outlet_id",
    "name",
    "domain",
    "other_domains",
    "country",
    "ownership",
    "perspective",
    "site_names",
    "evidence",
)
SEED_FIELDS = (
    "file",
    "article",
    "outlet_id",
    "perspective",
    "url",
    "date",
    "date_precision",
    "date_source",
    "language",
    "author",
    "title",
    "review",
    "evidence",
)


@dataclass(frozen=True)
class Outlet:
    """A news outlet: one row of ``catalog/outlets.csv``."""

    outlet_id: str
    name: str
    domain: str
    other_domains: tuple[str, ...]
    country: str
    ownership: str
    perspective: str
    site_names: tuple[str, ...]
    evidence: str

    @property
    def homepage(self) -> str:
        """The outlet's site, ``https://<domain>/``, or "" when its domain is unknown."""
        return f"https://{self.domain}/" if self.domain else ""

    def row(self) -> dict[str, str]:
        """The outlet as a row of the outlets table."""
        return {
            "outlet_id": self.outlet_id,
            "name": self.name,
            "domain": self.domain,
            "other_domains": " ".join(self.other_domains),
            "country": self.country,
            "ownership": self.ownership,
            "perspective": self.perspective,
            "site_names": "|".join(self.site_names),
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Entry:
    """One row of ``catalog/seeds.csv``: overrides for a seed (``article is None``) or one article."""

    line: int
    file: str
    article: int | None
    values: dict[str, str]  # non-empty override cells only
    evidence: str
    reviewed: bool = True


@dataclass(frozen=True)
class Catalog:
    """The whole curated catalog."""

    outlets: dict[str, Outlet]
    entries: dict[str, list[Entry]]  # by seed file name

    @property
    def site_names(self) -> tuple[str, ...]:
        return tuple(sorted({name for o in self.outlets.values() for name in o.site_names}))

    def outlet_for_domain(self, host: str) -> Outlet | None:
        """The outlet whose domain (or former domain) ``host`` belongs to, if any.

        The most specific domain wins (``news.example.com`` before ``example.com``); ties go to
        the smallest outlet id, so the answer never depends on the order of the rows.
        """
        matches = [
            (len(domain), outlet.outlet_id)
            for outlet in self.outlets.values()
            for domain in (outlet.domain, *outlet.other_domains)
            if host_in_domains(host, (domain,))
        ]
        if not matches:
            return None
        best = max(length for length, _ in matches)
        return self.outlets[min(oid for length, oid in matches if length == best)]

    def outlet_for_url(self, url: str) -> Outlet | None:
        """The outlet of a URL's host (see :meth:`outlet_for_domain`); None for no URL or no match."""
        host = url_host(url)
        return self.outlet_for_domain(host) if host else None

    def reviewed(self, file: str) -> bool:
        """Whether a curator has reviewed the seed: it has catalog rows and none is a draft."""
        rows = self.entries.get(file, [])
        return bool(rows) and all(entry.reviewed for entry in rows)

    def overrides(self, file: str, article: int) -> tuple[dict[str, str], str]:
        """Catalog values for one article: seed-wide row first, then the article's own row."""
        values: dict[str, str] = {}
        evidence = []
        for entry in self.entries.get(file, []):
            if entry.article in (None, article):
                values.update(entry.values)
                if entry.evidence:
                    evidence.append(entry.evidence)
        return values, " ".join(evidence)


def url_host(url: str) -> str:
    """The lowercase host of a URL, without ``www.`` (empty if the URL has none or is malformed)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".").removeprefix("www.")


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list bundled with the package: nothing is fetched


def registrable_domain(url: str) -> str:
    """The registrable domain of a URL by the Public Suffix List (``uk.reuters.com`` → ``reuters.com``).

    Private suffixes count (``x.blogspot.com`` stays whole), as do regional ones (``kyiv.ua``).
    Empty when the URL has no host; the host itself when the list knows no suffix for it.
    """
    host = url_host(url)
    if not host:
        return ""
    return _suffixes().privatesuffix(host) or host


def refuse_formula(value: str, *, where: str, field: str) -> None:
    """Refuse a curated cell that a spreadsheet would run as a formula (see :data:`FORMULA_LEAD`).

    Raises:
        CatalogError: Naming ``where`` and ``field``.
    """
    if value.startswith(FORMULA_LEAD):
        raise CatalogError(
            f"{where}, field {field}: {value[:40]!r} starts with {value[0]!r}, which spreadsheets run as a formula; "
            "reword the cell so that it starts with a letter, a digit or a quotation mark"
        )


def check_date(value: str, *, where: str) -> dt.date:
    """Parse a date of reduced precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) found at ``where``.

    Returns:
        The first day the value covers.

    Raises:
        CatalogError: Naming ``where`` if the value is not such a date or names no calendar day.
    """
    try:
        return date_interval(value)[0]
    except DateError as exc:
        raise CatalogError(f"{where}: {exc}") from exc


def _read_csv(path: Path, fields: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    name = f"catalog/{path.name}"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = tuple(reader.fieldnames or ())
            if header != fields:
                missing = [f for f in fields if f not in header]
                extra = [f for f in header if f not in fields]
                raise CatalogError(
                    f"{name}: header must be {','.join(fields)}"
                    + (f"; missing {missing}" if missing else "")
                    + (f"; unknown {extra}" if extra else "")
                )
            rows = []
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise CatalogError(f"{name} line {reader.line_num}: wrong number of cells")
                for key, value in row.items():
                    refuse_formula(value.lstrip(" "), where=f"{name} line {reader.line_num}", field=str(key))
                rows.append((reader.line_num, {k: v.strip() for k, v in row.items()}))
            return rows
    except FileNotFoundError as exc:
        raise CatalogError(f"{name} is missing: the catalog must describe every seed") from exc
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{name} is not UTF-8: re-save it as UTF-8") from exc
    except csv.Error as exc:
        raise CatalogError(f"{name}: not a readable CSV file ({exc}): fix its quoting") from exc


def _choice(value: str, allowed: tuple[str, ...], *, where: str, field: str, empty_ok: bool) -> str:
    if (value == "" and empty_ok) or value in allowed:
        return value
    raise CatalogError(f"{where}, field {field}: {value!r} is not one of {', '.join(allowed)}")


def _check_domains(row: dict[str, str], *, where: str) -> None:
    for field, values in (
        ("domain", [row["domain"]] if row["domain"] else []),
        ("other_domains", row["other_domains"].split()),
    ):
        for value in values:
            if ascii_domain(value) is None or value.lower().startswith("www."):
                raise CatalogError(
                    f"{where}, field {field}: {value!r} is not a domain name: write the bare host, e.g. example.com "
                    "(no scheme, path, port or 'www.')"
                )


def load_outlets(path: Path) -> dict[str, Outlet]:
    """Load and check ``catalog/outlets.csv``."""
    outlets: dict[str, Outlet] = {}
    for line, row in _read_csv(path, OUTLET_FIELDS):
        where = f"catalog/{path.name} line {line}"
        oid = row["outlet_id"]
        if not OUTLET_ID.match(oid):
            raise CatalogError(f"{where}, field outlet_id: {oid!r} must be lowercase letters, digits and '-'")
        if oid in outlets:
            raise CatalogError(f"{where}, field outlet_id: {oid!r} is listed twice")
        if not row["name"]:
            raise CatalogError(f"{where}, field name: required")
        _check_domains(row, where=where)
        if row["country"] and not COUNTRY.match(row["country"]):
            raise CatalogError(f"{where}, field country: {row['country']!r} must be an ISO 3166 alpha-2 code")
        _choice(row["ownership"], OWNERSHIP, where=where, field="ownership", empty_ok=False)
        _choice(row["perspective"], PERSPECTIVES, where=where, field="perspective", empty_ok=False)
        if not row["evidence"]:
            raise CatalogError(f"{where}, field evidence: say how the outlet's details are known")
        outlets[oid] = Outlet(
            outlet_id=oid,
            name=row["name"],
            domain=row["domain"].lower(),
            other_domains=tuple(row["other_domains"].lower().split()),
            country=row["country"],
            ownership=row["ownership"],
            perspective=row["perspective"],
            site_names=tuple(s for s in row["site_names"].split("|") if s),
            evidence=row["evidence"],
        )
    return outlets


def _seed_row(line: int, row: dict[str, str], seeds_dir: Path, outlets: dict[str, Outlet]) -> int | None:
    """Check one row of ``catalog/seeds.csv``; return its article number (None: the whole seed)."""
    where = f"catalog/seeds.csv line {line}"
    try:
        target = safe_join(seeds_dir, row["file"])
    except UnsafePathError as exc:
        raise UnsafePathError(f"{where}, field file: {exc}") from exc
    if target.parent.resolve() != seeds_dir.resolve():
        raise CatalogError(f"{where}, field file: {row['file']!r} must name a file directly inside seeds/")
    article: int | None = None
    if row["article"]:
        if not row["article"].isdigit() or int(row["article"]) < 1:
            raise CatalogError(f"{where}, field article: {row['article']!r} must be empty or a number ≥ 1")
        article = int(row["article"])
    if row["outlet_id"] and row["outlet_id"] not in outlets:
        raise CatalogError(
            f"{where}, field outlet_id: {row['outlet_id']!r} is not in catalog/outlets.csv; add the outlet there"
        )
    _choice(row["perspective"], PERSPECTIVES, where=where, field="perspective", empty_ok=True)
    if row["language"] and row["language"] not in ISO_639_1:
        raise CatalogError(f"{where}, field language: {row['language']!r} is not an ISO 639-1 code (e.g. en, fr, uk)")
    _choice(row["review"], REVIEW, where=where, field="review", empty_ok=False)
    _choice(row["date_precision"], PRECISIONS, where=where, field="date_precision", empty_ok=True)
    _choice(row["date_source"], DATE_SOURCES, where=where, field="date_source", empty_ok=True)
    if row["url"] and (problem := url_problem(row["url"])):
        raise CatalogError(f"{where}, field url: {row['url']!r} {problem}")
    _check_row_date(row, where=where)
    if not row["evidence"]:
        raise CatalogError(f"{where}, field evidence: say what the file shows and how each value is known")
    return article


def _check_row_date(row: dict[str, str], *, where: str) -> None:
    if row["date"]:
        check_date(row["date"], where=f"{where}, field date")
        if row["date_precision"] != precision_of(row["date"]):
            raise CatalogError(
                f"{where}, field date_precision: {row['date']!r} needs date_precision {precision_of(row['date'])!r}"
            )
        if row["date_source"] not in ("header", "dateline", "inferred"):
            raise CatalogError(f"{where}, field date_source: a catalog date needs a source (usually 'inferred')")
    elif row["date_precision"] not in ("", "unknown") or row["date_source"] not in ("", "unknown"):
        raise CatalogError(f"{where}: date_precision/date_source given without a date")


def load_catalog(catalog_dir: Path, seeds_dir: Path) -> Catalog:
    """Load and check the catalog.

    Args:
        catalog_dir: The ``catalog/`` folder.
        seeds_dir: The ``seeds/`` folder, which every ``file`` cell must stay inside.

    Raises:
        CatalogError: For any malformed cell, naming the file, line and field.
        UnsafePathError: For a ``file`` that points outside ``seeds/``.
    """
    outlets = load_outlets(catalog_dir / "outlets.csv")
    entries: dict[str, list[Entry]] = {}
    seen: set[tuple[str, int | None]] = set()
    for line, row in _read_csv(catalog_dir / "seeds.csv", SEED_FIELDS):
        file = row["file"]
        article = _seed_row(line, row, seeds_dir, outlets)
        if (file, article) in seen:
            raise CatalogError(
                f"catalog/seeds.csv line {line}: a second row for {file} article {article or '(all)'}; merge them"
            )
        seen.add((file, article))
        values = {k: v for k, v in row.items() if v and k not in ("file", "article", "evidence", "review")}
        reviewed = row["review"] == "reviewed"
        entries.setdefault(file, []).append(Entry(line, file, article, values, row["evidence"], reviewed))
    return Catalog(outlets, entries)


def check_coverage(catalog: Catalog, seed_names: list[str]) -> list[str]:
    """Every catalog row has a seed; return the seeds no curator has reviewed yet, in order.

    A seed without a row (or with a draft row) is not an error: it builds with what its file
    says, and is listed for review.

    Raises:
        CatalogError: Naming every row whose seed does not exist.
    """
    names = set(seed_names)
    orphans = [
        f"catalog/seeds.csv line {rows[0].line}: seeds/{file} does not exist"
        for file, rows in sorted(catalog.entries.items())
        if file not in names
    ]
    if orphans:
        raise CatalogError("; ".join(orphans) + "; remove the row or add the seed")
    return [name for name in seed_names if not catalog.reviewed(name)]
