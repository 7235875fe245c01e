"""Published bulletins, read and written: `bulletin publish`, and each bulletin's editions for the site.

`publish_bulletin` seals a month (or, with `erratum`, seals its pending erratum, copying each
replaced file's sealed version out of git into `bulletins/<month>/erratum-<n>/`). `editions`
rebuilds, for each published bulletin, the data as sealed: today's files with the sealed copies
put back and later months left out, computed with the sealed method settings. No git is needed
to build; `bulletin validate` has checked that today's files and the copies match the seals.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from site_builder import paths, revisions
from site_builder.compute import compute
from site_builder.compute.errata import Edition
from site_builder.contract import REPORTS
from site_builder.datapackage import set_report_paths
from site_builder.documents import Bulletin, ChangedFile, Method, next_number
from site_builder.findings import Finding, has_errors
from site_builder.load import Sources, load_sources, overlaid
from site_builder.model import Dataset, build_dataset
from site_builder.publication import (
    PublishRefused,
    follow_erratum,
    published,
    record_text,
    seal_pending,
)
from site_builder.publish import write_files
from site_builder.seal import Sealer, changes, copy_path, digest_bytes, effective_seal
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


def publish_bulletin(data_dir: Path, month: str, on: dt.date, *, erratum: bool = False) -> Published:
    """Publish month's bulletin (or seal its pending erratum) dated `on`; raises `PublishRefused`."""
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
        return _publish(data_dir, validated, dataset, sealer, existing=existing, month=month, on=on)
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
    bulletin = published(existing, month, dataset.programme, number=number, issued_on=on, files=sealer.seal(month))
    written = _write_records(data_dir, {bulletin_file(month): bulletin})
    return Published(validated, (bulletin,), tuple(written))


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


# Editions for the site


def editions(
    sources: Sources, validated: Validated, dataset: Dataset, today: dt.date
) -> tuple[dict[str, list[Edition]], list[Finding]]:
    """For each published bulletin that was corrected, or computed with other settings than today's,
    its editions: as issued, then after each erratum. Bulletins shown from today's data are left out."""
    data_dir = sources.root
    out: dict[str, list[Edition]] = {}
    problems: list[Finding] = []
    sealer = Sealer(sources, validated.contract)
    descriptor = (data_dir / "datapackage.yaml").read_text(encoding="utf-8")
    for path, bulletin in sorted(validated.bulletins.items()):
        if not bulletin.published or bulletin.manifest is None:
            continue
        if not bulletin.corrected and bulletin.manifest.method == Method.of(dataset.programme):
            continue
        states = []
        for index in range(len(bulletin.corrected) + 1):
            overlay = _overlay(data_dir, bulletin, index, sealer=sealer, validated=validated, descriptor=descriptor)
            state_sources = overlaid(sources, overlay)
            state = validate(state_sources, today)
            errors = [f for f in state.findings if f.severity == "error" and not f.code.startswith("bulletin-")]
            if has_errors(errors):
                detail = f"按封存数据重新计算失败（{errors[0].file}：{errors[0].message()}）"
                params = {"month": bulletin.month, "number": bulletin.number, "detail": detail}
                problems.append(Finding("bulletin-frozen", path, params=params))
                break
            model = _with_method(build_dataset(state), bulletin.manifest.method)
            states.append(Edition(model, compute(model)))
        else:
            out[bulletin.month] = states
    return out, problems


def _with_method(dataset: Dataset, method: Method) -> Dataset:
    """The model computed with the method settings a bulletin was sealed with."""
    settings = {item.name: getattr(method, item.name) for item in dataclasses.fields(Method)}
    return dataclasses.replace(dataset, programme=dataclasses.replace(dataset.programme, **settings))


def _overlay(
    data_dir: Path, bulletin: Bulletin, index: int, *, sealer: Sealer, validated: Validated, descriptor: str
) -> dict[str, bytes | None]:
    """The files to put back for the edition after `index` errata (0: as issued), later months left out."""
    overlay: dict[str, bytes | None] = {}
    for number, erratum in enumerate(bulletin.corrected, start=1):
        if number <= index:
            continue
        for change in erratum.files:
            if change.path not in overlay:
                copy = data_dir / copy_path(bulletin.month, number, change.path)
                overlay[change.path] = copy.read_bytes() if change.previous is not None else None
    tables = validated.contract.tables
    reports = tables[REPORTS].paths
    for path in reports:
        if path not in overlay and path in sealer.sources.csv and sealer.digest(path, bulletin.month) is None:
            overlay[path] = None
    fixed = {path for name, table in tables.items() if name != REPORTS for path in table.paths}
    restored = {path for path, raw in overlay.items() if raw is not None and path not in fixed}
    kept = sorted({path for path in reports if overlay.get(path, b"") is not None} | restored)
    overlay["datapackage.yaml"] = set_report_paths(descriptor, kept).encode("utf-8")
    return overlay
