"""Typed models of the YAML documents: programme, organization, supervision rounds, bulletins.

Each model is a frozen dataclass; field metadata carries constraints and the Chinese label used
in findings. `validate.documents.read_document` fills a model from a YAML tree and reports every
missing, unknown or ill-typed field with its line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from site_builder.core.limits import MAX_ID_LENGTH

PROGRAMME = "programme.yaml"
ORGANIZATION = "organization.yaml"

ID_PATTERN = "[a-z][a-z0-9_]*"
MONTH_PATTERN = "[0-9]{4}-(0[1-9]|1[0-2])"


def spec(
    about: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    pattern: str | None = None,
    length: int | None = None,
) -> dict[str, Any]:
    """Field metadata: a short description (shown in hints) and optional constraints; `length` is a text's most
    characters (ids name pages and files: at most MAX_ID_LENGTH)."""
    if pattern == ID_PATTERN and length is None:
        length = MAX_ID_LENGTH
    return {"about": about, "minimum": minimum, "maximum": maximum, "pattern": pattern, "length": length}


# programme.yaml


@dataclass(frozen=True)
class Reporting:
    deadline_day: int = field(metadata=spec("每月报送截止日", minimum=1, maximum=31))
    deadline_month_offset: int = field(default=0, metadata=spec("0 为当月截止，1 为次月截止", minimum=0, maximum=1))


@dataclass(frozen=True)
class Ranking:
    cap: float = field(default=1.2, metadata=spec("单项进度比的上限", minimum=1, maximum=10))
    bottom_n: int = field(default=3, metadata=spec("通报末位的地区数", minimum=0, maximum=1000))
    missing_value: Literal["zero", "exclude"] = field(default="zero", metadata=spec("缺报数值的计分规则"))
    summon_after_red_months: int = field(default=2, metadata=spec("连续红灯几个月列席例会", minimum=1, maximum=12))
    commend_n: int = field(default=3, metadata=spec("年终表彰候选的地区数", minimum=0, maximum=1000))
    penalize_n: int = field(default=3, metadata=spec("年终惩戒候选的地区数", minimum=0, maximum=1000))


@dataclass(frozen=True)
class Uncertainty:
    draws: int = field(default=1000, metadata=spec("蒙特卡洛抽样次数", minimum=10, maximum=100000))
    seed: int = field(default=2011, metadata=spec("随机种子", minimum=0, maximum=2**31 - 1))
    weight_spread: float = field(default=0.25, metadata=spec("权重扰动幅度（±比例）", minimum=0, maximum=0.9))


@dataclass(frozen=True)
class Lights:
    yellow_band: float = field(default=0.1, metadata=spec("黄灯区间宽度（完成率差）", minimum=0, maximum=1))


@dataclass(frozen=True)
class BulletinDefaults:
    issuer: str = field(metadata=spec("通报的发文单位"))
    cc: list[str] = field(default_factory=list, metadata=spec("抄送单位"))
    marking: str = field(default="", metadata=spec("文件上的保密提示，如 内部资料 注意保存；默认不标"))


@dataclass(frozen=True)
class GeoMap:
    file: str = field(metadata=spec("地图文件，如 geo/regions.geojson", pattern="geo/[^/]+\\.geojson"))
    join_key: str = field(default="region_id", metadata=spec("要素属性中地区编码的字段名"))
    source: str = field(default="", metadata=spec("地图来源"))
    approval_number: str = field(default="", metadata=spec("审图号"))


@dataclass(frozen=True)
class Programme:
    name: str = field(metadata=spec("项目名称"))
    organization: str = field(metadata=spec("主管单位"))
    city: str = field(metadata=spec("城市名称"))
    region_term: str = field(metadata=spec("下辖地区的称谓，如 旗市区"))
    benchmark_term: str = field(metadata=spec("上级对比口径的称谓，如 全区"))
    year: int = field(metadata=spec("年度", minimum=2000, maximum=2100))
    reporting: Reporting = field(metadata=spec("报送规则"))
    bulletin: BulletinDefaults = field(metadata=spec("通报默认设置"))
    language: Literal["zh", "en"] = field(default="zh", metadata=spec("站点语言"))
    simulated: bool = field(default=False, metadata=spec("数据是否为模拟数据"))
    simulation_note: str = field(default="", metadata=spec("模拟数据说明"))
    source_document: str = field(default="", metadata=spec("依据文件"))
    ranking: Ranking = field(default_factory=Ranking, metadata=spec("排名方法设置"))
    lights: Lights = field(default_factory=Lights, metadata=spec("红黄绿灯阈值"))
    uncertainty: Uncertainty = field(default_factory=Uncertainty, metadata=spec("排名区间的抽样设置"))
    profiles: dict[str, list[float]] = field(default_factory=dict, metadata=spec("序时进度曲线"))
    map: GeoMap | None = field(default=None, metadata=spec("用户提供的地区边界（可选）"))


# organization.yaml


@dataclass(frozen=True)
class Member:
    person: str = field(metadata=spec("人员编码", pattern=ID_PATTERN))
    role: Literal["leader", "deputy", "member"] = field(metadata=spec("leader 组长、deputy 副组长、member 成员"))


@dataclass(frozen=True)
class LeadingGroup:
    name: str = field(metadata=spec("名称"))
    members: list[Member] = field(metadata=spec("组成人员，按文件顺序"))
    duties: str = field(default="", metadata=spec("工作职责"))


@dataclass(frozen=True)
class Office:
    name: str = field(metadata=spec("名称"))
    unit: str | None = field(default=None, metadata=spec("设在哪个单位", pattern=ID_PATTERN))
    director: str | None = field(default=None, metadata=spec("办公室主任的人员编码", pattern=ID_PATTERN))
    concurrent: bool = field(default=False, metadata=spec("主任是否兼任"))
    duties: str = field(default="", metadata=spec("工作职责"))


@dataclass(frozen=True)
class TaskGroup:
    id: str = field(metadata=spec("推进组编码", pattern=ID_PATTERN))
    name: str = field(metadata=spec("名称"))
    members: list[Member] = field(metadata=spec("组长、副组长"))
    units: list[str] = field(default_factory=list, metadata=spec("成员部门和单位的编码"))
    duties: str = field(default="", metadata=spec("工作职责"))


@dataclass(frozen=True)
class Organization:
    task_groups: list[TaskGroup] = field(default_factory=list, metadata=spec("专项工作推进组"))
    leading_group: LeadingGroup | None = field(default=None, metadata=spec("领导小组"))
    office: Office | None = field(default=None, metadata=spec("领导小组办公室"))
    accounts: Accounts | None = field(default=None, metadata=spec("谁可以修改哪些文件（bulletin codeowners）"))


# A GitHub or Gitea account, or an organization's team (org/team); written without the leading @
ACCOUNT_PATTERN = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38})(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,99})?"


@dataclass(frozen=True)
class Accounts:
    office: list[str] = field(
        default_factory=list,
        metadata=spec("办公室的代码托管平台账号：负责组织机构、方法和其他所有文件", pattern=ACCOUNT_PATTERN),
    )
    regions: dict[str, list[str]] = field(
        default_factory=dict,
        metadata=spec("各地区编辑的账号：地区编码 → 账号列表，负责本地区的月报", pattern=ACCOUNT_PATTERN),
    )


# supervision/<round>.yaml


@dataclass(frozen=True)
class ContentSection:
    title: str = field(metadata=spec("督导内容的标题"))
    items: list[str] = field(default_factory=list, metadata=spec("督导内容的条目"))


@dataclass(frozen=True)
class SamplingRule:
    kinds: list[str] = field(metadata=spec("机构类型"))
    min: int = field(metadata=spec("每个地区至少抽取的数量", minimum=0, maximum=100))
    max: int = field(metadata=spec("每个地区至多抽取的数量", minimum=0, maximum=100))


@dataclass(frozen=True)
class SupervisionGroup:
    id: str = field(metadata=spec("督导组编码", pattern=ID_PATTERN))
    leader: str = field(metadata=spec("组长的人员编码", pattern=ID_PATTERN))
    regions: list[str] = field(metadata=spec("责任地区的编码"))
    secretary: str | None = field(default=None, metadata=spec("秘书的人员编码", pattern=ID_PATTERN))
    report_submitted_on: dt.date | None = field(default=None, metadata=spec("督导报告报送日期"))
    findings: list[str] = field(default_factory=list, metadata=spec("督导发现的问题和建议"))


@dataclass(frozen=True)
class DrawnFacilities:
    region: str = field(metadata=spec("地区编码", pattern=ID_PATTERN))
    facilities: list[str] = field(metadata=spec("抽中的机构编码"))


@dataclass(frozen=True)
class Draw:
    seed: int = field(metadata=spec("随机种子", minimum=0, maximum=2**63 - 1))
    method: str = field(metadata=spec("抽样方法的名称和版本"))
    drawn_on: dt.date = field(metadata=spec("抽样日期"))
    result: list[DrawnFacilities] = field(metadata=spec("每个地区抽中的机构"))


@dataclass(frozen=True)
class SupervisionRound:
    id: str = field(metadata=spec("轮次编码，与文件名相同"))
    name: str = field(metadata=spec("名称"))
    start: dt.date = field(metadata=spec("开始日期"))
    end: dt.date = field(metadata=spec("结束日期"))
    groups: list[SupervisionGroup] = field(metadata=spec("督导分组"))
    document: str = field(default="", metadata=spec("依据文件"))
    report_due: dt.date | None = field(default=None, metadata=spec("报告截止日期"))
    report_to: list[str] = field(default_factory=list, metadata=spec("报告报送单位的编码"))
    methods: list[str] = field(default_factory=list, metadata=spec("督导形式"))
    content: list[ContentSection] = field(default_factory=list, metadata=spec("督导内容"))
    forms: list[str] = field(default_factory=list, metadata=spec("调查表"))
    sampling: list[SamplingRule] = field(default_factory=list, metadata=spec("随机抽查规则"))
    draw: Draw | None = field(default=None, metadata=spec("已记录的随机抽样（由 bulletin sample 写入）"))


# meetings/<YYYY-MM>.yaml


@dataclass(frozen=True)
class Meeting:
    month: str = field(metadata=spec("月份，如 2011-07", pattern=MONTH_PATTERN))
    title: str = field(metadata=spec("会议名称"))
    status: Literal["planned", "held"] = field(default="planned", metadata=spec("planned 计划，held 已召开"))
    held_on: dt.date | None = field(default=None, metadata=spec("召开日期"))
    chair: str | None = field(default=None, metadata=spec("主持人的人员编码", pattern=ID_PATTERN))
    summoned: list[str] = field(default_factory=list, metadata=spec("列席说明情况的地区编码"))
    decisions: list[str] = field(default_factory=list, metadata=spec("会议决定事项"))


# accountability/<year>.yaml


@dataclass(frozen=True)
class RegionDecision:
    region: str = field(metadata=spec("地区编码", pattern=ID_PATTERN))
    reason: str = field(default="", metadata=spec("理由"))


@dataclass(frozen=True)
class Accountability:
    year: int = field(metadata=spec("年度", minimum=2000, maximum=2100))
    decided_on: dt.date | None = field(default=None, metadata=spec("决定日期"))
    document: str = field(default="", metadata=spec("决定文件"))
    commended: list[RegionDecision] = field(default_factory=list, metadata=spec("表彰的地区"))
    penalized: list[RegionDecision] = field(default_factory=list, metadata=spec("惩戒的地区"))


# bulletins/<YYYY-MM>.yaml

SHA256_PATTERN = "[0-9a-f]{64}"


@dataclass(frozen=True)
class Method:
    """The settings a bulletin's figures were computed with (copied from programme.yaml when sealed)."""

    year: int = field(metadata=spec("年度", minimum=2000, maximum=2100))
    reporting: Reporting = field(metadata=spec("报送规则"))
    ranking: Ranking = field(metadata=spec("排名方法设置"))
    lights: Lights = field(metadata=spec("红黄绿灯阈值"))
    uncertainty: Uncertainty = field(metadata=spec("排名区间的抽样设置"))
    profiles: dict[str, list[float]] = field(default_factory=dict, metadata=spec("序时进度曲线"))

    @classmethod
    def of(cls, programme: Programme) -> Method:
        return cls(
            programme.year,
            programme.reporting,
            programme.ranking,
            programme.lights,
            programme.uncertainty,
            dict(programme.profiles),
        )


