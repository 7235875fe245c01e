"""Finding codes about the monthly reports and targets, and the supervision draws and maps beside them.

Part of the catalog (`site_builder.core.catalog` joins the parts in this order); templates are prose.
"""

from __future__ import annotations

from site_builder.core.catalog_entry import Entry, error, warning

REPORTS: dict[str, Entry] = {
    # Monthly reports
    "report-path": error(
        "月报文件位置或内容与文件名不符：{detail}",
        "月报放在 reports/年-月/地区编码.csv，文件中 month 和 region_id 列与文件夹和文件名一致。",
        "The report file's place or content does not match its name: {detail}",
        "Keep reports at reports/YYYY-MM/<region_id>.csv, with month and region_id matching.",
    ),
    "report-unlisted": error(
        "月报文件没有登记在 datapackage.yaml 中。",
        "新月份的报表用 bulletin new-month 生成（会自动登记）；否则把 {value} 加到 datapackage.yaml 中 reports 资源的 path 列表（按字母顺序插入）；文件名写错时请改正文件名。",
        "The report file is not listed in datapackage.yaml.",
        "Create a new month with bulletin new-month (it registers the files), or add {value} to the reports resource's path list, or correct the file's name.",
    ),
    "report-row-missing": error(
        "{month} 月报缺少指标 “{value}”（{name}）的行。",
        "为每个指标保留一行；暂无数据时数值留空，并在 explanation 中写明原因。",
        "The {month} report lacks a row for indicator '{value}' ({name}).",
        "Keep one row per indicator; leave the value empty and explain why when there is no figure.",
    ),
    "report-not-submitted": warning(
        "{month} 月报尚未填报（没有数值，也没有报送日期）。",
        "填报后写上 submitted_on（报送日期）；如该地区本月未报送，此提示会一直保留并在通报中列为未报送。",
        "The {month} report has not been filled in (no values, no submission date).",
        "Fill it in and set submitted_on; until then the bulletin lists it as missing.",
    ),
    "value-missing": error(
        "指标 “{indicator}” 没有填写{what_zh}，也没有说明原因。",
        "填写{what_zh}；确实无法提供时，在 explanation 中写明原因（如“统计口径调整，待核实后补报”）。",
        "Indicator '{indicator}' has no {what_en} and no explanation why.",
        "Fill in {what_en}, or explain in the explanation column why it is missing.",
    ),
    "value-shape": error(
        "指标 “{indicator}” 是{kind_zh}，{detail_zh}。",
        "率类指标填写分子（numerator）和分母（denominator），value 留空；数量和节点类指标只填写 value。",
        "Indicator '{indicator}' is a {kind_en}; {detail_en}.",
        "Rates take numerator and denominator with value empty; counts and milestones take value only.",
    ),
    "rate-out-of-range": error(
        "率 {value}% 超出 0–100% 的范围。",
        "率类目标和对比值按百分数填写（如 95 表示 95%），不能超过 100。",
        "The rate {value}% is outside 0–100%.",
        "Write rates as percentages (95 means 95%), at most 100.",
    ),
    "numerator-exceeds-denominator": error(
        "分子 {value} 大于分母 {denominator}。",
        "核对分子和分母是否填反或填错，率不能超过 100%。",
        "The numerator {value} exceeds the denominator {denominator}.",
        "Check whether they are swapped or mistyped; a rate cannot exceed 100%.",
    ),
    "denominator-zero": error(
        "分母为 0，无法计算率。",
        "填写实际分母；本月确实没有对象时，分子和分母都留空，并在 explanation 中说明。",
        "The denominator is 0, so no rate can be computed.",
        "Give the real denominator, or leave both empty and explain why.",
    ),
    "cumulative-decrease": error(
        "累计值从 {previous_month} 的 {previous} 降到 {value}，但没有说明原因。",
        "月报填写的是年初至今的累计值，不应减少。如是更正前期数据，请填写 corrected_on，并在 explanation 中以“更正：”写明原因。",
        "The cumulative value fell from {previous} in {previous_month} to {value} without an explanation.",
        "Reports are cumulative; if this corrects earlier data, set corrected_on and explain it.",
    ),
    "behind-unexplained": error(
        "指标 “{indicator}” 完成 {completion}，低于序时进度 {expected}，但没有说明原因。",
        "在 explanation 中写明未完成的原因、存在的困难和问题，以及拟采取的措施。",
        "Indicator '{indicator}' is at {completion}, behind the expected {expected}, with no explanation.",
        "Explain in the explanation column why, what the difficulties are and what will be done.",
    ),
    "date-future": error(
        "“{title}”（{field}）的 {value} 晚于今天（{today}）。",
        "核对日期；报表不能填写未来的日期。",
        "'{title}' ({field}): {value} is later than today ({today}).",
        "Check the date; a report cannot be dated in the future.",
    ),
    "target-missing": error(
        "{year} 年地区 “{region}” 的指标 “{value}” 没有年度目标。",
        "在 targets.csv 中为每个地区和指标各写一行年度目标。",
        "Region '{region}' has no {year} target for indicator '{value}'.",
        "Add one targets.csv row per region and indicator.",
    ),
    # Supervision draws and maps
    "draw-mismatch": error(
        "记录的随机抽样与重新计算的结果不一致：{detail}。",
        "抽样结果只能由 bulletin sample 写入，不能手工修改。如机构名录有误，先改正 facilities.csv，再重新执行 bulletin sample（新的种子和日期会被记录）。",
        "The recorded random draw differs from the recomputed one: {detail}.",
        "Only bulletin sample writes draws; do not edit them. Correct facilities.csv and draw again if the registry was wrong.",
    ),
    "geo-invalid": error(
        "地图文件不是有效的 GeoJSON：{detail}。",
        "地图应为 FeatureCollection，每个要素是 Polygon 或 MultiPolygon，坐标为 [经度, 纬度] 且每个环首尾闭合；用 GIS 软件导出为 GeoJSON（WGS84）后再提交。",
        "The map file is not valid GeoJSON: {detail}.",
        "Export a FeatureCollection of Polygon/MultiPolygon features in WGS84 ([lon, lat], closed rings) from your GIS tool.",
    ),
    "geo-unmatched": error(
        "地图与 regions.csv 对不上：{detail}。",
        "每个地区在地图中恰有一个要素，要素属性中的地区编码与 regions.csv 的 id 一致。",
        "The map and regions.csv do not match: {detail}.",
        "Give every region exactly one feature whose join key holds its id from regions.csv.",
    ),
    "geo-join-key": error(
        "地图中有 {count} 个要素没有属性 “{value}”（programme.yaml 中 map.join_key 指定的地区编码字段）。",
        "在每个要素的 properties 中加上该字段并填写地区编码，或把 map.join_key 改为地图实际使用的字段名。",
        "{count} map features lack the property '{value}' (map.join_key in programme.yaml).",
        "Add the property with the region id to every feature, or set map.join_key to the field the map uses.",
    ),
}
