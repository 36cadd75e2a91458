"""The reports are byte-identical on every supported Python.

Each other supported interpreter found on this machine (on PATH as ``pythonX.Y``, or under
pyenv) gets an environment of the locked set (``uv sync --locked``, from uv's cache after one
online run) and renders every report from scratch in a copy of the project; the files must
equal the committed ones byte for byte. An interpreter that is not installed is skipped, with
the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: What `corpus reports` reads (the package and the notebooks) and needs to find the project.
PROJECT_FILES = ("catalog", "datapackage.json", "data", "notebooks", "reports", "pyproject.toml", "uv.lock")


def supported() -> list[str]:
    """The supported minor versions, from pyproject.toml's classifiers."""
    classifiers = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["classifiers"]
    return sorted(c.rsplit(" ", 1)[1] for c in classifiers if c.startswith("Programming Language :: Python :: 3."))


def _runs_as(candidate: Path, version: str) -> bool:
    # A pyenv shim exists for every installed version but fails unless that version is selected.
    probe = subprocess.run(
        [str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return probe.returncode == 0 and probe.stdout.strip() == version


def find_interpreter(version: str) -> Path | None:
    """A working ``pythonX.Y``: on PATH, else the newest pyenv installation of that minor version."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    on_path = shutil.which(f"python{version}")
    candidates = [Path(on_path)] if on_path else []
    candidates += sorted((pyenv_root / "versions").glob(f"{version}.*/bin/python{version}"), reverse=True)
    return next((c for c in candidates if _runs_as(c, version)), None)


OTHERS = [v for v in supported() if v != f"{sys.version_info.major}.{sys.version_info.minor}"]


@pytest.mark.slow
@pytest.mark.parametrize("version", OTHERS)
def test_reports_are_byte_identical_on_another_python(version: str, tmp_path: Path) -> None:
    interpreter = find_interpreter(version)
    if interpreter is None:
        pytest.skip(f"Python {version} is not installed here (neither python{version} on PATH nor under pyenv)")
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH: it installs the locked set for the other interpreter (pip install uv)")
    env_dir, project = tmp_path / "env", tmp_path / "project"
    installed = subprocess.run(
        [uv, "sync", "--locked", "--no-default-groups", "--group", "build", "--python", str(interpreter)],
        cwd=REPO,
        env={
            **{k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
            "UV_PROJECT_ENVIRONMENT": str(env_dir),
            "UV_COMPILE_BYTECODE": "1",
        },
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    project.mkdir()
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)
    rendered = subprocess.run(
        [str(env_dir / "bin" / "corpus"), "reports", "--force"],
        env={**os.environ, "CORPUS_ROOT": str(project)},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert f"Python {version}" in subprocess.run(
        [str(env_dir / "bin" / "python"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    committed = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "reports").iterdir() if p.is_file())
    different = [name for name in committed if (REPO / name).read_bytes() != (project / name).read_bytes()]
    assert not different, f"Python {version} renders {different} differently from the committed reports"