@dataclass(frozen=True)
class SealedFile:
    path: str = field(metadata=spec("数据文件的路径"))
    sha256: str = field(metadata=spec("SHA-256 摘要（由 bulletin publish 计算）", pattern=SHA256_PATTERN))
    rows_through: str | None = field(
        default=None, metadata=spec("摘要只含截至该月（及该年度）的行时，写明月份", pattern=MONTH_PATTERN)
    )


@dataclass(frozen=True)
class Manifest:
    """What a published bulletin was computed from; written by `bulletin publish`, never edited."""

    sealed_on: dt.date = field(metadata=spec("封存日期"))
    generator: str = field(metadata=spec("生成程序及版本"))
    method: Method = field(metadata=spec("计算方法设置"))
    files: str = field(metadata=spec("整个文件都封存的数据文件：每行“摘要  路径”，即 sha256sum 的输出格式"))
    partial: list[SealedFile] = field(
        default_factory=list, metadata=spec("只封存截至该月的行的数据文件（如 benchmarks.csv）及其摘要")
    )

    def entries(self) -> list[SealedFile]:
        """Every sealed file: the whole ones (lines of `files` that are well formed), then the partial ones."""
        return read_sums(self.files)[0] + list(self.partial)


SUM_LINE = re.compile(r"([0-9a-f]{64})  (\S.*)")


