"""Regenerate the simulated monthly data of the two example programmes.

For each example folder this writes `targets.csv`, `benchmarks.csv` and
`reports/YYYY-MM/<region_id>.csv` for January to September, and lists the reports in the
folder's `datapackage.yaml`. Regions, indicators and the programme (year, deadline, profiles)
are read from the folder; region sizes and paces and the few deliberate irregularities (late
files, a missing value, two corrections) are set below. Then it replays the year's publications
(`scripts/issue_history.py`): every month's bulletin published with `bulletin publish`, and, where an
example has one, a published figure corrected by a sealed erratum; that writes `bulletins/`. The run
is seeded and reads no clock, so it writes the same bytes every time.

    python scripts/simulate.py          # rewrite the files that differ
    python scripts/simulate.py --check  # exit 1 if any file would change
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from issue_history import Correction, publication_history  # noqa: E402

from site_builder.files.descriptor import set_report_paths  # noqa: E402
from site_builder.files.durable import write_atomic  # noqa: E402

MONTHS = range(1, 10)
# fmt: off
REPORT_HEADER = [
    "month", "region_id", "indicator_id", "value", "numerator", "denominator",
    "submitted_on", "corrected_on", "explanation",
]
# fmt: on


@dataclass(frozen=True)
class Spec:
    """How an indicator's annual target (a rate: its denominator) is sized for a region."""

    base: str  # "pop" or "rural" (population in 10,000s), or "one" for milestone stages
    per: float  # target, or rate denominator, per unit of the base
    add: float = 0  # constant added to the size
    rate: float = 0  # a rate's target, in percent
    growing: bool = False  # a rate's denominator accumulates through the year (money)
    digits: int = 0  # decimals kept in values


@dataclass(frozen=True)
class Event:
    month: int
    region: str
    indicator: str
    text: str


@dataclass(frozen=True)
class Example:
    folder: str
    seed: int
    # region id -> (population, rural population, both in 10,000s; pace: < 1 behind, > 1 ahead)
    regions: dict[str, tuple[float, float, float]]
    specs: dict[str, Spec]
    late: dict[tuple[int, str], int]  # (month, region) -> days submitted after the due date
    missing: Event  # a row left empty, with the reason
    drop: Event  # a correction lowering a cumulative count; text takes {n} and {prev}
    amended: Event  # a row corrected after it was submitted
    correction: Correction | None = None  # a published figure corrected by an erratum
    issue_day: int = 8  # each month's bulletin is issued on this day of the following month


