"""No script from data: payloads in every text field of every data file (tests/payloads.py), built,
every page opened in Chromium and the bulletin printed to PDF; nothing runs and nothing leaves the site.

Later features extend tests/payloads.py (every new page, document or file that carries data), not this file.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page

from site_builder.commands import build as pipeline
from site_builder.commands.pdf import print_pdf, serving
from site_builder.site import csp
from site_builder.site.build import BuildError, Workspace
from site_builder.site.csp import UnsafePage, secure_page
from tests.browser.conftest import build_into, visit
from tests.browser.test_site import Watch, _pages, _wait_for_charts
from tests.conftest import TODAY, VALID
from tests.payloads import MARKER, build_payload_folder


class Listener:
    """A loopback HTTP server on its own port that records every request it gets."""

    def __init__(self) -> None:
        hits = self.hits = list[str]()

        class Record(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    instance = Listener()
    yield instance
    instance.server.shutdown()
    instance.server.server_close()


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory, listener: Listener) -> Iterator[tuple[Path, str]]:
    data = tmp_path_factory.mktemp("payloads") / "data"
    covered = build_payload_folder(data, listener.url)
    assert len(covered) > 40, sorted(covered)  # derived from the contract and the document models
    assert {"Programme.city", "Programme.name", "Programme.simulation_note", "people.name"} <= covered
    site = build_into(data, tmp_path_factory.mktemp("payload-site") / "site")
    with serving(site) as base:
        yield site, base


_INERT = """() => {
    const handlers = [...document.querySelectorAll('*')].flatMap(e =>
        [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name));
    const links = [...document.querySelectorAll('[href],[src],[action]')].filter(e =>
        /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || ''));
    const scripts = [...document.scripts].filter(s => s.text.includes('MARKER'));
    return {marker: window.MARKER === undefined ? null : window.MARKER, handlers,
            links: links.map(e => e.outerHTML.slice(0, 80)), scripts: scripts.length};
}""".replace("MARKER", MARKER)


# Sections whose pages are built from docs/ (the editors' and maintainers' documentation), not from data.
DOCS = ("guide/", "maintainers/", "reference/")


def _article(html: str) -> str:
    """The page's own content: Material's <article>, without the header, navigation and footer around it."""
    start = html.index("<article")
    return html[start : html.index("</article>", start)]


def _payload_pages(site: Path) -> list[str]:
    """Every page but the documentation pages whose own content holds no payload, after the first of their section.

    A documentation page without a payload in its <article> holds data only in what every page of its
    section shares (the title, the header, the banner, the navigation), which the first page of the section
    brings to the browser here. Documentation pages that do show data in their content (the guide quotes
    some) are all opened. The pages left out are opened, without payloads, by test_site.py's every-page test."""
    pages, firsts = [], set()
    for path in _pages(site):
        section = next((docs for docs in DOCS if path.startswith(docs)), None)
        html = (site / path / "index.html").read_text(encoding="utf-8")
        if section is None or section not in firsts or MARKER in _article(html):
            firsts.add(section)
            pages.append(path)
    return pages


def _open(page: Page, url: str) -> dict[str, object]:
    visit(page, url)
    result: dict[str, object] = page.evaluate(_INERT)
    return result


def test_payloads_in_every_field_show_as_text_and_run_nothing_on_any_page(
    browser: Browser, payload_site: tuple[Path, str], listener: Listener
) -> None:
    site, base = payload_site
    page = browser.new_page()
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    watch = Watch(page, base)
    pages = _payload_pages(site)
    assert len(pages) > 30
    assert {docs for docs in DOCS if any(path.startswith(docs) for path in pages)} == set(DOCS)
    for path in pages:
        assert _open(page, base + path) == {"marker": None, "handlers": [], "links": [], "scripts": 0}, path
    # instant navigation keeps the first page's policy: the next page's scripts and charts still run
    visit(page, base)
    page.locator('article a[href$="regions/east/"]').first.click()
    page.wait_for_url("**/regions/east/")
    assert _wait_for_charts(page) > 0
    # what a reader sees: the payload as text, in the title, the header and the banner
    assert "</title><script>" in page.title()
    assert "</title><script>" in page.locator("h1").inner_text()
    assert "</title><script>" in page.locator(".simulated-banner").inner_text()
    assert '" onmouseover="' in (page.locator(".md-header__button.md-logo").get_attribute("aria-label") or "")
    assert "onmouseover" in (page.locator('meta[name="description"]').get_attribute("content") or "")
    # the palette toggle works under the policy (Material's inline palette script is hashed)
    page.locator("label[for=__palette_1]").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    # Material's search renders results as HTML: the payloads in the index stay text too
    page.locator("input.md-search__input").click(force=True)
    page.locator("input.md-search__input").type("onmouseover", delay=30)
    page.locator("input.md-search__input").press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    page.locator(".md-search-result__item").first.hover()
    assert page.evaluate(f"() => window.{MARKER} === undefined")
    page.close()
    assert dialogs == []
    assert watch.problems == []  # no other host, no console error (a CSP violation is one)
    assert listener.hits == []


def test_the_payload_bulletin_prints_without_running_anything(
    payload_site: tuple[Path, str], listener: Listener, tmp_path: Path
) -> None:
    site, _ = payload_site
    out = tmp_path / "bulletin.pdf"
    print_pdf(site, "bulletins/2011-02/", out)
    assert out.stat().st_size > 0
    assert listener.hits == []


def test_a_script_in_a_printed_page_reaches_no_other_port(browser: Browser, listener: Listener, tmp_path: Path) -> None:
    """The PDF's Chromium has no network but the site's own server: a page script that does reach
    the listener in an ordinary browser reaches nothing when printed."""
    site = tmp_path / "site"
    site.mkdir()
    probe = (
        f"fetch('{listener.url}fetch').catch(() => 0);"
        f"fetch('{listener.url.replace('127.0.0.1', 'localhost')}name').catch(() => 0);"
        f"new Image().src = '{listener.url}image';"
    )
    (site / "probe.js").write_text(probe, encoding="utf-8")
    (site / "index.html").write_text('<!doctype html><p>probe</p><script src="probe.js"></script>', encoding="utf-8")
    with serving(site) as base:
        page = browser.new_page()
        page.goto(base, wait_until="networkidle")
        page.close()
    assert listener.hits, "the probe should reach the listener in an ordinary browser"
    listener.hits.clear()
    print_pdf(site, "", tmp_path / "probe.pdf")
    assert listener.hits == []


def test_the_build_refuses_a_page_with_script_the_theme_does_not_ship() -> None:
    head = '<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>'
    theme = (
        "<script>var target=document.getElementById(location.hash.slice(1));"
        'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script>'
    )
    secured = secure_page(head + theme + "</body></html>")
    assert secured.index('http-equiv="Content-Security-Policy"') < secured.index("<title>")
    assert "script-src 'self' 'sha256-" in secured
    for unsafe in (
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<script type="module">alert(1)</script>',
    ):
        with pytest.raises(UnsafePage):
            secure_page(head + theme + unsafe + "</body></html>")
    data = head + '<script type="application/json">{"a": 1}</script></body></html>'
    assert "'sha256-" not in secure_page(data)  # data blocks are no script


def test_a_page_with_an_unknown_inline_script_fails_the_build_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csp, "theme_scripts", lambda: ())  # as if the theme's own scripts were foreign
    with pytest.raises(BuildError, match=r"404\.html: .*inline script not written by the theme"):
        pipeline.build(VALID, tmp_path / "site", TODAY, Workspace(tmp_path / "work"))
    assert not (tmp_path / "site").exists()
