"""The `corpus` command: exit codes and messages a user sees."""

from __future__ import annotations

import subprocess
import sys

import pytest

from corpus.cli import main
from corpus.paths import Layout


def test_help_runs_as_a_module() -> None:
    result = subprocess.run([sys.executable, "-m", "corpus", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("build", "validate", "reports", "cite"):
        assert command in result.stdout


def test_build_and_validate(
    project_copy: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORPUS_ROOT", str(project_copy.root))
    assert main(["build", "--quiet"]) == 0
    assert "6 articles" in capsys.readouterr().out
    assert main(["validate", "--quiet"]) == 0


def test_bad_seed_exits_non_zero_naming_the_file(
    project_copy: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORPUS_ROOT", str(project_copy.root))
    (project_copy.seeds / "005_bad.txt").write_bytes("Текст".encode("cp1251"))
    assert main(["build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("corpus build: error: seeds/005_bad.txt") or "seeds/005_bad.txt" in err
    assert "Traceback" not in err


def test_invalid_package_lists_every_problem(
    project_copy: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORPUS_ROOT", str(project_copy.root))
    for path in list(project_copy.seeds.glob("00[12]_*.txt")):
        path.write_bytes(path.read_bytes() + b"\n")
    assert main(["validate", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "seed-001_" in err and "seed-002_" in err and "problem(s)" in err


def test_outside_a_project(tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CORPUS_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 1
    assert "no corpus project found" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
