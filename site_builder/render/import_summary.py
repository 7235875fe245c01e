"""What `bulletin import --inbox` reports: a JSON result for programs and a Markdown comment for a pull request.

The comment is what a clerk reads after uploading forms: per form, imported or returned, and for a
returned one each problem by cell, indicator, what is wrong and how to fix it. Warnings of the folder's
other files are counted by code, never listed one by one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from site_builder.core.catalog import Language
from site_builder.core.findings import Finding
from site_builder.core.text import escape_invisible

MAX_PER_FORM = 20  # findings listed per form; the rest are counted

_WORDS = {
    "zh": {
        "title": "报表导入结果",
        "none": "收件箱中没有 .xlsx 报表。",
        "count": "共 {total} 份报表：已导入 {written} 份，退回 {refused} 份。",
        "head": "| 报表 | 地区 | 月份 | 结果 |",
        "written": "✅ 已导入（{report}）",
        "unchanged": "✅ 与已导入的内容相同（{report}）",
        "refused": "❌ 退回：{errors} 个错误",
        "empty": "➖ 一项也没有填写，未导入",
        "returned": "### ❌ {name}：请改正后重新上传",
        "warned": "### ⚠️ {name}：已导入，但请留意",
        "problems": "| 位置 | 指标 | 问题 | 怎么改 |",
        "more": "另有 {more} 条，改正以上问题后重新上传即可看到。",
        "again": "改好后把报表重新上传到收件箱（同名文件覆盖即可）：重新导入会替换这个地区本月之前导入的数据。",
        "blocked": "数据文件夹本身有错误，所有报表都未能导入；请医改办先改正数据（运行“数据校验”查看详情）。",
        "others": "### 数据文件夹中的其他提示（不影响本次导入）",
        "other": "- {severity} `{code}` 共 {count} 处：{message}",
        "error": "错误",
        "warning": "警告",
    },
    "en": {
        "title": "Imported forms",
        "none": "The inbox holds no .xlsx form.",
        "count": "{total} form(s): {written} imported, {refused} returned.",
        "head": "| form | district | month | result |",
        "written": "✅ imported ({report})",
        "unchanged": "✅ same as already imported ({report})",
        "refused": "❌ returned: {errors} error(s)",
        "empty": "➖ not filled in, not imported",
        "returned": "### ❌ {name}: correct it and upload it again",
        "warned": "### ⚠️ {name}: imported, with warnings",
        "problems": "| where | indicator | problem | how to fix |",
        "more": "{more} more, shown once the above are corrected.",
        "again": "Upload the corrected form to the inbox again (same name): importing replaces the earlier import.",
        "blocked": "The data folder itself has errors: no form could be imported. Correct the data first.",
        "others": "### Other findings in the data folder (they do not affect this import)",
        "other": "- {severity} `{code}`, {count} time(s): {message}",
        "error": "error",
        "warning": "warning",
    },
}


class Outcome(Protocol):
    """One imported form, as `commands/importing.py` reports it."""

    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def region_id(self) -> str | None: ...
    @property
    def region_name(self) -> str | None: ...
    @property
    def month(self) -> str | None: ...
    @property
    def report(self) -> str | None: ...
    @property
    def findings(self) -> tuple[Finding, ...]: ...


def _item(finding: Finding, lang: Language) -> dict[str, object]:
    item = finding.as_dict(lang)
    item["cell"] = finding.params.get("cell")
    item["indicator"] = finding.params.get("indicator_name")
    return item


def as_json(
    outcomes: Sequence[Outcome],
    others: Sequence[Finding],
    lang: Language,
    *,
    blocked: bool = False,
    changed: Sequence[str] = (),
) -> str:
    """The import's result for programs (the CI workflow): per form its status, report file and findings;
    `changed`, every data-folder file written (datapackage.yaml included), is what a commit should hold."""
    forms = [
        {
            "file": o.name,
            "status": o.status,
            "region_id": o.region_id,
            "region_name": o.region_name,
            "month": o.month,
            "report": o.report,
            "errors": sum(f.severity == "error" for f in o.findings),
            "warnings": sum(f.severity == "warning" for f in o.findings),
            "findings": [_item(f, lang) for f in o.findings],
        }
        for o in outcomes
    ]
    document = {
        "ok": not blocked and all(o.status != "refused" for o in outcomes),
        "blocked": blocked,
        "written": sorted(o.report for o in outcomes if o.status == "written" and o.report),
        "changed": sorted(changed),
        "refused": [o.name for o in outcomes if o.status == "refused"],
        "forms": forms,
        "others": [_item(f, lang) for f in others],
    }
    return json.dumps(document, ensure_ascii=True, indent=2) + "\n"  # \u escapes: no character can mislead


def _cell(text: object) -> str:
    """Text in a table cell or a heading: shown as typed, never a link, emphasis, tag, entity or mention."""
    out = escape_invisible(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for mark in "\\[]*_~|":  # &#64; would mention, [x](url) would link, * _ ~ would format, | end the cell
        out = out.replace(mark, "\\" + mark)
    return out.replace("`", "'").replace("@", "@\u200b")  # no code span broken, nobody mentioned


def _code(text: object) -> str:
    """Text in a code span of a table cell: literal, so only a backtick or a pipe could break out."""
    return escape_invisible(str(text)).replace("`", "'").replace("|", "\\|")


def _problems(outcome: Outcome, lang: Language) -> list[str]:
    words = _WORDS[lang]
    shown = sorted(outcome.findings, key=lambda f: (f.severity != "error", f.line or 0, f.column or 0))
    out = [words["problems"], "| --- | --- | --- | --- |"]
    for f in shown[:MAX_PER_FORM]:
        cell = f.params.get("cell")
        where = (("单元格 " if lang == "zh" else "cell ") + str(cell)) if cell else ""
        severity = words[f.severity]
        indicator = f.params.get("indicator_name") or ""
        out.append(
            f"| {_cell(where)} | {_cell(indicator)} | {severity}：{_cell(f.message(lang))} | {_cell(f.hint(lang))} |"
        )
    if len(shown) > MAX_PER_FORM:
        out += ["", words["more"].format(more=len(shown) - MAX_PER_FORM)]
    return out


def as_markdown(
    outcomes: Sequence[Outcome], others: Sequence[Finding], lang: Language = "zh", *, blocked: bool = False
) -> str:
    """The pull-request comment: a table of the forms, then each returned form's problems by cell."""
    words = _WORDS[lang]
    out = [f"## {words['title']}", ""]
    if blocked:
        out += [words["blocked"], ""]
    if not outcomes:
        out += [words["none"], ""]
    else:
        refused = sum(o.status == "refused" for o in outcomes)
        written = sum(o.status in {"written", "unchanged"} for o in outcomes)
        out += [words["count"].format(total=len(outcomes), written=written, refused=refused), ""]
        out += [words["head"], "| --- | --- | --- | --- |"]
        for o in outcomes:
            errors = sum(f.severity == "error" for f in o.findings)
            result = words[o.status].format(report=f"`{o.report}`", errors=errors)
            out.append(f"| `{_code(o.name)}` | {_cell(o.region_name or '')} | {_cell(o.month or '')} | {result} |")
        out.append("")
    for o in outcomes:
        if o.status == "refused":
            out += [words["returned"].format(name=_cell(o.name)), "", *_problems(o, lang), "", words["again"], ""]
        elif o.findings:
            out += [words["warned"].format(name=_cell(o.name)), "", *_problems(o, lang), ""]
    if others:
        counts = Counter((f.severity, f.code) for f in others)
        first = {(f.severity, f.code): f for f in reversed(others)}
        out += [words["others"], ""]
        for (severity, code), count in sorted(counts.items()):
            message = _cell(first[(severity, code)].message(lang))
            out.append(words["other"].format(severity=words[severity], code=code, count=count, message=message))
        out.append("")
    return "\n".join(out)
