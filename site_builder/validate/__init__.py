"""Stage 2, validate: every finding about a data folder, in one pass, before anything is built.

Reads like its checks: the descriptor, the files present, each table against its schema, each
YAML document against its model, then the rules that span files. Every check runs even when an
earlier one failed, so an editor sees all problems at once; a check that needs a broken part is
skipped rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from site_builder.core.contract import DESCRIPTOR, REPORTS, Contract, parse_contract
from site_builder.core.documents import (
    ORGANIZATION,
    PROGRAMME,
    Accountability,
    Bulletin,
    Meeting,
    Organization,
    Programme,
    SupervisionRound,
)
from site_builder.core.findings import Finding, capped
from site_builder.load import Sources
from site_builder.validate.activities import check_accountability, check_draw, check_geo, check_meeting
from site_builder.validate.bulletins import check_bulletins
from site_builder.validate.documents import read_document
from site_builder.validate.references import (
    DocumentRefs,
    check_assignments,
    check_benchmarks,
    check_files,
    check_indicators,
    check_profiles,
    check_targets,
)
from site_builder.validate.reports import check_reports
from site_builder.validate.tables import Table, check_tables
from site_builder.validate.targets import check_city_rules, check_target_cells
from site_builder.validate.text_checks import check_documents_text
from site_builder.validate.years import check_report_years, target_years

__all__ = ["Validated", "validate"]

T = TypeVar("T")


@dataclass
class Validated:
    """What validation learned: typed tables and documents, and the findings."""

    contract: Contract
    tables: dict[str, Table]
    programme: Programme | None
    organization: Organization | None
    supervision: dict[str, SupervisionRound] = field(default_factory=dict)
    bulletins: dict[str, Bulletin] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    accountability: dict[str, Accountability] = field(default_factory=dict)
    geo: dict[str, Any] | None = None


def validate(sources: Sources, today: dt.date) -> Validated:
    """Every finding about `sources`, at most MAX_FINDINGS_PER_CODE per code and file (the rest counted)."""
    findings = list(sources.findings)
    if any(f.code == "folder-too-large" for f in findings):  # nothing was read: nothing to check
        return Validated(Contract({}), {}, None, None, findings=capped(findings))
    contract = _read_contract(sources, findings)
    findings += check_files(sources.files, contract)
    tables: dict[str, Table] = {}
    contract_ok = bool(contract.tables) and not any(f.code == "datapackage-invalid" for f in findings)
    if contract_ok:
        tables, problems = check_tables(contract, sources)
        findings += problems
    programme = _read(Programme, PROGRAMME, sources, findings)
    organization = _read(Organization, ORGANIZATION, sources, findings)
    supervision = _read_folder(SupervisionRound, "supervision/", sources, findings)
    bulletins = _read_folder(Bulletin, "bulletins/", sources, findings)
    result = Validated(contract, tables, programme, organization, supervision, bulletins, findings)
    result.meetings = _read_folder(Meeting, "meetings/", sources, findings)
    result.accountability = _read_folder(Accountability, "accountability/", sources, findings)
    findings += check_documents_text(sources.yaml)
    if not contract_ok:
        result.findings = capped(findings)
        return result
    findings += _check_rules(result, sources, today)
    result.findings = capped(findings)
    return result


def _read_contract(sources: Sources, findings: list[Finding]) -> Contract:
    doc = sources.yaml.get(DESCRIPTOR)
    if doc is None:
        if DESCRIPTOR not in sources.files:
            findings.append(Finding("file-missing", DESCRIPTOR, params={"expected": DESCRIPTOR}))
        return Contract({})
    contract, problems = parse_contract(doc.data, doc.marks)
    findings += problems
    return contract


def _read(cls: type[T], path: str, sources: Sources, findings: list[Finding]) -> T | None:
    doc = sources.yaml.get(path)
    if doc is None:
        if path not in sources.files:
            findings.append(Finding("file-missing", path, params={"expected": path}))
        return None
    model, problems = read_document(cls, doc)
    findings += problems
    return model


def _read_folder(cls: type[T], folder: str, sources: Sources, findings: list[Finding]) -> dict[str, T]:
    models: dict[str, T] = {}
    for path in sorted(sources.yaml):
        if path.startswith(folder) and "/" not in path[len(folder) :]:
            model, problems = read_document(cls, sources.yaml[path])
            findings += problems
            if model is not None:
                models[path] = model
    return models


def _check_rules(result: Validated, sources: Sources, today: dt.date) -> list[Finding]:
    tables = result.tables
    findings: list[Finding] = []
    refs = DocumentRefs(tables)
    if result.organization is not None:
        refs.organization(sources.yaml[ORGANIZATION], result.organization)
    for path, round_ in result.supervision.items():
        refs.supervision(sources.yaml[path], round_)
    for path, bulletin in result.bulletins.items():
        refs.bulletin(sources.yaml[path], bulletin)
    for path, meeting in result.meetings.items():
        refs.meeting(sources.yaml[path], meeting)
        findings += check_meeting(sources.yaml[path], meeting)
    for path, decision in result.accountability.items():
        refs.accountability(sources.yaml[path], decision)
        findings += check_accountability(sources.yaml[path], decision)
    findings += check_bulletins(result.bulletins, sources, result.contract)
    for path, round_ in result.supervision.items():
        findings += check_draw(sources.yaml[path], round_, tables.get("facilities"))
    findings += refs.findings
    usable = {name for name, table in tables.items() if table.usable}
    if result.programme is not None:
        geo_findings = list(check_geo(result.programme, sources.json, sources.files, tables["regions"]))
        findings += geo_findings
        if result.programme.map is not None and not geo_findings and result.programme.map.file in sources.json:
            data = sources.json[result.programme.map.file].data
            result.geo = data if isinstance(data, dict) else None
        findings += check_profiles(sources.yaml[PROGRAMME], result.programme)
        if {"targets", "regions", "indicators"} <= usable:
            reports = tables.get(REPORTS)  # the current year and every past year with reports
            years = target_years(reports, result.programme) if reports is not None else ()
            findings += check_targets(
                tables["targets"], tables["regions"], tables["indicators"], result.programme, years
            )
        if REPORTS in tables:
            findings += check_report_years(tables[REPORTS], result.programme)
    findings += check_indicators(tables["indicators"], result.organization, result.programme)
    findings += check_city_rules(tables["indicators"])
    if {"targets", "indicators"} <= usable:
        findings += check_target_cells(tables["targets"], tables["indicators"])
    if {"assignments", "regions"} <= usable:
        year = result.programme.year if result.programme is not None else None
        findings += check_assignments(tables["assignments"], tables["regions"], year)
    if "indicators" in usable:
        findings += check_benchmarks(tables["benchmarks"], tables["indicators"])
        programme = result.programme if "targets" in usable else None
        findings += check_reports(tables[REPORTS], tables["indicators"], tables["targets"], programme, today)
    return findings
