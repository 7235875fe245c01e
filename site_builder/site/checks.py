"""Part of the site stage: the built site's references, checked in one pass over its HTML and CSS.

Every reference to another host fails the build (the site must need none), and so does every link or
source inside the site to a file the site does not have. The files are listed once and links resolved as
strings against that set; the host pattern is tried only before each `//` of a page.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

_EXTERNAL = re.compile(r"""(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_CSS_EXTERNAL = re.compile(r"""url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//""", re.IGNORECASE)

_HREF = re.compile(r'(?:href|src)="([^"#?]*)[^"]*"')
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _hosts(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """`pattern`'s matches in `text`, each ending at a `//`: the pattern is tried only before each `//`
    (a page has a few), within the 1000 characters before it, instead of at every character."""
    tail = _TAILS.setdefault(pattern, re.compile(rf"(?:{pattern.pattern})\Z", pattern.flags))
    at = text.find("//")
    while at >= 0:
        if (match := tail.search(text, max(0, at - 1000), at + 2)) is not None:
            yield match
        at = text.find("//", at + 2)


_TAILS: dict[re.Pattern[str], re.Pattern[str]] = {}


def references(site_dir: Path) -> tuple[list[str], list[str]]:
    """In one pass over the built HTML and CSS: every reference to another host (the site must need
    none), and every link or source inside the site to a file the site does not have."""
    files = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
    external: list[str] = []
    broken: list[str] = []
    for rel in sorted(files):
        suffix = posixpath.splitext(rel)[1]
        if suffix not in (".html", ".css"):
            continue
        text = (site_dir / rel).read_text(encoding="utf-8", errors="replace")
        for match in _hosts(text, _EXTERNAL if suffix == ".html" else _CSS_EXTERNAL):
            excerpt = text[match.start() : match.end() + 60].splitlines()[0]
            external.append(f"{rel}:{text.count(chr(10), 0, match.start()) + 1}: {excerpt}")
        if suffix == ".css":
            continue
        here = posixpath.dirname(rel)
        for match in _HREF.finditer(text):
            target = match.group(1)
            if not target or _SCHEME.match(target) or target.startswith("//"):
                continue
            path = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(here, target))
            path = "" if path == "." else path
            if path not in files and posixpath.join(path, "index.html") not in files:
                broken.append(f"{rel}:{text.count(chr(10), 0, match.start()) + 1}: {target}")
    return external, broken
