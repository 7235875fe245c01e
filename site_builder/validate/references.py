"""Rules across files: the files present, the organization, assignments, indicators and targets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import polars as pl

from site_builder.core.contract import DESCRIPTOR, Contract
from site_builder.core.documents import (
    ACCOUNT_PATTERN,
    ORGANIZATION,
    PROGRAMME,
    Accountability,
    Accounts,
    Bulletin,
    Meeting,
    Member,
    Organization,
    Programme,
    SupervisionRound,
)
from site_builder.core.findings import Finding
from site_builder.core.method import LINEAR, profile_problem
from site_builder.load import YamlFile
from site_builder.validate.tables import Table

KNOWN_FILE = re.compile(
    r"(README\.md|reports/.+\.csv|(bulletins|supervision|meetings|accountability)/[^/]+\.ya?ml|geo/[^/]+\.geojson"
    r"|bulletins/[0-9]{4}-[0-9]{2}/erratum-[0-9]+/.+\.csv)"
)


def check_files(files: Iterable[str], contract: Contract) -> Iterator[Finding]:
    """Every file must be one the contract knows."""
    fixed = {DESCRIPTOR, PROGRAMME, ORGANIZATION}
    for table in contract.tables.values():
        fixed.update(table.paths)
    for path in files:
        if path not in fixed and not KNOWN_FILE.fullmatch(path):
            yield Finding("file-unknown", path, value=path)


def _ids(table: Table, column: str = "id") -> set[str]:
    return {v for v in table.frame[column].to_list() if v is not None}


def _known(table: Table) -> set[str] | None:
    """The table's ids, or None when the table could not be read (then nothing is checked)."""
    return _ids(table) if table.usable else None


def _example(ids: set[str]) -> str:
    return ", ".join(sorted(ids)[:3]) or "—"


