"""`bulletin publish`: give a month's bulletin its issue number and seal its data, or seal an erratum.

`publish_bulletin` seals a month (or, with `erratum`, seals its pending erratum, copying each
replaced file's sealed version out of git into `bulletins/<month>/erratum-<n>/`). The seal's
digests are `issuing/seal.py`'s, the record's text `issuing/record.py`'s; the site shows a
corrected bulletin's editions from `compute/editions.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from site_builder.commands.check import compute_folder
from site_builder.core import paths
from site_builder.core.documents import Bulletin, ChangedFile, next_number
from site_builder.files.durable import write_files
from site_builder.issuing.record import (
    PublishRefused,
    follow_erratum,
    published,
    record_text,
    seal_pending,
)
from site_builder.issuing.seal import Sealer, changes, copy_path, digest_bytes, effective_seal
from site_builder.load import history as revisions
from site_builder.load import load_sources
from site_builder.model import Dataset, build_dataset
from site_builder.validate import Validated, validate

OWN_CODES = ("bulletin-frozen", "bulletin-unsealed")


def bulletin_file(month: str) -> str:
    """bulletins/<month>.yaml; raises `paths.UnsafePath` for a month that is not one."""
    return f"bulletins/{paths.month(month)}.yaml"


@dataclass(frozen=True)
class Published:
    """What `bulletin publish` did: the bulletins it wrote (the month's first), and the files it copied."""

    validated: Validated
    bulletins: tuple[Bulletin, ...] = ()
    written: tuple[str, ...] = ()
    late: tuple[str, ...] = ()  # the districts that reported the month late, with the days (a published month)


def publish_bulletin(
    data_dir: Path, month: str, on: dt.date, *, erratum: bool = False, anyway: str | None = None
) -> Published:
    """Publish month's bulletin (or seal its pending erratum) dated `on`; raises `PublishRefused`.

    A month with districts that did not report is published only with `anyway`, the reason, which the
    bulletin records (`issued_anyway`) with those districts and the late ones."""
    sources = load_sources(data_dir)
    validated = validate(sources, dt.date.today())
    path = bulletin_file(month)
    existing = validated.bulletins.get(path)
    if erratum:
        blocking = [f for f in validated.findings if f.severity == "error" and f.code not in OWN_CODES]
    else:
        blocking = [f for f in validated.findings if f.severity == "error"]
    if blocking:
        return Published(validated)
    dataset = build_dataset(validated)
    sealer = Sealer(sources, validated.contract)
    if not erratum:
        note = _issued_anyway(data_dir, month, anyway)
        return _publish(data_dir, validated, dataset, sealer, existing=existing, month=month, on=on, note=note)
    if existing is None or not existing.published or existing.manifest is None:
        raise PublishRefused(f"{month} 的通报尚未发布，没有可更正的内容：先运行 bulletin publish {month}。")
    pending = [e for e in existing.errata if e.sealed_on is None]
    if len(pending) != 1 or existing.errata[-1].sealed_on is not None:
        raise PublishRefused(
            f"{path} 中应恰有一条尚未封存的更正，且在 errata 列表的最后（现有 {len(pending)} 条）："
            "先写下更正的 date、description、reason、approved_by，再运行本命令。"
        )
    return _seal_erratum(data_dir, validated, sealer, existing, on)


def _publish(
    data_dir: Path,
    validated: Validated,
    dataset: Dataset,
    sealer: Sealer,
    *,
    existing: Bulletin | None,
    month: str,
    on: dt.date,
    note: str = "",
) -> Published:
    if month not in dataset.months:
        known = "、".join(dataset.months) or "无"
        raise PublishRefused(f"{month} 没有月报，无从发布通报（有月报的月份：{known}）。")
    if existing is not None and existing.published:
        raise PublishRefused(
            f"{month} 的通报已于 {existing.issued_on} 发布（第{existing.number}期），不能再次发布；"
            f"如需更正，在 errata 中记下更正后运行 bulletin publish {month} --erratum。"
        )
    number = next_number(validated.bulletins.values(), month[:4])
    files = sealer.seal(month)
    bulletin = published(existing, month, dataset.programme, number=number, issued_on=on, files=files, anyway=note)
    written = _write_records(data_dir, {bulletin_file(month): bulletin})
    return Published(validated, (bulletin,), tuple(written), tuple(filing(data_dir, month)[1]))


def filing(data_dir: Path, month: str) -> tuple[list[str], list[str]]:
    """The districts that did not report `month` and those that reported late (with the days), by name."""
    computed = compute_folder(data_dir)
    if computed.dataset is None or computed.results is None:
        return [], []
    names = {region.id: region.name for region in computed.dataset.regions}
    rows = computed.results.compliance.filter(pl.col("month") == month).sort("region_order")
    missing = [names[row["region_id"]] for row in rows.iter_rows(named=True) if row["status"] == "missing"]
    late = [
        f"{names[row['region_id']]}（迟 {row['days_late']} 天）"
        for row in rows.iter_rows(named=True)
        if row["status"] == "late"
    ]
    return missing, late


def _issued_anyway(data_dir: Path, month: str, anyway: str | None) -> str:
    """What the bulletin records of the districts that did not report in time; refused without a reason."""
    missing, late = filing(data_dir, month)
    if not missing:  # late reports are in the bulletin's own table of filing; they do not stop it
        return ""
    listed = "；".join(
        part
        for part in (f"未报：{'、'.join(missing)}" if missing else "", f"迟报：{'、'.join(late)}" if late else "")
        if part
    )
    if anyway is None or not anyway.strip():
        raise PublishRefused(
            f"{month} 有地区没有报送（{listed}）。请先督促报送并导入报表；如确需按时印发，"
            f'写明原因后再运行：bulletin publish {month} --anyway "原因"（原因和上述地区会记入通报）。'
        )
    return f"{listed}。仍按时印发的原因：{anyway.strip()}"


def _seal_erratum(data_dir: Path, validated: Validated, sealer: Sealer, target: Bulletin, on: dt.date) -> Published:
    changed = changes(effective_seal(target), sealer.seal(target.month))
    touched = {c.path for c in changed}
    records: dict[str, Bulletin] = {bulletin_file(target.month): seal_pending(target, changed, on)}
    for path, other in sorted(validated.bulletins.items()):
        if other is target or not other.published or other.manifest is None:
            continue
        theirs = changes(effective_seal(other), sealer.seal(other.month))
        if not theirs:
            continue
        outside = sorted({c.path for c in theirs} - touched)
        if outside:
            raise PublishRefused(
                f"{other.month} 的通报（第{other.number}期）所依据的 {'、'.join(outside)} 也被改动了，"
                f"但这些改动不属于 {target.month} 通报的更正：请恢复这些文件，或为 {other.month} 的通报另行更正。"
            )
        if other.errata and other.errata[-1].sealed_on is None:
            records[path] = seal_pending(other, theirs, on)
        else:
            records[path] = follow_erratum(other, target, theirs, on)
    copies: dict[str, bytes] = {}
    for bulletin in records.values():
        number = len(bulletin.errata)
        for change in bulletin.errata[-1].files:
            if change.previous is not None:
                copies[_copy_path(data_dir, bulletin.month, number, change.path)] = _sealed_version(
                    data_dir, bulletin, change
                )
    written = write_files(data_dir, copies) + _write_records(data_dir, records)
    return Published(validated, tuple(records.values()), tuple(written))


def _copy_path(data_dir: Path, month: str, number: int, path: str) -> str:
    """The sealed copy's path, checked to stay inside the data folder before anything is written."""
    try:
        rel = copy_path(month, number, path)
        paths.inside(data_dir, rel)
    except paths.UnsafePath as error:
        raise PublishRefused(
            f"发布记录中的文件路径 {error.value!r} 不是数据文件夹中的文件，不能为它保存封存副本。"
        ) from error
    return rel


def _sealed_version(data_dir: Path, bulletin: Bulletin, change: ChangedFile) -> bytes:
    """The version of the changed file the bulletin was sealed with, found in git's history."""
    try:
        for raw in revisions.file_history(data_dir, change.path):
            if digest_bytes(change.path, raw, bulletin.month) == change.previous:
                return raw
    except revisions.RevisionError as error:
        raise PublishRefused(f"无法从 git 取回 {change.path} 封存时的版本：{error.message}") from error
    raise PublishRefused(
        f"git 历史中找不到 {change.path} 在 {bulletin.month} 通报封存时的版本（摘要 {change.previous}）："
        "封存后的改动须先提交过发布记录；请在包含发布提交的仓库中运行本命令。"
    )


def _write_records(data_dir: Path, records: dict[str, Bulletin]) -> list[str]:
    files: dict[str, bytes] = {}
    for path, bulletin in records.items():
        target = paths.inside(data_dir, path)
        text = target.read_text(encoding="utf-8") if target.exists() else ""
        files[path] = record_text(text, bulletin).encode("utf-8")
    return write_files(data_dir, files)
