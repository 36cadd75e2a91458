"""The `corpus` command: exit codes and messages a user sees."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from corpus.cli import main, parser
from corpus.paths import Layout

REPO = Path(__file__).resolve().parents[1]


def test_help_runs_as_a_module() -> None:
    result = subprocess.run([sys.executable, "-m", "corpus", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("build", "validate", "reports", "notebooks", "cite", "release", "package", "version-check"):
        assert command in result.stdout


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"corpus {metadata.version('us-russia-news-corpus')}\n"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = sub
                found.update({f"{name} {k}": v for k, v in _subparsers(sub).items()})
    return found


def test_every_command_describes_itself_in_its_help() -> None:
    commands = _subparsers(parser())
    assert {"release snapshot", "release citation", "release verify", "release package", "notebooks strip"} <= set(
        commands
    )
    for name, command in commands.items():
        assert command.description and len(command.description) > 20, name
        assert command.format_help().count(command.description) == 1, name


def test_notebooks_strip_checks_and_writes(
    project_copy: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORPUS_ROOT", str(project_copy.root))
    project_copy.notebooks.mkdir()
    source = next((REPO / "notebooks").glob("*.ipynb"))
    target = project_copy.notebooks / source.name
    nb = json.loads(source.read_text(encoding="utf-8"))
    nb["cells"][1]["execution_count"] = 7
    target.write_text(json.dumps(nb), encoding="utf-8")
    assert main(["notebooks", "strip", "--check"]) == 1
    assert "not in normal form" in capsys.readouterr().out
    assert main(["notebooks", "strip"]) == 0
    assert main(["notebooks", "strip", "--check"]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["cells"][1]["execution_count"] is None


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
