"""Part of the site stage: a Content-Security-Policy in every built page, and no script the site does not ship.

Data reaches pages only escaped (jinja2 autoescaping, the theme's overrides), so a built page holds
no script of its own making; this step checks that and makes it hold in the browser as well. Each
page gets a `<meta http-equiv="Content-Security-Policy">` right after its charset, before anything
else in its head: scripts only from the site itself, plus the SHA-256 of the theme's inline scripts
found in that page (Material writes a few whose text depends on the page's depth). Any other inline
executable script, any `on…` event attribute and any `javascript:` URL fails the build, naming the
page. The theme's scripts are recognised against the templates they come from: the installed
Material's `partials/javascripts/` and this package's theme overrides, with each `{{ … }}` standing
for a relative URL.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

THEME = Path(__file__).resolve().parent.parent / "theme"
# plotly injects <style> elements, hence 'unsafe-inline' for styles (never for scripts)
POLICY = (
    "default-src 'self'",
    "script-src 'self'{hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
_CHARSET = re.compile(r'<meta charset="?utf-8"?\s*/?>', re.IGNORECASE)
# a <script> of any other type counts as executable (fail closed: browsers run many JavaScript types)
_DATA_TYPES = ("application/json", "application/ld+json")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc")
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_URL_VALUE = "[A-Za-z0-9._/:-]*"


class UnsafePage(Exception):
    """A built page carries script the site does not ship."""


@functools.cache
def theme_scripts() -> tuple[re.Pattern[str], ...]:
    """The inline scripts the theme may write, as patterns (a template's `{{ … }}` is a relative URL)."""
    folders = [THEME]
    spec = importlib.util.find_spec("material")
    if spec is not None and spec.origin is not None:
        folders.append(Path(spec.origin).resolve().parent / "templates" / "partials" / "javascripts")
    patterns = []
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
            for body in _TEMPLATE_SCRIPT.findall(text):
                if "{%" in body:
                    continue  # logic inside a script: not recognised, so such a script fails the build
                literal = [re.escape(part) for part in _EXPRESSION.split(body)]
                patterns.append(re.compile(_URL_VALUE.join(literal), re.DOTALL))
    return tuple(patterns)


_TOKEN = re.compile(r"""<!--.*?-->|<([a-zA-Z][^\s/>]*)((?:[^>"']+|"[^"]*"|'[^']*')*)>""", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_SUSPECT = re.compile(r"""(?:^|[\s"'/])on|script:|&""", re.IGNORECASE)
_RAW_END = {"script": re.compile(r"</script", re.IGNORECASE), "style": re.compile(r"</style", re.IGNORECASE)}


def _scan(page: str) -> tuple[list[str], list[str]]:
    """The texts of a page's inline executable scripts, and its event attributes and script URLs.

    A tokenizer of tags by regular expressions (an HTML parser in Python takes seconds per site):
    text between tags is skipped, comments too, script and style content is taken whole.
    """
    scripts: list[str] = []
    problems: list[str] = []
    position = 0
    while (token := _TOKEN.search(page, position)) is not None:
        position = token.end()
        if token.group(1) is None:
            continue  # a comment
        tag = token.group(1).lower()
        attributes = {}
        if tag not in _RAW_END and not _SUSPECT.search(token.group(2)):
            continue  # no event attribute, no script URL, no entity that could spell one
        for attribute in _ATTRIBUTE.finditer(token.group(2)):
            raw = attribute.group(2) or ""
            name, value = attribute.group(1).lower(), html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
            attributes[name] = value
            target = "".join(ch for ch in value if ch > " ").lower()
            if name.startswith("on") or (name in _URL_ATTRIBUTES and target.startswith(("javascript:", "vbscript:"))):
                line = page.count("\n", 0, token.start()) + 1
                problems.append(f"line {line}: <{tag} {name}={value[:60]!r}>")
        if tag in _RAW_END:
            close = _RAW_END[tag].search(page, position)
            content_end = close.start() if close else len(page)
            executable = attributes.get("type", "").strip().lower() not in _DATA_TYPES
            if tag == "script" and executable and "src" not in attributes:
                scripts.append(page[position:content_end])
            position = content_end
    return scripts, problems


def _digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def secure_page(page: str) -> str:
    """The page with its policy in place; raises UnsafePage when it carries script the site does not ship."""
    scripts, problems = _scan(page)
    patterns = theme_scripts()
    for script in scripts:
        if not any(pattern.fullmatch(script) for pattern in patterns):
            problems.append(f"inline script not written by the theme: {script[:80]!r}")
    if problems:
        raise UnsafePage("; ".join(problems[:5]))
    charset = _CHARSET.search(page)
    if charset is None:
        raise UnsafePage("no <meta charset> to place the Content-Security-Policy after")
    hashes = "".join(f" {digest}" for digest in sorted({_digest(script) for script in scripts}))
    policy = "; ".join(POLICY).format(hashes=hashes)
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy}">'
    return page[: charset.end()] + meta + page[charset.end() :]


def secure_pages(site_dir: Path) -> Iterator[str]:
    """Put the policy into every HTML page under `site_dir`; yield `page: problem` for each unsafe page."""
    for path in sorted(site_dir.rglob("*.html")):
        if not path.is_file():
            continue
        page = path.read_bytes().decode("utf-8")
        try:
            path.write_bytes(secure_page(page).encode("utf-8"))
        except UnsafePage as problem:
            yield f"{path.relative_to(site_dir).as_posix()}: {problem}"
