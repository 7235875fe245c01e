"""The validation benchmark still works (benchmarks/validatebench.py): both validators pass the same rows of
a small clone, and the reference table holds every report row once. No timing is asserted."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import REPO, benchmark


def test_both_validators_pass_the_same_rows_of_a_small_clone(tmp_path: Path) -> None:
    got = benchmark("validatebench").compare(14, tmp_path, repeat=1)  # the example's 13 districts and a clone
    assert got["ours_status"] == 0
    assert got["frictionless_status"] == 0
    months = [p for p in (REPO / "data" / "reports").iterdir() if p.is_dir()]
    assert got["files"] == 14 * len(months)
    table = tmp_path / "validate-14" / "frictionless" / "reports.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    assert len(rows) == got["rows"] > 14 * len(months)
    assert len({tuple(row[:3]) for row in rows}) == len(rows)  # the primary key holds


def test_the_fastest_run_counts_and_runs_that_disagree_are_flagged() -> None:
    fastest = benchmark("validatebench").fastest
    runs = [{"s": 2.0, "cpu_s": 1.5, "status": 0}, {"s": 1.0, "cpu_s": 1.8, "status": 0}]
    assert fastest(runs) == {"s": 1.0, "cpu_s": 1.5, "status": 0}
    assert fastest([*runs, {"s": 3.0, "cpu_s": 3.0, "status": 1}])["status"] == -1


def test_the_reference_declares_its_encoding_and_primary_key(tmp_path: Path) -> None:
    bench = benchmark("validatebench")
    (tmp_path / "data" / "reports" / "2011-01").mkdir(parents=True)
    report = "month,region_id,indicator_id,value,numerator,denominator,submitted_on,corrected_on,explanation\n"
    report += "2011-01,east,pilot,3,,,2011-01-25,,说明\n"
    (tmp_path / "data" / "reports" / "2011-01" / "east.csv").write_text(report, encoding="utf-8")
    descriptor, rows = bench.reference(tmp_path / "data", tmp_path / "ref")
    assert rows == 1
    settings = json.loads(descriptor.read_text(encoding="utf-8"))
    assert settings["encoding"] == "utf-8"
    assert settings["schema"]["primaryKey"] == ["month", "region_id", "indicator_id"]
    assert (tmp_path / "ref" / "reports.csv").read_text(encoding="utf-8").splitlines()[1].endswith("说明")
