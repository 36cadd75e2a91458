"""A build with nothing new to do is skipped; any changed input, module or published file rebuilds."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import corpus
import corpus.package.build
from corpus.cli import main
from corpus.errors import ValidationError
from corpus.package.build import build
from corpus.package.state import is_fresh, record, sources
from corpus.paths import Layout


def recorded(layout: Layout, package: Path | None = None) -> Layout:
    """``layout`` with its committed package recorded as built from its current inputs."""
    record(layout, sources(layout=layout, package=package))
    return layout


def append(path: Path, text: str = "\n") -> None:
    path.write_bytes(path.read_bytes() + text.encode("utf-8"))


CHANGES: dict[str, Callable[[Layout], None]] = {
    "a seed": lambda layout: append(next(layout.seeds.glob("001_*.txt"))),
    "a new seed": lambda layout: (layout.seeds / "009_new.txt").write_text("A page.\n", encoding="utf-8"),
    "a removed seed": lambda layout: next(layout.seeds.glob("002_*.txt")).unlink(),
    "the seed catalog": lambda layout: append(layout.catalog / "seeds.csv"),
    "the rules": lambda layout: append(layout.catalog / "rules.toml", "# a comment\n"),
    "the codebook": lambda layout: append(layout.catalog / "codebook.toml", "# a comment\n"),
    "the gold": lambda layout: append(next((layout.benchmarks / "gold").glob("*.tsv"))),
    "uv.lock": lambda layout: append(layout.root / "uv.lock"),
    "a published table": lambda layout: append(layout.data / "documents.csv"),
    "a stray file in data/": lambda layout: (layout.data / "extra.csv").write_text("x\n", encoding="utf-8"),
    "the descriptor": lambda layout: append(layout.descriptor),
}


def test_an_unchanged_project_is_fresh(project_copy: Layout) -> None:
    assert not is_fresh(project_copy), "no record yet: a first build must run"
    assert is_fresh(recorded(project_copy))


@pytest.mark.parametrize("what", sorted(CHANGES))
def test_any_changed_input_or_output_is_not_fresh(project_copy: Layout, what: str) -> None:
    CHANGES[what](recorded(project_copy))
    assert not is_fresh(project_copy)


def test_changed_build_code_is_not_fresh_but_analysis_code_is(project_copy: Layout, tmp_path: Path) -> None:
    package = tmp_path / "corpus"
    shutil.copytree(Path(corpus.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    recorded(project_copy, package)
    append(package / "analysis" / "overview.py", "# the build never runs the analyses\n")
    assert is_fresh(project_copy, package=package)
    append(package / "package" / "tables.py", "# a change to the build\n")
    assert not is_fresh(project_copy, package=package)


def test_a_leftover_staging_folder_or_a_bad_record_is_not_fresh(project_copy: Layout) -> None:
    recorded(project_copy).staging.mkdir()
    assert not is_fresh(project_copy)
    project_copy.staging.rmdir()
    project_copy.state.write_text("{not json", encoding="utf-8")
    assert not is_fresh(project_copy)


def test_a_successful_build_records_itself_and_a_failed_one_does_not(project_copy: Layout) -> None:
    build(project_copy)
    assert is_fresh(project_copy)
    lines = (project_copy.catalog / "seeds.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",", 12)
    cells[5:8] = ["2099-01-01", "day", "inferred"]  # a date the validation refuses
    (project_copy.catalog / "seeds.csv").write_text(
        "\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8"
    )
    state = project_copy.state.read_bytes()
    with pytest.raises(ValidationError):
        build(project_copy)
    assert project_copy.state.read_bytes() == state
    assert not is_fresh(project_copy), "the failed build's inputs were never built"


def test_a_build_killed_after_its_commit_is_not_taken_as_recorded(
    project_copy: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded(project_copy)
    append(project_copy.catalog / "rules.toml", "# a comment\n")

    def killed(layout: Layout, started_from: object) -> None:
        raise KeyboardInterrupt  # dies between the commit and the record

    monkeypatch.setattr(corpus.package.build, "record", killed)
    with pytest.raises(KeyboardInterrupt):
        build(project_copy)
    assert not is_fresh(project_copy)


def test_the_commands_skip_an_unchanged_package_and_rebuild_a_changed_one(
    project_copy: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORPUS_ROOT", str(project_copy.root))
    calls: list[str] = []
    real_build = corpus.package.build.build

    def counting(layout: Layout, *, progress: bool = False) -> str:
        calls.append("build")
        return real_build(layout, progress=progress)

    monkeypatch.setattr(corpus.package.build, "build", counting)
    assert main(["build", "-q"]) == 0
    before = {p: p.read_bytes() for p in [project_copy.descriptor, *project_copy.data.iterdir()]}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    assert main(["build", "-q"]) == 0
    assert main(["validate", "-q"]) == 0
    out = capsys.readouterr().out
    assert "up to date" in out and "datapackage.json is valid" in out
    assert calls == ["build"], "the second build was skipped"
    assert {p: p.stat().st_mtime_ns for p in before} == mtimes
    assert main(["build", "-q", "--force"]) == 0
    assert calls == ["build", "build"]
    assert {p: p.read_bytes() for p in before} == before, "a forced build of the same inputs changes no byte"
    append(project_copy.catalog / "rules.toml", "# a comment\n")
    assert main(["build", "-q"]) == 0
    assert calls == ["build", "build", "build"], "a changed input rebuilds"
