"""Finding codes about the data folder's files: their size, kind and encoding, YAML and CSV syntax, headers and rows.

Part of the catalog (`site_builder.core.catalog` joins the parts in this order); templates are prose.
"""

from __future__ import annotations

from site_builder.core.catalog_entry import Entry, error, warning

FILES: dict[str, Entry] = {
    # Files and encodings
    "file-unknown": error(
        "数据目录中有无法识别的文件。",
        "数据目录只能包含约定的文件（见“数据规范”）。如是误放的文件请删除；如是月报，请放在 reports/年-月/地区编码.csv。",
        "The data folder holds a file the data contract does not know.",
        "Remove the file, or move a monthly report to reports/YYYY-MM/<region_id>.csv.",
    ),
    "file-empty": error(
        "文件是空的，连表头也没有。",
        "写上表头（本表的列为：{expected}）和数据；如果文件是误建的，请删除它，并从 datapackage.yaml 中删除它的登记。",
        "The file is empty; it has not even a header.",
        "Write the header (the columns are: {expected}) and the rows, or delete the file and its listing.",
    ),
    "file-missing": error(
        "缺少必需的文件 {expected}。",
        "按“数据规范”补上该文件；如已改名，请恢复原文件名。",
        "The required file {expected} is missing.",
        "Add the file as the data contract describes, or restore its name.",
    ),
    "file-too-large": error(
        "文件过大（{size} {unit_zh}，上限 {limit} {unit_zh}）。",
        "检查是否误存了大量数据或二进制文件；月报应按地区和月份拆分为多个文件。",
        "The file is too large ({size} {unit_en}, limit {limit}).",
        "Split the data into the files the contract names; check for a pasted binary.",
    ),
    "folder-too-large": error(
        "数据文件夹中的文件共 {size} {unit_zh}，超过上限 {limit} {unit_zh}；没有检查任何文件。这个文件最大（{largest} {unit_zh}）。",
        "数据文件夹只放数据规范约定的文件：删除误放的大文件（照片、压缩包、导出的数据库、备份），然后重新校验。",
        "The data folder's files total {size} {unit_en}, over the limit of {limit}; no file was checked. "
        "This one is the largest ({largest} {unit_en}).",
        "Keep only the files of the data contract in the folder: delete large files put there by mistake, then validate again.",
    ),
    "nesting-too-deep": error(
        "文件在这里嵌套超过 {limit} 层，没有读取。",
        "数据文件不需要这么多层的列表或映射：检查方括号、花括号是否成对、缩进是否误加，或是否误粘贴了其他内容。",
        "The file nests more than {limit} levels deep here; it was not read.",
        "Data files never need lists or mappings this deep: check for unpaired brackets, runaway indentation or pasted content.",
    ),
    "findings-truncated": warning(
        "这个文件还有 {count} 处 [{value}] 问题没有逐条列出（每个文件每种问题最多列出 {limit} 处）。",
        "先改正上面列出的问题（往往是同一个原因，如整块复制的行），再重新校验，就会看到其余的问题。",
        "This file has {count} more [{value}] findings not listed (at most {limit} per code and file).",
        "Correct the findings listed (they often share one cause, such as a block of copied rows) and validate again to see the rest.",
    ),
    "file-not-regular": error(
        "这不是普通文件，而是{kind_zh}：不读取，也不发布。",
        "数据文件夹中只放普通文件：把链接、设备或管道换成文件本身的副本，或删除它。",
        "This is not a regular file but {kind_en}: it is neither read nor published.",
        "Keep only regular files in the data folder: replace the link, device or pipe with a copy of the file, or delete it.",
    ),
    "encoding-gb18030": error(
        "文件不是 UTF-8 编码，看起来是 GBK/GB18030（第一处在第 {line} 行）。",
        "用 Excel“另存为”选择“CSV UTF-8（逗号分隔）”，或在 WPS/记事本中“另存为”并选择编码 UTF-8，然后重新提交。为防止乱码，本工具不会自动转换。",
        "The file is not UTF-8; it looks like GBK/GB18030 (first at line {line}).",
        "Re-save it as 'CSV UTF-8 (comma delimited)' in Excel, or as UTF-8 in your editor. The tool never converts it silently.",
    ),
    "encoding-unknown": error(
        "无法识别文件编码：既不是 UTF-8，也不是 GB18030（第 {line} 行）。",
        "文件可能是 Excel 工作簿（.xlsx）被改了扩展名，或已损坏。请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”。",
        "The file's encoding is neither UTF-8 nor GB18030 (line {line}).",
        "It may be an Excel workbook renamed to .csv, or damaged. Save it as 'CSV UTF-8' from Excel.",
    ),
    "yaml-syntax": error(
        "YAML 格式错误：{detail}",
        "检查该行及上一行的缩进（只用空格，不用 Tab）、冒号后的空格和引号是否成对。",
        "YAML syntax error: {detail}",
        "Check indentation (spaces, no tabs), the space after each colon and paired quotes on this line and the one above.",
    ),
    "yaml-full-width-colon": error(
        "“{value}” 后面是全角冒号“：”，YAML 只认半角冒号，这一行无法读取。",
        "把这一行的“：”改成半角冒号“:”，冒号后加一个空格，如 {key}: …（切换到英文输入状态再输入）。",
        "A full-width colon (：) follows '{value}'; YAML reads only the ASCII colon, so the line cannot be read.",
        "Replace ： with ':' followed by a space, e.g. {key}: …",
    ),
    "yaml-duplicate-key": error(
        "键 “{value}” 在同一层级出现了两次（上一次在第 {first_line} 行）。",
        "删除或合并重复的键。YAML 会静默丢弃前一个值，所以本工具把它视为错误。",
        "The key '{value}' appears twice at the same level (first at line {first_line}).",
        "Remove or merge the duplicate. YAML would silently keep only the last one.",
    ),
    "csv-syntax": error(
        "CSV 格式错误：{detail}",
        "检查引号是否成对：单元格内含逗号、引号或换行时，整个单元格要用英文双引号括起来，内部的双引号写成两个。",
        "CSV syntax error: {detail}",
        "Check that quotes are paired; a cell with commas, quotes or line breaks is quoted, with inner quotes doubled.",
    ),
    "datapackage-invalid": error(
        "datapackage.yaml 的表结构定义有误：{detail}。",
        "按使用说明中“数据规范”页的 datapackage.yaml 一节改正；旧版本的 datapackage.yaml 运行 bulletin upgrade"
        " 换成当前版本的定义（月报清单保留不变）。",
        "datapackage.yaml has an invalid table description: {detail_en}.",
        "Correct it as the data contract page's section on datapackage.yaml says; for a descriptor of an older"
        " version, run bulletin upgrade to replace it with the current one (the list of reports is kept).",
    ),
    # Headers and rows
    "header-unknown-column": error(
        "表头中有无法识别的列 “{value}”。",
        "本表的列为：{expected}。请删除多余的列，或改正列名（注意大小写和空格）。",
        "The header has an unknown column '{value}'.",
        "The columns of this table are: {expected}. Remove the column or correct its name.",
    ),
    "header-missing-column": error(
        "缺少列 “{value}”（{title}）。",
        "在表头中加上该列；本表的列为：{expected}。",
        "The column '{value}' ({title}) is missing.",
        "Add it to the header; the columns of this table are: {expected}.",
    ),
    "header-duplicate-column": error(
        "列 “{value}” 在表头中出现了两次。",
        "删除重复的列，每个列名只能出现一次。",
        "The column '{value}' appears twice in the header.",
        "Remove the duplicate column.",
    ),
    "header-blank-column": error(
        "表头第 {position} 列没有列名（常见于 Excel 在右侧留下的空列）。",
        "在 Excel 中选中右侧多余的空列，右键“删除”后重新保存；不要只清除内容。",
        "Column {position} of the header has no name (often an empty column left by Excel).",
        "Delete the empty columns on the right in Excel (Delete, not Clear) and save again.",
    ),
    "row-cell-count": error(
        "这一行有 {actual} 个单元格，而表头有 {expected} 列。",
        "检查这一行是否多写或少写了逗号；含逗号的内容要用英文双引号括起来。",
        "This row has {actual} cells but the header has {expected} columns.",
        "Check for a missing or extra comma; quote cells that contain commas.",
    ),
}
