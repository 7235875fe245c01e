"""Findings as text for people, JSON for programs, and GitHub annotations for pull requests.

Values come from the data, so every format writes control and invisible characters as visible escapes
(`\\n`, `\\x1b`, `\\u202e`; JSON as its own `\\u` escapes): a value can never start a new line of
output, move the terminal's cursor, reorder what is shown, or be read by the GitHub runner as a workflow
command (`::error …` at the start of a line, `##[error]` anywhere in one).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from itertools import groupby

from site_builder.core.catalog import Language
from site_builder.core.findings import Finding
from site_builder.core.text import INVISIBLE_IN_FREE_TEXT_PATTERN, escape_invisible

_WORDS = {
    "zh": {
        "error": "错误",
        "warning": "警告",
        "hint": "提示",
        "value": "值",
        "valid": "数据有效，没有发现问题。",
        "valid_warnings": "数据有效，但有 {warnings} 个警告。",
        "invalid": "发现 {errors} 个错误、{warnings} 个警告。",
        "title": "数据校验结果",
        "where": "位置",
        "what": "问题",
    },
    "en": {
        "error": "error",
        "warning": "warning",
        "hint": "hint",
        "value": "value",
        "valid": "The data are valid.",
        "valid_warnings": "The data are valid, with {warnings} warning(s).",
        "invalid": "{errors} error(s), {warnings} warning(s).",
        "title": "Data validation",
        "where": "where",
        "what": "problem",
    },
}


def _place(finding: Finding, lang: Language) -> str:
    """Where a finding is: a form's cell (H16) and its indicator, else the line and column of a file."""
    cell, indicator = finding.params.get("cell"), finding.params.get("indicator_name")
    if isinstance(cell, str) and cell:
        named = f"（{indicator}）" if lang == "zh" else f" ({indicator})"
        return ("单元格 " if lang == "zh" else "cell ") + cell + (named if isinstance(indicator, str) else "")
    if finding.line is None:
        return ""
    if lang == "zh":
        return f"第 {finding.line} 行" + (f"第 {finding.column} 列" if finding.column else "")
    return f"line {finding.line}" + (f", column {finding.column}" if finding.column else "")


def _qualify(prefix: str, file: str) -> str:
    return f"{prefix.rstrip('/')}/{file}" if prefix and prefix != "." else file


_NOT_ESCAPED_BY_JSON = re.compile(INVISIBLE_IN_FREE_TEXT_PATTERN)  # json.dumps escapes tab and line breaks
_LEGACY_COMMAND = "##["  # the runner's older command syntax, recognised anywhere in a line


def _safe(text: str) -> str:
    """Text for one line of output: invisible characters escaped, no workflow command possible."""
    text = escape_invisible(text).replace(_LEGACY_COMMAND, "#\\x23[")
    return "\\x3a" + text[1:] if text.lstrip().startswith("::") else text


def _json_escapes(match: re.Match[str]) -> str:
    data = match.group().encode("utf-16-be")
    return "".join(f"\\u{int.from_bytes(data[i : i + 2], 'big'):04x}" for i in range(0, len(data), 2))


def summary_line(findings: Sequence[Finding], lang: Language) -> str:
    words = _WORDS[lang]
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if errors:
        return words["invalid"].format(errors=errors, warnings=warnings)
    return words["valid_warnings"].format(warnings=warnings) if warnings else words["valid"]


def folded(findings: Sequence[Finding], fold: int) -> tuple[list[Finding], list[list[Finding]]]:
    """The findings to show one by one, and the warnings of each code met more than `fold` times, by code."""
    counts = Counter(f.code for f in findings if f.severity == "warning")
    many = {code for code, n in counts.items() if n > fold}
    groups = [[f for f in findings if f.code == code] for code in sorted(many)]
    return [f for f in findings if f.code not in many], groups


