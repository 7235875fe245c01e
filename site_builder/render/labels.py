"""Every label the site shows that does not come from the data, in one table, and the wording of
numbers, dates and months that every page family shares.

Templates call `t("key")`. The site is Chinese; a language is a column here, not code elsewhere.
"""

from __future__ import annotations

import datetime as dt

from site_builder.core.documents import Reporting

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "home": "首页",
        "organization": "组织机构",
        "leading_group": "领导小组",
        "office": "领导小组办公室",
        "task_groups": "专项工作推进组",
        "people": "人员",
        "regions": "地区",
        "indicators": "指标",
        "bulletins": "月度通报",
        "archive": "通报目录",
        "rankings": "排名变化",
        "methodology": "方法说明",
        "downloads": "数据下载",
        "guide": "使用说明",
        "leader": "组长",
        "deputy": "副组长",
        "member": "成员",
        "director": "主任",
        "concurrent": "（兼）",
        "duties": "工作职责",
        "member_units": "成员部门和单位",
        "liaison": "联系点",
        "contract": "包保",
        "supervision": "督导",
        "title": "职务",
        "unit": "单位",
        "rank": "名次",
        "score": "综合得分",
        "rank_change": "名次变化",
        "rank_interval": "排名区间",
        "light": "灯",
        "red_streak": "连续红灯",
        "compliance": "报送",
        "on_time": "按时",
        "late": "迟报",
        "missing": "未报",
        "green": "绿灯",
        "yellow": "黄灯",
        "red": "红灯",
        "grey": "未报数值",
        "actual": "累计完成",
        "target": "年度目标",
        "completion": "完成率",
        "expected": "序时进度",
        "gap": "差距",
        "ratio": "进度比",
        "increment": "本月增量",
        "explanation": "说明",
        "city": "全市",
        "month": "月份",
        "submitted_on": "报送日期",
        "due": "截止日期",
        "days_late": "迟报天数",
        "data_table": "数据表",
        "simulated": "模拟数据",
        "bottom": "末位",
        "summoned": "建议列席例会",
        "not_robust": "排名区间跨越末位线",
        "weight": "分值",
        "kind_rate": "率",
        "kind_count": "数量",
        "kind_milestone": "节点",
        "numerator": "分子",
        "denominator": "分母",
        "definition": "指标定义",
        "lead_unit": "牵头单位",
        "owner_group": "责任推进组",
        "profile": "序时进度曲线",
        "league": "各地区排名",
        "trend": "趋势",
        "funnel": "漏斗图",
        "reported": "已报地区",
        "benchmark": "对比",
        "cc": "抄送",
        "issue": "期",
        "cutoff": "数据截止",
        "issued_on": "印发日期",
        "draft": "草稿",
        "published": "已发布",
        "commend": "表彰候选",
        "penalize": "惩戒候选",
        "reporting_calendar": "报送日历",
        "leader_pages": "领导专页",
        "forecast": "年末预警",
        "reporting_status": "报送情况",
        "latest": "最新通报",
        "changes": "最近变化",
        "source": "依据",
        "start": "开始",
        "end": "结束",
        "none": "无",
        "description": "指标说明",
        "kind": "类型",
        "measure_unit": "计量单位",
        "direction": "方向",
        "direction_higher": "越高越好",
        "direction_lower": "越低越好",
        "profile_linear": "按月平均（每月递增全年目标的 1/12）",
        "district": "地区",
        "indicator": "指标",
        "league_rank": "完成率名次",
        "funnel_flag": "漏斗图位置",
        "limit3": "3倍标准差控制限（约99.8%）",
        "limit2": "2倍标准差控制限（约95%）",
        "above3": "高于3倍标准差控制限",
        "above2": "高于2倍标准差控制限",
        "within": "控制限内",
        "below2": "低于2倍标准差控制限",
        "below3": "低于3倍标准差控制限",
        "no_data": "暂无月报数据。",
        "no_explanation": "未作书面说明",
        "compare_with": "与{term}比",
        "benchmark_rate": "{term}的率，与全市累计完成（率）比较",
        "benchmark_share": "{term}完成年度任务的百分比，与全市完成率比较",
        "higher_by": "高 {points} 个百分点",
        "lower_by": "低 {points} 个百分点",
        "level": "持平",
        "reported_of": "{n} 个{term}中已报 {k} 个",
        "methodology_link": "计算方法见方法说明",
        "draft_note": "本期尚未印发，数字可能随月报更正而变化",
        "simulated_note": "本页数字为模拟数据，仅用于演示。",
        "indicator_lights": "各指标",
        "remarks": "备注",
        "missing_values": "缺报数值{n}项",
        "errata": "更正记录",
        "erratum_date": "更正日期",
        "erratum_description": "更正内容",
        "erratum_reason": "更正原因",
        "erratum_approved_by": "批准人",
        "erratum_sealed_on": "封存日期",
        "errata_note": (
            "本期正文各表为印发时的数字，由封存的数据重新计算；下列更正载明每一处改动及其对名次的影响。"
            "各地区、各指标页面使用更正后的数字。"
        ),
        "erratum_figures": "数字更正",
        "erratum_ranks": "对名次的影响",
        "erratum_no_effect": "本条更正未改变本期通报中的数字。",
        "erratum_files": "改动的数据文件",
        "old_value": "原数",
        "new_value": "更正后",
        "item": "项目",
        "corrected": "已更正",
        "provenance": "数据来源",
        "provenance_note": (
            "本期各表的数字来自下列月报文件；点击表中的完成率可跳到该地区的来源，悬停可见文件行号和报送日期。"
        ),
        "report_file": "月报文件",
        "corrected_on": "更正日期",
        "manifest": "封存清单",
        "manifest_note": "本期通报发布时封存了所依据的数据文件及其 SHA-256 摘要和计算方法设置，可下载核对：",
        "sealed_files": "封存文件{n}个",
        "yes": "是",
        "no": "否",
        "field_actual": "完成数",
        "field_completion": "完成率",
        "field_light": "灯",
        "field_rank": "名次",
        "field_rank_change": "名次变化",
        "field_score": "综合得分",
        "field_bottom": "末位",
        "field_summoned": "列席说明",
        "whole_city": "全市",
        "issue_number": "期号",
        "title_text": "标题",
        "status": "状态",
        "year_end": "年终排名",
        "year_to_date": "年度至今排名",
        "year_rank": "年度名次",
        "year_score": "年度得分",
        "months_counted": "计入月数",
        "candidate": "候选",
        "file": "文件",
        "content": "内容",
        "format": "格式",
        "columns": "各列",
        "liaison_page": "联系与包保",
        "schematic": "示意图（非实际地理位置）",
        "tile_legend": "颜色对应的责任领导",
        "unplaced": "未标注示意图位置",
        "no_leader": "未明确责任领导",
        "geo_map": "地区灯分布图",
        "map_source": "地图来源",
        "approval_number": "审图号",
        "not_given": "未注明",
        "secretary": "秘书",
        "supervision_rounds": "督导检查",
        "round": "督导轮次",
        "document": "依据文件",
        "period": "督导时间",
        "report_due": "报告截止日期",
        "report_to": "报告报送",
        "methods": "督导形式",
        "checklist": "督导内容",
        "forms": "调查表",
        "sampling": "随机抽查",
        "groups": "督导分组",
        "group": "组别",
        "responsible_regions": "责任{term}",
        "draw": "抽样结果",
        "seed": "随机种子",
        "draw_method": "抽样方法",
        "drawn_on": "抽样日期",
        "not_drawn": "尚未抽样",
        "drawn": "已抽样",
        "rerun": "如何复核抽样",
        "reports": "督导报告",
        "report_submitted_on": "报告报送日期",
        "not_submitted": "未报送",
        "findings": "督导发现的问题和建议",
        "facility": "机构",
        "no_rounds": "暂无督导安排。",
        "meetings": "领导小组例会",
        "accountability": "年终奖惩",
        "proposed_summons": "按规则建议列席",
        "recorded_summons": "实际列席",
        "summons_differ": "实际列席与规则建议不一致",
        "summons_match": "与规则建议一致",
        "proposed_not_summoned": "建议列席但未列席",
        "summoned_not_proposed": "列席但不在建议之列",
        "meeting": "例会",
        "meeting_status": "会议状态",
        "planned": "计划召开",
        "held": "已召开",
        "held_on": "召开日期",
        "chair": "主持人",
        "decisions": "决定事项",
        "no_meeting": "未记录例会",
        "not_decided": "尚未确定",
        "commended": "表彰",
        "penalized": "惩戒",
        "reason": "理由",
        "decided_on": "决定日期",
        "decision_document": "决定文件",
        "no_decision": "尚未记录本年度的奖惩决定。",
        "candidate_yes": "是",
        "candidate_no": "否",
        "mean_score": "月均综合得分",
        "kind_level": "水平值",
        "level_value": "本期值",
        "na": "不计",
        "status_reported": "已报",
        "status_carried": "沿用",
        "status_missing": "未报",
        "status_not_due": "未到报送期",
        "status_not_applicable": "不适用",
        "not_due": "未到报送期",
        "not_applicable": "不适用",
        "carried": "沿用{month}月",
        "carried_note": "本月不是报送月，沿用{month}月数据",
        "carried_explained": "标有“沿用X月”的数字：该指标本月不需报送，沿用最近一个报送月的数据，按本月序时进度评灯。",
        "neutral_explained": (
            "“不适用”为该地区没有此项任务，“未到报送期”为该指标年内第一个报送月之前；两者都不计入得分、灯和报送情况。"
        ),
        "attainment": "达标程度",
        "attainment_note": "越低越好的指标以年度目标为上限：达标程度 1 为恰好达到上限，高于 1 为低于上限",
        "city_none": "不汇总",
        "city_none_explained": "“不汇总”的指标（如各地区的增长率）不计算全市数字。",
    }
}


