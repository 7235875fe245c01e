"""The publication history of a simulated example: each month's bulletin published, one erratum sealed.

`scripts/simulate.py` calls `publication_history` with the report files it generated. In a
temporary git repository holding the example as it stood when the bulletins were issued, it runs
`bulletin publish` for each month in order (dated the `issue_day` of the following month), then
makes the example's correction (a figure a district under-reported, found after publication),
records the erratum and seals it with `bulletin publish MONTH --erratum`, as an office would. The
resulting `bulletins/` files are returned, so that `simulate.py --check` also checks them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_builder.commands.publish import publish_bulletin


@dataclass(frozen=True)
class Correction:
    """A published figure corrected by an erratum: a share of the next month's increase was missed."""

    month: int
    region: str
    indicator: str
    share: float  # of the increase to the next month that belongs to this month
    found_on: dt.date  # the erratum's date; sealed the day after
    description: str  # takes {old} and {new}
    reason: str
    approved_by: str


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def _render(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def correct(files: dict[Path, bytes], folder: Path, year: int, fix: Correction) -> tuple[Path, bytes, str]:
    """Apply the correction to the generated files (in place); return the file, its bytes as issued, and the
    erratum's description."""
    path = folder / "reports" / f"{year}-{fix.month:02d}" / f"{fix.region}.csv"
    following = folder / "reports" / f"{year}-{fix.month + 1:02d}" / f"{fix.region}.csv"
    issued = files[path]
    rows, later = _rows(issued), _rows(files[following])
    header = rows[0]
    value, corrected_on, note = (header.index(c) for c in ("value", "corrected_on", "explanation"))
    row = next(r for r in rows if r[header.index("indicator_id")] == fix.indicator)
    next_value = next(r for r in later if r[header.index("indicator_id")] == fix.indicator)[value]
    old = float(row[value])
    new = round(old + (float(next_value) - old) * fix.share)
    description = fix.description.format(old=f"{old:g}", new=f"{new:g}")
    row[value] = f"{new:g}"
    row[corrected_on] = fix.found_on.isoformat()
    row[note] = f"更正：{description}（已发通报更正）。" + row[note]
    files[path] = _render(rows)
    return path, issued, description


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "示例", "GIT_AUTHOR_EMAIL": "example@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "示例", "GIT_COMMITTER_EMAIL": "example@example.invalid"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def publication_history(
    folder: Path, files: dict[Path, bytes], months: list[str], issue_day: int, fix: Correction | None
) -> dict[Path, bytes]:
    """The example's `bulletins/` files after publishing `months` in order and sealing the correction."""
    year = int(months[0][:4])
    corrected = correct(files, folder, year, fix) if fix else None
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        data = repo / "data"
        shutil.copytree(folder, data, ignore=shutil.ignore_patterns("bulletins", ".*"))
        for path, content in files.items():
            (data / path.relative_to(folder)).parent.mkdir(parents=True, exist_ok=True)
            (data / path.relative_to(folder)).write_bytes(content)
        if corrected:
            (data / corrected[0].relative_to(folder)).write_bytes(corrected[1])  # as it stood when issued
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "data as issued")
        for month in months:
            number = int(month[5:7])
            issued = dt.date(year + number // 12, number % 12 + 1, issue_day)
            publish_bulletin(data, month, issued)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "bulletins published")
        if corrected and fix:
            (data / corrected[0].relative_to(folder)).write_bytes(files[corrected[0]])
            record = data / "bulletins" / f"{year}-{fix.month:02d}.yaml"
            erratum = {"date": fix.found_on, "description": corrected[2], "reason": fix.reason}
            erratum["approved_by"] = fix.approved_by
            with record.open("a", encoding="utf-8") as handle:
                handle.write(yaml.safe_dump({"errata": [erratum]}, allow_unicode=True, sort_keys=False))
            publish_bulletin(data, f"{year}-{fix.month:02d}", fix.found_on + dt.timedelta(days=1), erratum=True)
        out = {}
        for path in sorted((data / "bulletins").rglob("*")):
            if path.is_file():
                out[folder / path.relative_to(data)] = path.read_bytes()
        return out
