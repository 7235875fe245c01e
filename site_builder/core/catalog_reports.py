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
    "report-year-ahead": error(
        "{month} 的月报晚于 programme.yaml 中的年度（year: {year}）。",
        "开始新的年度时，先把 programme.yaml 的 year 改为 {next}，并在 targets.csv 中写好 {next} 年每个地区和指标的目标"
        "（见“月度工作流程 · 新的年度”）；往年的通报和排名仍保留在网站上。月份写错时请改正文件夹名。",
        "The {month} report is later than programme.yaml's year (year: {year}).",
        "To start a new year, set year: {next} in programme.yaml and add the {next} targets of every district and "
        "indicator to targets.csv; past years stay on the site. If the month is a typo, correct the folder's name.",
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
        "率类指标和 city 为 pooled 的水平类指标填写分子（numerator）和分母（denominator），value 留空；"
        "city 为 weighted 的水平类指标填写 value 和作为权重的分母（denominator），numerator 留空；"
        "数量、节点和其他水平类指标只填写 value。",
        "Indicator '{indicator}' is a {kind_en}; {detail_en}.",
        "Rates and pooled levels take numerator and denominator with value empty; weighted levels take value and "
        "their weight as denominator; counts, milestones and other levels take value only.",
    ),
    "value-negative": error(
        "{what_zh} {value} 是负数：{detail_zh}。",
        "核对数字和正负号。只有水平类指标（kind 为 level，如增长率）的完成值，以及越低越好的水平类指标的年度目标（上限），"
        "可以是负数；分子和分母不能是负数。",
        "The {what_en} {value} is negative: {detail_en}.",
        "Check the number and its sign. Only a level's values (kind level, such as a growth rate), and the target "
        "(ceiling) of a lower-is-better level, may be negative; numerators and denominators never.",
    ),
    "report-not-applicable": warning(
        "targets.csv 已把 {year} 年本地区的指标 “{indicator}” 标为不适用（{reason}），这里填写的数不会使用。",
        "不适用的指标不必填报，数值留空或删除这一行；如本地区其实有这项任务，在 targets.csv 中删去不适用原因并填写年度目标。",
        "targets.csv marks indicator '{indicator}' not applicable to this district in {year} ({reason}); "
        "the figure given here is ignored.",
        "Leave the figures empty or drop the row; if the district does have the task, give its target instead.",
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
        "指标 “{indicator}” {detail_zh}，但没有说明原因。",
        "在 explanation 中写明未完成的原因、存在的困难和问题，以及拟采取的措施。",
        "Indicator '{indicator}' {detail_en}, with no explanation.",
        "Explain in the explanation column why, what the difficulties are and what will be done.",
    ),
    "date-future": error(
        "“{title}”（{field}）的 {value} 晚于今天（{today}）。",
        "核对日期；报表不能填写未来的日期。",
        "'{title}' ({field}): {value} is later than today ({today}).",
        "Check the date; a report cannot be dated in the future.",
    ),
    # Timeliness from the record: the declared dates against the repository's history
    "history-unavailable": warning(
        "读不到数据文件夹的版本历史，无法核对月报的报送日期：{detail}",
        "在 git 仓库中（git clone 得到的文件夹）运行；网站照常生成，只显示各地填写的报送日期，并注明未经核对。",
        "The data folder's git history cannot be read, so the declared submission dates are not checked.",
        "Run inside the git repository (a git clone); the site is built with the declared dates only, "
        "marked as not checked.",
    ),
    "history-shallow": warning(
        "这是浅克隆（shallow clone），版本历史不完整，无法核对月报的报送日期。",
        "CI 检出时设置 fetch-depth: 0（actions/checkout）；本地执行 git fetch --unshallow。网站照常生成，"
        "只显示各地填写的报送日期，并注明未经核对。",
        "This is a shallow clone: the history is cut off, so the declared submission dates are not checked.",
        "Check out with fetch-depth: 0 in CI, or run git fetch --unshallow; until then the site shows the "
        "declared dates only, marked as not checked.",
    ),
    "submitted-before-commit": warning(
        "报送日期 {value} 比这份月报的数字首次进入版本库的日期 {first_seen}（提交 {commit}）早 {days} 天，"
        "超过允许的 {tolerance} 天。",
        "报送日期应是数字实际报送的日期。填写有误时请改正；确实按时报送、只是入库较晚时，请办公室及时提交入库，"
        "并在 explanation 中说明。版本历史以首次写入数字的提交的作者日期为准。",
        "The declared submission date {value} is {days} days before the report's figures first reached the "
        "repository ({first_seen}, commit {commit}); at most {tolerance} days are accepted.",
        "Declare the date the figures were really sent; if they were sent on time and committed late, commit "
        "promptly and say so in the explanation. The history counts the author date of the first commit "
        "with the figures.",
    ),
    "submitted-after-commit": warning(
        "报送日期 {value} 晚于这份月报的数字首次进入版本库的日期 {first_seen}（提交 {commit}）。",
        "数字在报送日期之前已经提交入库：核对报送日期是否填写有误。",
        "The declared submission date {value} is later than the day the report's figures first reached the "
        "repository ({first_seen}, commit {commit}).",
        "The figures were committed before the declared date: check the date.",
    ),
    "target-missing": error(
        "{year} 年地区 “{region}” 的指标 “{value}” 没有年度目标。",
        "在 targets.csv 中为每个地区和指标各写一行年度目标。",
        "Region '{region}' has no {year} target for indicator '{value}'.",
        "Add one targets.csv row per region and indicator.",
    ),
    "target-not-applicable": error(
        "地区 “{region}” 的指标 “{indicator}” {detail_zh}。",
        "每行只填一项：该地区有这项任务时填写年度目标（target），不适用原因（not_applicable）留空；"
        "没有这项任务（如开发区没有村卫生室）时 target 留空，在 not_applicable 中写明原因。",
        "Region '{region}', indicator '{indicator}': the row {detail_en}.",
        "Give either the annual target, or, when the district has no such task, an empty target and the reason.",
    ),
    "target-zero": warning(
        "地区 “{region}” 的指标 “{indicator}” 越高越好，年度目标却是 0：这一格按不适用处理，不计分、不亮灯。",
        "该地区没有这项任务时，把 target 留空，在 not_applicable（不适用原因）中写明原因（如“辖区内无行政村”）；"
        "确有任务时填写实际的年度目标。",
        "Region '{region}': indicator '{indicator}' is higher-is-better but its target is 0; the cell is treated as "
        "not applicable (no score, no light).",
        "If the district has no such task, leave target empty and give the reason in not_applicable; else give the "
        "real target.",
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
