"""Narrative fields (explanations, bulletin text) as a safe Markdown subset.

The text is escaped first, so raw HTML in the data stays text; then rendered with Python-Markdown;
then every element and attribute outside a short allow-list is dropped, and links keep only
http(s), mailto, in-page and relative targets (never `javascript:` or `data:`).
"""

from __future__ import annotations

import functools
import html
from html.parser import HTMLParser

import markdown
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "ul", "ol", "li", "blockquote", "a", "hr"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#", "/", "./", "../")


def _safe_href(value: str) -> bool:
    target = "".join(value.split()).lower()  # browsers ignore spaces and control characters in schemes
    if ":" not in target.split("/")[0].split("#")[0].split("?")[0]:
        return True  # a relative path without a scheme
    return target.startswith(SAFE_SCHEMES)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            return
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if _safe_href(href):
                self.out.append(f'<a href="{html.escape(href, quote=True)}" rel="noopener">')
            else:
                self.out.append("<a>")
            return
        self.out.append(f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.out.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in ALLOWED_TAGS and tag not in ("br", "hr"):
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))


def render_narrative(text: str | None) -> Markup:
    """Markdown (emphasis, lists, links, quotes) to sanitized HTML; never raw HTML from the data."""
    if not text:
        return Markup("")
    return _rendered(text)


@functools.cache
def _converter() -> markdown.Markdown:
    """One Markdown converter for every narrative (reset before each): making one costs more than
    converting a sentence."""
    return markdown.Markdown(extensions=[], output_format="html")


@functools.lru_cache(maxsize=65536)
def _rendered(text: str) -> Markup:
    """A narrative rendered once, however many pages show it (the same explanation on a district's, an
    indicator's and a bulletin's page)."""
    escaped = html.escape(text, quote=False)
    rendered = _converter().reset().convert(escaped)
    sanitizer = _Sanitizer()
    sanitizer.feed(rendered)
    sanitizer.close()
    return Markup("".join(sanitizer.out))  # built only from escaped text and allowed tags
