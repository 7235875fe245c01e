"""The theme's copies of Material templates stay copies: only the documented change differs."""

from __future__ import annotations

import re
from pathlib import Path

import material  # type: ignore[import-untyped]

THEME = Path(__file__).resolve().parent.parent / "site_builder" / "theme"
MATERIAL = Path(material.__file__).resolve().parent / "templates"
HEADER = re.compile(r"\A\{#-.*?-#\}\n", re.DOTALL)


def test_the_search_partial_is_materials_with_a_named_dialog() -> None:
    ours = HEADER.sub("", (THEME / "partials" / "search.html").read_text(encoding="utf-8"))
    theirs = HEADER.sub("", (MATERIAL / "partials" / "search.html").read_text(encoding="utf-8"))
    named = """role="dialog" aria-label="{{ lang.t('search') }}">"""
    assert named in ours
    assert ours.replace(named, 'role="dialog">') == theirs, "Material changed partials/search.html: copy it again"
