#!/usr/bin/env -S uv run --script
# /// script
# requires-python = ">=3.11"
# dependencies = ["nox>=2025.2.9"]
# ///
"""Sessions for building the corpus, testing, linting, rendering reports and packaging releases.

Every session installs exactly the versions locked in uv.lock (``uv sync --locked``), so every
machine runs the same set; ``nox -l`` lists the sessions. ``data``, ``extraction``, ``reports``,
``package`` and ``tests`` need the same set (the project and the test tools) and share one environment,
``.nox/corpus-<python>``, so the README's two commands install it once. Sessions run on the
Python nox itself runs on when it is supported (reports are byte-identical on each of them);
``nox --force-python 3.12 -s reports`` picks another one. Without nox installed, ``uv run
noxfile.py -s reports`` (or ``./noxfile.py -s reports``) runs it from the script block above.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
# A session whose interpreter is missing fails instead of being skipped (a skip exits 0).
nox.options.error_on_missing_interpreters = True
# `nox` alone runs the sessions not marked default=False: the tests.

#: The supported minor versions (pyproject.toml's classifiers; tests/reports/test_pythons.py).
PYTHONS = ("3.11", "3.12", "3.13")
_RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
#: The interpreter every session runs on: the one running nox when it is supported (one
#: interpreter is then enough, whatever else is or is not on PATH), else the newest supported.
PYTHON = sys.executable if _RUNNING in PYTHONS else PYTHONS[-1]
#: The environment ``data``, ``extraction``, ``reports``, ``package`` and ``tests`` share, and its groups.
SHARED, SHARED_GROUPS = "corpus", ("test",)


def python_of(session: nox.Session) -> str:
    """The session's interpreter (``--force-python`` may replace it): a version or a path."""
    return str(session.python or PYTHON)


def uv_command() -> str | None:
    """uv on PATH, else the one installed beside nox (``pip install nox uv``), else None."""
    found = shutil.which("uv")
    if found is None:
        try:
            from uv import find_uv_bin  # the uv package's own locator

            found = find_uv_bin()
        except (ImportError, FileNotFoundError):
            return None
    return found


def sync(session: nox.Session, *groups: str, location: str, compile_bytecode: bool, project: bool = True) -> None:
    """Install the locked set (the project unless ``project`` is false, and ``groups``) into ``location``.

    Byte-compiling at install time pays where many processes import the stack (reports start a
    kernel per notebook, the tests start the command line and kernels), since nothing caches it
    where ``PYTHONDONTWRITEBYTECODE`` is set; elsewhere it only costs time and disk.
    """
    uv = uv_command()
    if uv is None:
        if session.venv_backend == "none":  # the shared environment is made by uv itself
            session.error("uv is not installed: install it beside nox (pip install uv, or pipx install uv)")
        session.install("uv")  # nox without uv next to it: bring uv into the session itself
        uv = "uv"
    # The project is built in place with the locked backend of the build group ([tool.uv]
    # no-build-isolation-package); --only-group: the groups alone, without the project.
    selection = [f"--group={g}" for g in ("build", *groups)] if project else [f"--only-group={g}" for g in groups]
    args = [uv, "sync", "--locked", "--no-default-groups", *selection]
    env = {"UV_PROJECT_ENVIRONMENT": location, "UV_PYTHON": python_of(session)}
    if compile_bytecode:
        env["UV_COMPILE_BYTECODE"] = "1"
    session.run_install(*args, env=env, external=True)


def shared(session: nox.Session) -> Path:
    """Sync the shared environment and put it first on the session's PATH; return its bin folder."""
    python = python_of(session)
    version = _RUNNING if python == sys.executable else Path(python).name.removeprefix("python")
    location = (session.env_dir.parent / f"{SHARED}-{version}").resolve()
    sync(session, *SHARED_GROUPS, location=str(location), compile_bytecode=True)
    bin_dir = location / ("Scripts" if os.name == "nt" else "bin")
    session.env["VIRTUAL_ENV"] = str(location)
    session.env["PATH"] = os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")])
    return bin_dir