# fmt: off
EXAMPLES = [
    Example(
        folder="data", seed=20100701,
        regions={
            "hailaer": (34.0, 4.5, 1.08), "manzhouli": (24.0, 1.2, 1.12), "zhalantun": (42.0, 23.0, 0.97),
            "yakeshi": (38.0, 6.0, 1.02), "genhe": (15.0, 1.5, 0.93), "eerguna": (8.3, 3.0, 1.05),
            "arong": (32.0, 25.0, 1.0), "molidawa": (33.0, 27.0, 0.86), "elunchun": (28.0, 14.0, 0.82),
            "ewenke": (15.0, 5.0, 1.04), "chenbaerhu": (5.8, 2.6, 0.95), "xinbaerhu_zuo": (4.2, 2.4, 0.9),
            "xinbaerhu_you": (3.6, 2.2, 0.8),
        },
        specs={
            "ncms_enrolment": Spec("rural", 10000, rate=95), "ncms_funds": Spec("rural", 218.5),
            "ncms_payment_reform": Spec("one", 5), "major_disease_pilot": Spec("rural", 0.3, add=1),
            "health_records": Spec("pop", 10000, rate=60), "two_cancers_screening": Spec("rural", 80, add=100),
            "sanitary_toilets": Spec("rural", 30, add=20), "delivery_subsidy": Spec("rural", 90, add=10),
            "hepb_catchup": Spec("pop", 25, add=20), "essential_drug_coverage": Spec("pop", 0.5, add=6, rate=100),
            "online_procurement": Spec("pop", 12, rate=95, growing=True, digits=2),
            "primary_workforce_training": Spec("pop", 6, add=20), "public_hospital_reform": Spec("one", 6),
        },
        late={(3, "xinbaerhu_you"): 3, (7, "elunchun"): 5},
        missing=Event(5, "genhe", "health_records",
                      "居民健康档案管理信息系统升级迁移，本月建档数据暂无法导出，待系统恢复并审核后补报"),
        drop=Event(6, "zhalantun", "two_cancers_screening",
                   "更正：经与妇幼保健机构逐人核对，{prev}月重复录入“两癌”检查对象{n}人，已剔除，累计数相应调减"),
        amended=Event(4, "arong", "primary_workforce_training",
                      "更正：补录3月漏报的乡村医生岗位培训考核合格人员，累计数已按实际更正"),
        correction=Correction(
            8, "zhalantun", "sanitary_toilets", 0.5, date(2011, 10, 12),
            "扎兰屯市8月农村无害化卫生厕所建设数累计由{old}座更正为{new}座",
            "市爱卫办复核时发现两个乡镇8月建成的卫生厕所未报，经扎兰屯市卫生局书面申请更正",
            "领导小组办公室（孙泽成）",
        ),
    ),
    Example(
        folder="examples/zaozhuang", seed=20110725,
        regions={
            "shizhong": (57.0, 18.0, 1.05), "xuecheng": (45.0, 20.0, 1.0), "yicheng": (40.0, 28.0, 0.92),
            "taierzhuang": (30.0, 22.0, 0.85), "shanting": (50.0, 40.0, 0.8), "tengzhou": (165.0, 110.0, 1.08),
            "gaoxin": (9.0, 4.0, 1.1),
        },
        specs={
            "post_setting": Spec("pop", 0.3, add=4, rate=100), "competitive_hiring": Spec("pop", 12, rate=100),
            "performance_assessment": Spec("one", 4),
            "online_procurement": Spec("pop", 15, rate=95, growing=True, digits=2),
            "compensation_funds": Spec("pop", 20, digits=2),
            "ncms_matching_funds": Spec("rural", 30, rate=100, digits=2),
            "village_essential_drugs": Spec("rural", 4, add=10, rate=100),
            "health_foundation_projects": Spec("rural", 0.25, add=2),
            "health_records": Spec("pop", 10000, rate=65), "public_hospital_pilot": Spec("one", 5),
        },
        late={(2, "shanting"): 2, (8, "taierzhuang"): 4},
        missing=Event(4, "yicheng", "compensation_funds", "区财政局补偿资金拨付明细尚未反馈，本月数据待核实后补报"),
        drop=Event(8, "xuecheng", "health_foundation_projects",
                   "更正：{prev}月误将{n}个已立项尚未开工的村卫生室项目计入开工数，已核减"),
        amended=Event(7, "tengzhou", "post_setting",
                      "更正：分子原误填为已上报岗位设置方案的机构数，现按已完成岗位设置的机构数更正"),
    ),
]
# fmt: off
REASONS: dict[str, tuple[str, ...]] = {  # why a row is behind, by a keyword of the indicator id
    "payment": ("历年住院费用数据不全，付费标准测算推迟", "部分定点医院对按病种付费顾虑较多，协议尚未签订"),
    "matching": ("区（市）级财政收入紧张，配套资金分批拨付", "配套资金需待年中预算调整，尚未全部到位"),
    "compensation": ("财政补助需随预算调整拨付，到位时间推迟", "基本药物补助按季度考核后拨付，本季度未下达"),
    "enrolment": ("部分农牧民外出务工、放牧，个人缴费收缴不及时", "清理重复参合后参合人数有所减少"),
    "funds": ("旗市区财政配套资金拨付滞后，统筹资金未按期到位", "上级补助资金按季度下拨，本季度尚未到账"),
    "disease": ("患儿需转诊至自治区级定点医院，审核补偿周期长", "患儿摸底尚未完成，部分家庭对政策知晓率低"),
    "records": ("乡村医生人手少、居民居住分散，入户建档慢", "纸质档案尚未全部录入健康档案信息系统"),
    "screening": ("受春耕农忙影响，筛查对象集中在下半年", "妇科检查专业人员不足，需从上级医院抽调"),
    "toilet": ("冻土期长，施工集中在5—9月，前期以摸底备料为主", "农户自筹资金不到位，改厕积极性不高"),
    "delivery": ("补助资金拨付滞后，部分产妇补助尚未兑现", "部分孕产妇在辖区外分娩，补助信息核对耗时"),
    "hepb": ("补种对象流动性大，部分儿童随父母外出", "疫苗分批到货，部分接种点第二、三针未按时接种"),
    "procurement": ("部分基层机构未完成平台操作培训，仍有线下采购", "偏远地区配送不及时，部分品种临时自行采购"),
    "drug": ("补偿机制尚未落实，零差率销售后机构运行困难", "基本药物配送不及时，部分常用药品断供"),
    "training": ("基层人员工学矛盾突出，难以集中脱产培训", "全科医生转岗培训名额下达晚，培训班未开班"),
    "hospital": ("临床路径管理需信息系统支持，改造尚未完成", "实施方案待当地政府常务会议审议"),
    "post": ("机构编制核定滞后，岗位设置方案未获批复", "部分卫生院人员结构复杂，方案需反复论证"),
    "hiring": ("竞聘方案需经职工代表大会通过，程序未完成", "富余人员分流安置渠道不畅，竞聘推进缓慢"),
    "performance": ("绩效考核办法尚在征求意见，指标体系未定", "绩效工资总量需财政、人社部门会商核定"),
    "foundation": ("项目用地手续办理缓慢，部分项目未能按期开工", "招投标程序尚未完成，施工单位未进场"),
}
GENERIC = ("基层人员少、任务重，工作推进慢于序时进度",)
MEASURES = ("已由分管领导带队督导，限期整改", "已列入下月领导小组例会重点调度事项", "已分片包干、责任到人，每周调度",
            "已与相关部门协调，争取下月追上序时进度", "已向当地政府专题汇报，争取资金和人员支持",
            "将集中力量攻坚，确保年底完成任务")
