"""Findings are values: a stable code, a location, the offending value and message parameters.

Borrowed from Frictionless' error model: each code has a severity and a message template in
`catalog.py`; a finding only carries the data to fill it in. Stages return findings and never
raise them; only the CLI turns them into output and an exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from site_builder.catalog import CATALOG, Language, render_message

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the data, where it is, and what to do about it."""

    code: str
    file: str
    line: int | None = None
    column: int | None = None
    value: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CATALOG:
            raise KeyError(f"finding code {self.code!r} is not in the catalog")

    @property
    def severity(self) -> Severity:
        return CATALOG[self.code].severity

    def message(self, lang: Language = "zh") -> str:
        return render_message(self.code, "message", lang, self._fields())

    def hint(self, lang: Language = "zh") -> str:
        return render_message(self.code, "hint", lang, self._fields())

    def _fields(self) -> dict[str, object]:
        fields: dict[str, object] = {"value": self.value if self.value is not None else ""}
        fields.update(self.params)
        return fields

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.code, self.value or "")

    def as_dict(self, lang: Language = "zh") -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message(lang),
            "hint": self.hint(lang),
        }


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order: by file, then position, then code. Exact duplicates dropped."""
    unique = {(f.sort_key(), tuple(sorted((k, str(v)) for k, v in f.params.items()))): f for f in findings}
    return [unique[k] for k in sorted(unique)]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
