"""`bulletin init`: a new city's data repository, valid and buildable at once.

The repository is made from `site_builder/starter/` (README, .gitignore, requirements.txt pinning this
version, the workflows, the deploy script, programme.yaml and organization.yaml with `__CITY__`,
`__YEAR__`, `__VERSION__` filled in) and from the current contract, `starter/data/datapackage.yaml` (every
descriptor shipped with the project must equal it but for titles and the list of report files:
tests/test_starter.py). The tables are written with the descriptor's own columns, a few placeholder
districts, people, indicators and targets; tables the starter has no rows for are written with their
header only. Everything is written into a hidden folder beside the target, validated there, and renamed
into place: a refused or failed init leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_builder import __version__
from site_builder.commands.check import check
from site_builder.core.contract import DESCRIPTOR, REPORTS, Contract, parse_contract
from site_builder.core.findings import Finding, has_errors
from site_builder.files.descriptor import set_report_paths
from site_builder.files.durable import fsync_folder, fsync_tree, remove, write_files

STARTER = Path(__file__).resolve().parent.parent / "starter"
DISTRIBUTION = "bulletin-site"  # the name pip knows this package by (pyproject.toml's project.name)
# starter files whose names would be hidden (and left out of the package) are stored without the dot
RENAMED = {"gitignore": ".gitignore", "github": ".github"}
PLACEHOLDER = re.compile(r"__(CITY|YEAR|VERSION|DATA)__")
DATA_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
MAX_DISTRICTS = 99
DIGITS = "零一二三四五六七八九"


class InitRefused(Exception):
    """The target cannot receive a new repository; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Initialized:
    target: Path
    files: tuple[str, ...]  # repository-relative paths written, sorted; empty when refused
    findings: tuple[Finding, ...]  # the new data folder's findings (warnings; errors mean nothing was written)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    head = "" if tens == 1 else DIGITS[tens]
    return head + "十" + (DIGITS[ones] if ones else "")


def current_descriptor() -> str:
    """The current contract's descriptor as shipped with the package."""
    return (STARTER / "data" / DESCRIPTOR).read_text(encoding="utf-8")


def current_contract() -> Contract:
    contract, problems = parse_contract(yaml.safe_load(current_descriptor()), {})
    if problems:  # the package's own descriptor: a bug, not the user's data
        raise RuntimeError(f"the shipped {DESCRIPTOR} is unusable: {problems[0].params}")
    return contract


def _rows(city: str, year: int, districts: int) -> dict[str, list[dict[str, object]]]:
    """The placeholder rows of each table, by column name (columns the contract lacks are dropped)."""
    ids = [f"d{i:02d}" for i in range(1, districts + 1)]
    columns = max(1, math.ceil(math.sqrt(districts)))
    regions = [
        {
            "id": region_id,
            "name": f"示例区{chinese_number(i)}",
            "short_name": f"示例区{chinese_number(i)}",
            "kind": "district",
            "tile_row": (i - 1) // columns,
            "tile_col": (i - 1) % columns,
        }
        for i, region_id in enumerate(ids, start=1)
    ]
    indicators: list[dict[str, object]] = [
        {"id": "coverage", "name": "示例覆盖率", "kind": "rate", "unit": "%", "weight": 40, "profile": "flat",
         "description": "已覆盖人数占应覆盖人数的比例（示例，请按本市的指标改写）。",
         "numerator": "已覆盖人数", "denominator": "应覆盖人数"},
        {"id": "services", "name": "示例服务人次", "kind": "count", "unit": "人次", "weight": 40, "profile": "linear",
         "description": "年内累计提供服务的人次（示例，请按本市的指标改写）。"},
        {"id": "pilot", "name": "示例试点任务", "kind": "milestone", "unit": "项", "weight": 20, "profile": "linear",
         "description": "年内完成的试点任务项数（示例，请按本市的指标改写）。"},
    ]  # fmt: skip
    for indicator in indicators:
        indicator.update(group_id="reform", lead_unit_id="office", direction="higher")
    targets = {"coverage": 90, "services": 1200, "pilot": 4}
    leaders = ("leader", "deputy")
    assignments: list[dict[str, object]] = [
        {"person_id": leaders[i % 2], "region_id": region_id, "kind": "liaison", "start": f"{year}-01-01"}
        for i, region_id in enumerate(ids)
    ]
    for assignment in assignments:
        assignment["source"] = "占位示例，请按本市的分工文件改写"
    return {
        "regions": regions,
        "units": [
            {"id": "bureau", "name": f"{city}卫生局", "kind": "bureau"},
            {"id": "office", "name": "深化医药卫生体制改革领导小组办公室", "kind": "office"},
        ],
        "people": [
            {"id": "leader", "name": "示例人员甲", "title": "局长", "unit_id": "bureau"},
            {"id": "deputy", "name": "示例人员乙", "title": "副局长", "unit_id": "bureau"},
            {"id": "liaison", "name": "示例人员丙", "title": "办公室主任", "unit_id": "office"},
        ],
        "assignments": assignments,
        "indicators": indicators,
        "targets": [
            {"year": year, "region_id": region_id, "indicator_id": indicator_id, "target": target}
            for region_id in ids
            for indicator_id, target in targets.items()
        ],
    }