# fmt: on

Cell = tuple[float | None, float | None, float | None]  # value, numerator, denominator


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def render(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def fmt(number: float | None, digits: int = 0) -> str:
    if number is None:
        return ""
    text = f"{number:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def due_date(year: int, month: int, reporting: dict[str, int]) -> date:
    total = year * 12 + month - 1 + int(reporting.get("deadline_month_offset", 0))
    year, month = divmod(total, 12)
    day = min(int(reporting["deadline_day"]), calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def completion(cell: Cell, target: float, spec: Spec, kind: str) -> float | None:
    value, numerator, denominator = cell
    if kind == "rate":
        if numerator is None or not denominator:
            return None
        return numerator / denominator * 100 / spec.rate
    return None if value is None else value / target


def simulate_cells(
    rng: random.Random, spec: Spec, kind: str, target: float, *, curve: list[float], pace: float, flat: bool
) -> list[Cell]:
    """One region's cumulative figures for one indicator, month by month, never falling."""
    cap = min(1.25, 100 / spec.rate) if kind == "rate" else 1.25
    level = 1 + (pace - 1) * 0.12 + rng.uniform(-0.01, 0.01)
    cells: list[Cell] = []
    reached, denominator = 0.0, 0.0
    for month in MONTHS:
        share = level + 0.003 * month if flat else pace * curve[month - 1] * rng.uniform(0.96, 1.04)
        reached = min(cap, max(reached, share))
        if kind == "milestone":
            cells.append((float(min(target, int(reached * target + 0.3))), None, None))
        elif kind == "count":
            cells.append((round(reached * target, spec.digits), None, None))
        else:
            if spec.growing:
                denominator = round(denominator + target / 12 * rng.uniform(0.8, 1.2), spec.digits)
            else:
                denominator = target
            numerator = min(denominator, round(denominator * reached * spec.rate / 100, spec.digits))
            cells.append((None, numerator, denominator))
    return cells


def explain(rng: random.Random, indicator_id: str) -> str:
    reasons = next((v for k, v in REASONS.items() if k in indicator_id), GENERIC)
    return f"{rng.choice(reasons)}；{rng.choice(MEASURES)}。"


@dataclass
class Programme:
    """What the simulation reads from an example folder, and the series it draws."""

    folder: Path
    year: int
    reporting: dict[str, int]
    regions: list[str]
    indicators: list[dict[str, str]]
    curves: dict[str, list[float]]  # expected progress by indicator, months 1-12
    targets: dict[tuple[str, str], float] = field(default_factory=dict)  # by (region, indicator)
    cells: dict[tuple[str, str], list[Cell]] = field(default_factory=dict)
    corrections: dict[tuple[int, str, str], str] = field(default_factory=dict)  # by (month, region, indicator)


def load(example: Example) -> Programme:
    folder = ROOT / example.folder
    programme = yaml.safe_load((folder / "programme.yaml").read_text(encoding="utf-8"))
    profiles, indicators = programme.get("profiles") or {}, read_csv(folder / "indicators.csv")
    linear = [m / 12 for m in range(1, 13)]
    curves = {i["id"]: linear if i["profile"] == "linear" else profiles[i["profile"]] for i in indicators}
    regions = [row["id"] for row in read_csv(folder / "regions.csv")]
    return Programme(folder, int(programme["year"]), programme["reporting"], regions, indicators, curves)


def simulate_series(rng: random.Random, example: Example, prog: Programme) -> None:
    """Annual targets and monthly cumulative figures of every region and indicator."""
    for region in prog.regions:
        population, rural, pace = example.regions[region]
        for ind in prog.indicators:
            spec, key = example.specs[ind["id"]], (region, ind["id"])
            size = float(round({"pop": population, "rural": rural, "one": 1.0}[spec.base] * spec.per + spec.add))
            prog.targets[key] = spec.rate if ind["kind"] == "rate" else size
            flat, curve = ind["profile"] == "flat", prog.curves[ind["id"]]
            pace_here = pace * rng.uniform(0.9, 1.1)
            prog.cells[key] = simulate_cells(rng, spec, ind["kind"], size, curve=curve, pace=pace_here, flat=flat)
    # The deliberate correction: the month before, duplicates made this count too high.
    drop, amended = example.drop, example.amended
    series = prog.cells[drop.region, drop.indicator]
    before, now = series[drop.month - 2][0] or 0.0, series[drop.month - 1][0] or 0.0
    excess = now - before + max(1, round(0.03 * prog.targets[drop.region, drop.indicator]))
    series[drop.month - 2] = (before + excess, None, None)
    prog.corrections = {
        (drop.month, drop.region, drop.indicator): drop.text.format(n=fmt(excess), prev=drop.month - 1),
        (amended.month, amended.region, amended.indicator): amended.text,
    }


def report_rows(rng: random.Random, example: Example, prog: Programme, *, month: int, region: str) -> list[list[str]]:
    """One region's report for one month."""
    due = due_date(prog.year, month, prog.reporting)
    late = example.late.get((month, region))
    submitted = due + timedelta(days=late) if late else due - timedelta(days=rng.randint(0, 6))
    missing = example.missing
    rows: list[list[str]] = []
    for ind in prog.indicators:
        key, spec, here = (region, ind["id"]), example.specs[ind["id"]], (month, region, ind["id"])
        cell, notes, corrected = prog.cells[key][month - 1], [], ""
        if here == (missing.month, missing.region, missing.indicator):
            cell, notes = (None, None, None), [missing.text + "。"]
        if here in prog.corrections:
            corrected = (submitted + timedelta(days=rng.randint(4, 9))).isoformat()
            notes.append(prog.corrections[here] + "。")
        done = completion(cell, prog.targets[key], spec, ind["kind"])
        if done is not None and done < prog.curves[ind["id"]][month - 1] + 1e-9:
            notes.append(explain(rng, ind["id"]))
        numbers = [fmt(x, spec.digits) for x in cell]
        dates = [submitted.isoformat(), corrected]
        rows.append([f"{prog.year}-{month:02d}", region, ind["id"], *numbers, *dates, "".join(notes)])
    return rows


def benchmark_rows(rng: random.Random, example: Example, prog: Programme) -> list[list[str]]:
    """The wider area's figures: a rate in percent, else the share of the annual task in percent."""
    rows: list[list[str]] = []
    for ind in prog.indicators:
        spec, flat = example.specs[ind["id"]], ind["profile"] == "flat"
        pace, reached = rng.uniform(0.95, 1.03), 0.0
        for month in MONTHS:
            expected = prog.curves[ind["id"]][month - 1]
            share = (1 + (pace - 1) * 0.12) if flat else pace * expected * rng.uniform(0.97, 1.03)
            reached = max(reached, share)
            scale = spec.rate if ind["kind"] == "rate" else 100.0
            value = min(100.0, round(reached * scale, 1))
            rows.append([f"{prog.year}-{month:02d}", ind["id"], fmt(value, 1), "模拟数据"])
    rows.sort(key=lambda row: row[0])
    return rows


def simulate(example: Example) -> dict[Path, bytes]:
    """Every generated file of one example, by path."""
    prog, rng = load(example), random.Random(example.seed)
    simulate_series(rng, example, prog)
    files: dict[Path, bytes] = {}
    for month in MONTHS:
        for region in prog.regions:
            rows = report_rows(rng, example, prog, month=month, region=region)
            files[prog.folder / "reports" / f"{prog.year}-{month:02d}" / f"{region}.csv"] = render(REPORT_HEADER, rows)
    targets = [[str(prog.year), *key, fmt(target), ""] for key, target in prog.targets.items()]
    header = ["year", "region_id", "indicator_id", "target", "not_applicable"]
    files[prog.folder / "targets.csv"] = render(header, targets)
    benchmarks = benchmark_rows(rng, example, prog)
    files[prog.folder / "benchmarks.csv"] = render(["month", "indicator_id", "value", "source"], benchmarks)
    paths = [p.relative_to(prog.folder).as_posix() for p in files if p.parent.parent.name == "reports"]
    descriptor = (prog.folder / "datapackage.yaml").read_text(encoding="utf-8")
    files[prog.folder / "datapackage.yaml"] = set_report_paths(descriptor, paths).encode("utf-8")
    months = [f"{prog.year}-{month:02d}" for month in MONTHS]
    files.update(publication_history(prog.folder, files, months, example.issue_day, example.correction))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the simulated data of the examples.")
    parser.add_argument("--check", action="store_true", help="exit 1 if any file would change")
    args = parser.parse_args(argv)
    changed: list[Path] = []
    for example in EXAMPLES:
        files = simulate(example)
        stale = [
            path
            for generated in ("reports", "bulletins")
            for path in sorted((ROOT / example.folder / generated).rglob("*"))
            if path.is_file() and path not in files
        ]
        for path, data in files.items():
            if not path.exists() or path.read_bytes() != data:
                changed.append(path)
                if not args.check:
                    write_atomic(path, data)
        for path in stale:
            changed.append(path)
            if not args.check:
                path.unlink()
    for path in changed:
        print(f"{'would change' if args.check else 'wrote'} {path.relative_to(ROOT).as_posix()}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
