"""What `bulletin` itself says (usage errors, progress, failures), in the language of `--lang`.

Findings have their own catalog (core/catalog.py); these are the command's other messages. Each is a
key with a Chinese and an English template; `say(key, lang, **params)` fills one in.
"""

from __future__ import annotations

from site_builder.core.catalog import Language

MESSAGES: dict[str, tuple[str, str]] = {
    # usage errors (exit code 2), shown after "bulletin: 错误：" / "bulletin: error: "
    "usage": ("错误：{detail}", "error: {detail}"),
    "no-data-folder": ("找不到数据文件夹：{folder}", "data folder not found: {folder}"),
    "bad-date": (
        "--date 应写成 {example} 这样的日期，而不是 {value!r}",
        "--date must look like {example}, not {value!r}",
    ),
    "bad-month": ("MONTH 应写成 2011-05 这样的月份，而不是 {value!r}", "MONTH must look like 2011-05, not {value!r}"),
    "no-reports": (
        "{month} 没有月报；有月报的月份：{months}",
        "no reports for {month}; months with reports: {months}",
    ),
    "none": ("无", "none"),
    "no-bulletin": ("网站中没有 {month} 的通报", "the site has no bulletin for {month}"),
    "no-seed": (
        "抽样要用 --seed 给出随机种子（或用 --check 复核已记录的抽样）",
        "give --seed SEED to draw (or --check to verify the recorded draw)",
    ),
    "no-round": (
        "没有编码为 {round!r} 且已记录抽样或抽查规则的督导轮次",
        "no supervision round {round!r} with a recorded draw or sampling plan",
    ),
    "no-file": ("找不到文件：{name}", "no such file: {name}"),
    "windows-path": (
        "{what} 的 {value!r} 是 Windows 电脑上的路径（盘符或网络共享），在这台电脑上找不到；"
        "请写成相对于当前文件夹的路径（如 data 或 inbox/西区-2011-10.xlsx），或在 Windows 上运行",
        "{what}: {value!r} is a Windows path (a drive or a network share) that names nothing on this machine; "
        "give a path relative to the current folder (data, inbox/form.xlsx), or run on Windows",
    ),
    # build, serve, pdf
    "build-failed": ("生成失败，{site} 保持原样：{error}", "build failed, {site} is unchanged: {error}"),
    "nothing-written": ("没有写入 {site}。", "nothing was written to {site}."),
    "no-chromium": (
        "没有找到 Chromium，本次未生成通报的 PDF 文件，其余照常生成（Word 文件已生成）；"
        "安装 Debian 的 chromium 后再运行",
        "no Chromium found: the bulletins' PDF files were not made, everything else was built (Word files too); "
        "install Debian's chromium and build again",
    ),
    "built": ("已生成 {site}（{changed} 个生成的文件有变化）", "built {site} ({changed} generated files changed)"),
    "serve-problem": ("网站无法生成：{problem}", "the site could not be built: {problem}"),
    "rebuilt": ("网站已重新生成", "site rebuilt"),
    "not-rebuilt": (
        "未重新生成；预览的每一页都显示这些问题",
        "not rebuilt; the preview shows these problems on every page",
    ),
    "serving": ("预览地址 {url}（按 Ctrl-C 停止）", "serving {url} (Ctrl-C stops)"),
    "cannot-serve": ("无法在 {addr} 上提供预览：{error}", "cannot serve on {addr}: {error}"),
    "wrote": ("已写入 {path}", "wrote {path}"),
    "kept": ("保留 {path}（已存在）", "kept {path} (exists)"),
    "init-invalid": (
        "生成的数据未通过校验，没有写入 {target}。",
        "the data made does not validate; nothing was written to {target}.",
    ),
    "init-wrote": ("写入 {path}", "wrote {path}"),
    "init-done": (
        "已在 {target} 生成{name}的数据仓库（{year} 年，{districts} 个示例区县）。下一步：\n"
        "  cd {target} && git init && git add . && git commit -m 初始化\n"
        "  按本市实际改写 {data}/ 中的示例（地区、人员、指标、目标），然后运行 bulletin validate --data {data}\n",
        "Made the data repository of {name} in {target} ({year}, {districts} example districts). Next:\n"
        "  cd {target} && git init && git add . && git commit -m init\n"
        "  rewrite the examples in {data}/ (districts, people, indicators, targets) with your own, then run "
        "bulletin validate --data {data}\n",
    ),
    "upgrade-invalid": (
        "按新版数据规范校验有错误，datapackage.yaml 未改动；请先改正上述问题。",
        "the folder has errors under the new data rules; datapackage.yaml is unchanged: fix the problems above first.",
    ),
    "upgrade-written": (
        "已把 datapackage.yaml 更新为当前版本的数据规范；月报登记、不公开的列和本地增加的列均保留。",
        "datapackage.yaml now follows this version's data rules; its report files, private columns and local "
        "columns are kept.",
    ),
    "upgrade-dry-run": (
        "以上为将要做的改动（--dry-run，未写入）。",
        "these are the changes it would make (--dry-run: nothing written).",
    ),
    "upgrade-current": (
        "datapackage.yaml 已是当前版本的数据规范，无需改动。",
        "datapackage.yaml already follows this version's data rules.",
    ),
    "file-skipped": ("未生成 {path}：{why}，本月不需要报送", "not made {path}: {why}; nothing to report this month"),
    "form-skipped": (
        "{region}：{why}，本月不需要报送，未生成报表",
        "{region}: {why}; nothing to report this month, no form made",
    ),
    "none-due": (
        "{month} 没有到报送期的指标（各指标均不按月报送）",
        "no indicator is due in {month} (none is reported monthly)",
    ),
    "none-applicable": (
        "{month} 到报送期的指标（{due}）对该地区均不适用",
        "none of the indicators due in {month} ({due}) applies to this district",
    ),
    # new-month: a month of a year after programme.yaml's year
    "new-year": (
        "没有生成 {month} 的报表：{month} 属于新的年度 {year}，而 programme.yaml 中的年度是 {current}。"
        "开始 {year} 年度前请先：\n"
        "  1. 在 programme.yaml 中把年度改为 {year}（year: {year}）；\n"
        "  2. 在 targets.csv 中写好 {year} 年的目标：{regions} 个地区 × {indicators} 个指标，共 {rows} 行"
        "（某地区没有某项任务时 target 留空，在 not_applicable 中写明原因）；",
        "{month} was not created: it belongs to a new year, {year}, and programme.yaml's year is {current}. "
        "Before starting {year}:\n"
        "  1. set the year in programme.yaml to {year} (year: {year});\n"
        "  2. add the {year} targets to targets.csv: {regions} districts × {indicators} indicators, {rows} rows "
        "(where a district has no such task, leave target empty and give the reason in not_applicable);",
    ),
    "new-year-benchmarks": (
        "  3. 在 benchmarks.csv 中加入 {year} 年各月的上级对比数据（全区、全省等，有则填写）；",
        "  3. add the {year} benchmarks of each month to benchmarks.csv (when there are any);",
    ),
    "new-year-past": (
        "往年（{current} 年及以前）的通报、排名和年终奖惩页仍保留在网站上，不必删除或移动任何文件。"
        "改好并通过 bulletin validate 后，再运行 bulletin new-month {month}。",
        "Past years ({current} and before) keep their bulletins, rankings and year-end pages on the site: "
        "delete or move no file. Once bulletin validate passes, run bulletin new-month {month} again.",
    ),
    # sample
    "codeowners-written": ("已写入 {file}", "written: {file}"),
    "codeowners-stale": (
        "{file} 与 organization.yaml 的 accounts 不一致：请执行 bulletin codeowners 重新生成",
        "{file} does not match organization.yaml's accounts: run bulletin codeowners",
    ),
    "no-accounts": ("不检查修改权限：{detail}", "ownership not checked: {detail}"),
    "draw-matches": ("种子 {seed}：与记录的抽样一致", "seed {seed}: matches the recorded draw"),
    "draw-differs": ("种子 {seed}：与记录的抽样不一致", "seed {seed}: DOES NOT match the recorded draw"),
    "draw-recorded": (
        "已记入 supervision/{round}.yaml（种子 {seed}）",
        "recorded in supervision/{round}.yaml (seed {seed})",
    ),
    # publish
    "nothing-published": ("没有发布；请先改正数据。", "nothing was published; correct the data first."),
    "no-data-files": ("无数据文件", "no data files"),
    "erratum-sealed": (
        "{month} 通报（第{number}期）第{count}条更正已封存；改动的文件：{files}",
        "erratum {count} of the {month} bulletin (no. {number}) sealed; files changed: {files}",
    ),
    "erratum-followed": (
        "  {month} 通报（第{number}期）随之记下更正第{count}条",
        "  the {month} bulletin (no. {number}) records it as its erratum {count}",
    ),
    "published": (
        "{month} 通报已发布：第{number}期，{issued} 印发，封存 {sealed} 个数据文件",
        "{month} bulletin published: no. {number}, issued {issued}, {sealed} data files sealed",
    ),
    "written": ("  写入 {path}", "  wrote {path}"),
    "erratum-what": ("  更正内容：{description}", "  correction: {description}"),
    "no-figure": (
        "请用 --value（率类指标用 --numerator 和 --denominator）给出更正后的数",
        "give the corrected figure with --value (--numerator and --denominator for a rate)",
    ),
    "published-late": (
        "  迟报的地区（通报“报送情况”中列出）：{late}",
        "  reported late (listed in the bulletin): {late}",
    ),
    "published-anyway": ("  已记入通报：{note}", "  recorded in the bulletin: {note}"),
    # import
    "imported": ("已写入 {path}", "wrote {path}"),
    "form-refused": (
        "未导入 {name}：这份报表有错误，没有写入任何内容",
        "{name} not imported: the form has errors, nothing of it was written",
    ),
    "nothing-imported": ("没有写入任何文件。", "no file was written."),
    "form-written": ("已导入 {name}，写入 {path}", "imported {name} into {path}"),
    "form-unchanged": (
        "{name} 与已导入的 {path} 相同，无需改动",
        "{name} is the same as {path}, already imported",
    ),
    "form-empty": (
        "{name} 一项也没有填写，没有导入（不会覆盖已导入的数据）",
        "{name} is not filled in at all: not imported (nothing already imported is overwritten)",
    ),
    "inbox-empty": ("收件箱中没有 .xlsx 报表，没有导入任何内容。", "the inbox holds no .xlsx form; nothing imported."),
    "no-inbox": ("找不到收件箱文件夹：{folder}", "inbox folder not found: {folder}"),
    "inbox-link": (
        "收件箱中的 {name!r} 是指向 {target!r} 的链接，不是上传的报表；没有导入任何报表。请删除这个链接后重新运行",
        "{name!r} in the inbox is a link to {target!r}, not an uploaded form; nothing was imported. "
        "Delete the link and run again",
    ),
    "summary-in-data": (
        "{what} {value!r} 在数据文件夹内：导入结果不能写进数据文件夹（会覆盖或混入数据）；"
        "请写到数据文件夹之外，如 {what} import-result.md",
        "{what} {value!r} is inside the data folder: the import's summary cannot go there (it would overwrite "
        "or mix with the data); write it outside, e.g. {what} import-result.md",
    ),
    "summary-is-folder": (
        "{what} {value!r} 是一个文件夹；请给出文件名，如 {what} import-result.md",
        "{what} {value!r} is a folder; give a file name, e.g. {what} import-result.md",
    ),
    "summary-not-writable": (
        "无法写入 {what} {value!r}：{error}；请换一个可以写入的位置",
        "cannot write {what} {value!r}: {error}; give a place that can be written",
    ),
    "no-forms": (
        "请给出要导入的报表文件（FILE …），或用 --inbox DIR 导入一个文件夹中的全部报表",
        "name the forms to import (FILE …), or give --inbox DIR to import every form in a folder",
    ),
    # the boundary
    "unsafe-path": (
        "无法用 {value!r} 组成数据文件夹中的路径（{what}）。\n"
        "  编码只能用小写字母、数字和下划线、以字母开头、最长 64 个字符；月份写成 2011-05。"
        "请改正数据（如 datapackage.yaml 放宽了编码的规则，请恢复），然后重新运行。",
        "{value!r} cannot make a path in the data folder ({what}).\n"
        "  Ids are lower-case letters, digits and underscores, start with a letter and have at most 64 characters;"
        " months are written 2011-05. Correct the data (restore the rules for ids if datapackage.yaml loosened"
        " them) and run again.",
    ),
    "interrupted": (
        "已中断；没有写到一半的文件，网站保持原样。",
        "interrupted; no file is half-written and the site is unchanged.",
    ),
    "internal": (
        "内部错误（internal error）：{kind}: {error}\n"
        "这是 bulletin 程序的错误，不是数据的问题。设置环境变量 BULLETIN_DEBUG=1 可以看到出错位置（traceback），"
        "请报告给维护人员。",
        "internal error: {kind}: {error}\n"
        "This is a bug in bulletin, not in your data. Set BULLETIN_DEBUG=1 to see the traceback and report it.",
    ),
}


def say(key: str, lang: Language, **params: object) -> str:
    """The message `key` in `lang`, its fields filled in."""
    zh, en = MESSAGES[key]
    return (zh if lang == "zh" else en).format(**params)


class UsageError(Exception):
    """The command line names something that cannot be used: a message key of MESSAGES and its fields.

    `UsageError("no-file", name=...)`; a text that is no key (a message another layer already wrote) is
    shown as it is."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def text(self, lang: Language) -> str:
        detail = say(self.key, lang, **self.params) if self.key in MESSAGES else self.key
        return say("usage", lang, detail=detail)