def _csv(columns: tuple[str, ...], rows: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name in columns])
    return buffer.getvalue().encode("utf-8")


def _fill(text: str, city: str, year: int, data: str) -> str:
    values = {"CITY": city, "YEAR": str(year), "VERSION": __version__, "DATA": data}
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def _starter_path(rel: str, data: str) -> str:
    head, _, rest = rel.partition("/")
    head = data if head == "data" else RENAMED.get(head, head)
    return f"{head}/{rest}" if rest else head


def repository_files(city: str, year: int, districts: int, data: str = "data") -> dict[str, bytes]:
    """Every file of the new repository, by repository-relative path."""
    files: dict[str, bytes] = {}
    for root, folders, names in os.walk(STARTER):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            path = Path(root) / name
            rel = path.relative_to(STARTER).as_posix()
            if rel == f"data/{DESCRIPTOR}":
                continue
            text = _fill(path.read_text(encoding="utf-8"), city, year, data)
            files[_starter_path(rel, data)] = text.encode("utf-8")
    contract = current_contract()
    rows = _rows(city, year, districts)
    for table in contract.tables.values():
        if table.name != REPORTS and len(table.paths) == 1:
            files[f"{data}/{table.paths[0]}"] = _csv(table.field_names, rows.get(table.name, []))
    files[f"{data}/{DESCRIPTOR}"] = set_report_paths(current_descriptor(), []).encode("utf-8")
    return files


def _check_arguments(city: str, year: int, districts: int, data: str) -> None:
    if not city.strip() or len(city) > 40 or any(c in city for c in "\n\r\t/\\:") or PLACEHOLDER.search(city):
        raise ValueError("--name 应为城市的名称（如 某某市），最长 40 个字符，不含换行、斜杠或冒号")
    if not 2000 <= year <= 2100:
        raise ValueError(f"--year 应为 2000 到 2100 之间的年份，不是 {year}")
    if not DATA_NAME.fullmatch(data):
        raise ValueError(f"--data 应为仓库中数据文件夹的名称（字母、数字、下划线，如 data），不是 {data!r}")
    if not 1 <= districts <= MAX_DISTRICTS:
        raise ValueError(f"--districts 应为 1 到 {MAX_DISTRICTS} 之间的整数，不是 {districts}")


def init_repository(target: Path, city: str, year: int, districts: int = 3, *, data: str = "data") -> Initialized:
    """Write a new data repository at `target` (absent or an empty folder).

    Raises ValueError for unusable arguments and `InitRefused` when `target` is not empty or not a
    folder. When the new data folder does not validate, nothing is written and its findings are returned.
    """
    _check_arguments(city.strip(), year, districts, data)
    city = city.strip()
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InitRefused(f"{target} 已存在且不是文件夹：请指定一个不存在的或空的文件夹。")
    if target.is_dir() and any(target.iterdir()):
        raise InitRefused(
            f"{target} 不是空文件夹：bulletin init 只在新的或空的文件夹中生成仓库，不会覆盖或混入已有的文件。"
            "请换一个文件夹名。"
        )
    files = repository_files(city, year, districts, data)
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{target.name}.init-{secrets.token_hex(4)}"
    try:
        write_files(staging, files)
        for rel in files:
            if rel.endswith(".sh"):
                (staging / rel).chmod(0o755)
        findings = tuple(check(staging / data).findings)
        if has_errors(findings):
            remove(staging)
            return Initialized(target, (), findings)
        fsync_tree(staging)
        if target.is_dir():
            target.rmdir()  # empty, checked above; a folder cannot be renamed over another everywhere
        os.replace(staging, target)
        fsync_folder(parent)
    except BaseException:
        with contextlib.suppress(OSError):
            remove(staging)
        raise
    return Initialized(target, tuple(sorted(files)), findings)
