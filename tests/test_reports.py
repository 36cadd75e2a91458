"""Tests of corpus.reports and corpus.render: plan, parameter checks, cache keys, cleaning, HTML.

Fast tests work on a small fixture project (tests/fixtures/notebooks) without a kernel; tests
marked ``slow`` execute the fixture notebooks, and one re-renders the committed reports.
"""

from __future__ import annotations

import base64
import copy
import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pytest

from corpus.errors import ReportError
from corpus.paths import Layout
from corpus.reports import cache, index, notebooks, parameters, plan, run
from corpus.reports.render import PackageInfo, Provenance, footer_html

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"

PLAN = """\
[[report]]
name = "counts-en"
title = "Counts (English)"
notebook = "counts.ipynb"
parameters = { language = "en" }

[[report]]
name = "counts-ru"
title = "Counts <Russian>"
notebook = "counts.ipynb"
parameters = { language = "ru", top_n = 1 }

[[report]]
name = "other"
title = "Other"
notebook = "other.ipynb"
reads_data = false
"""

DOCUMENTS = [
    {
        "doc_id": "000_a-1",
        "seed": "000_a.txt",
        "outlet_id": "sputnik",
        "perspective": "russian-state-media",
        "date": "2025-08-23",
        "language": "en",
        "title": 'Talks <script>alert("x")</script> & more',
    },
    {
        "doc_id": "001_b-1",
        "seed": "001_b.txt",
        "outlet_id": "",
        "perspective": "ukrainian",
        "date": "2025-02",
        "language": "ru",
        "title": "Переговоры",
    },
]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_descriptor(layout: Layout) -> None:
    """(Re)write a minimal datapackage.json whose hashes match the fixture tables."""
    resources = []
    for name in ("documents", "outlets"):
        path = layout.data / f"{name}.csv"
        resources.append({"name": name, "path": f"data/{name}.csv", "hash": f"sha256:{_sha(path)}"})
    descriptor = {"name": "fixture-corpus", "title": "Fixture corpus", "version": "0.0.1", "resources": resources}
    layout.descriptor.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Layout:
    """A small corpus project: catalog, two tables, descriptor, fixture notebooks and plan."""
    layout = Layout(tmp_path / "project")
    (layout.catalog).mkdir(parents=True)
    shutil.copy(REPO / "catalog" / "package.toml", layout.catalog / "package.toml")
    layout.data.mkdir()
    _write_csv(layout.data / "documents.csv", DOCUMENTS)
    _write_csv(
        layout.data / "outlets.csv",
        [{"outlet_id": "sputnik", "name": "Sputnik International", "perspective": "russian-state-media"}],
    )
    write_descriptor(layout)
    layout.notebooks.mkdir()
    for nb in FIXTURES.glob("*.ipynb"):
        shutil.copy(nb, layout.notebooks / nb.name)
    (layout.notebooks / "plan.toml").write_text(PLAN, encoding="utf-8")
    (layout.root / "uv.lock").write_text("version = 1\n", encoding="utf-8")
    # Pin the package source the cache key covers: edits elsewhere must not change it mid-test.
    snapshot = tmp_path / "corpus-source"
    shutil.copytree(cache.PACKAGE_DIR, snapshot, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", snapshot)
    return layout


def digests(layout: Layout) -> dict[str, str]:
    context = cache.load_context(layout)
    return {r.name: cache.report_provenance(layout, r, context).inputs_digest for r in plan.load_plan(layout)}


def outputs(layout: Layout) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(layout.reports.iterdir()) if p.is_file()}


# ---------------------------------------------------------------------------------------------
# The plan


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no [[report]] table"),
        ("title = 'x'", "unknown top-level key"),
        ("[[report]]\nname = 'a'\ntitle = 'A'", "'notebook' is missing"),
        ("[[report]]\nname = 'A b'\ntitle = 'A'\nnotebook = 'x.ipynb'", "name must be"),
        ("[[report]]\nname = 'index'\ntitle = 'A'\nnotebook = 'x.ipynb'", "not 'index'"),
        ("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.py'", "is not a .ipynb file"),
        ("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\ncolour = 1", "unknown key(s) ['colour']"),
        ("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\nreads_data = 'yes'", "'reads_data'"),
        ("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\nparameters = 3", "'parameters' must"),
        (
            "[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\nparameters = { d = 1979-05-27 }",
            "parameter 'd'",
        ),
        (
            "[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'x.ipynb'\n"
            "[[report]]\nname = 'a'\ntitle = 'B'\nnotebook = 'y.ipynb'",
            "used twice",
        ),
    ],
)
def test_parse_plan_refuses_unclear_plans(text: str, message: str) -> None:
    import tomllib

    with pytest.raises(ReportError) as err:
        plan.parse_plan(tomllib.loads(text), source="plan.toml")
    assert message in str(err.value)


