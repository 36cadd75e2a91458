"""Cache keys (without a kernel): what a report depends on, and the manifest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import nbformat
import pytest
from builder import edit_notebook, reseal

from corpus.errors import ReportError
from corpus.paths import Layout
from corpus.reports import cache, plan

#: Modules a report's kernel might have imported (as recorded in the manifest).
CODE = ("paths.py", "errors.py")


def digests(layout: Layout, code: tuple[str, ...] = CODE) -> dict[str, str]:
    context = cache.load_context(layout, cache.read_package(layout))
    hashes = cache.code_hashes(code)
    return {r.name: cache.report_inputs(layout, r, context).key(hashes) for r in plan.load_plan(layout)}


def test_cache_keys_are_stable(project: Layout) -> None:
    assert digests(project) == digests(project)


def _edit_resource(layout: Layout) -> None:
    path = layout.data / "outlets.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Test outlet.", "Edited."), encoding="utf-8")
    reseal(layout, "outlets")


def _edit_unread_resource(layout: Layout) -> None:
    path = layout.data / "boilerplate.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",title\n", ",headline\n"), encoding="utf-8")
    reseal(layout, "boilerplate")


def _save_in_jupyterlab(layout: Layout) -> None:
    """What a JupyterLab save adds: outputs, execution counts, kernel metadata, cell view state."""
    for path in layout.notebooks.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        nb.metadata["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
        nb.metadata["language_info"] = {"name": "python", "version": "3.12.1", "mimetype": "text/x-python"}
        for number, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            cell.execution_count = number + 1
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
            cell.metadata["scrolled"] = True
            cell.metadata["execution"] = {"iopub.status.idle": "2026-01-01T00:00:00Z"}
        nbformat.write(nb, path)


def _edit_plan_parameter(layout: Layout) -> None:
    plan_file = layout.notebooks / "plan.toml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("top_n = 1", "top_n = 2"), encoding="utf-8")


def _edit_lock(layout: Layout) -> None:
    (layout.root / "uv.lock").write_text("version = 2\n", encoding="utf-8")


def _edit_imported_module(layout: Layout) -> None:
    path = cache.PACKAGE_DIR / "paths.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


def _edit_other_module(layout: Layout) -> None:
    path = cache.PACKAGE_DIR / "reports" / "index.py"
    path.write_text(path.read_text(encoding="utf-8").replace('"""The reports index', '"""The index'), encoding="utf-8")


def _edit_renderer(layout: Layout) -> None:
    path = cache.PACKAGE_DIR / "reports" / "templates" / "matplotlibrc"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")


def _bump_version(layout: Layout) -> None:
    descriptor = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    descriptor["version"] = "0.0.2"
    layout.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")


ALL = {"counts-en", "counts-ru", "other"}


@pytest.mark.parametrize(
    ("change", "changed"),
    [
        (_edit_resource, {"counts-en", "counts-ru"}),
        (_edit_unread_resource, set()),
        (lambda layout: edit_notebook(layout.notebooks / "other.ipynb"), {"other"}),
        (lambda layout: edit_notebook(layout.notebooks / "counts.ipynb"), {"counts-en", "counts-ru"}),
        (_save_in_jupyterlab, set()),
        (_edit_plan_parameter, {"counts-ru"}),
        (_edit_lock, ALL),
        (_edit_imported_module, ALL),
        (_edit_other_module, set()),
        (_edit_renderer, ALL),
        (_bump_version, ALL),
    ],
    ids=[
        "read-resource",
        "unread-resource",
        "notebook-other",
        "notebook-counts",
        "jupyterlab-save",
        "parameter",
        "lock",
        "imported-module",
        "other-module",
        "renderer",
        "version",
    ],
)
def test_cache_keys_follow_the_inputs(project: Layout, change: Callable[[Layout], None], changed: set[str]) -> None:
    before = digests(project)
    change(project)
    after = digests(project)
    assert {name for name in before if before[name] != after[name]} == changed


def test_a_module_that_disappeared_changes_the_key(project: Layout) -> None:
    before = digests(project, ("paths.py", "gone.py"))
    assert cache.code_hashes(["gone.py"]) == {"gone.py": cache.MISSING}
    (cache.PACKAGE_DIR / "gone.py").write_text("x = 1\n", encoding="utf-8")
    assert digests(project, ("paths.py", "gone.py")) != before


def test_missing_descriptor_is_a_clear_error(project: Layout) -> None:
    project.descriptor.unlink()
    with pytest.raises(ReportError, match="run `corpus build` first"):
        cache.read_package(project)


def test_a_stale_table_is_refused(project: Layout) -> None:
    path = project.data / "mentions.csv"
    path.write_text(path.read_text(encoding="utf-8") + "x,1,x,en,0,1,0,1,x\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"data/mentions.csv does not match its hash in datapackage.json.*nox -s data"):
        cache.load_context(project, cache.read_package(project))


def test_a_package_without_a_resource_the_analyses_read_is_refused(project: Layout) -> None:
    descriptor = json.loads(project.descriptor.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "codebook"]
    project.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(ReportError, match="no resource 'codebook'"):
        cache.load_context(project, cache.read_package(project))


def test_outputs_edited_by_hand_are_not_fresh(project: Layout) -> None:
    context = cache.load_context(project, cache.read_package(project))
    inputs = cache.report_inputs(project, plan.load_plan(project)[0], context)
    project.reports.mkdir()
    for suffix in (".html", ".ipynb"):
        (project.reports / f"counts-en{suffix}").write_text("ok", encoding="utf-8")
    ok = hashlib.sha256(b"ok").hexdigest()
    code = cache.code_hashes(CODE)
    entry = cache.CacheEntry(digest=inputs.key(code), html_sha256=ok, notebook_sha256=ok, package_version="1", code=code)
    assert cache.is_fresh(project, inputs, entry)
    assert not cache.is_fresh(project, inputs, cache.CacheEntry("other digest", ok, ok, "1", code))
    (project.reports / "counts-en.html").write_text("edited", encoding="utf-8")
    assert not cache.is_fresh(project, inputs, entry)


def test_manifest_round_trips_and_is_deterministic(project: Layout) -> None:
    entries = {
        "b": cache.CacheEntry("d2", "h2", "n2", "0.1.0", {"paths.py": "ab"}),
        "a": cache.CacheEntry("d1", "h1", "n1", "0.1.0", {}),
    }
    text = cache.manifest_text(entries)
    assert text == cache.manifest_text(dict(reversed(list(entries.items()))))
    project.reports.mkdir()
    (project.reports / cache.MANIFEST_FILE).write_text(text, encoding="utf-8")
    assert cache.read_manifest(project) == entries


def test_a_manifest_of_another_format_is_an_empty_cache(project: Layout) -> None:
    project.reports.mkdir()
    (project.reports / cache.MANIFEST_FILE).write_text('{"format": 1, "reports": {"a": {}}}', encoding="utf-8")
    assert cache.read_manifest(project) == {}


def test_recorded_modules_never_escape_the_package(project: Layout) -> None:
    from corpus.errors import UnsafePathError

    with pytest.raises(UnsafePathError):
        cache.code_hashes(["../../outside.py"])


def test_a_report_reading_the_plan_follows_every_planned_notebook(project: Layout) -> None:
    text = (project.notebooks / "plan.toml").read_text(encoding="utf-8")
    reading = text.replace('reads_data = false\n', 'reads_data = false\nreads_plan = true\n')
    (project.notebooks / "plan.toml").write_text(reading, encoding="utf-8")
    before = digests(project)
    edit_notebook(project.notebooks / "counts.ipynb")  # a notebook the "other" report does not run
    after = digests(project)
    assert before["other"] != after["other"], "the report reading the plan follows every notebook"
    assert before["counts-en"] != after["counts-en"]
    (project.notebooks / "plan.toml").write_text(reading + "\n# a comment\n", encoding="utf-8")
    assert digests(project)["other"] != after["other"] and digests(project)["counts-en"] == after["counts-en"]
