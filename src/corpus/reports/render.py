"""HTML for the reports: a notebook page with a provenance footer, and the index page.

Everything here is pure: it turns notebooks and small records into HTML strings. Pages are
self-contained and offline: the report template (``templates/report``) empties every block of
nbconvert's lab template that loads a script from a CDN, figures are embedded as ``data:`` URIs
and a Content-Security-Policy forbids any network load. Text that comes from the data (seed
titles, parameter values) is escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import nbformat

#: Forbids every network load: only inline styles and embedded (``data:``) images are allowed.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

TEMPLATES = Path(__file__).parent / "templates"

#: Styles of the footer, the navigation bar and the index page (inline: no stylesheet to load).
PAGE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
.corpus-nav { padding: 0.5em 1em; border-bottom: 1px solid #ccc; font-size: 90%; }
.corpus-footer { margin: 2em 1em 1em; padding-top: 1em; border-top: 1px solid #ccc;
  font-size: 85%; color: #333; }
.corpus-footer table, .corpus-table { border-collapse: collapse; margin: 0.5em 0 1em; }
.corpus-footer th, .corpus-footer td, .corpus-table th, .corpus-table td {
  border: 1px solid #ddd; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
.corpus-footer code, .corpus-table code { word-break: break-all; }
.corpus-index { max-width: 70em; margin: 1em auto; padding: 0 1em; line-height: 1.4; }
.corpus-index ul.params { margin: 0; padding-left: 1em; }
.corpus-index td.num { text-align: right; }
.corpus-index caption { text-align: left; font-weight: bold; }
.corpus-table tr.status-failed td, .corpus-table tr.status-missing td { background: #fdecea; }
.corpus-table tr.status-stale td { background: #fff8e1; }
.corpus-omitted { color: #666; font-style: italic; }
.corpus-citation { padding: 0.5em 1em; background: #f6f6f6; border-left: 3px solid #999; }
"""

Status = Literal["ok", "failed", "stale", "missing"]

STATUS_TEXT: dict[Status, str] = {
    "ok": "up to date",
    "failed": "failed in the last run (previous output kept)",
    "stale": "out of date (inputs changed since it was rendered)",
    "missing": "not rendered yet",
}


@dataclass(frozen=True)
class Provenance:
    """What the footer of one report states about its inputs.

    Attributes:
        package_name: Name of the data package.
        package_version: Version of the data package.
        resources: ``(resource name, path, sha256 hex)`` of every resource the report reads.
        parameters: ``(parameter, JSON value)`` pairs, sorted.
        notebook: The notebook's path relative to the project root (POSIX).
        notebook_sha256: SHA-256 of the notebook in normal form (what was executed).
        code: ``(module path, sha256)`` of every ``corpus`` module the report's kernel imported.
        renderer_sha256: Digest of the renderer's files (execution, cleaning, HTML, templates).
        lock_sha256: SHA-256 of ``uv.lock``.
        inputs_digest: The cache key: a digest of all inputs of the report.
        libraries: ``(library, version)`` of the key libraries.
    """

    package_name: str
    package_version: str
    resources: tuple[tuple[str, str, str], ...]
    parameters: tuple[tuple[str, str], ...]
    notebook: str
    notebook_sha256: str
    code: tuple[tuple[str, str], ...]
    renderer_sha256: str
    lock_sha256: str
    inputs_digest: str
    libraries: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class IndexRow:
    """One report's row in the index."""

    name: str
    title: str
    notebook: str
    parameters: tuple[tuple[str, str], ...]
    status: Status
    package_version: str
    has_html: bool
    has_notebook: bool

    @property
    def html(self) -> str:
        return f"{self.name}.html"

    @property
    def notebook_file(self) -> str:
        return f"{self.name}.ipynb"

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]


@dataclass(frozen=True)
class CountTable:
    """A small two-column table of article counts for the index's "about" section."""

    caption: str
    label: str
    rows: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class About:
    """The index's short summary of the corpus."""

    summary: str
    tables: tuple[CountTable, ...]
    #: The extraction benchmark's score: (measure, dev, holdout, all), from ``extraction_quality``.
    quality: tuple[tuple[str, str, str, str], ...] = ()


@dataclass(frozen=True)
class PackageInfo:
    """Name, title and version of the data package."""

    name: str
    title: str
    version: str


def _rows(cells: Sequence[Sequence[str]]) -> str:
    return "".join("<tr>" + "".join(f"<td><code>{html.escape(c)}</code></td>" for c in row) + "</tr>" for row in cells)


