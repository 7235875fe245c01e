"""Every finding code, its severity, and its message and hint in Chinese and English.

Codes are stable: documentation, CI annotations and editors' habits refer to them. Add codes,
never rename them. `docs/reference/findings.md` documents each one; a test keeps the two in step.
Templates use `str.format` fields; `{value}` is always available.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
# Codes of `bulletin import` (Excel forms): tested with real .xlsx files in tests/test_forms.py,
# not with data-folder fixtures.
IMPORT_CODES: tuple[str, ...] = ("form-layout", "form-region", "form-identity", "form-cell")


@dataclass(frozen=True)
class Entry:
    severity: Literal["error", "warning"]
    zh: tuple[str, str]  # message, hint
    en: tuple[str, str]


def _e(zh_msg: str, zh_hint: str, en_msg: str, en_hint: str) -> Entry:
    return Entry("error", (zh_msg, zh_hint), (en_msg, en_hint))


def _w(zh_msg: str, zh_hint: str, en_msg: str, en_hint: str) -> Entry:
    return Entry("warning", (zh_msg, zh_hint), (en_msg, en_hint))


CATALOG: dict[str, Entry] = {
    # Files and encodings
    "file-unknown": _e(
        "数据目录中有无法识别的文件。",
        "数据目录只能包含约定的文件（见“数据规范”）。如是误放的文件请删除；如是月报，请放在 reports/年-月/地区编码.csv。",
        "The data folder holds a file the data contract does not know.",
        "Remove the file, or move a monthly report to reports/YYYY-MM/<region_id>.csv.",
    ),
    "file-empty": _e(
        "文件是空的，连表头也没有。",
        "写上表头（本表的列为：{expected}）和数据；如果文件是误建的，请删除它，并从 datapackage.yaml 中删除它的登记。",
        "The file is empty; it has not even a header.",
        "Write the header (the columns are: {expected}) and the rows, or delete the file and its listing.",
    ),
    "file-missing": _e(
        "缺少必需的文件 {expected}。",
        "按“数据规范”补上该文件；如已改名，请恢复原文件名。",
        "The required file {expected} is missing.",
        "Add the file as the data contract describes, or restore its name.",
    ),
    "file-too-large": _e(
        "文件过大（{size} {unit_zh}，上限 {limit} {unit_zh}）。",
        "检查是否误存了大量数据或二进制文件；月报应按地区和月份拆分为多个文件。",
        "The file is too large ({size} {unit_en}, limit {limit}).",
        "Split the data into the files the contract names; check for a pasted binary.",
    ),
    "folder-too-large": _e(
        "数据文件夹中的文件共 {size} {unit_zh}，超过上限 {limit} {unit_zh}；没有检查任何文件。这个文件最大（{largest} {unit_zh}）。",
        "数据文件夹只放数据规范约定的文件：删除误放的大文件（照片、压缩包、导出的数据库、备份），然后重新校验。",
        "The data folder's files total {size} {unit_en}, over the limit of {limit}; no file was checked. "
        "This one is the largest ({largest} {unit_en}).",
        "Keep only the files of the data contract in the folder: delete large files put there by mistake, then validate again.",
    ),
    "nesting-too-deep": _e(
        "文件在这里嵌套超过 {limit} 层，没有读取。",
        "数据文件不需要这么多层的列表或映射：检查方括号、花括号是否成对、缩进是否误加，或是否误粘贴了其他内容。",
        "The file nests more than {limit} levels deep here; it was not read.",
        "Data files never need lists or mappings this deep: check for unpaired brackets, runaway indentation or pasted content.",
    ),
    "findings-truncated": _w(
        "这个文件还有 {count} 处 [{value}] 问题没有逐条列出（每个文件每种问题最多列出 {limit} 处）。",
        "先改正上面列出的问题（往往是同一个原因，如整块复制的行），再重新校验，就会看到其余的问题。",
        "This file has {count} more [{value}] findings not listed (at most {limit} per code and file).",
        "Correct the findings listed (they often share one cause, such as a block of copied rows) and validate again to see the rest.",
    ),
    "file-not-regular": _e(
        "这不是普通文件，而是{kind_zh}：不读取，也不发布。",
        "数据文件夹中只放普通文件：把链接、设备或管道换成文件本身的副本，或删除它。",
        "This is not a regular file but {kind_en}: it is neither read nor published.",
        "Keep only regular files in the data folder: replace the link, device or pipe with a copy of the file, or delete it.",
    ),
    "encoding-gb18030": _e(
        "文件不是 UTF-8 编码，看起来是 GBK/GB18030（第一处在第 {line} 行）。",
        "用 Excel“另存为”选择“CSV UTF-8（逗号分隔）”，或在 WPS/记事本中“另存为”并选择编码 UTF-8，然后重新提交。为防止乱码，本工具不会自动转换。",
        "The file is not UTF-8; it looks like GBK/GB18030 (first at line {line}).",
        "Re-save it as 'CSV UTF-8 (comma delimited)' in Excel, or as UTF-8 in your editor. The tool never converts it silently.",
    ),
    "encoding-unknown": _e(
        "无法识别文件编码：既不是 UTF-8，也不是 GB18030（第 {line} 行）。",
        "文件可能是 Excel 工作簿（.xlsx）被改了扩展名，或已损坏。请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”。",
        "The file's encoding is neither UTF-8 nor GB18030 (line {line}).",
        "It may be an Excel workbook renamed to .csv, or damaged. Save it as 'CSV UTF-8' from Excel.",
    ),
    "yaml-syntax": _e(
        "YAML 格式错误：{detail}",
        "检查该行及上一行的缩进（只用空格，不用 Tab）、冒号后的空格和引号是否成对。",
        "YAML syntax error: {detail}",
        "Check indentation (spaces, no tabs), the space after each colon and paired quotes on this line and the one above.",
    ),
    "yaml-duplicate-key": _e(
        "键 “{value}” 在同一层级出现了两次（上一次在第 {first_line} 行）。",
        "删除或合并重复的键。YAML 会静默丢弃前一个值，所以本工具把它视为错误。",
        "The key '{value}' appears twice at the same level (first at line {first_line}).",
        "Remove or merge the duplicate. YAML would silently keep only the last one.",
    ),
    "csv-syntax": _e(
        "CSV 格式错误：{detail}",
        "检查引号是否成对：单元格内含逗号、引号或换行时，整个单元格要用英文双引号括起来，内部的双引号写成两个。",
        "CSV syntax error: {detail}",
        "Check that quotes are paired; a cell with commas, quotes or line breaks is quoted, with inner quotes doubled.",
    ),
    "datapackage-invalid": _e(
        "datapackage.yaml 的表结构定义有误：{detail}",
        "datapackage.yaml 描述各表的字段，一般不需要编辑；请对照仓库中的示例恢复，或联系维护人员。",
        "datapackage.yaml has an invalid table description: {detail}",
        "Restore the descriptor from the example, or ask a maintainer.",
    ),
    # Headers and rows
    "header-unknown-column": _e(
        "表头中有无法识别的列 “{value}”。",
        "本表的列为：{expected}。请删除多余的列，或改正列名（注意大小写和空格）。",
        "The header has an unknown column '{value}'.",
        "The columns of this table are: {expected}. Remove the column or correct its name.",
    ),
    "header-missing-column": _e(
        "缺少列 “{value}”（{title}）。",
        "在表头中加上该列；本表的列为：{expected}。",
        "The column '{value}' ({title}) is missing.",
        "Add it to the header; the columns of this table are: {expected}.",
    ),
    "header-duplicate-column": _e(
        "列 “{value}” 在表头中出现了两次。",
        "删除重复的列，每个列名只能出现一次。",
        "The column '{value}' appears twice in the header.",
        "Remove the duplicate column.",
    ),
    "header-blank-column": _e(
        "表头第 {position} 列没有列名（常见于 Excel 在右侧留下的空列）。",
        "在 Excel 中选中右侧多余的空列，右键“删除”后重新保存；不要只清除内容。",
        "Column {position} of the header has no name (often an empty column left by Excel).",
        "Delete the empty columns on the right in Excel (Delete, not Clear) and save again.",
    ),
    "row-cell-count": _e(
        "这一行有 {actual} 个单元格，而表头有 {expected} 列。",
        "检查这一行是否多写或少写了逗号；含逗号的内容要用英文双引号括起来。",
        "This row has {actual} cells but the header has {expected} columns.",
        "Check for a missing or extra comma; quote cells that contain commas.",
    ),
    # Cells
    "cell-required": _e(
        "“{title}”（{field}）不能为空。",
        "填写该单元格。",
        "'{title}' ({field}) must not be empty.",
        "Fill in the cell.",
    ),
    "cell-type": _e(
        "“{title}”（{field}）应为{type_zh}，而这里是 “{value}”。",
        "只填写{type_zh}，不要带单位或文字。",
        "'{title}' ({field}) must be {type_en}, not '{value}'.",
        "Write only {type_en}, without a unit or words.",
    ),
    "cell-percent": _e(
        "“{title}”（{field}）中的 “{value}” 带有百分号。",
        "去掉百分号，写成 {suggestion}；率类指标请填写分子和分母，由系统计算百分比。",
        "'{title}' ({field}) has a percent sign in '{value}'.",
        "Write {suggestion} without the percent sign; for rates give numerator and denominator.",
    ),
    "cell-thousands": _e(
        "“{title}”（{field}）中的 “{value}” 带有千位分隔符。",
        "写成 {suggestion}。在 Excel 中把单元格格式设为“常规”或不带千位分隔符的“数值”后再保存。",
        "'{title}' ({field}) has thousands separators in '{value}'.",
        "Write {suggestion}; set the cell format to General in Excel before saving.",
    ),
    "cell-fullwidth": _e(
        "“{title}”（{field}）中的 “{value}” 含有全角字符。",
        "切换到半角输入后重新输入，写成 {suggestion}。",
        "'{title}' ({field}) has full-width characters in '{value}'.",
        "Retype it with half-width characters: {suggestion}.",
    ),
    "cell-whitespace": _e(
        "“{title}”（{field}）的值 “{value}” 首尾有空格或含全角空格。",
        "删除多余的空格（包括全角空格“　”）。编码类的值有空格时会导致关联不上。",
        "'{title}' ({field}) has leading/trailing or full-width spaces in '{value}'.",
        "Delete the extra spaces, including full-width ones; ids with spaces do not match.",
    ),
    "text-invisible": _e(
        "{where_zh}的 “{value}” 含有看不见的字符或控制字符：{characters}。",
        "删除这些字符后重新输入（常见于从网页、聊天软件或 Word 复制粘贴）。它们看不见，却会让两个看起来相同的名称对不上，"
        "或让文字在屏幕上显示成另一个样子。说明等自由文字中可以换行和使用 Tab，编码和名称中不可以。",
        "{where_en} holds invisible or control characters in '{value}': {characters}.",
        "Delete them and retype the text (they often come with text copied from web pages, chat apps or Word). "
        "Line breaks and tabs are allowed in free text such as explanations, not in codes or names.",
    ),
    "cell-formula": _e(
        "“{title}”（{field}）的 “{value}” 以{start_zh}开头，用 Excel 等电子表格打开时会被当作公式。",
        "改写开头：以汉字开头（如把“-3户为外迁”写成“减少3户，为外迁”），或把开头的符号换成全角的“＝”“＋”“－”“＠”。"
        "报表原件会原样发布，供读者用 sha256sum 与封存清单核对，所以本工具不会替你改动文字。",
        "'{title}' ({field}): '{value}' starts with {start_en}; a spreadsheet would take it for a formula.",
        "Reword the start: begin with a Chinese word, or use the full-width signs ＝ ＋ － ＠. The report files are "
        "published as written (readers check them against the seal with sha256sum), so the tool never changes the text.",
    ),
    "date-format": _e(
        "“{title}”（{field}）的日期 “{value}” 不是“年-月-日”格式。",
        "写成 {suggestion}。在 Excel 中把日期列的格式设为“yyyy-mm-dd”后再保存。",
        "'{title}' ({field}) has the date '{value}' not in YYYY-MM-DD form.",
        "Write {suggestion}; format the column as yyyy-mm-dd in Excel.",
    ),
    "date-invalid": _e(
        "“{title}”（{field}）的 “{value}” 不是有效的日期。",
        "按“年-月-日”填写真实存在的日期，如 2011-05-01。",
        "'{title}' ({field}): '{value}' is not a valid date.",
        "Write a real date as YYYY-MM-DD, e.g. 2011-05-01.",
    ),
    "cell-enum": _e(
        "“{title}”（{field}）的 “{value}” 不是允许的取值。",
        "只能填写以下之一：{expected}。",
        "'{title}' ({field}): '{value}' is not an allowed value.",
        "Use one of: {expected}.",
    ),
    "cell-pattern": _e(
        "“{title}”（{field}）的 “{value}” 格式不对。",
        "按该列的格式填写（正则表达式 {expected}，见“数据规范”中该列的说明）。",
        "'{title}' ({field}): '{value}' does not have the required form.",
        "Write it in the column's form (regular expression {expected}; see the data contract).",
    ),
    "cell-too-long": _e(
        "“{title}”（{field}）的值有 {length} 个字符，超过上限 {limit} 个。",
        "改用不超过 {limit} 个字符的值。编码会用作网页和下载文件的文件名，太长的文件名无法保存；请用简短的拼音或英文缩写。",
        "'{title}' ({field}) is {length} characters long, over the limit of {limit}.",
        "Use at most {limit} characters. Ids name the site's pages and files, and overlong file names cannot be saved.",
    ),
    "cell-range": _e(
        "“{title}”（{field}）的 {value} 超出允许范围（{expected}）。",
        "核对数值和单位是否填错。",
        "'{title}' ({field}): {value} is out of range ({expected}).",
        "Check the value and its unit.",
    ),
    "cell-unique": _e(
        "“{title}”（{field}）的 “{value}” 与 {first} 重复。",
        "该列每行的值都必须不同。",
        "'{title}' ({field}): '{value}' repeats {first}.",
        "Every row needs a different value in this column.",
    ),
    "primary-key-duplicate": _e(
        "{expected} 为 “{value}” 的行已在 {first} 出现过。",
        "同一组合只能有一行：合并两行，或改正其中一行的编码。",
        "A row with {expected} '{value}' already appears at {first}.",
        "Keep one row per key: merge the rows or correct one of them.",
    ),
    "row-duplicate": _e(
        "这一行与 {first} 完全相同。",
        "删除重复的行。",
        "This row is identical to {first}.",
        "Delete the duplicate row.",
    ),
    # References across files
    "unknown-region": _e(
        "地区编码 “{value}” 不存在。",
        "使用 regions.csv 中的编码（如 {example}），或先在 regions.csv 中添加该地区。",
        "The region id '{value}' does not exist.",
        "Use an id from regions.csv (e.g. {example}) or add the region there first.",
    ),
    "unknown-person": _e(
        "人员编码 “{value}” 不存在。",
        "使用 people.csv 中的编码（如 {example}），或先在 people.csv 中添加该人员。",
        "The person id '{value}' does not exist.",
        "Use an id from people.csv (e.g. {example}) or add the person there first.",
    ),
    "unknown-indicator": _e(
        "指标编码 “{value}” 不存在。",
        "使用 indicators.csv 中的编码（如 {example}），或先在 indicators.csv 中添加该指标。",
        "The indicator id '{value}' does not exist.",
        "Use an id from indicators.csv (e.g. {example}) or add the indicator there first.",
    ),
    "unknown-unit": _e(
        "单位编码 “{value}” 不存在。",
        "使用 units.csv 中的编码（如 {example}），或先在 units.csv 中添加该单位。",
        "The unit id '{value}' does not exist.",
        "Use an id from units.csv (e.g. {example}) or add the unit there first.",
    ),
    "unknown-group": _e(
        "推进组编码 “{value}” 不存在。",
        "使用 organization.yaml 中 task_groups 的 id（如 {example}），或留空。",
        "The task group id '{value}' does not exist.",
        "Use a task group id from organization.yaml (e.g. {example}) or leave it empty.",
    ),
    "unknown-profile": _e(
        "序时进度曲线 “{value}” 未定义。",
        "填写 linear（按月平均），或 programme.yaml 中 profiles 下定义的名称：{expected}。",
        "The progress profile '{value}' is not defined.",
        "Use linear, or a name defined under profiles in programme.yaml: {expected}.",
    ),
    "weights-zero": _e(
        "所有指标的分值都是 0，无法计算综合得分。",
        "在 indicators.csv 的 weight 列为参与排名的指标填写分值（一般合计 100）。",
        "Every indicator's weight is 0, so no composite score can be computed.",
        "Give the ranked indicators weights in the weight column of indicators.csv (usually summing to 100).",
    ),
    # YAML documents
    "yaml-missing-field": _e(
        "缺少字段 “{value}”。",
        "在 {where} 下添加 {value}（{about}）。",
        "The field '{value}' is missing.",
        "Add {value} under {where} ({about}).",
    ),
    "yaml-unknown-field": _e(
        "无法识别的字段 “{value}”。",
        "此处可用的字段：{expected}。请检查拼写，或删除该字段。",
        "Unknown field '{value}'.",
        "The fields allowed here are: {expected}. Check the spelling or remove it.",
    ),
    "yaml-type": _e(
        "“{where}” 应为{type_zh}，而这里是 “{value}”。",
        "按“数据规范”中该字段的说明填写。",
        "'{where}' must be {type_en}, not '{value}'.",
        "Write it as the data contract describes this field.",
    ),
    "yaml-value": _e(
        "“{where}” 的值 “{value}” 不符合要求：{expected}。",
        "按“数据规范”中该字段的说明改正。",
        "'{where}': '{value}' is not allowed: {expected}.",
        "Correct it as the data contract describes this field.",
    ),
    "profile-invalid": _e(
        "序时进度曲线 “{value}” 无效：{detail}。",
        "每条曲线写 12 个从 0 到 1 的累计比例，逐月不减，12 月为 1。",
        "The progress profile '{value}' is invalid: {detail}.",
        "Give 12 cumulative shares between 0 and 1, never decreasing, ending at 1.",
    ),
    "date-order": _e(
        "{later_title}（{value}）早于{earlier_title}（{earlier}）。",
        "核对两个日期，结束或更正日期不能早于开始或报送日期。",
        "{later_title} ({value}) is before {earlier_title} ({earlier}).",
        "Check both dates; an end or correction date cannot precede the start or submission.",
    ),
    # Organization and assignments
    "group-leader-count": _e(
        "“{group}” 有 {count} 名组长，应当恰好 1 名。",
        "在 members 中只给一人写 role: leader，其他人写 deputy 或 member。",
        "'{group}' has {count} leaders; it needs exactly one.",
        "Give exactly one member role: leader; the others deputy or member.",
    ),
    "region-without-leader": _e(
        "地区 “{value}”（{name}）没有联系或包保领导。",
        "在 assignments.csv 中为该地区添加至少一行 kind 为 liaison 或 contract 的分工。",
        "Region '{value}' ({name}) has no liaison or contract leader.",
        "Add at least one liaison or contract row for it in assignments.csv.",
    ),
    # Monthly reports
    "report-path": _e(
        "月报文件位置或内容与文件名不符：{detail}",
        "月报放在 reports/年-月/地区编码.csv，文件中 month 和 region_id 列与文件夹和文件名一致。",
        "The report file's place or content does not match its name: {detail}",
        "Keep reports at reports/YYYY-MM/<region_id>.csv, with month and region_id matching.",
    ),
    "report-unlisted": _e(
        "月报文件没有登记在 datapackage.yaml 中。",
        "新月份的报表用 bulletin new-month 生成（会自动登记）；否则把 {value} 加到 datapackage.yaml 中 reports 资源的 path 列表（按字母顺序插入）；文件名写错时请改正文件名。",
        "The report file is not listed in datapackage.yaml.",
        "Create a new month with bulletin new-month (it registers the files), or add {value} to the reports resource's path list, or correct the file's name.",
    ),
    "report-row-missing": _e(
        "{month} 月报缺少指标 “{value}”（{name}）的行。",
        "为每个指标保留一行；暂无数据时数值留空，并在 explanation 中写明原因。",
        "The {month} report lacks a row for indicator '{value}' ({name}).",
        "Keep one row per indicator; leave the value empty and explain why when there is no figure.",
    ),
    "report-not-submitted": _w(
        "{month} 月报尚未填报（没有数值，也没有报送日期）。",
        "填报后写上 submitted_on（报送日期）；如该地区本月未报送，此提示会一直保留并在通报中列为未报送。",
        "The {month} report has not been filled in (no values, no submission date).",
        "Fill it in and set submitted_on; until then the bulletin lists it as missing.",
    ),
    "value-missing": _e(
        "指标 “{indicator}” 没有填写{what_zh}，也没有说明原因。",
        "填写{what_zh}；确实无法提供时，在 explanation 中写明原因（如“统计口径调整，待核实后补报”）。",
        "Indicator '{indicator}' has no {what_en} and no explanation why.",
        "Fill in {what_en}, or explain in the explanation column why it is missing.",
    ),
    "value-shape": _e(
        "指标 “{indicator}” 是{kind_zh}，{detail_zh}。",
        "率类指标填写分子（numerator）和分母（denominator），value 留空；数量和节点类指标只填写 value。",
        "Indicator '{indicator}' is a {kind_en}; {detail_en}.",
        "Rates take numerator and denominator with value empty; counts and milestones take value only.",
    ),
    "rate-out-of-range": _e(
        "率 {value}% 超出 0–100% 的范围。",
        "率类目标和对比值按百分数填写（如 95 表示 95%），不能超过 100。",
        "The rate {value}% is outside 0–100%.",
        "Write rates as percentages (95 means 95%), at most 100.",
    ),
    "numerator-exceeds-denominator": _e(
        "分子 {value} 大于分母 {denominator}。",
        "核对分子和分母是否填反或填错，率不能超过 100%。",
        "The numerator {value} exceeds the denominator {denominator}.",
        "Check whether they are swapped or mistyped; a rate cannot exceed 100%.",
    ),
    "denominator-zero": _e(
        "分母为 0，无法计算率。",
        "填写实际分母；本月确实没有对象时，分子和分母都留空，并在 explanation 中说明。",
        "The denominator is 0, so no rate can be computed.",
        "Give the real denominator, or leave both empty and explain why.",
    ),
    "cumulative-decrease": _e(
        "累计值从 {previous_month} 的 {previous} 降到 {value}，但没有说明原因。",
        "月报填写的是年初至今的累计值，不应减少。如是更正前期数据，请填写 corrected_on，并在 explanation 中以“更正：”写明原因。",
        "The cumulative value fell from {previous} in {previous_month} to {value} without an explanation.",
        "Reports are cumulative; if this corrects earlier data, set corrected_on and explain it.",
    ),
    "behind-unexplained": _e(
        "指标 “{indicator}” 完成 {completion}，低于序时进度 {expected}，但没有说明原因。",
        "在 explanation 中写明未完成的原因、存在的困难和问题，以及拟采取的措施。",
        "Indicator '{indicator}' is at {completion}, behind the expected {expected}, with no explanation.",
        "Explain in the explanation column why, what the difficulties are and what will be done.",
    ),
    "date-future": _e(
        "“{title}”（{field}）的 {value} 晚于今天（{today}）。",
        "核对日期；报表不能填写未来的日期。",
        "'{title}' ({field}): {value} is later than today ({today}).",
        "Check the date; a report cannot be dated in the future.",
    ),
    "target-missing": _e(
        "{year} 年地区 “{region}” 的指标 “{value}” 没有年度目标。",
        "在 targets.csv 中为每个地区和指标各写一行年度目标。",
        "Region '{region}' has no {year} target for indicator '{value}'.",
        "Add one targets.csv row per region and indicator.",
    ),
    # Supervision draws and maps
    "draw-mismatch": _e(
        "记录的随机抽样与重新计算的结果不一致：{detail}。",
        "抽样结果只能由 bulletin sample 写入，不能手工修改。如机构名录有误，先改正 facilities.csv，再重新执行 bulletin sample（新的种子和日期会被记录）。",
        "The recorded random draw differs from the recomputed one: {detail}.",
        "Only bulletin sample writes draws; do not edit them. Correct facilities.csv and draw again if the registry was wrong.",
    ),
    "geo-invalid": _e(
        "地图文件不是有效的 GeoJSON：{detail}。",
        "地图应为 FeatureCollection，每个要素是 Polygon 或 MultiPolygon，坐标为 [经度, 纬度] 且每个环首尾闭合；用 GIS 软件导出为 GeoJSON（WGS84）后再提交。",
        "The map file is not valid GeoJSON: {detail}.",
        "Export a FeatureCollection of Polygon/MultiPolygon features in WGS84 ([lon, lat], closed rings) from your GIS tool.",
    ),
    "geo-unmatched": _e(
        "地图与 regions.csv 对不上：{detail}。",
        "每个地区在地图中恰有一个要素，要素属性中的地区编码与 regions.csv 的 id 一致。",
        "The map and regions.csv do not match: {detail}.",
        "Give every region exactly one feature whose join key holds its id from regions.csv.",
    ),
    "geo-join-key": _e(
        "地图中有 {count} 个要素没有属性 “{value}”（programme.yaml 中 map.join_key 指定的地区编码字段）。",
        "在每个要素的 properties 中加上该字段并填写地区编码，或把 map.join_key 改为地图实际使用的字段名。",
        "{count} map features lack the property '{value}' (map.join_key in programme.yaml).",
        "Add the property with the region id to every feature, or set map.join_key to the field the map uses.",
    ),
    # Published bulletins (bulletins/<month>.yaml)
    "bulletin-frozen": _e(
        "已发布的{month}通报（第{number}期）所依据的数据被改动：{detail}。",
        "已发布通报的数据不能直接修改。如确属更正：在 bulletins/{month}.yaml 的 errata 中记下更正内容、原因、批准人和日期，"
        "再运行 bulletin publish {month} --erratum 重新封存；否则请把文件恢复原样（git checkout -- 文件名）。",
        "Data behind the published bulletin of {month} (No. {number}) changed: {detail}.",
        "Published data cannot be edited. For a correction, record an erratum (what, why, who approved, when) in "
        "bulletins/{month}.yaml and run bulletin publish {month} --erratum; otherwise restore the file.",
    ),
    "bulletin-unsealed": _e(
        "{month}通报的发布记录不完整：{detail}。",
        "发布和更正只用命令完成：bulletin publish {month} 写入期号、日期和封存清单；记下更正后运行 "
        "bulletin publish {month} --erratum。不要手工填写或修改 status、number、issued_on、manifest 和更正的封存字段。",
        "The publication record of the {month} bulletin is incomplete: {detail}.",
        "Publish with bulletin publish {month}, and seal each erratum with bulletin publish {month} --erratum; "
        "do not type status, number, issued_on, manifest or an erratum's sealed fields by hand.",
    ),
    "bulletin-number-duplicate": _e(
        "{year}年第{value}期已经用于{other}通报。",
        "同一年度的期号不能重复。期号由 bulletin publish 按发布顺序自动分配；两个分支同时发布时，"
        "删除后合并一方的发布记录（status、number、issued_on、manifest），在合并后的主干上重新运行 bulletin publish。",
        "No. {value} of {year} is already the bulletin of {other}.",
        "Issue numbers are unique within a year; re-run bulletin publish for one of them after merging.",
    ),
    # Excel report forms (bulletin import)
    "form-layout": _e(
        "报表格式被改动：{detail}。",
        "请使用 bulletin forms 生成的原始报表，只在白色单元格中填写，不要插入、删除或移动行和列。",
        "The form's layout was changed: {detail}.",
        "Use the form bulletin forms made; fill in the white cells only, without inserting, deleting or moving rows or columns.",
    ),
    "form-region": _e(
        "报表属于 “{value}”，不是 {expected}。",
        "每个地区填写自己的报表；同一个地区的报表只导入一次。",
        "The form belongs to '{value}', not {expected}.",
        "Each region fills in its own form; import each region's form once.",
    ),
    "form-identity": _e(
        "报表的地区或月份对不上：{detail}。",
        "报表隐藏的登记页、灰色的地区和月份单元格、文件名必须是同一个地区、同一个月：请医改办为该地区该月重新生成报表（bulletin forms），"
        "只在白色单元格中填写，不要改动地区、月份或文件名中的地区和月份。",
        "The form's region or month does not match: {detail}.",
        "The hidden record, the region and month cells and the file name must name one region and one month: "
        "make the form again with bulletin forms and fill in the white cells only.",
    ),
    "form-cell": _e(
        "单元格 {cell} 的 “{value}” 不是{type_zh}。",
        "只填写{type_zh}，不要带单位、文字或百分号；说明写在“说明”列。",
        "Cell {cell}: '{value}' is not {type_en}.",
        "Write only {type_en}, without units, words or percent signs; explanations go in the explanation column.",
    ),
}


def render_message(code: str, part: Literal["message", "hint"], lang: Language, fields: dict[str, object]) -> str:
    entry = CATALOG[code]
    message, hint = entry.zh if lang == "zh" else entry.en
    return (message if part == "message" else hint).format_map(fields)
