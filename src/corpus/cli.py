"""The ``corpus`` command line, in the order of the pipeline: build, validate, reports, cite, release.

Every :class:`~corpus.errors.CorpusError`, and every :class:`OSError` (disk full, permissions,
read-only file system), becomes one clear message on stderr and exit code 1, never a traceback;
exit code 2 is a usage error, 130 an interrupt (Ctrl-C), 143 a SIGTERM (clean-up runs in both
cases: nothing half-written is left in place). Each command imports its stage only when it runs,
so ``corpus --help`` stays instant.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus.errors import CorpusError, ValidationError, storage_error
from corpus.paths import Layout, project

DISTRIBUTION = "us-russia-news-corpus"


def _version() -> str:
    """The installed version; run from a source tree (``PYTHONPATH=src``) it is not installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "(not installed: running from the source tree)"


Command = Callable[[argparse.Namespace], int]
UNCHANGED = "seeds, catalog, benchmarks, code and uv.lock unchanged since the last successful build"


def _unchanged(layout: Layout, force: bool) -> bool:
    """Whether the published package is what the last successful build made from today's inputs and code."""
    from corpus.package.state import is_fresh
    from corpus.transaction import using

    if force:
        return False
    with using(layout.root, [layout.staging], exclusive=False):  # finishes or rolls back a crashed run first
        return is_fresh(layout)


def _build(args: argparse.Namespace) -> int:
    layout = project()
    if _unchanged(layout, args.force):
        print(f"datapackage.json and data/ are up to date: {UNCHANGED} (--force rebuilds)")
        return 0
    from corpus.package.build import build

    print(build(layout, progress=not args.quiet))
    return 0


def _add(args: argparse.Namespace) -> int:
    from corpus.ingest.intake import add_seeds

    for added in add_seeds(project(), args.files, url=args.url, outlet=args.outlet):
        print(f"{added.source} -> seeds/{added.name} (draft row in catalog/seeds.csv, unreviewed)")
    return 0


def _status(args: argparse.Namespace) -> int:
    from corpus.package.status import status_report

    print(status_report(project()), end="")
    return 0


def _extraction(args: argparse.Namespace) -> int:
    from corpus.package.quality import run_benchmark

    print(run_benchmark(project(), write=args.write, check=args.check, show_failures=args.failures), end="")
    return 0


def _train(args: argparse.Namespace) -> int:
    from corpus.package.training import train

    print(train(project(), check=args.check, cross_validate=args.cross_validate), end="")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from corpus.package.validate import validate_package
    from corpus.transaction import using

    layout = project()
    if _unchanged(layout, args.force):
        print(f"datapackage.json is valid: {UNCHANGED}, which validated it (--force validates again)")
        return 0
    with using(layout.root, [layout.staging], exclusive=False):
        problems = validate_package(layout, progress=not args.quiet)
    if problems:
        raise ValidationError(problems)
    print("datapackage.json is valid: Frictionless and corpus checks passed")
    return 0


def _reports(args: argparse.Namespace) -> int:
    from corpus.reports.run import run_reports

    return run_reports(project(), force=args.force, jobs=args.jobs, only=args.only)


def _notebooks_strip(args: argparse.Namespace) -> int:
    from corpus.reports.notebooks import strip_notebooks

    layout = project()
    paths = args.notebooks or sorted(layout.notebooks.glob("*.ipynb"))
    changed = strip_notebooks(paths, check=args.check)
    for path in changed:
        print(f"{path}: {'not in normal form' if args.check else 'stripped'}")
    if args.check and changed:
        print("run `corpus notebooks strip` (outputs, execution counts and editor metadata are not committed)")
        return 1
    return 0


def _cite(args: argparse.Namespace) -> int:
    from corpus.release.cite import cite

    print(cite(project(), fmt=args.format))
    return 0


def _package(args: argparse.Namespace) -> int:
    from corpus.release.archives import build_archives

    for path in build_archives(project(), edition=args.edition):
        print(path)
    return 0


def _version_check(args: argparse.Namespace) -> int:
    from corpus.release.versions import check_version

    print(check_version(project()))
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from corpus.release.versions import record_snapshot

    layout = project()
    print(record_snapshot(layout, replace=args.replace).relative_to(layout.root))
    return 0


def _citation(args: argparse.Namespace) -> int:
    from corpus.release.cite import write_citation

    layout = project()
    for path in write_citation(layout):
        print(path.relative_to(layout.root))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from corpus.release.verify import MAX_TOTAL_BYTES, verify_archive

    for archive in args.archives:
        verify_archive(archive, max_total_bytes=args.max_bytes or MAX_TOTAL_BYTES)
        print(f"{archive}: ok (checksums, sizes and files as declared; Frictionless valid)")
    return 0


