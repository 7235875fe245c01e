"""A data diff as GitHub workflow commands that annotate the changed report rows (`bulletin diff --format github`).

GitHub shows at most 10 error and 10 warning annotations of a step, in the order given: the most
important come first (changes to a published month without a new erratum, then red lights after the
change, the lowest completion first), at most `LIMIT` of each, and one notice counts the rest, which
the summary lists in full. Every text is escaped, so nothing from the data starts a workflow command.
"""

from __future__ import annotations

from site_builder.compute.diff import Diff
from site_builder.compute.diff_reports import Figure
from site_builder.render.diff_reports import figure_change

LIMIT = 10  # annotations of each level GitHub shows for a step


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, prefix: str, figure: Figure, title: str, message: str) -> str:
    where = f"file={_property(prefix + figure.file)},line={figure.line}," if figure.file else ""
    return f"::{level} {where}title={_property(title)}::{_data(message)}"


def as_github(diff: Diff, prefix: str = "") -> str:
    """Annotations on the changed report rows; `prefix` is the data folder's path in the repository ("data/")."""
    published = {p.month for p in diff.published if not p.errata_added}
    errors, warnings = [], []
    for report in diff.reports:
        for district in report.districts:
            for figure in district.figures:
                where = f"{report.month} {district.name}：{figure.name} {figure_change(figure, report.month)}"
                if report.month in published:
                    message = f"{where}。该月通报已发布，修改须登记更正并封存（bulletin publish --erratum）。"
                    errors.append(_command("error", prefix, figure, "已发布通报的数据被修改", message))
                elif figure.light == "red" and figure.completion is not None:
                    message = f"{where}，完成进度 {figure.completion * 100:.1f}%，红灯。"
                    warnings.append((figure.completion, _command("warning", prefix, figure, "红灯", message)))
    warnings.sort(key=lambda pair: pair[0])
    lines = [*errors[:LIMIT], *(line for _, line in warnings[:LIMIT])]
    rest = [
        f"{n} 处{what}"
        for n, what in ((len(errors) - LIMIT, "已发布数据的修改"), (len(warnings) - LIMIT, "红灯"))
        if n > 0
    ]
    if rest:
        lines.append(
            f"::notice title=另有未标注的改动::{_data('另有 ' + '、'.join(rest) + '未在文件旁标注，见检查的摘要。')}"
        )
    return "".join(line + "\n" for line in lines)
