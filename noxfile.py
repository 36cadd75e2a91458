"""Sessions for building the corpus, testing, linting, rendering reports and packaging releases.

Each session installs the locked dependency set (uv.lock) into its own environment with
``uv sync --locked``, so every machine runs the same versions. ``nox -l`` lists the sessions.
"""

from __future__ import annotations

import shutil

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True


def sync(session: nox.Session, *groups: str) -> None:
    """Install the project (editable) and the given dependency groups exactly as locked."""
    if shutil.which("uv") is None and session.venv_backend != "uv":
        session.install("uv")  # nox without uv next to it: bring uv into the session itself
    args = ["uv", "sync", "--locked", "--no-default-groups", *(f"--group={g}" for g in groups)]
    session.run_install(
        *args,
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location, "UV_COMPILE_BYTECODE": "1"},
        external=True,
    )


def build_and_validate(session: nox.Session, *build_args: str) -> None:
    """The data package's steps: build datapackage.json and data/ from seeds/ and catalog/, validate."""
    session.run("corpus", "build", *build_args)
    session.run("corpus", "validate")


@nox.session
def data(session: nox.Session) -> None:
    """Build datapackage.json and data/ from seeds/ and catalog/, then validate them."""
    sync(session)
    build_and_validate(session, *session.posargs)


@nox.session
def extraction(session: nox.Session) -> None:
    """Score the extraction on the labelled benchmark pages and write benchmarks/extraction/scores.csv."""
    sync(session)
    session.run("corpus", "extraction", "--write", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (network disabled) on the locked environment."""
    sync(session, "test", "browser")
    # cffconvert pins a jsonschema that conflicts with frictionless: it lives in uv's tool store, fetched
    # here so the CITATION.cff test runs it without touching the network.
    session.run("uv", "tool", "run", "--from", "cffconvert==2.0.0", "cffconvert", "--version", external=True)
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style, formatting and types (ruff on code and notebooks, mypy) and that notebooks carry no outputs."""
    sync(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("corpus", "notebooks", "strip", "--check")


@nox.session
def reports(session: nox.Session) -> None:
    """Build and validate the data package (the data session's steps), then render the planned reports."""
    sync(session)
    build_and_validate(session)  # corpus reports itself only reads the published package
    session.run("corpus", "reports", *session.posargs)


@nox.session
def package(session: nox.Session) -> None:
    """Build the full and public release archives into dist/ and verify them."""
    sync(session)
    session.run("corpus", "package", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark build, validate and the no-op on generated corpora (1,000 and 10,000 seeds), then the reports."""
    sync(session, "bench")
    session.run("python", "benchmarks/bench_build.py", *session.posargs)
    session.run("python", "benchmarks/bench_reports.py")


@nox.session
def lab(session: nox.Session) -> None:
    """Start JupyterLab on notebooks/ with the project installed as the kernel."""
    sync(session, "lab")
    session.run("jupyter", "lab", "notebooks", *session.posargs)


@nox.session
def lock(session: nox.Session) -> None:
    """Refresh uv.lock to the newest versions allowed by pyproject.toml."""
    session.install("uv")
    session.run("uv", "lock", "--upgrade", *session.posargs)
