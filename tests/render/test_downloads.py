"""Downloads: CSV with BOM, one XLSX per bulletin, formula injection neutralized, same bytes every time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest

from site_builder.commands import check as pipeline
from site_builder.commands.check import check
from site_builder.load import Sources
from site_builder.render import downloads
from site_builder.render.base import page_url
from site_builder.render.bulletin_record import xlsx_path
from site_builder.validate import Validated, validate
from tests.conftest import TODAY, VALID
from tests.render.helpers import FOLDERS, assert_links, context, context_of, edit_csv

SHEETS = ["综合排名", "各指标完成情况", "报送情况"]
FORMULAS = ['=HYPERLINK("http://x.invalid","点击")', "+1+1", "-2+3", "@SUM(A1:A2)", "  =1+1", "\t=1+1"]
FORMULA_SIGNS = ("=", "+", "-", "@")


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
    assert ranking.auto_filter.ref == f"A1:Q{1 + len(names)}"
    assert ranking["C2"].number_format == "0.000"
    assert (book.properties.creator, book.properties.created.year) == (ctx.dataset.programme.bulletin.issuer, 2011)
    progress = book["各指标完成情况"]
    assert progress.max_row == 1 + len(ctx.dataset.indicators) * (1 + len(ctx.dataset.regions))
    assert progress.freeze_panes == "C2"
    assert progress["F2"].number_format == "0.0%"
    assert book["报送情况"].max_row == 1 + len(ctx.dataset.regions)


def test_same_bytes_every_time_and_no_temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "absent"))  # a temporary file would fail
    ctx = context("fixture")
    first, second = downloads.files(ctx), downloads.files(ctx)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first[xlsx_path("2011-02")])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2011, 2, 28, 0, 0, 0)}  # the due date
    assert open_xlsx(first[xlsx_path("2011-02")]).properties.created.year == 2011


def _without_formula_findings(sources: Sources, today: dt.date) -> Validated:
    validated = validate(sources, today)
    validated.findings = [f for f in validated.findings if f.code != "cell-formula"]
    return validated


def _inert(text: str) -> bool:
    """Whether a spreadsheet keeps the cell as text: no formula sign at its start, even after blanks."""
    return not text.lstrip(" \t\r\n").startswith(FORMULA_SIGNS) and not text.startswith(("\t", "\r"))


def test_formulas_from_the_data_stay_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation reports formula-like free text (`cell-formula`); with that finding taken away, every
    CSV and XLSX the site writes still holds the text as inert text."""
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    edit_csv(folder / "regions.csv", {"name": FORMULAS[0]}, where={"id": "hill"})
    for index, report in enumerate(sorted((folder / "reports").rglob("*.csv"))):
        edit_csv(report, {"explanation": FORMULAS[index % len(FORMULAS)]})
    assert {f.code for f in check(folder, TODAY).findings} == {"cell-formula"}
    monkeypatch.setattr(pipeline, "validate", _without_formula_findings)
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
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and not _inert(cell.value):
                        assert cell.data_type == "s", (sheet.title, cell.coordinate)
                        assert cell.quotePrefix, (sheet.title, cell.coordinate)
                        seen.add(cell.value)
        assert FORMULAS[0] in seen
        assert len(seen) >= 2
    csv_files = [path for path in files if path.endswith(".csv")]
    assert len(csv_files) == 4
    for path in csv_files:
        cells = {cell for row in read_csv(files[path]) for cell in row}
        assert all(_inert(cell) or cell.lstrip("-").replace(".", "", 1).isdigit() for cell in cells), path
    progress = read_csv(files[f"downloads/progress-{ctx.dataset.programme.year}.csv"])
    cells = {cell for row in progress[1:] for cell in row}
    assert {"'" + formula for formula in FORMULAS} <= cells


def test_a_formula_like_term_from_the_programme_stays_text_in_the_headers(tmp_path: Path) -> None:
    """YAML text is not checked for formula starts (it reaches spreadsheets only through the writers)."""
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    programme = folder / "programme.yaml"
    programme.write_text(
        programme.read_text(encoding="utf-8").replace("region_term: 区县", "region_term: '=1+1'"), encoding="utf-8"
    )
    ctx = context_of(folder)
    book = open_xlsx(downloads.files(ctx)[xlsx_path(ctx.months[-1])])
    headers = [cell for sheet in book for cell in sheet[1] if cell.value == "=1+1"]
    assert len(headers) == len(SHEETS)
    assert all(cell.data_type == "s" and cell.quotePrefix and cell.font.b for cell in headers)