# The `kind` of regions.csv, units.csv and facilities.csv is an open list: a city writes one of these
# codes (shown by its name here) or the name itself (自治县, 经济开发区, 卫生院分院 …), shown as written.
KIND_NAMES: dict[str, str] = {
    "district": "区",
    "county_city": "县级市",
    "county": "县",
    "banner": "旗",
    "autonomous_banner": "自治旗",
    "zone": "功能区",
    "bureau": "局",
    "department": "科室",
    "office": "办公室",
    "institution": "直属单位",
    "external": "外部单位",
    "township_hospital": "乡镇卫生院",
    "community_health_centre": "社区卫生服务机构",
    "village_clinic": "村卫生室",
}


# The progress profiles a city is likely to define (programme.yaml's `profiles`), by name, in words a reader
# understands; a profile the city names otherwise is shown by its name.
PROFILE_NAMES = {
    "linear": "按月平均",
    "flat": "全年同一目标",
    "front_loaded": "前期集中",
    "year_end": "年底集中",
    "carry_over": "含上年存量",
    "construction_season": "施工季集中",
}


def profile_label(name: str) -> str:
    """A progress profile in words: flat → 全年同一目标, linear → 按月平均; any other name as written."""
    return PROFILE_NAMES.get(name, name)


def kind_name(kind: str) -> str:
    """The name of a region, unit or facility kind: a known code's name, any other value as written."""
    return KIND_NAMES.get(kind, kind)


def label(key: str, lang: str = "zh") -> str:
    return LABELS[lang][key]


def t(key: str) -> str:
    """A label in the site's language; the name templates and page renderers call it by."""
    return label(key)


DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五: the numbering of official document sections."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")


def date_text(day: dt.date | None) -> str:
    """A date as written in a document: 2011年5月3日; '' when unknown."""
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


def month_label(month: str | None) -> str:
    """'2011-05' → '2011年5月'."""
    if not month:
        return "—"
    return f"{month[:4]}年{int(month[5:7])}月"


def deadline_text(reporting: Reporting) -> str:
    """When a month's report is due, as `programme.yaml`'s `reporting` says: 每月 30 日前报送当月累计进度,
    or 每月 5 日前报送上月累计进度 when the deadline falls in the following month."""
    month = "上月" if reporting.deadline_month_offset else "当月"
    return f"每月 {reporting.deadline_day} 日前报送{month}累计进度"


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """'2011-07-25—2011-07-31', '2011-07-25起', or '' when neither date is known."""
    if start and end:
        return f"{start.isoformat()}—{end.isoformat()}"
    if start:
        return f"{start.isoformat()}起"
    if end:
        return f"至{end.isoformat()}"
    return ""