def footer_html(p: Provenance) -> str:
    """Return the provenance footer of a report (all values escaped).

    Args:
        p: What the footer states.

    Returns:
        A ``<footer>`` element. It holds no clock time and no git commit, so committed
        reports stay byte-identical to regenerated ones.
    """
    e = html.escape
    resources = (
        f"<table><thead><tr><th>Resource</th><th>Path</th><th>sha256</th></tr></thead>"
        f"<tbody>{_rows(p.resources)}</tbody></table>"
        if p.resources
        else "<p>This report reads no data resource.</p>"
    )
    params = (
        f"<table><thead><tr><th>Parameter</th><th>Value (JSON)</th></tr></thead>"
        f"<tbody>{_rows(p.parameters)}</tbody></table>"
        if p.parameters
        else "<p>Parameters: the notebook's defaults.</p>"
    )
    inputs = _rows(
        [
            ("notebook " + p.notebook, p.notebook_sha256),
            *((f"corpus/{path}", sha) for path, sha in p.code),
            ("report renderer", p.renderer_sha256),
            ("uv.lock", p.lock_sha256),
            ("all inputs (cache key)", p.inputs_digest),
        ]
    )
    libs = ", ".join(f"{e(name)} {e(version)}" for name, version in p.libraries)
    return (
        '<footer class="corpus-footer">\n'
        f"<h2>Provenance</h2>\n<p>Data package <code>{e(p.package_name)}</code> "
        f"version <strong>{e(p.package_version)}</strong>.</p>\n"
        f"{resources}\n{params}\n"
        f"<table><thead><tr><th>Input</th><th>sha256</th></tr></thead><tbody>{inputs}</tbody></table>\n"
        f"<p>Libraries: {libs}.</p>\n"
        "</footer>"
    )


def nav_html(title: str) -> str:
    """Return the navigation bar shown above a report (link back to the index)."""
    return f'<nav class="corpus-nav"><a href="index.html">All reports</a> · {html.escape(title)}</nav>'


@cache
def _exporter() -> object:
    from nbconvert import HTMLExporter

    return HTMLExporter(  # type: ignore[no-untyped-call]
        template_name="report",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        # nbconvert's sanitizer (bleach) escapes headings, paragraphs, table heads and SVG
        # figures. The notebooks are the project's own code and escape seed text themselves
        # (pandas escapes cells); the CSP above blocks any script that slipped through.
        sanitize_html=False,
        embed_images=True,
    )


def render_report_html(nb: nbformat.NotebookNode, *, title: str, provenance: Provenance) -> str:
    """Render an executed notebook as a static, offline HTML page with code hidden.

    Args:
        nb: The executed, cleaned notebook.
        title: The report's title (HTML ``<title>`` and navigation bar).
        provenance: What the footer states.

    Returns:
        The HTML document.
    """
    from nbconvert import HTMLExporter

    exporter = _exporter()
    assert isinstance(exporter, HTMLExporter)
    resources = {
        "metadata": {"name": title},
        "corpus": {"csp": CSP, "css": PAGE_CSS, "nav": nav_html(title), "footer": footer_html(provenance)},
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return str(body)


#: What JSON may not carry inside a ``<script>`` element: ``</script>`` or ``<!--`` would end
#: or confuse it, and line separators break older parsers. Escaped as JSON ``\u`` sequences,
#: they read back as the same characters.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Mapping[str, Any]) -> str:
    """JSON safe to place inside ``<script type="application/ld+json">`` (nothing in it can close it)."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return "".join(_SCRIPT_UNSAFE.get(ch, ch) for ch in text)


def render_index(
    *,
    package: PackageInfo,
    rows: Sequence[IndexRow],
    about: About,
    citation_html: str,
    dataset: Mapping[str, Any],
) -> str:
    """Render ``reports/index.html``.

    Args:
        package: The data package's name, title and version.
        rows: One row per planned report, in plan order.
        about: The corpus summary.
        citation_html: The citation as trusted HTML (every value in it already escaped).
        dataset: The schema.org ``Dataset`` description, embedded as JSON-LD for search engines.

    Returns:
        The HTML document.
    """
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("index.html.j2")
    return template.render(
        csp=CSP,
        css=Markup(PAGE_CSS),
        package=package,
        rows=rows,
        about=about,
        citation=Markup(citation_html),
        dataset_json=Markup(script_json(dataset)),
    )
