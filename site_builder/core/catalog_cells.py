"""Finding codes about the cells of the CSV tables: types, forms, ranges, keys, and references to other tables.

Part of the catalog (`site_builder.core.catalog` joins the parts in this order); templates are prose.
"""

from __future__ import annotations

from site_builder.core.catalog_entry import Entry, error

CELLS: dict[str, Entry] = {
    # Cells
    "cell-required": error(
        "“{title}”（{field}）不能为空。",
        "填写该单元格。",
        "'{title}' ({field}) must not be empty.",
        "Fill in the cell.",
    ),
    "cell-type": error(
        "“{title}”（{field}）应为{type_zh}，而这里是 “{value}”。",
        "只填写{type_zh}，不要带单位或文字。",
        "'{title}' ({field}) must be {type_en}, not '{value}'.",
        "Write only {type_en}, without a unit or words.",
    ),
    "cell-percent": error(
        "“{title}”（{field}）中的 “{value}” 带有百分号。",
        "去掉百分号，写成 {suggestion}；率类指标请填写分子和分母，由系统计算百分比。",
        "'{title}' ({field}) has a percent sign in '{value}'.",
        "Write {suggestion} without the percent sign; for rates give numerator and denominator.",
    ),
    "cell-thousands": error(
        "“{title}”（{field}）中的 “{value}” 带有千位分隔符。",
        "写成 {suggestion}。在 Excel 中把单元格格式设为“常规”或不带千位分隔符的“数值”后再保存。",
        "'{title}' ({field}) has thousands separators in '{value}'.",
        "Write {suggestion}; set the cell format to General in Excel before saving.",
    ),
    "cell-fullwidth": error(
        "“{title}”（{field}）中的 “{value}” 含有全角字符。",
        "切换到半角输入后重新输入，写成 {suggestion}。",
        "'{title}' ({field}) has full-width characters in '{value}'.",
        "Retype it with half-width characters: {suggestion}.",
    ),
    "cell-whitespace": error(
        "“{title}”（{field}）的值 “{value}” 首尾有空格或含全角空格。",
        "删除多余的空格（包括全角空格“　”）。编码类的值有空格时会导致关联不上。",
        "'{title}' ({field}) has leading/trailing or full-width spaces in '{value}'.",
        "Delete the extra spaces, including full-width ones; ids with spaces do not match.",
    ),
    "text-invisible": error(
        "{where_zh}的 “{value}” 含有看不见的字符或控制字符：{characters}。",
        "删除这些字符后重新输入（常见于从网页、聊天软件或 Word 复制粘贴）。它们看不见，却会让两个看起来相同的名称对不上，"
        "或让文字在屏幕上显示成另一个样子。说明等自由文字中可以换行和使用 Tab，编码和名称中不可以。",
        "{where_en} holds invisible or control characters in '{value}': {characters}.",
        "Delete them and retype the text (they often come with text copied from web pages, chat apps or Word). "
        "Line breaks and tabs are allowed in free text such as explanations, not in codes or names.",
    ),
    "cell-formula": error(
        "“{title}”（{field}）的 “{value}” 以{start_zh}开头，用 Excel 等电子表格打开时会被当作公式。",
        "改写开头：以汉字开头（如把“-3户为外迁”写成“减少3户，为外迁”），或把开头的符号换成全角的“＝”“＋”“－”“＠”。"
        "报表原件会原样发布，供读者用 sha256sum 与封存清单核对，所以本工具不会替你改动文字。",
        "'{title}' ({field}): '{value}' starts with {start_en}; a spreadsheet would take it for a formula.",
        "Reword the start: begin with a Chinese word, or use the full-width signs ＝ ＋ － ＠. The report files are "
        "published as written (readers check them against the seal with sha256sum), so the tool never changes the text.",
    ),
    "date-format": error(
        "“{title}”（{field}）的日期 “{value}” 不是“年-月-日”格式。",
        "写成 {suggestion}。在 Excel 中把日期列的格式设为“yyyy-mm-dd”后再保存。",
        "'{title}' ({field}) has the date '{value}' not in YYYY-MM-DD form.",
        "Write {suggestion}; format the column as yyyy-mm-dd in Excel.",
    ),
    "date-invalid": error(
        "“{title}”（{field}）的 “{value}” 不是有效的日期。",
        "按“年-月-日”填写真实存在的日期，如 2011-05-01。",
        "'{title}' ({field}): '{value}' is not a valid date.",
        "Write a real date as YYYY-MM-DD, e.g. 2011-05-01.",
    ),
    "cell-enum": error(
        "“{title}”（{field}）的 “{value}” 不是允许的取值。",
        "只能填写以下之一：{expected}。",
        "'{title}' ({field}): '{value}' is not an allowed value.",
        "Use one of: {expected}.",
    ),
    "cell-pattern": error(
        "“{title}”（{field}）的 “{value}” 格式不对。",
        "按该列的格式填写（正则表达式 {expected}，见“数据规范”中该列的说明）。",
        "'{title}' ({field}): '{value}' does not have the required form.",
        "Write it in the column's form (regular expression {expected}; see the data contract).",
    ),
    "cell-too-long": error(
        "“{title}”（{field}）的值有 {length} 个字符，超过上限 {limit} 个。",
        "改用不超过 {limit} 个字符的值。编码会用作网页和下载文件的文件名，太长的文件名无法保存；请用简短的拼音或英文缩写。",
        "'{title}' ({field}) is {length} characters long, over the limit of {limit}.",
        "Use at most {limit} characters. Ids name the site's pages and files, and overlong file names cannot be saved.",
    ),
    "cell-range": error(
        "“{title}”（{field}）的 {value} 超出允许范围（{expected}）。",
        "核对数值和单位是否填错。",
        "'{title}' ({field}): {value} is out of range ({expected}).",
        "Check the value and its unit.",
    ),
    "cell-unique": error(
        "“{title}”（{field}）的 “{value}” 与 {first} 重复。",
        "该列每行的值都必须不同。",
        "'{title}' ({field}): '{value}' repeats {first}.",
        "Every row needs a different value in this column.",
    ),
    "primary-key-duplicate": error(
        "{expected} 为 “{value}” 的行已在 {first} 出现过。",
        "同一组合只能有一行：合并两行，或改正其中一行的编码。",
        "A row with {expected} '{value}' already appears at {first}.",
        "Keep one row per key: merge the rows or correct one of them.",
    ),
    "row-duplicate": error(
        "这一行与 {first} 完全相同。",
        "删除重复的行。",
        "This row is identical to {first}.",
        "Delete the duplicate row.",
    ),
    # References across files
    "unknown-region": error(
        "地区编码 “{value}” 不存在。",
        "使用 regions.csv 中的编码（如 {example}），或先在 regions.csv 中添加该地区。",
        "The region id '{value}' does not exist.",
        "Use an id from regions.csv (e.g. {example}) or add the region there first.",
    ),
    "unknown-person": error(
        "人员编码 “{value}” 不存在。",
        "使用 people.csv 中的编码（如 {example}），或先在 people.csv 中添加该人员。",
        "The person id '{value}' does not exist.",
        "Use an id from people.csv (e.g. {example}) or add the person there first.",
    ),
    "unknown-indicator": error(
        "指标编码 “{value}” 不存在。",
        "使用 indicators.csv 中的编码（如 {example}），或先在 indicators.csv 中添加该指标。",
        "The indicator id '{value}' does not exist.",
        "Use an id from indicators.csv (e.g. {example}) or add the indicator there first.",
    ),
    "unknown-unit": error(
        "单位编码 “{value}” 不存在。",
        "使用 units.csv 中的编码（如 {example}），或先在 units.csv 中添加该单位。",
        "The unit id '{value}' does not exist.",
        "Use an id from units.csv (e.g. {example}) or add the unit there first.",
    ),
    "unknown-group": error(
        "推进组编码 “{value}” 不存在。",
        "使用 organization.yaml 中 task_groups 的 id（如 {example}），或留空。",
        "The task group id '{value}' does not exist.",
        "Use a task group id from organization.yaml (e.g. {example}) or leave it empty.",
    ),
    "unknown-profile": error(
        "序时进度曲线 “{value}” 未定义。",
        "填写 linear（按月平均），或 programme.yaml 中 profiles 下定义的名称：{expected}。",
        "The progress profile '{value}' is not defined.",
        "Use linear, or a name defined under profiles in programme.yaml: {expected}.",
    ),
    "weights-zero": error(
        "所有指标的分值都是 0，无法计算综合得分。",
        "在 indicators.csv 的 weight 列为参与排名的指标填写分值（一般合计 100）。",
        "Every indicator's weight is 0, so no composite score can be computed.",
        "Give the ranked indicators weights in the weight column of indicators.csv (usually summing to 100).",
    ),
    "indicator-city-rule": error(
        "指标 “{indicator}” 是{kind_zh}，它的城市汇总方法（city）{detail_zh}。",
        "city 留空时，数量和节点指标为 sum（各地相加），率类指标为 pooled（分子、分母分别相加后相除）；"
        "水平类指标（level）不能相加，必须写明 pooled、weighted、median 或 none。"
        "pooled 要在 numerator 和 denominator 列写明分子、分母的定义，weighted 要在 denominator 列写明权重的定义。",
        "Indicator '{indicator}' is a {kind_en}; its city rule (city) {detail_en}.",
        "Blank means sum for counts and milestones and pooled for rates; a level must declare pooled, weighted, "
        "median or none. A pooled level defines numerator and denominator, a weighted one its denominator (the weight).",
    ),
}