class DocumentRefs:
    """Checks ids named in YAML documents against the tables, located at the YAML nodes."""

    def __init__(self, tables: dict[str, Table]) -> None:
        self.people = _known(tables["people"])
        self.units = _known(tables["units"])
        self.regions = _known(tables["regions"])
        self.findings: list[Finding] = []

    def ref(self, doc: YamlFile, path: tuple[object, ...], value: str | None, code: str) -> None:
        known = {"unknown-person": self.people, "unknown-unit": self.units, "unknown-region": self.regions}[code]
        if known is not None and value is not None and value not in known:
            line, column = doc.mark(path)
            self.findings.append(Finding(code, doc.path, line, column, value, {"example": _example(known)}))

    def members(self, doc: YamlFile, path: tuple[object, ...], members: list[Member], group: str) -> None:
        for index, member in enumerate(members):
            self.ref(doc, (*path, index, "person"), member.person, "unknown-person")
        leaders = sum(1 for m in members if m.role == "leader")
        if leaders != 1:
            line, column = doc.mark(path)
            self.findings.append(
                Finding("group-leader-count", doc.path, line, column, params={"group": group, "count": leaders})
            )

    def organization(self, doc: YamlFile, organization: Organization) -> None:
        if organization.leading_group is not None:
            self.members(
                doc, ("leading_group", "members"), organization.leading_group.members, organization.leading_group.name
            )
        if organization.office is not None:
            self.ref(doc, ("office", "unit"), organization.office.unit, "unknown-unit")
            self.ref(doc, ("office", "director"), organization.office.director, "unknown-person")
        seen: dict[str, int] = {}
        for index, group in enumerate(organization.task_groups):
            at: tuple[object, ...] = ("task_groups", index)
            if group.id in seen:
                line, column = doc.mark((*at, "id"))
                self.findings.append(
                    Finding(
                        "yaml-value",
                        doc.path,
                        line,
                        column,
                        group.id,
                        {"where": "task_groups.id", "expected": "推进组编码不能重复"},
                    )
                )
            seen[group.id] = index
            self.members(doc, (*at, "members"), group.members, group.name)
            for u, unit in enumerate(group.units):
                self.ref(doc, (*at, "units", u), unit, "unknown-unit")
        if organization.accounts is not None:
            self.accounts(doc, organization.accounts)

    def accounts(self, doc: YamlFile, accounts: Accounts) -> None:
        """Account names fit GitHub's and Gitea's (or org/team); every district named exists."""
        named: list[tuple[tuple[object, ...], str]] = [
            (("accounts", "office", i), a) for i, a in enumerate(accounts.office)
        ]
        for region_id, editors in accounts.regions.items():
            self.ref(doc, ("accounts", "regions", region_id), region_id, "unknown-region")
            named += [(("accounts", "regions", region_id, i), a) for i, a in enumerate(editors)]
        for path, account in named:
            if not re.fullmatch(ACCOUNT_PATTERN, account):
                line, column = doc.mark(path)
                expected = "代码托管平台的账号名（字母、数字、-、_、.，不带 @），或 组织/团队"
                self.findings.append(
                    Finding("yaml-value", doc.path, line, column, account, {"where": "accounts", "expected": expected})
                )

    def supervision(self, doc: YamlFile, round_: SupervisionRound) -> None:
        stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if round_.id != stem:
            line, column = doc.mark(("id",))
            self.findings.append(
                Finding(
                    "yaml-value",
                    doc.path,
                    line,
                    column,
                    round_.id,
                    {"where": "id", "expected": f"与文件名相同：{stem}"},
                )
            )
        if round_.end < round_.start:
            line, column = doc.mark(("end",))
            self.findings.append(
                Finding(
                    "date-order",
                    doc.path,
                    line,
                    column,
                    round_.end.isoformat(),
                    {"later_title": "结束日期", "earlier_title": "开始日期", "earlier": round_.start.isoformat()},
                )
            )
        for u, unit in enumerate(round_.report_to):
            self.ref(doc, ("report_to", u), unit, "unknown-unit")
        for g, group in enumerate(round_.groups):
            self.ref(doc, ("groups", g, "leader"), group.leader, "unknown-person")
            self.ref(doc, ("groups", g, "secretary"), group.secretary, "unknown-person")
            for r, region in enumerate(group.regions):
                self.ref(doc, ("groups", g, "regions", r), region, "unknown-region")
        for index, rule in enumerate(round_.sampling):
            if rule.min > rule.max:
                line, column = doc.mark(("sampling", index, "min"))
                params = {"where": f"sampling[{index}].min", "expected": f"不大于 max（{rule.max}）"}
                self.findings.append(Finding("yaml-value", doc.path, line, column, str(rule.min), params))

    def meeting(self, doc: YamlFile, meeting: Meeting) -> None:
        self.ref(doc, ("chair",), meeting.chair, "unknown-person")
        for index, region in enumerate(meeting.summoned):
            self.ref(doc, ("summoned", index), region, "unknown-region")

    def accountability(self, doc: YamlFile, decision: Accountability) -> None:
        for key, entries in (("commended", decision.commended), ("penalized", decision.penalized)):
            for index, entry in enumerate(entries):
                self.ref(doc, (key, index, "region"), entry.region, "unknown-region")

    def bulletin(self, doc: YamlFile, bulletin: Bulletin) -> None:
        stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if bulletin.month != stem:
            line, column = doc.mark(("month",))
            self.findings.append(
                Finding(
                    "yaml-value",
                    doc.path,
                    line,
                    column,
                    bulletin.month,
                    {"where": "month", "expected": f"与文件名相同：{stem}"},
                )
            )


def check_profiles(doc: YamlFile, programme: Programme) -> Iterator[Finding]:
    for name, values in programme.profiles.items():
        problem = profile_problem(name, values)
        if problem is not None:
            line, column = doc.mark(("profiles", name))
            yield Finding("profile-invalid", doc.path, line, column, name, {"detail": problem})


