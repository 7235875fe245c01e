"""Finding codes about the YAML documents (programme, organization) and the organization's assignments.

Part of the catalog (`site_builder.core.catalog` joins the parts in this order); templates are prose.
"""

from __future__ import annotations

from site_builder.core.catalog_entry import Entry, error, warning

DOCUMENTS: dict[str, Entry] = {
    # YAML documents
    "yaml-missing-field": error(
        "缺少字段 “{value}”。",
        "在 {where} 下添加 {value}（{about}）。",
        "The field '{value}' is missing.",
        "Add {value} under {where} ({about}).",
    ),
    "yaml-unknown-field": error(
        "无法识别的字段 “{value}”。",
        "此处可用的字段：{expected}。请检查拼写，或删除该字段。",
        "Unknown field '{value}'.",
        "The fields allowed here are: {expected}. Check the spelling or remove it.",
    ),
    "yaml-type": error(
        "“{where}” 应为{type_zh}，而这里是 “{value}”。",
        "按“数据规范”中该字段的说明填写。",
        "'{where}' must be {type_en}, not '{value}'.",
        "Write it as the data contract describes this field.",
    ),
    "yaml-value": error(
        "“{where}” 的值 “{value}” 不符合要求：{expected}。",
        "按“数据规范”中该字段的说明改正。",
        "'{where}': '{value}' is not allowed: {expected}.",
        "Correct it as the data contract describes this field.",
    ),
    "profile-invalid": error(
        "序时进度曲线 “{value}” 无效：{detail}。",
        "每条曲线写 12 个从 0 到 1 的累计比例，逐月不减，12 月为 1。",
        "The progress profile '{value}' is invalid: {detail}.",
        "Give 12 cumulative shares between 0 and 1, never decreasing, ending at 1.",
    ),
    "date-order": error(
        "{later_title}（{value}）早于{earlier_title}（{earlier}）。",
        "核对两个日期，结束或更正日期不能早于开始或报送日期。",
        "{later_title} ({value}) is before {earlier_title} ({earlier}).",
        "Check both dates; an end or correction date cannot precede the start or submission.",
    ),
    # Organization and assignments
    "group-leader-count": error(
        "“{group}” 有 {count} 名组长，应当恰好 1 名。",
        "在 members 中只给一人写 role: leader，其他人写 deputy 或 member。",
        "'{group}' has {count} leaders; it needs exactly one.",
        "Give exactly one member role: leader; the others deputy or member.",
    ),
    "region-without-leader": warning(
        "地区 “{value}”（{name}）还没有联系点或包保领导。",
        "网站照常生成，该地区显示“未明确责任领导”；明确分工后，在 assignments.csv 中为该地区添加一行"
        " kind 为 liaison（联系点）或 contract（包保）的分工。",
        "Region '{value}' ({name}) has no liaison or contract leader yet.",
        "The site is built and shows the region without a leader; once one is assigned, add a liaison or"
        " contract row for the region in assignments.csv.",
    ),
    # Who may change what (bulletin check-authors)
    "change-not-owned": error(
        "{account} 修改了不归自己负责的文件 {value}（负责的账号：{owners}）。",
        "各地区的编辑只修改本地区的月报；组织机构、方法和其他文件由办公室修改（见 organization.yaml 的 accounts）。"
        "请从拉取请求中撤下这个文件的修改，或请负责的账号提交。",
        "{account} changed {value}, which is not theirs (owners: {owners}).",
        "District editors change their own district's reports only; the organization, the method and every "
        "other file are the office's (organization.yaml, accounts). Drop the change from the pull request, "
        "or ask an owner to make it.",
    ),
}
