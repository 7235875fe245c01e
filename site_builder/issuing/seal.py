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

from site_builder.core import paths
from site_builder.core.contract import REPORTS, Contract
from site_builder.core.documents import Bulletin, ChangedFile, SealedFile
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


Key = tuple[str | None, str | None]  # a row's month and year cells (None: the table has no such column)


@dataclass(frozen=True)
class _Records:
    """A CSV file's records as (first line, last line, month, year), the header's last line."""

    spans: list[tuple[int, int, str | None, str | None]]
    header_end: int


def _columns(header: list[str]) -> tuple[int | None, int | None]:
    return (header.index("month") if "month" in header else None, header.index("year") if "year" in header else None)


def _cells(body: str, at: int) -> tuple[set[str], bool]:
    """The distinct cells `at` (stripped) of the records of a body without quotes, and whether every
    record has one. A record is a line with a character other than commas and carriage returns; split
    with `str` methods, which is faster than one regular expression over the body."""
    lines = body.split("\n")
    if body.endswith("\n") or not body:
        lines.pop()
    records = [line for line in lines if line.strip(",\r")]
    cells = [parts[at] for parts in (line.split(",", at + 1) for line in records) if len(parts) > at]
    return {cell.strip() for cell in cells}, len(cells) in (len(lines), len(records))


def _keys(csv_file: CsvFile) -> frozenset[Key]:
    """The distinct (month, year) cells of the file's records: usually one. Found with `str` methods
    over a file without quotes (most reports, `_cells`), so that sealing a year of a national programme
    does not parse millions of records with the csv module."""
    month_at, year_at = _columns(csv_file.header)
    if month_at is None and year_at is None:
        return frozenset()
    if csv_file.plain and (month_at is None or year_at is None):
        at = month_at if month_at is not None else year_at
        values, whole = _cells(csv_file.text[csv_file.body_start :], at or 0)
        if whole:  # every record has the cell
            return frozenset((v, None) if month_at is not None else (None, v) for v in values)
    return frozenset((m, y) for _, _, m, y in _records(csv_file).spans)


def _records(csv_file: CsvFile) -> _Records:
    month_at, year_at = _columns(csv_file.header)
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


def _verdict(month: str, keys: frozenset[Key], dated: bool) -> bool | None:
    """Whether a file with rows of these (month, year) cells is in month's seal whole (True), not at all
    (False: a later month's file, or a dated one with no rows yet), or with some of its rows (None)."""
    inside = [in_scope(month, *key) for key in keys]
    if dated and not any(inside):
        return False
    return True if all(inside) else None


def _dated(csv_file: CsvFile) -> bool:
    return "month" in csv_file.header or "year" in csv_file.header


def digest_of(csv_file: CsvFile, file_digest: str, month: str, keys: frozenset[Key] | None = None) -> SealedFile | None:
    """The seal entry of one CSV file for month's bulletin; None when none of its rows counts for it."""
    keys = _keys(csv_file) if keys is None else keys
    verdict = _verdict(month, keys, _dated(csv_file))
    if verdict is not None:
        return SealedFile(csv_file.path, file_digest) if verdict else None
    records = _records(csv_file)  # some rows in, some out: the lines of each record are needed
    kept = [in_scope(month, m, y) for _, _, m, y in records.spans]
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
        self._keys: dict[str, frozenset[Key]] = {}
        self._paths: list[str] | None = None
        self._shapes: tuple[list[tuple[frozenset[Key], bool]], list[int]] | None = None

    def paths(self) -> list[str]:
        """Every file of the sealed tables that is present, in the contract's order."""
        if self._paths is None:
            self._paths = []
            for name in SEALED_TABLES:
                table = self.contract.tables.get(name)
                if table is not None:
                    self._paths += [path for path in table.paths if path in self.sources.csv]
        return self._paths

    def digest(self, path: str, month: str) -> SealedFile | None:
        """The file's seal entry for month's bulletin; None when it is not read or none of its rows counts."""
        csv_file = self.sources.csv.get(path)
        if csv_file is None:
            return None
        if path not in self._keys:
            self._keys[path] = _keys(csv_file)
        return digest_of(csv_file, self.sources.digests[path], month, self._keys[path])

    def shapes(self) -> tuple[list[tuple[frozenset[Key], bool]], list[int]]:
        """The distinct shapes ((month, year) cells, dated) of the files of `paths()`, and each file's
        index among them: found once for every month sealed or checked."""
        if self._shapes is None:
            distinct: dict[tuple[frozenset[Key], bool], int] = {}
            of_path: list[int] = []
            for path in self.paths():
                csv_file = self.sources.csv[path]
                if path not in self._keys:
                    self._keys[path] = _keys(csv_file)
                of_path.append(distinct.setdefault((self._keys[path], _dated(csv_file)), len(distinct)))
            self._shapes = (list(distinct), of_path)
        return self._shapes

    def seal(self, month: str) -> list[SealedFile]:
        """Every file month's figures come from, with its digest. Files whose rows carry the same months
        (all of a month's reports) share one verdict, so a national year is sealed in a second."""
        out: list[SealedFile] = []
        shapes, of_path = self.shapes()
        verdicts = [_verdict(month, *shape) for shape in shapes]
        digests = self.sources.digests
        for path, shape in zip(self.paths(), of_path, strict=True):
            verdict = verdicts[shape]
            if verdict:
                out.append(SealedFile(path, digests[path]))
            elif verdict is None and (entry := self.digest(path, month)) is not None:
                out.append(entry)
        return out


def effective_seal(bulletin: Bulletin) -> dict[str, str]:
    """The digests a published bulletin is sealed to now: its manifest's, then each sealed erratum's."""
    if bulletin.manifest is None:
        return {}
    digests = {entry.path: entry.sha256 for entry in bulletin.manifest.entries()}
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
    """Where the sealed copy of `path` replaced by the bulletin's erratum number `erratum_number` is kept;
    raises `paths.UnsafePath` for a month or path that cannot be one of the data folder."""
    return paths.copy_path(month, erratum_number, path)