def read_sums(text: str) -> tuple[list[SealedFile], list[tuple[int, str]]]:
    """A sha256sum listing's files, and the (index, text) of each line that is neither empty nor well formed."""
    files: list[SealedFile] = []
    bad: list[tuple[int, str]] = []
    for index, line in enumerate(text.split("\n")):
        if match := SUM_LINE.fullmatch(line):
            files.append(SealedFile(match[2], match[1]))
        elif line.strip():
            bad.append((index, line))
    return files, bad


def sum_text(files: Iterable[SealedFile]) -> str:
    """Whole files as a sha256sum listing: `sha256sum -c` checks it in the data folder."""
    return "".join(f"{entry.sha256}  {entry.path}\n" for entry in files)


@dataclass(frozen=True)
class ChangedFile:
    """One data file an erratum changed: its new digest, and the digest of the sealed copy it replaced."""

    path: str = field(metadata=spec("数据文件的路径"))
    sha256: str | None = field(default=None, metadata=spec("更正后的摘要；文件被删除时为空", pattern=SHA256_PATTERN))
    previous: str | None = field(default=None, metadata=spec("更正前的摘要；新增文件时为空", pattern=SHA256_PATTERN))
    rows_through: str | None = field(default=None, metadata=spec("摘要只含截至该月的行时的月份", pattern=MONTH_PATTERN))


