"""Seals of published bulletins: which data files a month's figures come from, and their digests.

A bulletin of month M is computed from the districts, the indicators, the year's targets, the
benchmarks and the reports of the months up to M. Its seal lists each of those files with its
SHA-256. A file that also holds rows outside the bulletin (a later month's benchmarks, another
year's targets) is digested without the lines of those rows, so that adding October's benchmarks
does not touch September's seal; the entry then says `rows_through: M`, and the digest equals
`grep -v` of the later lines piped to `sha256sum`. A file whose rows are all in scope is digested
whole: its entry is the file's own `sha256sum`.

Pure functions over what `load` read; `bulletin validate` compares, `bulletin publish` writes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from site_builder.contract import REPORTS, Contract
from site_builder.documents import Bulletin, ChangedFile, SealedFile
from site_builder.load import BOM, CsvFile, Sources, decode, parse_csv

SEALED_TABLES = ("regions", "indicators", "targets", "benchmarks", REPORTS)
MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
YEAR = re.compile(r"[0-9]{4}")


def in_scope(month: str, row_month: str | None, row_year: str | None) -> bool:
    """Whether a row (by its month and year cells, when the table has them) counts for month's bulletin.
    A row whose month or year is not one (a typo, a stray line) counts: it is never left out of a digest."""
    if row_month is not None and MONTH.fullmatch(row_month) and row_month > month:
        return False
    return row_year is None or not YEAR.fullmatch(row_year) or row_year == month[:4]


@dataclass(frozen=True)
class _Records:
    """A CSV file's records as (first line, last line, month, year), the header's last line."""

    spans: list[tuple[int, int, str | None, str | None]]
    header_end: int


def _records(csv_file: CsvFile) -> _Records:
    header = csv_file.header
    month_at = header.index("month") if "month" in header else None
    year_at = header.index("year") if "year" in header else None
    total = csv_file.text.count("\n") + 1
    starts = csv_file.lines
    spans = []
    for index, row in enumerate(csv_file.rows):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else total
        month = row[month_at].strip() if month_at is not None and month_at < len(row) else None
        year = row[year_at].strip() if year_at is not None and year_at < len(row) else None
        spans.append((starts[index], end, month, year))
    header_end = (starts[0] - 1) if starts else total
    return _Records(spans, header_end)


def digest_of(csv_file: CsvFile, file_digest: str, month: str, records: _Records | None = None) -> SealedFile | None:
    """The seal entry of one CSV file for month's bulletin; None when none of its rows counts for it."""
    records = records or _records(csv_file)
    kept = [in_scope(month, m, y) for _, _, m, y in records.spans]
    dated = "month" in csv_file.header or "year" in csv_file.header
    if dated and not any(kept):
        return None  # a later month's file, or one with no rows yet: none of its figures is in the bulletin
    if all(kept):
        return SealedFile(csv_file.path, file_digest)
    lines = csv_file.text.split("\n")
    chosen = list(range(records.header_end))
    for (first, last, _, _), keep in zip(records.spans, kept, strict=True):
        if keep:
            chosen += range(first - 1, last)
    text = "\n".join(lines[i] for i in chosen)
    if chosen and chosen[-1] < len(lines) - 1:
        text += "\n"  # the last kept line ended with a newline in the file
    raw = (BOM.encode("utf-8") if csv_file.bom else b"") + text.encode("utf-8")
    return SealedFile(csv_file.path, hashlib.sha256(raw).hexdigest(), rows_through=month)


def digest_bytes(path: str, raw: bytes, month: str) -> str | None:
    """The digest `raw`, as the content of `path`, would have in month's seal (for versions read from git)."""
    text, problem = decode(raw, path)
    csv_file = parse_csv(path, text)[0] if text is not None and problem is None else None
    if csv_file is None:
        return hashlib.sha256(raw).hexdigest()
    csv_file.bom = raw.startswith(BOM.encode("utf-8"))
    entry = digest_of(csv_file, hashlib.sha256(raw).hexdigest(), month)
    return entry.sha256 if entry else None


class Sealer:
    """Digests of the files behind any month's bulletin, for one loaded folder (records read once)."""

    def __init__(self, sources: Sources, contract: Contract) -> None:
        self.sources = sources
        self.contract = contract
        self._records: dict[str, _Records] = {}

    def paths(self) -> list[str]:
        """Every file of the sealed tables that is present, in the contract's order."""
        out: list[str] = []
        for name in SEALED_TABLES:
            table = self.contract.tables.get(name)
            if table is not None:
                out += [path for path in table.paths if path in self.sources.csv]
        return out

    def digest(self, path: str, month: str) -> SealedFile | None:
        """The file's seal entry for month's bulletin; None when it is not read or none of its rows counts."""
        csv_file = self.sources.csv.get(path)
        if csv_file is None:
            return None
        if path not in self._records:
            self._records[path] = _records(csv_file)
        return digest_of(csv_file, self.sources.digests[path], month, self._records[path])

    def seal(self, month: str) -> list[SealedFile]:
        """Every file month's figures come from, with its digest."""
        return [entry for path in self.paths() if (entry := self.digest(path, month)) is not None]


def effective_seal(bulletin: Bulletin) -> dict[str, str]:
    """The digests a published bulletin is sealed to now: its manifest's, then each sealed erratum's."""
    if bulletin.manifest is None:
        return {}
    digests = {entry.path: entry.sha256 for entry in bulletin.manifest.files}
    for erratum in bulletin.corrected:
        for change in erratum.files:
            if change.sha256 is None:
                digests.pop(change.path, None)
            else:
                digests[change.path] = change.sha256
    return digests


def changes(sealed: dict[str, str], current: list[SealedFile]) -> list[ChangedFile]:
    """The files whose digests differ from the seal: changed, added (no previous) and removed (no digest)."""
    now = {entry.path: entry for entry in current}
    out = []
    for path in sorted(set(sealed) | set(now)):
        entry = now.get(path)
        digest = entry.sha256 if entry else None
        if digest != sealed.get(path):
            out.append(ChangedFile(path, digest, sealed.get(path), entry.rows_through if entry else None))
    return out


def copy_path(month: str, erratum_number: int, path: str) -> str:
    """Where the sealed copy of `path` replaced by the bulletin's erratum number `erratum_number` is kept."""
    return f"bulletins/{month}/erratum-{erratum_number}/{path}"
