"""Seals: a bulletin's files and their digests, which anyone can check with sha256sum and grep."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from site_builder.core.contract import parse_contract
from site_builder.issuing.seal import Sealer, _cells, digest_bytes, in_scope
from site_builder.load import load_sources
from tests.conftest import VALID


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(VALID, target)
    return target


def _sealer(folder: Path) -> Sealer:
    sources = load_sources(folder)
    contract, problems = parse_contract(sources.yaml["datapackage.yaml"].data, {})
    assert problems == []
    return Sealer(sources, contract)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_file_wholly_behind_the_bulletin_is_its_own_sha256sum(folder: Path) -> None:
    seal = {entry.path: entry for entry in _sealer(folder).seal("2011-02")}
    assert sorted(seal) == sorted(
        ["regions.csv", "indicators.csv", "targets.csv", "benchmarks.csv"]
        + [f"reports/2011-0{m}/{r}.csv" for m in (1, 2) for r in ("east", "hill", "west")]
    )
    for path, entry in seal.items():
        assert entry.sha256 == _sha((folder / path).read_bytes()), path
        assert entry.rows_through is None


def test_a_later_month_is_not_in_an_earlier_bulletin_and_its_rows_are_left_out(folder: Path) -> None:
    seal = {entry.path: entry for entry in _sealer(folder).seal("2011-01")}
    assert not any(path.startswith("reports/2011-02/") for path in seal)
    benchmarks = (folder / "benchmarks.csv").read_bytes()
    lines = benchmarks.splitlines(keepends=True)
    without_february = b"".join(line for line in lines if not line.startswith(b"2011-02"))
    assert seal["benchmarks.csv"].sha256 == _sha(without_february)  # what `grep -v '^2011-02' | sha256sum` prints
    assert seal["benchmarks.csv"].rows_through == "2011-01"


def test_adding_a_later_month_leaves_an_earlier_seal_alone(folder: Path) -> None:
    before = _sealer(folder).seal("2011-02")
    with (folder / "benchmarks.csv").open("a", encoding="utf-8") as handle:
        handle.write("2011-03,participation,93,测试\n")
    with (folder / "targets.csv").open("a", encoding="utf-8") as handle:
        handle.write("2012,east,participation,99\n")
    after = _sealer(folder).seal("2011-02")
    assert [(e.path, e.sha256) for e in after] == [(e.path, e.sha256) for e in before]
    assert {e.path: e.rows_through for e in after}["benchmarks.csv"] == "2011-02"


def test_changing_any_figure_behind_the_bulletin_changes_the_seal(folder: Path) -> None:
    before = {e.path: e.sha256 for e in _sealer(folder).seal("2011-02")}
    report = folder / "reports/2011-01/east.csv"
    report.write_text(report.read_text(encoding="utf-8").replace(",120,", ",121,"), encoding="utf-8")
    after = {e.path: e.sha256 for e in _sealer(folder).seal("2011-02")}
    assert [p for p in before if before[p] != after[p]] == ["reports/2011-01/east.csv"]


def test_a_byte_order_mark_and_crlf_line_ends_are_part_of_the_digest(folder: Path) -> None:
    path = folder / "benchmarks.csv"
    raw = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(raw)
    entry = next(e for e in _sealer(folder).seal("2011-01") if e.path == "benchmarks.csv")
    kept = b"".join(line for line in raw.splitlines(keepends=True) if not line.startswith(b"2011-02"))
    assert kept.startswith(b"\xef\xbb\xbf")
    assert entry.sha256 == _sha(kept)
    assert digest_bytes("benchmarks.csv", raw, "2011-01") == entry.sha256  # a version read from git digests alike


def test_scope_is_months_up_to_the_bulletin_within_its_year() -> None:
    assert in_scope("2011-05", "2011-05", None)
    assert in_scope("2011-05", "2011-01", None)
    assert not in_scope("2011-05", "2011-06", None)
    assert in_scope("2011-05", None, "2011")
    assert not in_scope("2011-05", None, "2012")
    assert in_scope("2011-05", None, None)
    assert in_scope("2011-05", "x", None)  # a stray row is never left out of a digest
    assert in_scope("2011-05", None, "20l2")


def test_sealing_a_folder_agrees_with_digesting_each_file(folder: Path) -> None:
    (folder / "reports/2011-02/hill.csv").write_text(
        "month,region_id,indicator_id,value,numerator,denominator,submitted_on,corrected_on,explanation\n",
        encoding="utf-8",
    )  # a report with no rows yet: none of its figures is in any bulletin
    with (folder / "benchmarks.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n,,,\n2011-03,participation,93,测试\n")  # a blank line, a row of empty cells, a later month
    sealer = _sealer(folder)
    for month in ("2011-01", "2011-02", "2011-03"):
        one_by_one = [entry for path in sealer.paths() if (entry := sealer.digest(path, month)) is not None]
        assert sealer.seal(month) == one_by_one
        assert "reports/2011-02/hill.csv" not in {entry.path for entry in one_by_one}


BODIES = [
    "",
    "\n",
    "\n\n",
    "x",
    "a,b",
    "a,b\n",
    "a,b,c\nd\n",
    "a\n\nb,c\n",
    ",,\n\r\n,x\n",
    " x ,1\r\n,\r\n",
    " ,\n2011-01,e",
]


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("at", [0, 1, 2])
def test_cells_agree_with_a_regular_expression_over_the_lines(body: str, at: int) -> None:
    # the reference: cell `at` of each line with a character other than commas and carriage returns
    cells = re.findall(r"^(?=[^\n]*[^,\r\n])(?:[^,\n]*,){" + str(at) + r"}([^,\n]*)", body, re.MULTILINE)
    lines = body.count("\n") + (0 if body.endswith("\n") or not body else 1)
    records = len(re.findall(r"^(?=[^\n]*[^,\r\n])", body, re.MULTILINE))
    assert _cells(body, at) == ({cell.strip() for cell in cells}, len(cells) in (lines, records))
