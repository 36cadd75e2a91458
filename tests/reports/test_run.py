"""`corpus reports` end to end on the fixture project (kernels run: slow), and the committed reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from builder import edit_notebook

from corpus.errors import ReportError
from corpus.paths import Layout
from corpus.reports import cache, run

REPO = Path(__file__).resolve().parents[2]


def outputs(layout: Layout) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(layout.reports.iterdir()) if p.is_file()}


def _edit_docstring(relative: str) -> None:
    path = cache.PACKAGE_DIR / relative
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"""', '"""Edited. ', 1), encoding="utf-8")


@pytest.mark.slow
def test_cache_end_to_end(project: Layout) -> None:
    first = run.render_reports(project, jobs=2)
    assert first.names("executed") == ["counts-en", "counts-ru", "other"]
    produced = outputs(project)
    assert set(produced) == {
        ".cache.json",
        "index.html",
        *(f"{n}.{ext}" for n in ("counts-en", "counts-ru", "other") for ext in ("html", "ipynb")),
    }
    page = produced["counts-en.html"].decode()
    assert "2 of 4 documents in en" in page
    assert '<script>alert("x")' not in page and "Talks &lt;script&gt;" in page

    second = run.render_reports(project, jobs=2)
    assert second.names("cached") == ["counts-en", "counts-ru", "other"]
    assert outputs(project) == produced

    edit_notebook(project.notebooks / "other.ipynb")
    third = run.render_reports(project, jobs=1)
    assert third.names("executed") == ["other"]
    assert "Edited." in (project.reports / "other.html").read_text(encoding="utf-8")

    before_force = outputs(project)
    forced = run.render_reports(project, force=True, jobs=2)
    assert forced.names("executed") == ["counts-en", "counts-ru", "other"]
    assert outputs(project) == before_force, "re-running the same inputs changes no byte"


@pytest.mark.slow
def test_reports_follow_the_code_they_ran(project: Layout) -> None:
    run.render_reports(project, jobs=2)
    manifest = cache.read_manifest(project)
    ran = set(manifest["counts-en"].code)
    assert {"__init__.py", "paths.py", "errors.py", "analysis/data.py", "text/codebook.py"} <= ran
    # the kernel ran the analysis side only: no extraction, build, release or report code
    assert not any(path.startswith(("package/", "reports/", "release/", "ingest/extract")) for path in ran)
    assert manifest["other"].code == {}, "a notebook importing nothing from corpus depends on no module"
    footer = (project.reports / "counts-en.html").read_text(encoding="utf-8").split('<footer class="corpus-footer">')[1]
    assert "corpus/paths.py" in footer

    before = outputs(project)
    _edit_docstring("release/cite.py")
    _edit_docstring("ingest/extract.py")
    assert run.render_reports(project, jobs=2).names("cached") == ["counts-en", "counts-ru", "other"]
    assert outputs(project) == before, "a module no report imports re-renders nothing"

    _edit_docstring("paths.py")
    again = run.render_reports(project, jobs=2)
    assert again.names("executed") == ["counts-en", "counts-ru"] and again.names("cached") == ["other"]


@pytest.mark.slow
def test_failing_cell_keeps_previous_html_and_names_report_cell_and_error(project: Layout, plan_text: str) -> None:
    run.render_reports(project, jobs=2)
    good_html = (project.reports / "counts-en.html").read_bytes()
    plan_file = project.notebooks / "plan.toml"
    plan_file.write_text(plan_text.replace('{ language = "en" }', '{ language = "en", fail = true }'), encoding="utf-8")
    with pytest.raises(ReportError) as err:
        run.run_reports(project, force=True, jobs=2, only=None)
    message = str(err.value)
    assert "1 report(s) failed" in message
    assert "report 'counts-en': notebooks/counts.ipynb cell 3 (id 'check') raised ValueError" in message
    assert "deliberate failure for the tests" in message
    assert (project.reports / "counts-en.html").read_bytes() == good_html
    failed = nbformat.read(project.reports / "_failed" / "counts-en.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in failed.cells for o in c.get("outputs", []))
    index = (project.reports / "index.html").read_text(encoding="utf-8")
    assert "failed in the last run" in index
    assert set(cache.read_manifest(project)) == {"counts-en", "counts-ru", "other"}, "the others still ran"

    plan_file.write_text(plan_text, encoding="utf-8")
    run.run_reports(project, force=False, jobs=1, only=["counts-en"])
    assert not (project.reports / "_failed" / "counts-en.ipynb").exists()
    assert "failed in the last run" not in (project.reports / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_broken_parameters_fail_before_execution_and_others_still_run(project: Layout, plan_text: str) -> None:
    (project.notebooks / "plan.toml").write_text(
        plan_text.replace("top_n = 1", 'top_n = "one"').replace(
            "reads_data = false", "reads_data = false\nparameters = { m = 1 }"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ReportError) as err:
        run.run_reports(project, force=False, jobs=2, only=None)
    message = str(err.value)
    assert "2 report(s) failed" in message
    assert "parameter 'top_n' = 'one' is a str, but notebooks/counts.ipynb declares it as int" in message
    assert "report 'other': parameter 'm' is not declared" in message and "(declared: n: int)" in message
    assert (project.reports / "counts-en.html").is_file()
    assert not (project.reports / "counts-ru.html").exists()
    assert not (project.reports / "_failed").exists(), "nothing was executed for them"


@pytest.mark.slow
def test_a_missing_notebook_fails_alone_and_the_other_reports_run(project: Layout, plan_text: str) -> None:
    (project.notebooks / "plan.toml").write_text(
        plan_text.replace('notebook = "other.ipynb"', 'notebook = "gone.ipynb"'), encoding="utf-8"
    )
    with pytest.raises(ReportError) as err:
        run.run_reports(project, force=False, jobs=1, only=None)
    message = str(err.value)
    assert "1 report(s) failed" in message
    assert "report 'other': notebook notebooks/gone.ipynb does not exist: fix the plan entry" in message
    assert (project.reports / "counts-en.html").is_file() and (project.reports / "counts-ru.html").is_file()
    assert not (project.reports / "other.html").exists()
    index = (project.reports / "index.html").read_text(encoding="utf-8")
    assert "failed in the last run" in index
    assert not (project.reports / ".staging").exists()


def test_reports_refuse_a_missing_package_before_running_anything(project: Layout) -> None:
    project.descriptor.unlink()
    with pytest.raises(ReportError, match="datapackage.json not found: run `corpus build` first"):
        run.run_reports(project, force=False, jobs=1, only=None)
    assert not project.reports.exists()


@pytest.mark.slow
def test_committed_reports_equal_regenerated(tmp_path: Path) -> None:
    """CI check: rendering the committed inputs in a copy of the project changes no byte."""
    committed = REPO / "reports"
    assert (committed / "index.html").is_file(), "reports/ is committed: run `nox -s reports`"
    copy_root = tmp_path / "clone"
    for name in ("catalog", "data", "notebooks", "seeds", "reports"):
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, copy_root / name, ignore=shutil.ignore_patterns("_failed", ".ipynb_checkpoints")
            )
    for name in ("datapackage.json", "uv.lock", "pyproject.toml"):
        shutil.copy(REPO / name, copy_root / name)
    layout = Layout(copy_root)
    run.render_reports(layout, force=True, jobs=None)
    expected = {p.name: p.read_bytes() for p in committed.iterdir() if p.is_file()}
    assert outputs(layout) == expected
