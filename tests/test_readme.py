"""The README documents what users rely on: every table field, every nox session, the two commands."""

from __future__ import annotations

import ast
import re

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