def check_indicators(
    indicators: Table, organization: Organization | None, programme: Programme | None
) -> Iterator[Finding]:
    groups = {g.id for g in organization.task_groups} if organization is not None else None
    frame = indicators.frame.with_row_index("_row")
    if groups is not None:
        for row in frame.filter(pl.col("group_id").is_not_null() & ~pl.col("group_id").is_in(sorted(groups))).iter_rows(
            named=True
        ):
            path, line, column = indicators.locate(row["_row"], "group_id")
            yield Finding("unknown-group", path, line, column, row["group_id"], {"example": _example(groups)})
    weights = frame["weight"].drop_nulls()
    if len(weights) == len(frame) and len(frame) > 0 and float(weights.sum()) == 0:
        path, line, column = indicators.locate(0, "weight")
        yield Finding("weights-zero", path, line, column, "0")
    if programme is not None:
        profiles = {LINEAR, *programme.profiles}
        for row in frame.filter(pl.col("profile").is_not_null() & ~pl.col("profile").is_in(sorted(profiles))).iter_rows(
            named=True
        ):
            path, line, column = indicators.locate(row["_row"], "profile")
            yield Finding(
                "unknown-profile", path, line, column, row["profile"], {"expected": "、".join(sorted(profiles))}
            )


def check_assignments(assignments: Table, regions: Table, year: int | None) -> Iterator[Finding]:
    frame = assignments.frame.with_row_index("_row")
    for row in frame.filter(pl.col("end") < pl.col("start")).iter_rows(named=True):
        path, line, column = assignments.locate(row["_row"], "end")
        yield Finding(
            "date-order",
            path,
            line,
            column,
            row["end"].isoformat(),
            {"later_title": "结束日期", "earlier_title": "开始日期", "earlier": row["start"].isoformat()},
        )
    current = frame.filter(pl.col("kind").is_in(["liaison", "contract"]))
    if year is not None:  # an assignment that ended before the programme's year leads nobody now
        current = current.filter(pl.col("end").is_null() | (pl.col("end").dt.year() >= year))
    led = set(current["region_id"].drop_nulls().to_list())
    region_rows = regions.frame.with_row_index("_row").filter(pl.col("id").is_not_null())
    for row in region_rows.iter_rows(named=True):
        if row["id"] not in led:
            path, line, column = regions.locate(row["_row"], "id")
            yield Finding("region-without-leader", path, line, column, row["id"], {"name": row["name"] or ""})


def check_targets(
    targets: Table, regions: Table, indicators: Table, programme: Programme, years: tuple[int, ...] = ()
) -> Iterator[Finding]:
    """Targets of every district × indicator for each of `years` (default: the programme's year), rates ≤ 100."""
    every = (
        regions.frame.select(pl.col("id").alias("region_id"))
        .drop_nulls()
        .join(indicators.frame.select(pl.col("id").alias("indicator_id")).drop_nulls(), how="cross")
    )
    path = targets.files[0].path if targets.files else "targets.csv"
    for year in years or (programme.year,):
        goal = targets.frame.filter(pl.col("year") == year).select("region_id", "indicator_id")
        missing = every.join(goal, on=["region_id", "indicator_id"], how="anti")
        for row in missing.iter_rows(named=True):
            yield Finding(
                "target-missing",
                path,
                None,
                None,
                row["indicator_id"],
                {"year": year, "region": row["region_id"]},
            )
    rates = set(indicators.frame.filter(pl.col("kind") == "rate")["id"].drop_nulls().to_list())
    frame = targets.frame.with_row_index("_row")
    for row in frame.filter(pl.col("indicator_id").is_in(sorted(rates)) & (pl.col("target") > 100)).iter_rows(
        named=True
    ):
        at, line, column = targets.locate(row["_row"], "target")
        yield Finding("rate-out-of-range", at, line, column, f"{row['target']:g}")


def check_benchmarks(benchmarks: Table, indicators: Table) -> Iterator[Finding]:
    rates = set(indicators.frame.filter(pl.col("kind") == "rate")["id"].drop_nulls().to_list())
    frame = benchmarks.frame.with_row_index("_row")
    for row in frame.filter(pl.col("indicator_id").is_in(sorted(rates)) & (pl.col("value") > 100)).iter_rows(
        named=True
    ):
        at, line, column = benchmarks.locate(row["_row"], "value")
        yield Finding("rate-out-of-range", at, line, column, f"{row['value']:g}")
