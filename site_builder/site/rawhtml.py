"""Part of the site stage: the pages' HTML blocks go around Markdown instead of through it.

A generated page is Markdown headings with HTML blocks between them (render/base.py). Python-Markdown
parses every raw HTML block with its HTML parser (md_in_html's, and MkDocs' own once more for anchors)
only to stash it and put it back unchanged: most of MkDocs' time on a large site. `RawHtml`, a MkDocs
plugin the site stage adds to each build (`site/build.py`), takes each self-contained block out before
Markdown (`lift`), leaving a placeholder paragraph, and puts it back afterwards (`drop_in`): the page comes
out byte for byte as Markdown's stash would have made it. A block is taken out only when Markdown would
also keep it as raw blocks and nothing else: a blank-line-separated chunk that opens with a block-level tag
at the start of a line and closes that same tag at its very end and nowhere before (or a run of such
elements, each starting on the next line), and holds no comment, script, style or `markdown` attribute; once a chunk might open a raw block that goes on past it, nothing more on the page is
taken out. The ids in a block are still anchors MkDocs can check links against.

Material's search reads the page between the two steps (its `on_page_context`): it is then given each
block's search view (`site/search.py`'s `search_view`: text without the markup, charts' data tables left
out), which its HTML parser reads in a fraction of the time, and the real blocks are put in right after.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from site_builder.site.search import search_view

TOKEN = "bulletinrawhtmlblock"
_PLACEHOLDER = re.compile(rf"<p>{TOKEN}(\d+)x</p>|{TOKEN}(\d+)x")
_BLOCK_LEVEL = frozenset(
    (
        *("address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure"),
        *("footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav"),
        *("ol", "p", "pre", "section", "table", "ul"),
    )
)
_START = re.compile(r"<([a-z][a-z0-9]*)(?=[\s>])")
_UNSAFE = re.compile(r"<!--|<script|<style|<textarea|<!\[|<\?|\smarkdown\s*=", re.IGNORECASE)
_MAY_OPEN = re.compile(r"(?:^|\n) {0,3}<|```|~~~")
_IDS = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)="([^"]+)\"""")


def _whole(chunk: str) -> bool:
    """Whether Markdown keeps `chunk` as raw HTML blocks and nothing else: one block, or blocks each
    starting on the line after the one before ends (`<p>…</p>\n<ul>…</ul>`), which Markdown stashes one
    by one and puts back with that same line break between them."""
    if _UNSAFE.search(chunk):
        return False
    start = 0
    while True:
        end = _block_end(chunk, start)
        if end is None:
            return False
        if end == len(chunk):
            return True
        if chunk[end] != "\n":
            return False
        start = end + 1


def _block_end(chunk: str, start: int) -> int | None:
    """Where the block-level element opened at `start` closes, or None when none opens there."""
    opened = _START.match(chunk, start)
    if opened is None or opened.group(1) not in _BLOCK_LEVEL:
        return None
    depth = 0
    for match in re.finditer(rf"<(/?){opened.group(1)}(?=[\s>])", chunk[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = chunk.find(">", start + match.end())
            return None if close == -1 else close + 1
    return None


def lift(markdown: str) -> tuple[str, list[str]]:
    """The page's Markdown with its self-contained HTML blocks replaced by placeholders, and the blocks."""
    if TOKEN in markdown:
        return markdown, []
    chunks = markdown.split("\n\n")
    blocks: list[str] = []
    for index, chunk in enumerate(chunks):
        body = chunk.strip("\n")  # a blank line more, or the page's last line break
        if _whole(body):
            before = chunk[: len(chunk) - len(chunk.lstrip("\n"))]
            chunks[index] = f"{before}{TOKEN}{len(blocks)}x" + chunk[len(before) + len(body) :]
            blocks.append(body)
        elif _MAY_OPEN.search(chunk):
            break  # Markdown may read on past this chunk: leave the rest to it
    return "\n\n".join(chunks), blocks


def drop_in(content: str, blocks: list[str]) -> str:
    """Markdown's output with each placeholder replaced by its block, as Markdown's raw-HTML stash does."""
    found: set[int] = set()

    def block(match: re.Match[str]) -> str:
        index = int(match.group(1) or match.group(2))
        found.add(index)
        return blocks[index] + "\n"  # Markdown's stash ends a block with a line break

    content = _PLACEHOLDER.sub(block, content).strip()  # and strips its output, as Markdown does
    if len(found) != len(blocks):
        raise ValueError("an HTML block of the page was lost by Markdown")
    return content


class RawHtml(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """The MkDocs plugin: HTML blocks around Markdown; the search reads their search views."""

    def __init__(self) -> None:
        self.blocks: dict[str, list[str]] = {}
        self.lifted: dict[str, str] = {}  # page -> its content with placeholders

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        text, self.blocks[page.file.src_uri] = lift(markdown)
        return text

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        blocks = self.blocks.get(page.file.src_uri) or []
        if page.present_anchor_ids is not None:  # ids in the blocks are anchors MkDocs checks links to
            page.present_anchor_ids |= {anchor for block in blocks for anchor in _IDS.findall(block)}
        self.lifted[page.file.src_uri] = html
        return drop_in(html, [search_view(block) for block in blocks])  # what the search reads

    @event_priority(-100)  # after the search plugin has read the page
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        uri = page.file.src_uri
        if uri in self.lifted:
            page.content = drop_in(self.lifted.pop(uri), self.blocks.pop(uri))
        return context
