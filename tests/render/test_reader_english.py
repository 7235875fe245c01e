"""No English on the readers' pages: both examples' sites are built for real (MkDocs and the theme
included) and the visible text of every reader page (text, tooltips, labels for screen readers and alt
texts) is scanned for runs of Latin letters. Code, scripts, styles and file names are left out, and so is
text marked as written in another language (`lang="en"`, a cited work's original title, which screen
readers then read in that language); the editors' pages (guide/, reference/, maintainers/) are not the
readers'. A word may stay only when it is in ALLOWED with its reason or, on one page family, in PENDING."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

EDITORS = ("guide/", "reference/", "maintainers/", "assets/", "search/")
HIDDEN = {"script", "style", "code", "pre", "template"}
SHOWN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# a run of Latin letters, with what belongs to it (SHA-256, UTF-8, T_m)
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*")
# file names and paths are names the reader clicks or types, not words: reports/2011-01/hailaer.csv,
# bulletin-2011-09-manifest.json, scripts/simulate.py (in the simulation note the data folder writes)
FILE_NAME = re.compile(r"[\w./-]*\.(?:csv|xlsx|json|zip|yaml|yml|geojson|png|py)\b", re.IGNORECASE)
# a formula's symbols: one letter with an optional subscript (c, T_m, w_i, A_r)
SYMBOL = re.compile(r"[A-Za-z](?:_[A-Za-z0-9]+)?")

ALLOWED = {
    # the formats the downloads come in, named as the files are and as office software names them
    "CSV": "file format",
    "XLSX": "file format",
    "JSON": "file format",
    "ZIP": "file format",
    "YAML": "file format",
    "PNG": "file format",
    "PDF": "file format: each bulletin's official document (render/documents.py)",
    "Word": "the program the offices open each bulletin's .docx with, as they name it",
    "UTF-8": "the CSV files' encoding, as a spreadsheet program asks for it",
    "BOM": "the CSV files' byte-order mark, as a spreadsheet program asks for it",
    "Excel": "the program the offices open the XLSX downloads with",
    "SHA-256": "the digest that seals a bulletin's data, named as the checking tools name it",
    "sha256sum": "the command that checks those digests",
}
# Words that stay on one page family, with the reason. The downloads page shows the CSV files' codes in
# <code> beside their Chinese meanings (the scan skips code); the methodology page cites its works in
# Chinese, with each original title marked lang="en".
PENDING: dict[str, set[str]] = {
    # the indicator pages: the examples' own descriptions (indicators.csv, data the city writes, sealed by
    # published bulletins) name the profile they use, as in "（曲线 carry_over）"; the site shows data as written
    "indicators/": {"linear", "flat", "front_loaded", "year_end", "carry_over", "construction_season"},
}  # fmt: skip


class _Visible(HTMLParser):
    """The text a reader sees or hears: text outside code, scripts and styles, and the shown attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []
        self.open: list[bool] = []  # per open element: whether it hides its text (a foreign-language part)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        if tag != "html" and tag not in VOID:
            foreign = any(name == "lang" and value and not value.startswith("zh") for name, value in attrs)
            self.open.append(foreign)
            self.hidden += foreign
        if not self.hidden:
            self.parts.extend(value for name, value in attrs if name in SHOWN_ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1
        if tag != "html" and tag not in VOID and self.open:
            self.hidden -= self.open.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_words(page: str) -> list[str]:
    parser = _Visible()
    parser.feed(page)
    text = FILE_NAME.sub(" ", " ".join(parser.parts))
    return WORD.findall(text)


def english(rel: str, words: list[str]) -> set[str]:
    """The words of page `rel` that are neither allowed, nor a formula's symbol, nor pending on its family."""
    pending = next((words for prefix, words in PENDING.items() if rel.startswith(prefix)), set())
    return {w for w in words if w not in ALLOWED and w not in pending and not SYMBOL.fullmatch(w)}


@pytest.fixture(scope="module", params=["data", "examples/zaozhuang"])
def site(request: pytest.FixtureRequest, built_example: Callable[[str], Path]) -> Path:
    """Each example built: 呼伦贝尔 has meetings, 枣庄 a supervision round."""
    return built_example(request.param)


def reader_pages(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
        if not path.relative_to(site).as_posix().startswith(EDITORS)
    }


def test_the_scan_sees_english() -> None:
    page = (
        '<p>通报 Permanent <a title="Permanent link">¶</a> <code>bulletin build</code> '
        '<a href="x.csv">reports/2011-01/hailaer.csv</a> T_m = T × e(m) <script>var x</script>'
        '<span aria-label="Box Select"></span> CSV</p>'
    )
    assert english("bulletins/2011-01/index.html", visible_words(page)) == {"Permanent", "link", "Box", "Select"}
    assert english("downloads/index.html", visible_words("<td><code>red</code> 红灯</td>")) == set()
    assert english("downloads/index.html", visible_words("<td>red</td>")) == {"red"}
    cited = '<li>斯皮格哈尔特，2005 年。原文：<span lang="en">Funnel plots</span>。</li><p>Funnel</p>'
    assert english("methodology/index.html", visible_words(cited)) == {"Funnel"}
    assert english("indicators/x/index.html", visible_words("<td>carry_over</td>")) == set()


def test_no_english_on_the_readers_pages(site: Path) -> None:
    pages = reader_pages(site)
    assert {"index.html", "meetings/index.html", "methodology/index.html", "404.html"} <= set(pages)
    found: dict[str, list[str]] = defaultdict(list)
    for rel, page in pages.items():
        for word in sorted(english(rel, visible_words(page))):
            found[word].append(rel)
    assert not found, {word: paths[:3] for word, paths in found.items()}