def test_load_plan_refuses_missing_and_escaping_notebooks(project: Layout) -> None:
    plan_file = project.notebooks / "plan.toml"
    plan_file.write_text("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = 'missing.ipynb'\n", encoding="utf-8")
    with pytest.raises(ReportError, match="does not exist"):
        plan.load_plan(project)
    plan_file.write_text("[[report]]\nname = 'a'\ntitle = 'A'\nnotebook = '../x.ipynb'\n", encoding="utf-8")
    with pytest.raises(ReportError, match="outside"):
        plan.load_plan(project)


def test_select_names_unknown_reports(project: Layout) -> None:
    planned = plan.load_plan(project)
    assert [r.name for r in plan.select(planned, ["other"])] == ["other"]
    with pytest.raises(ReportError, match=r"--only \['nope'\]: not in the plan"):
        plan.select(planned, ["nope"])


def test_project_plan_covers_every_notebook_and_its_parameters_are_declared() -> None:
    layout = Layout(REPO)
    planned = plan.load_plan(layout)
    notebooks = sorted(p.name for p in layout.notebooks.glob("*.ipynb"))
    assert notebooks, "the project has analysis notebooks"
    assert sorted({r.notebook for r in planned}) == notebooks
    for report in planned:
        declared = parameters.declared_parameters(layout.notebooks / report.notebook)
        assert parameters.parameter_problems(report, declared) == []


