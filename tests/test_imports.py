"""The package's layout is its pipeline: stages import only from themselves and earlier stages, no cycles,
small modules and functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "corpus"
#: The stages in pipeline order; the core modules come first.
STAGES = ("core", "ingest", "text", "package", "analysis", "reports", "release")
#: Entry points dispatch to every stage (their imports of the stages are inside the commands).
ENTRY_POINTS = {"corpus.cli", "corpus.__main__", "corpus.release.__main__"}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else "core"


def _imports(module: str) -> set[str]:
    """The corpus modules ``module`` imports, at any level (function-level imports included)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        found.update(name for name in names if name in MODULES and name != module)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def test_the_tree_names_the_stages() -> None:
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()} == set(STAGES[1:])


@pytest.mark.parametrize("module", sorted(set(MODULES) - ENTRY_POINTS))
def test_a_module_imports_only_its_own_and_earlier_stages(module: str) -> None:
    rank = STAGES.index(_stage(module))
    backward = sorted(i for i in GRAPH[module] if STAGES.index(_stage(i)) > rank or i in ENTRY_POINTS)
    assert not backward, f"{module} ({_stage(module)}) imports later stages: {backward}"


def test_no_import_cycle() -> None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, f"import cycle: {' -> '.join([*visiting[visiting.index(module) :], module])}"
        visiting.append(module)
        for imported in sorted(GRAPH[module]):
            # a package imports its own submodules only by name; the submodule depends on it, not the reverse
            if not imported.startswith(module + "."):
                visit(imported)
        visiting.pop()
        done.add(module)

    for module in sorted(GRAPH):
        visit(module)


def test_the_checks_above_can_fail() -> None:
    """The graph sees function-level imports and a backward reach would be caught."""
    assert "corpus.package.build" in GRAPH["corpus.cli"], "cli imports the build inside a command"
    assert STAGES.index(_stage("corpus.release.archives")) > STAGES.index(_stage("corpus.reports.run"))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_and_functions_stay_small(module: str) -> None:
    text = MODULES[module].read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{module} has {len(text.splitlines())} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{module}.{node.name} has {length} lines"