def _folded_line(group: list[Finding], lang: Language, prefix: str) -> list[str]:
    first, files = group[0], sorted({_qualify(prefix, f.file) for f in group})
    shown = "、".join(files[:3]) if lang == "zh" else ", ".join(files[:3])
    if lang == "zh":
        head = f"{_WORDS[lang]['warning']} [{first.code}] 共 {len(group)} 处，见 {shown}" + (
            "等" if len(files) > 3 else ""
        )
    else:
        head = f"{_WORDS[lang]['warning']} [{first.code}] {len(group)} times, in {shown}" + (
            " …" if len(files) > 3 else ""
        )
    return [
        _safe(head),
        f"  {_safe(first.message(lang))}",
        f"      {_WORDS[lang]['hint']}: {_safe(first.hint(lang))}",
        "",
    ]


def as_text(findings: Sequence[Finding], lang: Language, prefix: str = "", fold: int | None = None) -> str:
    """Findings by file; with `fold`, warnings of a code met more than `fold` times as one line with a count."""
    words = _WORDS[lang]
    out: list[str] = []
    shown, groups = folded(findings, fold) if fold is not None else (list(findings), [])
    for file, group in groupby(shown, key=lambda f: f.file):
        out.append(_safe(_qualify(prefix, file)))
        for finding in group:
            place = _place(finding, lang)
            message = _safe(finding.message(lang))
            out.append(f"  {place}{'  ' if place else ''}{words[finding.severity]} [{finding.code}] {message}")
            if finding.value not in (None, ""):
                out.append(f"      {words['value']}: {_safe(str(finding.value))}")
            out.append(f"      {words['hint']}: {_safe(finding.hint(lang))}")
        out.append("")
    for many in groups:
        out += _folded_line(many, lang, prefix)
    out.append(summary_line(findings, lang))
    return "\n".join(out) + "\n"


def as_json(findings: Sequence[Finding], lang: Language, prefix: str = "") -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    items = []
    for finding in findings:
        item = finding.as_dict(lang)
        item["file"] = _qualify(prefix, finding.file)
        items.append(item)
    document = {"valid": errors == 0, "errors": errors, "warnings": len(findings) - errors, "findings": items}
    text = json.dumps(document, ensure_ascii=False, indent=2)  # escapes C0 controls, not DEL, C1 or bidi
    text = _NOT_ESCAPED_BY_JSON.sub(_json_escapes, text).replace(_LEGACY_COMMAND, "##\\u005b")
    return text + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: Sequence[Finding], lang: Language, prefix: str = "") -> str:
    """Workflow commands (`::error file=…,line=…,col=…::`) that annotate a pull request's diff."""
    out = []
    for finding in findings:
        props = [f"file={_escape_property(_safe(_qualify(prefix, finding.file)))}"]
        if finding.line is not None:
            props.append(f"line={finding.line}")
        if finding.column is not None:
            props.append(f"col={finding.column}")
        props.append(f"title={_escape_property(finding.code)}")
        message = _safe(f"{finding.message(lang)} {_WORDS[lang]['hint']}: {finding.hint(lang)}")
        out.append(f"::{finding.severity} {','.join(props)}::{_escape_data(message)}")
    out.append(summary_line(findings, lang))
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return _safe(text).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def as_markdown_summary(findings: Sequence[Finding], lang: Language, prefix: str = "") -> str:
    """A Markdown table for the job summary page (`$GITHUB_STEP_SUMMARY`)."""
    words = _WORDS[lang]
    out = [f"## {words['title']}", "", summary_line(findings, lang), ""]
    if findings:
        out += [f"| {words['where']} | code | {words['what']} | {words['hint']} |", "| --- | --- | --- | --- |"]
        for f in findings:
            where = _qualify(prefix, f.file) + (f":{f.line}" if f.line else "")
            out.append(f"| `{_cell(where)}` | `{f.code}` | {_cell(f.message(lang))} | {_cell(f.hint(lang))} |")
    return "\n".join(out) + "\n"
