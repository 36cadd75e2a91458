"""Open the committed reports in headless Chromium with the network cut.

Every page (``reports/index.html`` and each report) must load without any request leaving
``file:``, without console errors, and with every image rendered. Screenshots are written into
pytest's temporary folder (``--basetemp`` to keep them for review), never into the repository.
Playwright drives the system's Chromium or Chrome, found on PATH (it never downloads a browser).
These tests run in ``nox -s browser``, the one environment with Playwright: elsewhere they skip.
Without a browser they skip too, unless ``CORPUS_REQUIRE_BROWSER=1`` (the browser session, CI)
makes that a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
REPORTS = REPO / "reports"
#: Names of a Chromium-based browser on PATH, in order of preference (Debian, Ubuntu, Google).
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@dataclass
class PageCheck:
    """What one page did while loading."""

    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    images: int = 0


def find_browser() -> str | None:
    """The first of :data:`BROWSERS` found on PATH."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the browser check runs in `nox -s browser`")
    executable = find_browser()
    if executable is None:
        if os.environ.get("CORPUS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"no browser on PATH (looked for {', '.join(BROWSERS)}): install one (apt-get install chromium)")
        pytest.skip(f"no browser on PATH (looked for {', '.join(BROWSERS)})")

    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield launched
        launched.close()


def check_page(browser: Any, path: Path, *, screenshot: Path | None) -> PageCheck:
    """Load ``path`` offline, record external requests, console errors and broken images."""
    result = PageCheck()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            result.external_requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: result.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: result.console_errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file:", "data:")) else result.external_requests.append(r.url),
    )
    page.goto(path.as_uri(), wait_until="load")
    images = page.evaluate("Array.from(document.images).map(i => [i.currentSrc.slice(0, 60), i.naturalWidth])")
    result.images = len(images)
    result.broken_images = [src for src, width in images if width <= 0]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
    context.close()
    return result


def committed_pages() -> list[Path]:
    return sorted(REPORTS.glob("*.html"))


def test_reports_are_committed() -> None:
    assert (REPORTS / "index.html").is_file(), "reports/ is committed: run `nox -s reports`"
    from corpus.paths import Layout
    from corpus.reports import plan

    planned = {f"{r.name}.html" for r in plan.load_plan(Layout(REPO))}
    assert planned <= {p.name for p in committed_pages()}


@pytest.mark.parametrize("page", committed_pages(), ids=lambda p: p.name)
def test_page_is_offline_error_free_and_images_render(browser: Any, page: Path, tmp_path: Path) -> None:
    result = check_page(browser, page, screenshot=tmp_path / f"{page.stem}.png")
    assert (tmp_path / f"{page.stem}.png").stat().st_size > 0
    assert result.external_requests == []
    assert result.console_errors == []
    assert result.broken_images == []
    if page.name != "index.html" and "data:image/png" in page.read_text(encoding="utf-8"):
        assert result.images > 0


def test_checker_sees_network_loads_and_blocked_content(browser: Any, tmp_path: Path) -> None:
    """The check itself can fail: a page with a CDN script and a remote image is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><script src="https://cdn.example.invalid/x.js"></script></head>'
        '<body><img src="https://example.invalid/a.png"></body></html>',
        encoding="utf-8",
    )
    result = check_page(browser, page, screenshot=None)
    assert "https://cdn.example.invalid/x.js" in result.external_requests
    assert result.broken_images == ["https://example.invalid/a.png"]


def test_csp_of_the_reports_blocks_what_slipped_through(browser: Any, tmp_path: Path) -> None:
    from corpus.reports.render import CSP

    page = tmp_path / "csp.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{CSP}">'
        "</head><body><script>document.title = 'ran'</script></body></html>",
        encoding="utf-8",
    )
    result = check_page(browser, page, screenshot=None)
    assert any("Content Security Policy" in e for e in result.console_errors)


def test_the_browser_is_found_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_browser() is None
    for name in ("google-chrome-stable", "chromium-browser"):
        (tmp_path / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (tmp_path / name).chmod(0o755)
    assert find_browser() == str(tmp_path / "chromium-browser")  # the first name in order of preference
