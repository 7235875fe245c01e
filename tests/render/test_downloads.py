"""Downloads: CSV with BOM, one XLSX per bulletin, formula injection neutralized, same bytes every time."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import openpyxl.worksheet._writer
import pytest

from site_builder.render import downloads
from site_builder.render.base import page_url
from site_builder.render.bulletins import xlsx_path
from tests.conftest import VALID
from tests.render.helpers import FOLDERS, assert_links, context, context_of, edit_csv

SHEETS = ["综合排名", "各指标完成情况", "报送情况"]
FORMULAS = ['=HYPERLINK("http://x.invalid","点击")', "+1+1", "-2+3", "@SUM(A1:A2)"]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def open_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("name", FOLDERS)
def test_every_listed_file_is_built_and_linked(name: str) -> None:
    ctx = context(name)
    files = downloads.files(ctx)
    listed = [item.path for item in downloads.downloads(ctx)]
    assert set(listed) == set(files) | {downloads.DATA_PACKAGE}
    assert {xlsx_path(m) for m in ctx.months} <= set(files)
    [page] = downloads.pages(ctx)
    assert page.path == "downloads.md"
    assert page.body.startswith("# 数据下载\n")
    for path in listed:
        assert f'href="{page_url(path, page.path)}"' in page.body
    assert_links(page, ctx)


def test_csv_tables_hold_every_row() -> None:
    ctx = context("data")
    files = downloads.files(ctx)
    year = ctx.dataset.programme.year
    progress = read_csv(files[f"downloads/progress-{year}.csv"])
    assert progress[0][:5] == ["month", "region_id", "region_name", "indicator_id", "indicator_name"]
    assert len(progress) - 1 == len(ctx.months) * len(ctx.dataset.regions) * len(ctx.dataset.indicators)
    assert "海拉尔区" in {row[2] for row in progress[1:]}
    standings = read_csv(files[f"downloads/standings-{year}.csv"])
    september = [row for row in standings[1:] if row[0] == "2011-09"]
    first = min(september, key=lambda row: int(row[standings[0].index("rank")]))
    assert first[2] == "满洲里市"
    compliance = read_csv(files[f"downloads/compliance-{year}.csv"])
    assert {row[compliance[0].index("status")] for row in compliance[1:]} == {"on_time", "late"}
    city = read_csv(files[f"downloads/city-{year}.csv"])
    assert len(city) - 1 == len(ctx.months) * len(ctx.dataset.indicators)


def test_bulletin_workbook_of_the_example() -> None:
    ctx = context("data")
    book = open_xlsx(downloads.files(ctx)[xlsx_path("2011-09")])
    assert book.sheetnames == SHEETS
    ranking = book["综合排名"]
    header = [cell.value for cell in ranking[1]]
    assert header[:3] == ["名次", "旗市区", "综合得分"]
    assert ranking["A1"].font.b
    names = [row[1] for row in ranking.iter_rows(min_row=2, values_only=True)]
    assert names == [row.name for row in ctx.rankings["2011-09"]]
    assert names[0] == "满洲里市"
    assert ranking.freeze_panes == "C2"
    assert ranking.column_dimensions["B"].width >= 10
    progress = book["各指标完成情况"]
    assert progress.max_row == 1 + len(ctx.dataset.indicators) * (1 + len(ctx.dataset.regions))
    assert progress.freeze_panes == "C2"
    assert progress["F2"].number_format == "0.0%"
    assert book["报送情况"].max_row == 1 + len(ctx.dataset.regions)


def test_same_bytes_every_time_and_no_temporary_files(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> str:
        raise AssertionError("a temporary file was created")

    monkeypatch.setattr(openpyxl.worksheet._writer, "create_temporary_file", refuse)
    ctx = context("fixture")
    first, second = downloads.files(ctx), downloads.files(ctx)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first[xlsx_path("2011-02")])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2011, 2, 28, 0, 0, 0)}  # the due date
    assert open_xlsx(first[xlsx_path("2011-02")]).properties.created.year == 2011


def test_formulas_from_the_data_stay_text(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    edit_csv(folder / "regions.csv", {"name": FORMULAS[0]}, where={"id": "hill"})
    for index, report in enumerate(sorted((folder / "reports").rglob("*.csv"))):
        edit_csv(report, {"explanation": FORMULAS[index % len(FORMULAS)]})
    ctx = context_of(folder)
    files = downloads.files(ctx)
    for month in ctx.months:
        data = files[xlsx_path(month)]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
            assert sheets
            assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
        book = open_xlsx(data)
        seen = set()
        for sheet in book:
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.data_type == "s", (sheet.title, cell.coordinate)
                        assert cell.quotePrefix, (sheet.title, cell.coordinate)
                        seen.add(cell.value)
        assert FORMULAS[0] in seen
        assert len(seen) >= 2
    progress = read_csv(files[f"downloads/progress-{ctx.dataset.programme.year}.csv"])
    cells = {cell for row in progress[1:] for cell in row}
    assert {"'" + formula for formula in FORMULAS} <= cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert not any(cell.startswith("-") and not cell[1:2].isdigit() for cell in cells)  # negative numbers stay numbers