@pytest.mark.parametrize("path", sorted((REPO / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_project_notebooks_are_stored_with_ids_and_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert (nb.nbformat, nb.nbformat_minor) >= (4, 5)
    assert all(c.get("id") for c in nb.cells)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


# ---------------------------------------------------------------------------------------------
# Parameters


def test_declared_parameters_infer_types_from_defaults() -> None:
    declared = parameters.declared_parameters(FIXTURES / "counts.ipynb")
    assert {n: p.type_name for n, p in declared.items()} == {"language": "str", "top_n": "int", "fail": "bool"}


def test_declared_parameters_needs_a_parameters_cell(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    path = tmp_path / "untagged.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ReportError, match="no cell tagged 'parameters'"):
        parameters.declared_parameters(path)


DECLARED = {
    "language": parameters.DeclaredParameter("language", "str", '"en"'),
    "top_n": parameters.DeclaredParameter("top_n", "int", "3"),
    "ratio": parameters.DeclaredParameter("ratio", "float", "0.5"),
    "words": parameters.DeclaredParameter("words", "list[str]", "[]"),
    "maybe": parameters.DeclaredParameter("maybe", "Optional[int]", "None"),
    "anything": parameters.DeclaredParameter("anything", "any", "None"),
}


@pytest.mark.parametrize(
    ("planned", "problem"),
    [
        ({"language": "ru", "top_n": 5}, None),
        ({"ratio": 1}, None),  # an int is a valid float
        ({"words": ["a", "b"]}, None),
        ({"maybe": 3}, None),
        ({"anything": [1]}, None),
        ({"langauge": "ru"}, "parameter 'langauge' is not declared"),
        ({"top_n": "five"}, "parameter 'top_n' = 'five' is a str, but notebooks/x.ipynb declares it as int"),
        ({"top_n": True}, "is a bool, but"),
        ({"top_n": 2.5}, "is a float, but"),
        ({"language": ["en"]}, "is a list, but"),
        ({"words": "a"}, "is a str, but"),
    ],
)
def test_parameter_problems(planned: dict[str, plan.ParamValue], problem: str | None) -> None:
    report = plan.PlannedReport("r", "R", "x.ipynb", planned)
    problems = parameters.parameter_problems(report, DECLARED)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert problem in problems[0]
        assert "report 'r'" in problems[0]


def test_unknown_parameter_message_lists_the_allowed_names() -> None:
    report = plan.PlannedReport("r", "R", "x.ipynb", {"nope": 1})
    (problem,) = parameters.parameter_problems(report, DECLARED)
    assert "declared: language: str, top_n: int, ratio: float" in problem


# ---------------------------------------------------------------------------------------------
# Cache keys (no kernel)


def test_cache_keys_are_stable(project: Layout) -> None:
    assert digests(project) == digests(project)


def _change_resource_hash(layout: Layout) -> None:
    descriptor = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    descriptor["resources"][0]["hash"] = "sha256:" + "0" * 64
    layout.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")


def _edit_notebook(layout: Layout, name: str) -> None:
    path = layout.notebooks / name
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\n\nEdited."
    nbformat.write(nb, path)


def _edit_plan_parameter(layout: Layout) -> None:
    plan_file = layout.notebooks / "plan.toml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("top_n = 1", "top_n = 2"), encoding="utf-8")


def _edit_lock(layout: Layout) -> None:
    (layout.root / "uv.lock").write_text("version = 2\n", encoding="utf-8")


def _edit_source(layout: Layout) -> None:
    (cache.PACKAGE_DIR / "reports" / "run.py").write_text("# changed\n", encoding="utf-8")


def _bump_version(layout: Layout) -> None:
    descriptor = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    descriptor["version"] = "0.0.2"
    layout.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "changed"),
    [
        (_change_resource_hash, {"counts-en", "counts-ru"}),
        (lambda layout: _edit_notebook(layout, "other.ipynb"), {"other"}),
        (lambda layout: _edit_notebook(layout, "counts.ipynb"), {"counts-en", "counts-ru"}),
        (_edit_plan_parameter, {"counts-ru"}),
        (_edit_lock, {"counts-en", "counts-ru", "other"}),
        (_edit_source, {"counts-en", "counts-ru", "other"}),
        (_bump_version, {"counts-en", "counts-ru", "other"}),
    ],
    ids=["seed-hash", "notebook-other", "notebook-counts", "parameter", "lock", "source", "version"],
)
def test_cache_keys_follow_the_inputs(project: Layout, change, changed: set[str]) -> None:  # type: ignore[no-untyped-def]
    before = digests(project)
    change(project)
    after = digests(project)
    assert {name for name in before if before[name] != after[name]} == changed


def test_missing_descriptor_is_a_clear_error(project: Layout) -> None:
    project.descriptor.unlink()
    with pytest.raises(ReportError, match="run `corpus build` first"):
        cache.load_context(project)


def test_outputs_edited_by_hand_are_not_fresh(project: Layout) -> None:
    project.reports.mkdir()
    for suffix in (".html", ".ipynb"):
        (project.reports / f"x{suffix}").write_text("ok", encoding="utf-8")
    ok = hashlib.sha256(b"ok").hexdigest()
    entry = cache.CacheEntry(digest="d", html_sha256=ok, notebook_sha256=ok, package_version="1")
    assert cache.is_fresh(project, "x", "d", entry)
    assert not cache.is_fresh(project, "x", "other digest", entry)
    (project.reports / "x.html").write_text("edited", encoding="utf-8")
    assert not cache.is_fresh(project, "x", "d", entry)


def test_manifest_round_trips_and_is_deterministic(project: Layout) -> None:
    entries = {
        "b": cache.CacheEntry("d2", "h2", "n2", "0.1.0"),
        "a": cache.CacheEntry("d1", "h1", "n1", "0.1.0"),
    }
    text = cache.manifest_text(entries)
    assert text == cache.manifest_text(dict(reversed(list(entries.items()))))
    project.reports.mkdir()
    (project.reports / cache.MANIFEST_FILE).write_text(text, encoding="utf-8")
    assert cache.read_manifest(project) == entries


# ---------------------------------------------------------------------------------------------
# Cleaning executed notebooks


def _png_with_software_tag() -> bytes:
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def test_strip_png_text_drops_the_software_tag_and_keeps_the_pixels() -> None:
    png = _png_with_software_tag()
    assert b"tEXtSoftware" in png
    stripped = notebooks.strip_png_text(png)
    assert b"tEXt" not in stripped
    assert stripped.endswith(b"IEND\xaeB`\x82")
    original = plt.imread(io.BytesIO(png))
    assert (plt.imread(io.BytesIO(stripped)) == original).all()
    assert notebooks.strip_png_text(stripped) == stripped


@pytest.mark.parametrize("data", [b"", b"GIF89a", b"\x89PNG\r\n\x1a\n\x00\x00\x00\xffIHDR"])
def test_strip_png_text_leaves_non_png_alone(data: bytes) -> None:
    assert notebooks.strip_png_text(data) == data


def _executed_like_papermill() -> nbformat.NotebookNode:
    nb = nbformat.read(FIXTURES / "counts.ipynb", as_version=4)
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00", "input_path": "/somewhere/x.ipynb"}
    injected = nbformat.v4.new_code_cell("# Parameters\nlanguage = 'ru'\n")
    injected.id = "a1b2c3d4"
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(2, injected)
    png = base64.b64encode(_png_with_software_tag()).decode()
    for cell in nb.cells:
        cell.metadata["papermill"] = {"duration": 0.1}
        cell.metadata.setdefault("tags", [])
        if cell.cell_type == "code":
            cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    nb.cells[-1].outputs = [nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    return nb


def test_clean_executed_removes_run_time_noise() -> None:
    nb = _executed_like_papermill()
    cleaned = notebooks.clean_executed(nb)
    assert "papermill" not in cleaned.metadata
    for cell in cleaned.cells:
        assert "papermill" not in cell.metadata
        assert "execution" not in cell.metadata
        assert cell.metadata.get("tags", ["x"]) != []
    assert cleaned.cells[2].id == notebooks.INJECTED_CELL_ID
    assert cleaned.cells[1].metadata["tags"] == ["parameters"]
    png = base64.b64decode(cleaned.cells[-1].outputs[0].data["image/png"])
    assert png.startswith(b"\x89PNG") and b"tEXt" not in png
    nbformat.validate(cleaned)
    assert "papermill" in nb.metadata, "the input is not modified"


def test_with_stable_ids_gives_missing_ids_deterministically() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1"), nbformat.v4.new_code_cell("2")])
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    a, b = notebooks.with_stable_ids(nb), notebooks.with_stable_ids(copy.deepcopy(nb))
    assert [c.id for c in a.cells] == [c.id for c in b.cells] == ["cell-0", "cell-1"]
    assert a.nbformat_minor == 5
    nbformat.validate(a)


# ---------------------------------------------------------------------------------------------
# HTML


def _provenance(**changes: object) -> Provenance:
    base = {
        "package_name": "corpus",
        "package_version": "1.0.0",
        "resources": (("documents", "data/documents.csv", "ab" * 32),),
        "parameters": (("language", '"<en>"'),),
        "notebook": "notebooks/x.ipynb",
        "notebook_sha256": "1" * 64,
        "source_sha256": "2" * 64,
        "lock_sha256": "3" * 64,
        "inputs_digest": "4" * 64,
        "libraries": (("python", "3.11.7"), ("pandas", "3.1.1")),
    }
    base.update(changes)
    return Provenance(**base)  # type: ignore[arg-type]


def test_footer_states_the_provenance_escaped_and_without_time() -> None:
    footer = footer_html(_provenance())
    for expected in ("corpus", "1.0.0", "data/documents.csv", "ab" * 32, "&quot;&lt;en&gt;&quot;", "4" * 64):
        assert expected in footer
    assert "pandas 3.1.1" in footer and "python 3.11.7" in footer
    assert '"<en>"' not in footer
    assert "reads no data" in footer_html(_provenance(resources=()))


def test_report_html_is_offline_and_has_the_footer() -> None:
    from corpus.reports.render import render_report_html

    nb = notebooks.clean_executed(_executed_like_papermill())
    page = render_report_html(nb, title="A <title>", provenance=_provenance())
    assert "Content-Security-Policy" in page
    assert "<script" not in page
    assert "cdn" not in page.lower().replace("cdn1.img", "")
    assert 'src="data:image/png;base64,' in page
    assert "corpus-footer" in page and "4" * 64 in page
    assert "A &lt;title&gt;" in page
    assert (
        "language = &#39;ru&#39;" not in page and "Parameters" not in page.split("<main>")[1].split("corpus-footer")[0]
    )


def test_index_escapes_seed_text_and_summarizes_the_corpus(project: Layout) -> None:
    from corpus.reports.render import render_index

    about = index.about_corpus(project, PackageInfo("fixture-corpus", "Fixture corpus", "0.0.1"))
    assert about.summary.startswith("Fixture corpus (version 0.0.1) holds 2 articles extracted from 2 raw")
    assert dict(about.tables[0].rows) == {"Sputnik International": 1, "unknown outlet": 1}
    assert dict(about.tables[1].rows) == {"English": 1, "Russian": 1}
    page = render_index(
        package=PackageInfo("fixture-corpus", "Fixture <corpus>", "0.0.1"),
        rows=[],
        about=about,
        citation_html="<p>cite me</p>",
    )
    assert "Fixture &lt;corpus&gt;" in page and "<p>cite me</p>" in page
    assert "nox -s reports" in page


# ---------------------------------------------------------------------------------------------
# Executing the fixture notebooks


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
    assert "1 of 2 documents in en" in produced["counts-en.html"].decode()
    assert '<script>alert("x")' not in produced["counts-en.html"].decode()
    assert "Talks &lt;script&gt;" in produced["counts-en.html"].decode()

    second = run.render_reports(project, jobs=2)
    assert second.names("cached") == ["counts-en", "counts-ru", "other"]
    assert outputs(project) == produced

    _change_resource_hash(project)
    third = run.render_reports(project, jobs=2)
    assert third.names("executed") == ["counts-en", "counts-ru"]
    assert third.names("cached") == ["other"]

    _edit_notebook(project, "other.ipynb")
    fourth = run.render_reports(project, jobs=1)
    assert fourth.names("executed") == ["other"]
    assert "Edited." in (project.reports / "other.html").read_text(encoding="utf-8")

    before_force = outputs(project)
    forced = run.render_reports(project, force=True, jobs=2)
    assert forced.names("executed") == ["counts-en", "counts-ru", "other"]
    assert outputs(project) == before_force, "re-running the same inputs changes no byte"


@pytest.mark.slow
def test_failing_cell_keeps_previous_html_and_names_report_cell_and_error(project: Layout) -> None:
    run.render_reports(project, jobs=2)
    good_html = (project.reports / "counts-en.html").read_bytes()
    plan_file = project.notebooks / "plan.toml"
    plan_file.write_text(
        plan_file.read_text(encoding="utf-8").replace('{ language = "en" }', '{ language = "en", fail = true }'),
        encoding="utf-8",
    )
    with pytest.raises(ReportError) as err:
        run.run_reports(project, force=True, jobs=2, only=None, build=False)
    message = str(err.value)
    assert "1 report(s) failed" in message
    assert "report 'counts-en': notebooks/counts.ipynb cell 3 (id 'check') raised ValueError" in message
    assert "deliberate failure for the tests" in message
    assert (project.reports / "counts-en.html").read_bytes() == good_html
    failed = nbformat.read(project.reports / "_failed" / "counts-en.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in failed.cells for o in c.get("outputs", []))
    index = (project.reports / "index.html").read_text(encoding="utf-8")
    assert "failed in the last run" in index
    manifest = cache.read_manifest(project)
    assert set(manifest) == {"counts-en", "counts-ru", "other"}, "the others still ran"

    plan_file.write_text(PLAN, encoding="utf-8")
    run.run_reports(project, force=False, jobs=1, only=["counts-en"], build=False)
    assert not (project.reports / "_failed" / "counts-en.ipynb").exists()
    assert "failed in the last run" not in (project.reports / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_broken_parameters_fail_before_execution_and_others_still_run(project: Layout) -> None:
    plan_file = project.notebooks / "plan.toml"
    plan_file.write_text(
        PLAN.replace("top_n = 1", 'top_n = "one"').replace(
            "reads_data = false", "reads_data = false\nparameters = { m = 1 }"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ReportError) as err:
        run.run_reports(project, force=False, jobs=2, only=None, build=False)
    message = str(err.value)
    assert "2 report(s) failed" in message
    assert "parameter 'top_n' = 'one' is a str, but notebooks/counts.ipynb declares it as int" in message
    assert "report 'other': parameter 'm' is not declared" in message and "(declared: n: int)" in message
    assert (project.reports / "counts-en.html").is_file()
    assert not (project.reports / "counts-ru.html").exists()
    assert not (project.reports / "_failed").exists(), "nothing was executed for them"


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