def _command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str, func: Command) -> Any:
    """Add a subcommand whose one-line ``--help`` description is also its entry in the list."""
    parser = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
    parser.set_defaults(func=func)
    return parser


def _pipeline_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = _command(sub, "add", "copy raw pages into seeds/ and write draft catalog rows", _add)
    p.add_argument("files", nargs="+", type=Path, help="the raw files, as received")
    p.add_argument("--url", default=None, help="the page's URL (one file only)")
    p.add_argument("--outlet", default=None, help="an outlet id of catalog/outlets.csv")
    p = _command(sub, "build", "regenerate datapackage.json and data/ from seeds/ and catalog/", _build)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--force", action="store_true", help="build even if nothing changed since the last build")
    p = _command(sub, "validate", "validate the data package: Frictionless plus the corpus's own checks", _validate)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--force", action="store_true", help="validate even if nothing changed since the last build")
    _command(sub, "status", "list what needs a curator: unreviewed seeds, unknown outlets and dates", _status)
    text = "score the extraction on the labelled benchmark of news pages"
    p = _command(sub, "extraction", text, _extraction)
    p.add_argument(
        "--write", action="store_true", help="write benchmarks/extraction/scores.csv (the build publishes it)"
    )
    p.add_argument("--check", action="store_true", help="fail if the committed scores are out of date")
    p.add_argument("--failures", action="store_true", help="list what went wrong on the dev pages")
    text = "fit the line classifier on the benchmark's dev pages (nox -s train)"
    p = _command(sub, "train", text, _train)
    p.add_argument("--check", action="store_true", help="fail if the stored model is not what training fits now")
    p.add_argument("--cross-validate", action="store_true", help="also score the dev pages by outlet folds")
    p = _command(sub, "reports", "execute and render the planned reports from the published data package", _reports)
    p.add_argument("--force", action="store_true", help="re-run every report, ignoring the cache")
    p.add_argument("--jobs", type=int, default=None, help="reports run in parallel (default: the available CPUs)")
    p.add_argument("--only", nargs="+", default=None, metavar="REPORT", help="run only these planned reports")
    notebooks = _command(sub, "notebooks", "maintain the analysis notebooks in notebooks/", _notebooks_strip)
    nb_sub = notebooks.add_subparsers(dest="action", required=True, metavar="ACTION")
    text = "remove outputs, execution counts and editor metadata before a commit"
    p = _command(nb_sub, "strip", text, _notebooks_strip)
    p.add_argument("--check", action="store_true", help="only list the notebooks that need it; exit 1 if any")
    p.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    p = _command(sub, "cite", "print the citation of the current package version", _cite)
    p.add_argument("--format", choices=["apa", "bibtex", "csl-json", "all"], default="all", help="citation format")


def _verify_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    text = "verify downloaded archives offline: files, sizes, checksums, Frictionless"
    p = _command(sub, "verify", text, _verify)
    p.add_argument("archives", nargs="+", type=Path, help="the .zip archives (a .sha256 beside one is checked too)")
    p.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        help="refuse an archive that would unpack to more bytes than this (default: 4 GiB)",
    )


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that clean-up (``finally``) runs as for Ctrl-C."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``corpus`` command."""
    top = argparse.ArgumentParser(
        prog="corpus",
        description="The corpus pipeline: build and validate the data package, render reports, cite and release it.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _pipeline_commands(sub)
    _verify_command(sub)
    release = _command(sub, "release", "publish a release: snapshot, citation, version check, archives", _package)
    rel = release.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _command(rel, "snapshot", "record the current package as the release of its version in releases/", _snapshot)
    p.add_argument("--replace", action="store_true", help="overwrite a snapshot of a version never published")
    _command(rel, "citation", "regenerate CITATION.cff and .zenodo.json from the catalog", _citation)
    _verify_command(rel)
    for target in (rel, sub):  # `corpus package` and `corpus version-check` are short forms
        p = _command(target, "package", "build the full and public release archives into dist/", _package)
        p.add_argument("--edition", choices=["full", "public", "both"], default="both", help="which archive(s)")
        _command(target, "version-check", "fail if data or schema changed since the last release", _version_check)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``corpus`` command; return the process exit code."""
    args = parser().parse_args(argv)
    name = " ".join(filter(None, (args.command, getattr(args, "action", None))))
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        return int(args.func(args))
    except CorpusError as exc:
        print(f"corpus {name}: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # one the command did not name itself
        print(f"corpus {name}: error: {storage_error(exc, 'reading or writing a file')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"corpus {name}: interrupted; nothing was replaced", file=sys.stderr)
        return 130
    except Terminated:
        print(f"corpus {name}: terminated; nothing was replaced", file=sys.stderr)
        return 143
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
