"""The fields a finding code's messages and hints name (tests/validate/test_finding_params.py and
test_fixtures.py check that every finding gives them)."""

from __future__ import annotations

import string

from site_builder.core.catalog import CATALOG, LANGUAGES


def template_fields(code: str) -> set[str]:
    """The fields the code's messages and hints name, in both languages; `value` is always given."""
    fields: set[str] = set()
    for lang in LANGUAGES:
        for template in getattr(CATALOG[code], lang):
            for _, name, _, _ in string.Formatter().parse(template):
                if name:
                    fields.add(name.split(".")[0].split("[")[0])
    return fields - {"value"}