@dataclass(frozen=True)
class Erratum:
    date: dt.date = field(metadata=spec("更正日期"))
    description: str = field(metadata=spec("更正内容"))
    reason: str = field(metadata=spec("更正原因"))
    approved_by: str = field(metadata=spec("批准人"))
    sealed_on: dt.date | None = field(default=None, metadata=spec("重新封存日期（由 bulletin publish --erratum 写入）"))
    files: list[ChangedFile] = field(
        default_factory=list, metadata=spec("更正改动的数据文件（由 bulletin publish --erratum 写入）")
    )


@dataclass(frozen=True)
class Bulletin:
    month: str = field(metadata=spec("月份，如 2011-05", pattern=MONTH_PATTERN))
    title: str = field(metadata=spec("标题"))
    status: Literal["draft", "published"] = field(default="draft", metadata=spec("draft 草稿，published 已发布"))
    number: int | None = field(default=None, metadata=spec("期号（第N期）", minimum=1, maximum=999))
    issued_on: dt.date | None = field(default=None, metadata=spec("印发日期"))
    cutoff: dt.date | None = field(default=None, metadata=spec("数据截止日期"))
    text: str = field(default="", metadata=spec("正文（Markdown）"))
    cc: list[str] = field(default_factory=list, metadata=spec("抄送"))
    errata: list[Erratum] = field(default_factory=list, metadata=spec("更正记录"))
    issued_anyway: str = field(
        default="", metadata=spec("有地区未报或迟报时仍然印发的原因（由 bulletin publish --anyway 写入）")
    )
    manifest: Manifest | None = field(default=None, metadata=spec("封存清单（由 bulletin publish 写入）"))

    @property
    def published(self) -> bool:
        return self.status == "published"

    @property
    def corrected(self) -> list[Erratum]:
        """The errata already sealed, in order."""
        return [e for e in self.errata if e.sealed_on is not None]


def default_title(programme: Programme, month: str, number: int | None) -> str:
    """The title of a bulletin with no title of its own; a draft (no number yet) names its month."""
    issue = f"{month[:4]}年第{number}期" if number is not None else f"{month[:4]}年{int(month[5:7])}月，草稿"
    return f"{programme.city}{programme.name}工作进展情况通报（{issue}）"


def next_number(bulletins: Iterable[Bulletin], year: str) -> int:
    """One more than the highest number published in the year (numbers count issues, not months)."""
    taken = [b.number for b in bulletins if b.published and b.number is not None and b.month[:4] == year]
    return max(taken, default=0) + 1
