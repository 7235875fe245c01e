"""The whole monthly cycle in a real git repository: new month, Excel forms out and back in,
commit, the reviewer's diff with rank moves, validation and the site build."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from site_builder.cli import main
from site_builder.commands.check import check
from tests.conftest import DUE_AND_NA, VALID, all_quarterly, git


def fill(form: Path, values: dict[str, tuple[float, ...]], explanation: str = "") -> None:
    """Type figures into a form's input cells as a clerk would (H value, I numerator, J denominator, K date)."""
    book = openpyxl.load_workbook(form)
    sheet = book["填报表"]
    for row in range(8, sheet.max_row + 1):
        indicator = sheet.cell(row, 1).value
        if indicator not in values:
            continue
        figures = values[indicator]
        if len(figures) == 2:
            sheet.cell(row, 9).value, sheet.cell(row, 10).value = figures
        else:
            sheet.cell(row, 8).value = figures[0]
        sheet.cell(row, 11).value = dt.datetime(2011, 3, 28)
        if explanation:
            sheet.cell(row, 12).value = explanation
    book.save(form)


def test_a_month_from_empty_files_to_the_published_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "clerk@example.org")
    git(repo, "config", "user.name", "医改办")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "二月数据")
    monkeypatch.chdir(repo)

    assert main(["new-month", "2011-03", "--data", "data"]) == 0
    assert main(["forms", "2011-03", "--data", "data", "--out", str(tmp_path / "forms")]) == 0
    forms = sorted((tmp_path / "forms").glob("*.xlsx"))
    assert len(forms) == 3
    by_region = {path.name.split("-")[0]: path for path in forms}
    # east keeps its lead; hill falls behind on screening, with a written explanation; west reports a strong month
    fill(by_region["东区"], {"participation": (97, 100), "screening": (360,), "pilot": (2,)})
    fill(by_region["山县"], {"participation": (93, 100), "screening": (200,), "pilot": (2,)}, "筛查车检修，下月补齐。")
    fill(by_region["西区"], {"participation": (99, 100), "screening": (380,), "pilot": (3,)})
    capsys.readouterr()
    assert main(["import", *map(str, forms), "--data", "data", "--month", "2011-03"]) == 0
    imported = capsys.readouterr().out
    assert "reports/2011-03/hill.csv" in imported
    assert [f for f in check(repo / "data").findings if f.severity == "error"] == []

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "三月报表")
    assert main(["diff", "HEAD~1", "HEAD", "--data", "data"]) == 0
    summary = capsys.readouterr().out
    assert "2011-03" in summary  # the month added
    assert "`reports/2011-03/`（3 个报表）" in summary
    assert "|  | 筛查人数 | 上月 260 → 200 |" in summary  # hill's form against its February report
    assert "筛查车检修，下月补齐。" in summary
    assert "| 1 | 西区 | " in summary  # west moves up in March's ranking

    assert main(["rank", "2011-03", "--data", "data", "--format", "csv"]) == 0
    ranking = capsys.readouterr().out.splitlines()
    assert ranking[1].split(",")[2] == "west"
    assert main(["validate", "--data", "data"]) == 0
    assert main(["build", "--data", "data", "--site-dir", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "bulletins" / "2011-03" / "index.html").exists()


def _indicators(path: Path) -> list[str]:
    return [line.split(",")[2] for line in path.read_text(encoding="utf-8").splitlines()[1:]]


def test_new_month_asks_only_for_what_is_due_and_applicable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(DUE_AND_NA, data)
    assert main(["new-month", "2011-03", "--data", str(data)]) == 0
    assert _indicators(data / "reports/2011-03/east.csv") == ["participation", "screening", "cost_growth"]
    assert _indicators(data / "reports/2011-03/west.csv") == ["participation", "screening", "pilot", "cost_growth"]
    assert main(["new-month", "2011-04", "--data", str(data)]) == 0
    assert _indicators(data / "reports/2011-04/east.csv") == ["participation", "cost_growth"]  # screening not due
    assert _indicators(data / "reports/2011-04/hill.csv") == ["participation", "pilot", "cost_growth"]
    descriptor = (data / "datapackage.yaml").read_text(encoding="utf-8")
    assert "reports/2011-04/east.csv" in descriptor
    assert [f for f in check(data).findings if f.severity == "error"] == []


def test_new_month_writes_no_file_where_nothing_is_due(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = all_quarterly(tmp_path / "data")
    descriptor = (data / "datapackage.yaml").read_bytes()
    capsys.readouterr()
    assert main(["new-month", "2011-04", "--data", str(data)]) == 0
    shown = capsys.readouterr().out
    assert not (data / "reports/2011-04").exists()
    assert (data / "datapackage.yaml").read_bytes() == descriptor
    assert shown.count("没有到报送期的指标") == 3
    assert "未生成 reports/2011-04/east.csv" in shown
    assert main(["new-month", "2011-04", "--data", str(data), "--lang", "en"]) == 0
    shown = capsys.readouterr().out
    assert "not made reports/2011-04/east.csv: no indicator is due in 2011-04" in shown
    assert not re.search(r"[\u4e00-\u9fff]", shown), shown  # every word of the message in English
    # a district whose due indicators are all not applicable: east, with only pilot due (half-yearly)
    indicators = data / "indicators.csv"
    lines = indicators.read_text(encoding="utf-8").splitlines()
    lines = [
        lines[0],
        *(line.rsplit(",", 1)[0] + (",half_yearly" if "pilot," in line else ",yearly") for line in lines[1:]),
    ]
    indicators.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["new-month", "2011-06", "--data", str(data)]) == 0
    shown = capsys.readouterr().out
    assert not (data / "reports/2011-06/east.csv").exists()
    assert _indicators(data / "reports/2011-06/west.csv") == ["pilot"]
    assert "未生成 reports/2011-06/east.csv：2011-06 到报送期的指标（试点进度）对该地区均不适用" in shown
