"""Findings as text for people, JSON for programs, and GitHub annotations for pull requests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby

from site_builder.catalog import Language
from site_builder.findings import Finding

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
    if finding.line is None:
        return ""
    if lang == "zh":
        return f"第 {finding.line} 行" + (f"第 {finding.column} 列" if finding.column else "")
    return f"line {finding.line}" + (f", column {finding.column}" if finding.column else "")


def _qualify(prefix: str, file: str) -> str:
    return f"{prefix.rstrip('/')}/{file}" if prefix and prefix != "." else file


def summary_line(findings: Sequence[Finding], lang: Language) -> str:
    words = _WORDS[lang]
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if errors:
        return words["invalid"].format(errors=errors, warnings=warnings)
    return words["valid_warnings"].format(warnings=warnings) if warnings else words["valid"]


def as_text(findings: Sequence[Finding], lang: Language, prefix: str = "") -> str:
    words = _WORDS[lang]
    out: list[str] = []
    for file, group in groupby(findings, key=lambda f: f.file):
        out.append(_qualify(prefix, file))
        for finding in group:
            place = _place(finding, lang)
            out.append(
                f"  {place}{'  ' if place else ''}{words[finding.severity]} [{finding.code}] {finding.message(lang)}"
            )
            if finding.value not in (None, ""):
                out.append(f"      {words['value']}: {finding.value}")
            out.append(f"      {words['hint']}: {finding.hint(lang)}")
        out.append("")
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
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: Sequence[Finding], lang: Language, prefix: str = "") -> str:
    """Workflow commands (`::error file=…,line=…,col=…::`) that annotate a pull request's diff."""
    out = []
    for finding in findings:
        props = [f"file={_escape_property(_qualify(prefix, finding.file))}"]
        if finding.line is not None:
            props.append(f"line={finding.line}")
        if finding.column is not None:
            props.append(f"col={finding.column}")
        props.append(f"title={_escape_property(finding.code)}")
        message = f"{finding.message(lang)} {_WORDS[lang]['hint']}: {finding.hint(lang)}"
        out.append(f"::{finding.severity} {','.join(props)}::{_escape_data(message)}")
    out.append(summary_line(findings, lang))
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


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
