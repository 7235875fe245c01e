"""Findings are values: a stable code, a location, the offending value and message parameters.

Borrowed from Frictionless' error model: each code has a severity and a message template in
`catalog.py`; a finding only carries the data to fill it in. Stages return findings and never
raise them; only the CLI turns them into output and an exit code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from site_builder.core.catalog import CATALOG, Language, render_message
from site_builder.core.limits import MAX_FINDINGS_PER_CODE

TRUNCATED = "findings-truncated"

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
        """The code's hint, or the one its producer gave for this case (`hint_zh`/`hint_en`, both or neither)."""
        own = self.params.get(f"hint_{lang}")
        if isinstance(own, str):
            return own.format_map(self._fields())
        return render_message(self.code, "hint", lang, self._fields())

    def _fields(self) -> dict[str, object]:
        fields: dict[str, object] = _Fields(value=self.value if self.value is not None else "")
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


class _Fields(dict[str, object]):
    """Message parameters; a field no producer gave shows as written ({name}) rather than raising.

    tests/validate/test_finding_params.py checks that every producer gives every field its templates name.
    """

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def capped(findings: Iterable[Finding], limit: int = MAX_FINDINGS_PER_CODE) -> list[Finding]:
    """Sorted findings with at most `limit` of one code per file; one `findings-truncated` per file and code
    counts the rest (adding the counts producers already reported that way), at the first one left out."""
    kept: list[Finding] = []
    shown: Counter[tuple[str, str]] = Counter()
    more: Counter[tuple[str, str]] = Counter()
    first_left: dict[tuple[str, str], Finding] = {}
    for finding in sorted_findings(findings):
        if finding.code == TRUNCATED:
            key = (finding.file, str(finding.value))
            count = finding.params.get("count")
            more[key] += count if isinstance(count, int) else 0
            first_left.setdefault(key, finding)
            continue
        key = (finding.file, finding.code)
        shown[key] += 1
        if shown[key] <= limit:
            kept.append(finding)
        else:
            more[key] += 1
            first_left.setdefault(key, finding)
    for key, count in more.items():
        kept.append(truncated(key[0], key[1], count, first_left[key].line, limit))
    return sorted_findings(kept)


def truncated(file: str, code: str, count: int, line: int | None, limit: int = MAX_FINDINGS_PER_CODE) -> Finding:
    """The summary of `count` findings of `code` in `file` left unlisted, placed at the first one's line."""
    return Finding(TRUNCATED, file, line, None, code, {"count": count, "limit": limit})


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
