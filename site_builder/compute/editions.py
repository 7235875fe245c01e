"""A corrected bulletin's editions: its figures as issued, and after each erratum (no I/O).

For each published bulletin that was corrected, or sealed with other method settings than today's,
the data as sealed are rebuilt from the folder already read: today's files with the sealed copies
kept for its errata put back (`bulletins/<month>/erratum-<n>/...`, read with the folder), later
months left out, validated, modelled and computed with the sealed method settings. `bulletin
validate` has checked that today's files and the copies match the seals, so no git is needed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from site_builder.compute import compute
from site_builder.compute.errata import Edition
from site_builder.core.contract import REPORTS
from site_builder.core.documents import Bulletin, Method
from site_builder.core.findings import Finding, has_errors
from site_builder.files.descriptor import set_report_paths
from site_builder.issuing.seal import Sealer, copy_path
from site_builder.load import Sources, overlaid
from site_builder.model import Dataset, build_dataset
from site_builder.validate import Validated, validate

Editions = dict[str, list[Edition]]  # month -> the bulletin's editions: as issued, then after each erratum


def editions(
    sources: Sources, validated: Validated, dataset: Dataset, today: dt.date
) -> tuple[Editions, list[Finding]]:
    """The editions of every bulletin not shown from today's data, and a finding for each that cannot be rebuilt."""
    out: Editions = {}
    problems: list[Finding] = []
    sealer = Sealer(sources, validated.contract)
    for path, bulletin in sorted(validated.bulletins.items()):
        if not bulletin.published or bulletin.manifest is None:
            continue
        own_year = dataclasses.replace(dataset.programme, year=int(bulletin.month[:4]))  # a past year's bulletin
        if not bulletin.corrected and bulletin.manifest.method == Method.of(own_year):
            continue
        states = []
        for index in range(len(bulletin.corrected) + 1):
            overlay, missing = _overlay(sources, bulletin, index, sealer=sealer, validated=validated)
            state = validate(overlaid(sources, overlay), today)
            errors = [f for f in state.findings if f.severity == "error" and not f.code.startswith("bulletin-")]
            if missing or has_errors(errors):
                cause = f"缺少封存副本 {missing}" if missing else f"{errors[0].file}：{errors[0].message()}"
                params = {
                    "month": bulletin.month,
                    "number": bulletin.number,
                    "detail": f"按封存数据重新计算失败（{cause}）",
                }
                problems.append(Finding("bulletin-frozen", path, params=params))
                break
            model = _with_method(build_dataset(state), bulletin.manifest.method, int(bulletin.month[:4]))
            states.append(Edition(model, compute(model)))
        else:
            out[bulletin.month] = states
    return out, problems


def _with_method(dataset: Dataset, method: Method, year: int) -> Dataset:
    """The model computed with the method settings a bulletin was sealed with, for the bulletin's own year
    (a bulletin of a past year is computed for that year, whatever programme.yaml's `year` is now)."""
    settings = {item.name: getattr(method, item.name) for item in dataclasses.fields(Method)}
    settings["year"] = year
    return dataclasses.replace(dataset, programme=dataclasses.replace(dataset.programme, **settings))


def _overlay(
    sources: Sources, bulletin: Bulletin, index: int, *, sealer: Sealer, validated: Validated
) -> tuple[dict[str, bytes | None], str | None]:
    """The files to put back for the edition after `index` errata (0: as issued), later months left out;
    and the first sealed copy the folder lacks (None when every one was read)."""
    overlay: dict[str, bytes | None] = {}
    for number, erratum in enumerate(bulletin.corrected, start=1):
        if number <= index:
            continue
        for change in erratum.files:
            if change.path not in overlay:
                if change.previous is None:
                    overlay[change.path] = None
                    continue
                copy = copy_path(bulletin.month, number, change.path)
                if copy not in sources.csv:
                    return overlay, copy
                overlay[change.path] = sources.csv[copy].raw
    tables = validated.contract.tables
    reports = tables[REPORTS].paths
    for path in reports:
        if path not in overlay and path in sealer.sources.csv and sealer.digest(path, bulletin.month) is None:
            overlay[path] = None
    fixed = {path for name, table in tables.items() if name != REPORTS for path in table.paths}
    restored = {path for path, raw in overlay.items() if raw is not None and path not in fixed}
    kept = sorted({path for path in reports if overlay.get(path, b"") is not None} | restored)
    overlay["datapackage.yaml"] = set_report_paths(sources.descriptor, kept).encode("utf-8")
    return overlay, None
