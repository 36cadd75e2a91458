"""The README documents what users rely on: every table field, every nox session, the commands, which run."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus.package import schema
from corpus.paths import Layout

TABLES = {
    "documents": schema.DOCUMENTS,
    "paragraphs": schema.PARAGRAPHS,
    "outlets": schema.OUTLETS,
    "seed_files": schema.SEED_FILES,
    "boilerplate": schema.BOILERPLATE,
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_field_is_in_the_readme(repo: Layout, table: str) -> None:
    readme = (repo.root / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| `{table}` |"))
    missing = [f["name"] for f in TABLES[table]["fields"] if f"`{f['name']}`" not in row]
    assert not missing, f"README's row for {table} lacks {missing}"


def test_every_nox_session_is_in_the_readme(repo: Layout) -> None:
    readme = (repo.root / "README.md").read_text(encoding="utf-8")
    tree = ast.parse((repo.root / "noxfile.py").read_text(encoding="utf-8"))
    sessions = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and any("session" in ast.unparse(d) for d in node.decorator_list)
    ]
    assert set(sessions) >= {"data", "tests", "lint", "reports", "package", "bench", "lab"}
    assert all(f"| `{name}` |" in readme for name in sessions)
    assert re.search(r"^nox -s reports\b", readme, re.M) and re.search(r"^nox -s tests\b", readme, re.M)


def test_ci_runs_the_readme_test_command(repo: Layout) -> None:
    assert "nox -s tests" in (repo.root / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme(repo: Layout) -> None:
    import argparse

    from corpus.cli import parser

    readme = (repo.root / "README.md").read_text(encoding="utf-8")

    def commands(p: argparse.ArgumentParser, prefix: str) -> list[str]:
        found = []
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append(f"{prefix} {name}")
                    found.extend(commands(sub, f"{prefix} {name}"))
        return found

    listed = commands(parser(), "corpus")
    assert "corpus release verify" in listed
    missing = [c for c in listed if f"`{c}" not in readme and c not in ("corpus notebooks", "corpus release")]
    assert not missing, f"README lacks {missing}"


# --- The README's commands ------------------------------------------------------------------------

#: A fenced block: its info string (``sh``) and body, up to the closing fence.
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
#: The line before a command block that the tests do not run, with the reason.
ILLUSTRATIVE = re.compile(r"^<!-- illustrative: (?P<why>\S[^>]*?) -->$")
COMMAND_BLOCKS = {"sh", "bash", "shell", "console"}
#: Set for the commands the README test runs, so the test suite they start does not run it again.
NESTED = "CORPUS_RUNNING_README"


@dataclass(frozen=True)
class Block:
    """One fenced block of the README."""

    line: int
    info: str
    body: str
    illustrative: str

    @property
    def runs(self) -> bool:
        return self.info in COMMAND_BLOCKS and not self.illustrative


def readme_blocks(text: str) -> list[Block]:
    """The README's fenced blocks, each with the reason it is illustrative (empty: it is run)."""
    blocks = []
    for m in FENCE.finditer(text):
        before = text[: m.start()].rstrip("\n").splitlines()
        marker = ILLUSTRATIVE.match(before[-1]) if before else None
        line = text.count("\n", 0, m.start()) + 1
        blocks.append(Block(line, m["info"].strip(), m["body"], marker["why"] if marker else ""))
    return blocks


def test_every_command_block_is_run_or_marked_illustrative(repo: Layout) -> None:
    text = (repo.root / "README.md").read_text(encoding="utf-8")
    blocks = readme_blocks(text)
    for block in blocks:
        if block.info not in COMMAND_BLOCKS:
            commands = re.findall(r"^\s*(?:nox|corpus|pip|papermill|uv|uvx|git|python3?)\s", block.body, re.M)
            assert not commands, f"README line {block.line}: commands in a block that is not ```sh: {commands}"
    marked = [b for b in blocks if b.illustrative]
    assert all(b.info in COMMAND_BLOCKS for b in marked), "only command blocks are marked illustrative"
    markers = re.findall(r"^<!-- illustrative", text, re.M)
    assert len(markers) == len(marked), "every illustrative marker stands right before a block"
    run = [b for b in blocks if b.runs]
    assert any("nox -s reports" in b.body and "nox -s tests" in b.body for b in run), "the quick start is run"
    assert any("papermill" in b.body for b in run), "the papermill example is run"


def test_the_readme_test_sees_blocks_and_markers() -> None:
    text = "a\n\n```sh\nnox -s x\n```\n\n<!-- illustrative: needs a token -->\n```sh\ncurl x\n```\n\n```\ntree\n```\n"
    blocks = readme_blocks(text)
    assert [(b.line, b.info, b.illustrative, b.runs) for b in blocks] == [
        (3, "sh", "", True),
        (8, "sh", "needs a token", False),
        (12, "", "", False),
    ]


def _loopback_works() -> bool:
    # papermill's command line talks to its kernel over TCP on 127.0.0.1, which a network
    # namespace without a loopback (unshare -n) does not have. Probed in a child process: this
    # one has sockets disabled.
    probe = "import socket; s = socket.create_server(('127.0.0.1', 0)); socket.create_connection(s.getsockname())"
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=60, check=False).returncode == 0


def _fresh_shell_environment() -> dict[str, str]:
    """This process's environment as a new shell has it: without the test session's virtualenv."""
    own_bin = str(Path(sys.prefix) / "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p and p != own_bin)
    env[NESTED] = "1"
    return env


@pytest.mark.slow
def test_the_readme_commands_run_on_a_clean_clone(repo: Layout, tmp_path: Path) -> None:
    """Every command block not marked illustrative, in order, in a fresh clone of the repository.

    The quick start builds the package, renders the reports and runs the whole suite there (this
    test skips itself inside it); afterwards ``git status`` must be clean.
    """
    if os.environ.get(NESTED):
        pytest.skip("already inside a run of the README's commands")
    env = _fresh_shell_environment()
    missing = [tool for tool in ("git", "nox", "bash") if shutil.which(tool, path=env["PATH"]) is None]
    if missing or not (repo.root / ".git").exists():
        pytest.skip(f"needs a git checkout and {', '.join(missing) or 'git'} on PATH")
    if not _loopback_works():
        pytest.skip("no loopback network here (e.g. unshare -n): papermill's kernel needs 127.0.0.1")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(repo.root), str(clone)], check=True, timeout=600)
    blocks = [b for b in readme_blocks((clone / "README.md").read_text(encoding="utf-8")) if b.runs]
    for number, block in enumerate(blocks):
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block.body],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        output = (result.stdout + result.stderr)[-4000:]
        assert result.returncode == 0, f"README block at line {block.line} failed:\n{block.body}\n{output}"
        if number == 0:
            status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True)
            assert status.stdout == "", f"the quick start changed committed files:\n{status.stdout}"
