"""Report pages and the index page: provenance footer, offline, escaped."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import nbformat

from corpus.reports import notebooks
from corpus.reports.render import PackageInfo, Provenance, footer_html, render_index, render_report_html, script_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"


def _png() -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode()


def _provenance(**changes: object) -> Provenance:
    base = {
        "package_name": "corpus",
        "package_version": "1.0.0",
        "resources": (("documents", "data/documents.csv", "ab" * 32),),
        "parameters": (("language", '"<en>"'),),
        "notebook": "notebooks/x.ipynb",
        "notebook_sha256": "1" * 64,
        "code": (("analysis/select.py", "2" * 64),),
        "renderer_sha256": "5" * 64,
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
    nb = nbformat.read(FIXTURES / "counts.ipynb", as_version=4)
    nb.cells[-1].outputs = [nbformat.v4.new_output("display_data", data={"image/png": _png(), "text/plain": "<Fig>"})]
    nb = notebooks.clean_executed(nb)
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


def test_footer_lists_the_code_the_report_ran() -> None:
    footer = footer_html(_provenance(code=(("analysis/select.py", "2" * 64), ("paths.py", "6" * 64))))
    assert "corpus/analysis/select.py" in footer and "corpus/paths.py" in footer and "6" * 64 in footer
    assert "report renderer" in footer and "5" * 64 in footer


def test_index_escapes_what_it_shows() -> None:
    from corpus.reports.render import About, CountTable

    about = About(summary="<b>corpus</b>", tables=(CountTable("Articles per outlet", "Outlet", (("<i>x</i>", 1),)),))
    page = render_index(
        package=PackageInfo("fixture-corpus", "Fixture <corpus>", "0.0.1"),
        rows=[],
        about=about,
        citation_html="<p>cite me</p>",
        dataset={"@type": "Dataset", "name": "Fixture <corpus>"},
    )
    assert "Fixture &lt;corpus&gt;" in page and "&lt;b&gt;corpus" in page and "&lt;i&gt;x" in page
    assert "<p>cite me</p>" in page, "the citation is trusted HTML (escaped when it was made)"
    assert "nox -s reports" in page


HOSTILE = "</script><script>alert(1)</script> <!-- & \u2028 \u2029 «Путин»"


def test_script_json_cannot_close_its_script_element() -> None:
    value = {"name": HOSTILE, "keywords": [HOSTILE], "nested": {"x": "</SCRIPT >"}}
    text = script_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value
    assert "«Путин»" in text, "other characters stay readable"


def test_the_index_embeds_the_dataset_as_json_ld_that_reads_back() -> None:
    from corpus.reports.render import About

    dataset = {"@context": "https://schema.org", "@type": "Dataset", "name": HOSTILE, "version": "0.0.1"}
    page = render_index(
        package=PackageInfo("fixture-corpus", "Fixture", "0.0.1"),
        rows=[],
        about=About(summary="s", tables=()),
        citation_html="<p>cite</p>",
        dataset=dataset,
    )
    opening = '<script type="application/ld+json">'
    assert page.count(opening) == 1 and page.count("</script>") == 1, "the hostile title closed nothing"
    body = page.split(opening, 1)[1].split("</script>", 1)[0]
    assert json.loads(body) == dataset