def build_and_validate(session: nox.Session, bin_dir: Path, *build_args: str) -> None:
    """The data package's steps: build datapackage.json and data/ from seeds/ and catalog/, validate."""
    session.run(bin_dir / "corpus", "build", *build_args, external=True)
    session.run(bin_dir / "corpus", "validate", external=True)


@nox.session(python=PYTHON, venv_backend="none", default=False)
def data(session: nox.Session) -> None:
    """Build datapackage.json and data/ from seeds/ and catalog/, then validate them."""
    build_and_validate(session, shared(session), *session.posargs)


@nox.session(python=PYTHON, venv_backend="none", default=False)
def extraction(session: nox.Session) -> None:
    """Score the extraction on the labelled benchmark pages and write benchmarks/extraction/scores.csv."""
    session.run(shared(session) / "corpus", "extraction", "--write", *session.posargs, external=True)


@nox.session(python=PYTHON, default=False)
def train(session: nox.Session) -> None:
    """Fit the line classifier on the benchmark's dev pages into catalog/line_model.json (scikit-learn)."""
    sync(session, "train", location=session.virtualenv.location, compile_bytecode=False)
    session.run("corpus", "train", *session.posargs)


@nox.session(python=PYTHON, venv_backend="none")
def tests(session: nox.Session) -> None:
    """Run the test suite (network disabled; the browser check is the browser session)."""
    bin_dir = shared(session)
    session.run(bin_dir / "python", "-m", "pytest", *session.posargs, external=True)


@nox.session(python=PYTHON, venv_backend="none", default=False)
def reports(session: nox.Session) -> None:
    """Build and validate the data package (the data session's steps), then render the planned reports."""
    bin_dir = shared(session)
    build_and_validate(session, bin_dir)  # corpus reports itself only reads the published package
    session.run(bin_dir / "corpus", "reports", *session.posargs, external=True)


@nox.session(python=PYTHON, venv_backend="none", default=False)
def package(session: nox.Session) -> None:
    """Build the full and public release archives into dist/ and verify them."""
    session.run(shared(session) / "corpus", "package", *session.posargs, external=True)


@nox.session(python=PYTHON, default=False)
def browser(session: nox.Session) -> None:
    """Open the committed reports in headless Chromium with the network cut (pytest -m browser)."""
    sync(session, "test", "browser", location=session.virtualenv.location, compile_bytecode=False)
    session.run("pytest", "-m", "browser", *session.posargs, env={"CORPUS_REQUIRE_BROWSER": "1"})


@nox.session(python=PYTHON, default=False)
def lint(session: nox.Session) -> None:
    """Check style, formatting, types, declared dependencies, and that notebooks carry no outputs."""
    sync(session, "lint", location=session.virtualenv.location, compile_bytecode=False, project=False)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("deptry", ".")
    # The project is not installed here: its notebook normal form is read from the source tree.
    session.run("python", "-m", "corpus", "notebooks", "strip", "--check", env={"PYTHONPATH": "src"})


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Benchmark build, validate and the no-op on generated corpora (1,000 and 10,000 seeds), then the reports."""
    sync(session, "bench", location=session.virtualenv.location, compile_bytecode=True)
    session.run("python", "benchmarks/bench_build.py", *session.posargs)
    session.run("python", "benchmarks/bench_reports.py")


@nox.session(python=PYTHON, default=False)
def lab(session: nox.Session) -> None:
    """Register the project's kernel for this user, then start JupyterLab on notebooks/."""
    sync(session, "lab", location=session.virtualenv.location, compile_bytecode=True)
    # Other front ends (VS Code, a Jupyter installed elsewhere) then open the notebooks in this
    # environment; the reports never use this registration (they run in their own environment).
    session.run(
        "python", "-m", "ipykernel", "install", "--user", "--name", "us-russia-news-corpus",
        "--display-name", "Python (US–Russia news corpus)",
    )  # fmt: skip
    session.run("jupyter", "lab", "notebooks", *session.posargs)


@nox.session(python=PYTHON, default=False)
def lock(session: nox.Session) -> None:
    """Refresh uv.lock to the newest versions allowed by pyproject.toml."""
    session.install("uv")
    session.run("uv", "lock", "--upgrade", *session.posargs)


if __name__ == "__main__":
    nox.main()
