"""Finding codes about published bulletins (bulletins/<month>.yaml) and the Excel report forms (`bulletin import`).

Part of the catalog (`site_builder.core.catalog` joins the parts in this order); templates are prose.
"""

from __future__ import annotations

from site_builder.core.catalog_entry import Entry, error

BULLETINS: dict[str, Entry] = {
    # Published bulletins (bulletins/<month>.yaml)
    "bulletin-frozen": error(
        "已发布的{month}通报（第{number}期）所依据的数据被改动：{detail}。",
        "已发布通报的数据不能直接修改。如确属更正：在 bulletins/{month}.yaml 的 errata 中记下更正内容、原因、批准人和日期，"
        "再运行 bulletin publish {month} --erratum 重新封存；否则请把文件恢复原样（git checkout -- 文件名）。",
        "Data behind the published bulletin of {month} (No. {number}) changed: {detail}.",
        "Published data cannot be edited. For a correction, record an erratum (what, why, who approved, when) in "
        "bulletins/{month}.yaml and run bulletin publish {month} --erratum; otherwise restore the file.",
    ),
    "bulletin-unsealed": error(
        "{month}通报的发布记录不完整：{detail}。",
        "发布和更正只用命令完成：bulletin publish {month} 写入期号、日期和封存清单；记下更正后运行 "
        "bulletin publish {month} --erratum。不要手工填写或修改 status、number、issued_on、manifest 和更正的封存字段。",
        "The publication record of the {month} bulletin is incomplete: {detail}.",
        "Publish with bulletin publish {month}, and seal each erratum with bulletin publish {month} --erratum; "
        "do not type status, number, issued_on, manifest or an erratum's sealed fields by hand.",
    ),
    "bulletin-errata-indented": error(
        "{month}通报的更正记录 “errata:” 缩进了，被读成了封存清单（manifest 的 files）的一部分。",
        "把 “errata:” 和它下面的各行整体左移，使 “errata:” 顶格写在文件末尾（与 month、title 对齐）；"
        "更省事的办法是删去手写的这几行，改用 bulletin erratum 命令（或“更正”工作流）办理更正。",
        "The erratum record 'errata:' of the {month} bulletin is indented and was read as part of the sealed "
        "manifest (manifest's files).",
        "Move 'errata:' and the lines below it left so that 'errata:' starts the line, like month and title; or "
        "delete them and use bulletin erratum.",
    ),
    "bulletin-number-duplicate": error(
        "{year}年第{value}期已经用于{other}通报。",
        "同一年度的期号不能重复。期号由 bulletin publish 按发布顺序自动分配；两个分支同时发布时，"
        "删除后合并一方的发布记录（status、number、issued_on、manifest），在合并后的主干上重新运行 bulletin publish。",
        "No. {value} of {year} is already the bulletin of {other}.",
        "Issue numbers are unique within a year; re-run bulletin publish for one of them after merging.",
    ),
    # Excel report forms (bulletin import)
    "form-layout": error(
        "报表格式被改动：{detail}。",
        "请使用 bulletin forms 生成的原始报表，只在白色单元格中填写，不要插入、删除或移动行和列。",
        "The form's layout was changed: {detail}.",
        "Use the form bulletin forms made; fill in the white cells only, without inserting, deleting or moving rows or columns.",
    ),
    "form-region": error(
        "报表属于 “{value}”，不是 {expected}。",
        "每个地区填写自己的报表；同一个地区的报表只导入一次。",
        "The form belongs to '{value}', not {expected}.",
        "Each region fills in its own form; import each region's form once.",
    ),
    "form-identity": error(
        "报表的地区或月份对不上：{detail}。",
        "报表隐藏的登记页、灰色的地区和月份单元格、文件名必须是同一个地区、同一个月：请医改办为该地区该月重新生成报表（bulletin forms），"
        "只在白色单元格中填写，不要改动地区、月份或文件名中的地区和月份。",
        "The form's region or month does not match: {detail}.",
        "The hidden record, the region and month cells and the file name must name one region and one month: "
        "make the form again with bulletin forms and fill in the white cells only.",
    ),
    "form-cell": error(
        "单元格 {cell} 的 “{value}” 不是{type_zh}。",
        "只填写{type_zh}，不要带单位、文字或百分号；说明写在“说明”列。",
        "Cell {cell}: '{value}' is not {type_en}.",
        "Write only {type_en}, without units, words or percent signs; explanations go in the explanation column.",
    ),
}
