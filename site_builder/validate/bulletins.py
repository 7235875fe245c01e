"""Published bulletins stay as published: publication records, issue numbers, and frozen data.

A published bulletin's file holds the manifest `bulletin publish` wrote (every data file its
figures come from, with SHA-256, and the method settings) and the errata sealed since by
`bulletin publish --erratum`. Today's data must match that seal; the sealed copies kept for the
errata must match the digests they replaced. Any other change is `bulletin-frozen`. The method
settings are recorded, not frozen: a bulletin is shown computed with the settings it was sealed with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from site_builder.core.contract import Contract
from site_builder.core.documents import Bulletin, read_sums
from site_builder.core.findings import Finding
from site_builder.core.paths import UnsafePath
from site_builder.issuing.seal import Sealer, copy_path, effective_seal
from site_builder.load import Sources, YamlFile

_ERRATA_KEY = re.compile(r"\s*errata\s*[:：]")  # `errata:` at the start of a line of the manifest's files


def check_bulletins(bulletins: dict[str, Bulletin], sources: Sources, contract: Contract) -> Iterator[Finding]:
    yield from _numbers(bulletins, sources)
    sealer = Sealer(sources, contract)
    for path, bulletin in bulletins.items():
        doc = sources.yaml[path]
        yield from _record(doc, bulletin)
        if bulletin.published and bulletin.manifest is not None:
            yield from _frozen(doc, bulletin, sources, sealer)


def _unsealed(doc: YamlFile, bulletin: Bulletin, where: tuple[object, ...], detail: str) -> Finding:
    line, column = doc.mark(where)
    return Finding("bulletin-unsealed", doc.path, line, column, params={"month": bulletin.month, "detail": detail})


def _record(doc: YamlFile, bulletin: Bulletin) -> Iterator[Finding]:
    if not bulletin.published:
        if bulletin.manifest is not None:
            yield _unsealed(doc, bulletin, ("manifest",), "草稿不应有封存清单（manifest）")
        if bulletin.errata:
            yield _unsealed(doc, bulletin, ("errata",), "草稿不能有更正记录，更正只针对已发布的通报")
        return
    missing = [name for name in ("number", "issued_on", "manifest") if getattr(bulletin, name) is None]
    if missing:
        yield _unsealed(doc, bulletin, ("status",), f"标为已发布，但缺少 {', '.join(missing)}")
    if bulletin.manifest is not None:
        line, _ = doc.mark(("manifest", "files"))
        for index, text in read_sums(bulletin.manifest.files)[1]:
            where = line + 1 + index  # a block scalar's lines start below its key
            if _ERRATA_KEY.match(text):  # errata typed below the manifest, indented: one finding, not one a line
                yield Finding(
                    "bulletin-errata-indented", doc.path, where, 1, text.strip()[:80], {"month": bulletin.month}
                )
                break
            detail = f"封存清单第{index + 1}行不是“摘要  路径”：{text[:40]}"
            params = {"month": bulletin.month, "detail": detail}
            yield Finding("bulletin-unsealed", doc.path, where, 5, text[:80], params)
    for index, erratum in enumerate(bulletin.errata):
        if erratum.sealed_on is None:
            detail = f"第{index + 1}条更正尚未封存"
            yield _unsealed(doc, bulletin, ("errata", index), detail)
        elif any(earlier.sealed_on is None for earlier in bulletin.errata[:index]):
            yield _unsealed(doc, bulletin, ("errata", index), f"第{index + 1}条更正在未封存的更正之后")


def _numbers(bulletins: dict[str, Bulletin], sources: Sources) -> Iterator[Finding]:
    taken: dict[tuple[str, int], str] = {}
    for path, bulletin in sorted(bulletins.items(), key=lambda item: (not item[1].published, item[0])):
        if bulletin.number is None:
            continue
        key = (bulletin.month[:4], bulletin.number)
        if key in taken:
            line, column = sources.yaml[path].mark(("number",))
            params = {"year": key[0], "other": taken[key]}
            yield Finding("bulletin-number-duplicate", path, line, column, str(bulletin.number), params)
        else:
            taken[key] = bulletin.month


def _frozen(doc: YamlFile, bulletin: Bulletin, sources: Sources, sealer: Sealer) -> Iterator[Finding]:
    params = {"month": bulletin.month, "number": bulletin.number}
    sealed = effective_seal(bulletin)
    current = {entry.path: entry.sha256 for entry in sealer.seal(bulletin.month)}
    for path in sorted(set(sealed) | set(current)):
        if path not in current:
            detail = f"{path} 已被删除" if path not in sources.digests else f"{path} 中本月及以前的数据已被删除"
            yield Finding("bulletin-frozen", path, value=path, params={**params, "detail": detail})
        elif path not in sealed:
            yield Finding("bulletin-frozen", path, value=path, params={**params, "detail": f"新增了 {path}"})
        elif current[path] != sealed[path]:
            detail = f"{path} 的摘要由 {sealed[path][:12]}… 变为 {current[path][:12]}…"
            yield Finding("bulletin-frozen", path, value=path, params={**params, "detail": detail})
    for number, erratum in enumerate(bulletin.errata, start=1):
        for index, change in enumerate(erratum.files):
            if change.previous is None:
                continue
            try:
                copy = copy_path(bulletin.month, number, change.path)
            except UnsafePath:  # a path outside the folder is never looked up: as a copy that is missing
                copy = f"bulletins/{bulletin.month}/erratum-{number}/{change.path}"
            entry = sealer.digest(copy, bulletin.month)
            if entry is None or entry.sha256 != change.previous:
                if copy in sources.digests:
                    detail = f"第{number}条更正保存的封存副本 {copy} 与记录的摘要不符"
                    yield Finding("bulletin-frozen", copy, value=copy, params={**params, "detail": detail})
                else:
                    line, column = doc.mark(("errata", number - 1, "files", index))
                    detail = f"第{number}条更正保存的封存副本 {copy} 缺失"
                    yield Finding("bulletin-frozen", doc.path, line, column, copy, {**params, "detail": detail})
