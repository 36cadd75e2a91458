"""The ``corpus`` command line: build, validate, reports, cite, package, version-check.

Every :class:`~corpus.errors.CorpusError` becomes one clear message on stderr and exit code 1;
exit code 2 is a usage error. Heavy modules are imported inside the commands so that
``corpus --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from corpus.errors import CorpusError, ValidationError
from corpus.paths import project


def _build(args: argparse.Namespace) -> int:
    from corpus.package.build import build

    summary = build(project(), progress=not args.quiet)
    print(summary)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from corpus.package.validate import validate_package

    problems = validate_package(project(), progress=not args.quiet)
    if problems:
        raise ValidationError(problems)
    print("datapackage.json is valid: Frictionless and corpus checks passed")
    return 0


def _reports(args: argparse.Namespace) -> int:
    from corpus.reports.run import run_reports

    return run_reports(project(), force=args.force, jobs=args.jobs, only=args.only)


def _cite(args: argparse.Namespace) -> int:
    from corpus.package.citation import render_citation
    from corpus.package.metadata import load_metadata

    print(render_citation(load_metadata(project()), fmt=args.format))
    return 0


def _package(args: argparse.Namespace) -> int:
    from corpus.release import build_archives

    for path in build_archives(project(), edition=args.edition):
        print(path)
    return 0


def _version_check(args: argparse.Namespace) -> int:
    from corpus.release import check_version

    message = check_version(project())
    print(message)
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``corpus`` command."""
    top = argparse.ArgumentParser(prog="corpus", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="regenerate datapackage.json and data/ from seeds/ and catalog/")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=_build)

    p = sub.add_parser("validate", help="Frictionless validation plus the corpus's own checks")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=_validate)

    p = sub.add_parser("reports", help="execute and render the planned reports from the published data package")
    p.add_argument("--force", action="store_true", help="re-run every report, ignoring the cache")
    p.add_argument("--jobs", type=int, default=None, help="reports run in parallel (default: CPU count)")
    p.add_argument("--only", nargs="+", default=None, metavar="REPORT", help="run only these planned reports")
    p.set_defaults(func=_reports)

    p = sub.add_parser("cite", help="print the citation of the current package version")
    p.add_argument(
        "--format",
        choices=["apa", "bibtex", "csl-json", "all"],
        default="all",
        help="citation format",
    )
    p.set_defaults(func=_cite)

    p = sub.add_parser("package", help="build the release archives into dist/")
    p.add_argument("--edition", choices=["full", "public", "both"], default="both")
    p.set_defaults(func=_package)

    p = sub.add_parser("version-check", help="fail if data or schema changed since the last release without a bump")
    p.set_defaults(func=_version_check)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``corpus`` command; return the process exit code."""
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CorpusError as exc:
        print(f"corpus {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"corpus {args.command}: interrupted; nothing was replaced", file=sys.stderr)
        return 130
