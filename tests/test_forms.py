"""Excel report forms: made, filled in like a clerk would with openpyxl, saved as real files, read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from site_builder.cli import main
from site_builder.commands.check import check, compute_folder
from site_builder.compute import Computed
from site_builder.core.findings import Finding, has_errors
from site_builder.files.descriptor import set_report_paths
from site_builder.forms.layout import ImportedForm, form_filename
from site_builder.forms.read import duplicate_regions, locate_in_form, read_form, report_csv
from site_builder.forms.write import make_form, make_forms
from tests.computed import computed
from tests.conftest import DUE_AND_NA, REPO, TODAY, VALID, all_quarterly

MONTH = "2011-03"  # the month after the fixture's last: a new month to report


@pytest.fixture(scope="module")
def small() -> Computed:
    result = computed(VALID)
    assert result.dataset is not None
    return result


def _fill(tmp_path: Path, content: bytes, edit: Callable[[Any], object], name: str = "form.xlsx") -> bytes:
    """Save the form as a real file, open it with openpyxl, edit it, save it, return the file's bytes."""
    path = tmp_path / name
    path.write_bytes(content)
    book = load_workbook(path)
    edit(book)
    book.save(path)
    return path.read_bytes()


def _clerk(book: Any) -> None:
    ws = book["填报表"]
    ws["I8"], ws["J8"] = 97, 100  # participation (rate): numerator and denominator
    ws["H9"] = 360.0  # screening (count)
    ws["H10"] = 2  # pilot (milestone)
    for row in (8, 9, 10):
        ws[f"K{row}"] = dt.datetime(2011, 3, 25)
    ws["L9"] = "筛查车辆检修，已安排补查，\n下月补齐。"


def _read(small: Computed, content: bytes, **expected: str) -> ImportedForm:
    assert small.dataset is not None
    return read_form("form.xlsx", content, small.dataset, **expected)


def _form(small: Computed, region: str = "west", month: str = MONTH) -> bytes:
    assert small.dataset is not None
    content = make_form(small.dataset, small.results, region, month)
    assert content is not None
    return content


def _only(findings: list[Finding], code: str) -> Finding:
    assert [f.code for f in findings] == [code], findings
    finding = findings[0]
    assert finding.message("zh")
    assert finding.message("en")
    assert finding.hint("zh")
    return finding


def test_a_filled_form_becomes_a_report_that_validates(small: Computed, tmp_path: Path) -> None:
    imported = _read(small, _fill(tmp_path, _form(small), _clerk), month=MONTH, region_id="west")
    assert imported.findings == []
    assert (imported.region_id, imported.month) == ("west", MONTH)
    text = report_csv(imported.rows)
    assert text == (
        "month,region_id,indicator_id,value,numerator,denominator,submitted_on,corrected_on,explanation\n"
        "2011-03,west,participation,,97,100,2011-03-25,,\n"
        '2011-03,west,screening,360,,,2011-03-25,,"筛查车辆检修，已安排补查，\n下月补齐。"\n'
        "2011-03,west,pilot,2,,,2011-03-25,,\n"
    )
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    path = f"reports/{MONTH}/west.csv"
    (data / path).parent.mkdir()
    (data / path).write_bytes(text.encode("utf-8"))
    descriptor = data / "datapackage.yaml"
    assert small.dataset is not None
    paths = [*small.dataset.report_files, path]
    descriptor.write_text(set_report_paths(descriptor.read_text(encoding="utf-8"), paths), encoding="utf-8")
    validated = check(data, TODAY)
    assert not has_errors(validated.findings), validated.findings


def test_the_form_shows_the_district_and_last_month_and_protects_all_but_the_white_cells(small: Computed) -> None:
    book = load_workbook(io.BytesIO(_form(small)))
    ws = book["填报表"]
    assert (ws["B3"].value, ws["F3"].value, ws["B4"].value) == ("西区", "west", MONTH)
    assert ws["F4"].value == dt.datetime(2011, 3, 30)  # deadline_day 30
    assert [c.value for c in ws[8]][:7] == [
        "participation",
        "参合率",
        "率（%）",
        90,
        1,
        "93/100",
        pytest.approx(93 / 90),
    ]
    assert [c.value for c in ws[9]][:6] == ["screening", "筛查人数", "数量（人）", 1200, 0.25, 180]
    assert ws.protection.sheet
    assert book.security.lockStructure
    assert book["_meta"].sheet_state == "veryHidden"
    for ref in ("A1", "B3", "F3", "B4", "A8", "D8", "F8", "H8", "I9", "J10"):  # header, reference, not applicable
        assert ws[ref].protection.locked, ref
    for ref in ("I8", "J8", "K8", "L8", "H9", "K9", "L9", "H10"):
        assert not ws[ref].protection.locked, ref
    warning = ws.conditional_formatting["L9"][0].formula[0]
    assert warning == 'AND($L9="",ISNUMBER($H9),$H9/$D9<$E9)'  # yellow while behind and unexplained
    rules = {str(v.sqref): v.type for v in ws.data_validations.dataValidation}
    assert rules == {"H9 H10 I8 J8": "decimal", "K8 K9 K10": "date", "L8 L9 L10": "textLength"}


def test_the_workbook_opens_in_openpyxl_with_its_protection_checks_formats_and_layout(small: Computed) -> None:
    book = load_workbook(io.BytesIO(_form(small)))
    assert book.sheetnames == ["填报表", "_meta"]
    assert book.security.lockStructure  # no sheet added, removed, renamed or unhidden
    assert (book.properties.created, book.properties.modified) == (dt.datetime(2011, 3, 30), dt.datetime(2011, 3, 30))
    assert (book.properties.creator, book.properties.title) == ("测试市卫生局", "西区 2011-03 月度进展报表")
    ws = book["填报表"]
    protection = ws.protection  # in openpyxl, True means "forbidden"
    forbidden = (protection.sheet, protection.formatCells, protection.insertRows, protection.deleteColumns)
    assert forbidden == (True, True, True, True)
    assert (protection.formatColumns, protection.formatRows) == (False, False)  # widths and heights may change
    checks = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    number, date, text = checks["H9 H10 I8 J8"], checks["K8 K9 K10"], checks["L8 L9 L10"]
    assert (number.type, number.operator, number.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert (date.type, date.operator or "between") == ("date", "between")
    serial = [str((day - dt.date(1899, 12, 30)).days) for day in (dt.date(2011, 3, 1), dt.date(2012, 12, 31))]
    assert [date.formula1, date.formula2] == serial
    assert (text.type, text.operator, text.formula1) == ("textLength", "lessThanOrEqual", "1000")
    for rule in checks.values():
        assert (rule.allow_blank, rule.showErrorMessage, rule.showInputMessage) == (True, True, True)
        assert (rule.errorTitle, rule.error) == ("填写有误", rule.prompt)
    assert number.prompt == "只填写不小于 0 的数字，不带单位、百分号或文字。"
    formats = {ref: ws[ref].number_format for ref in ("F4", "E8", "G8", "G9", "G10", "K8")}
    assert formats == {
        "F4": "yyyy-mm-dd",
        "E8": "0.0%",
        "G8": '0.0%" 绿灯"',
        "G9": '0.0%" 黄灯"',
        "G10": "0.0%",  # no light yet
        "K8": "yyyy-mm-dd",
    }
    fills = {ref: ws[ref].fill.fgColor.rgb for ref in ("A7", "A8", "I8", "I9", "L10")}
    assert fills == {"A7": "FFDDEBF7", "A8": "FFF2F2F2", "I8": "FFFFFFFF", "I9": "FFBFBFBF", "L10": "FFFFFFFF"}
    [warning] = ws.conditional_formatting["L8"]
    assert warning.dxf.fill.bgColor.rgb == "FFFFEB9C"
    assert (ws["A1"].font.sz, ws["A1"].font.b, ws["A7"].font.b, ws["F3"].font.sz) == (16, True, True, 9)
    assert ws["B5"].alignment.wrap_text
    assert ws["B5"].value.startswith("1. 只在白色单元格中填写")
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:L1", "B2:L2", "B3:D3", "B4:D4", "B5:L5"}
    widths = {letter: round(ws.column_dimensions[letter].width) for letter in "ABL"}
    assert widths == {"A": 17, "B": 27, "L": 45}  # Excel shows 16, 26 and 44 characters (plus its padding)
    assert (ws.freeze_panes, ws.print_title_rows) == ("C8", "$7:$7")
    assert (ws.page_setup.orientation, ws.sheet_properties.pageSetUpPr.fitToPage) == ("landscape", True)
    meta = book["_meta"]
    assert (meta.sheet_state, meta.protection.sheet) == ("veryHidden", True)
    assert list(meta.values) == [
        ("format", "bulletin-form/1"),
        ("region_id", "west"),
        ("month", MONTH),
        ("indicator", "participation"),
        ("indicator", "screening"),
        ("indicator", "pilot"),
    ]


def test_libreoffice_prints_a_form(small: Computed, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None, "LibreOffice is missing: make setup installs libreoffice-calc-nogui"
    form = tmp_path / "form.xlsx"
    form.write_bytes(_form(small))
    profile = (tmp_path / "profile").as_uri()  # its own profile: no clash with a LibreOffice already running
    command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    subprocess.run([*command, str(tmp_path), str(form)], check=True, capture_output=True, timeout=300)
    pdf = (tmp_path / "form.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "月度进展报表" in text
    assert "西区" in text


def test_text_from_the_data_stays_text(small: Computed) -> None:
    assert small.dataset is not None
    region = dataclasses.replace(small.dataset.regions[1], name='=HYPERLINK("http://x")\x07')
    dataset = dataclasses.replace(small.dataset, regions=(small.dataset.regions[0], region))
    content = make_form(dataset, None, "west", MONTH)
    assert content is not None
    cell = load_workbook(io.BytesIO(content))["填报表"]["B3"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")
    assert read_form(form_filename(dataset, "west", MONTH), content, dataset, MONTH, "west").findings == []


def test_the_same_data_give_the_same_bytes_dated_on_the_deadline(small: Computed) -> None:
    content = _form(small)
    assert content == _form(small)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2011, 3, 30, 0, 0, 0)}


def test_every_district_of_the_real_data_gets_a_form_that_reads_back(tmp_path: Path) -> None:
    example = computed(REPO / "data")
    assert example.dataset is not None
    dataset = example.dataset
    forms = make_forms(dataset, example.results, "2011-10")
    assert list(forms) == [form_filename(dataset, r.id, "2011-10") for r in dataset.regions]
    region = dataset.regions[0]
    previous = {
        r["indicator_id"]: r for r in dataset.reports.filter(file=f"reports/2011-09/{region.id}.csv").to_dicts()
    }

    def copy_last_month(book: Any) -> None:
        ws = book["填报表"]
        for row, indicator in enumerate(dataset.indicators, start=8):
            last = previous[indicator.id]
            for column, field in (("H", "value"), ("I", "numerator"), ("J", "denominator")):
                ws[f"{column}{row}"] = last[field]
            ws[f"K{row}"] = dt.datetime(2011, 10, 28)

    name = form_filename(dataset, region.id, "2011-10")
    imported = read_form(name, _fill(tmp_path, forms[name], copy_last_month), dataset, "2011-10", region.id)
    assert imported.findings == []
    assert [r["indicator_id"] for r in imported.rows] == [i.id for i in dataset.indicators]
    for row in imported.rows:
        last = previous[row["indicator_id"]]
        for field in ("value", "numerator", "denominator"):
            assert row[field] == ("" if last[field] is None else f"{last[field]:g}")
    for name, content in forms.items():
        blank = read_form(name, content, dataset, "2011-10")
        assert blank.findings == []
        assert len(blank.rows) == len(dataset.indicators)


def test_a_form_for_another_district(small: Computed) -> None:
    finding = _only(_read(small, _form(small, "west"), region_id="east").findings, "form-region")
    assert (finding.line, finding.column, finding.params["cell"]) == (3, 6, "F3")
    assert finding.message() == "报表属于 “西区（west）”，不是 东区（east）。"


def test_a_region_the_data_do_not_know(small: Computed, tmp_path: Path) -> None:
    def move(book: Any) -> None:
        book["_meta"]["B2"] = book["填报表"]["F3"] = "nowhere"

    finding = _only(_read(small, _fill(tmp_path, _form(small), move)).findings, "form-region")
    assert (finding.value, finding.params["cell"]) == ("nowhere", "F3")


def test_two_forms_of_one_district_in_one_import(small: Computed) -> None:
    forms = [
        (name, _read(small, _form(small, region))) for name, region in (("a", "west"), ("b", "east"), ("c", "west"))
    ]
    finding = _only(duplicate_regions(forms), "form-region")
    assert (finding.file, finding.value, finding.params["cell"]) == ("c", "west", "F3")
    assert "a" in str(finding.params["expected"])


def test_a_form_of_another_month(small: Computed) -> None:
    finding = _only(_read(small, _form(small), month="2011-04").findings, "form-identity")
    assert (finding.value, finding.params["cell"]) == (MONTH, "B4")
    assert "2011-04" in finding.message()


@pytest.mark.parametrize(
    ("edit", "cell", "detail"),
    [
        (lambda book: book["填报表"].delete_rows(9), "A9", "删除了行（缺少指标 screening"),
        (lambda book: book["填报表"].insert_rows(9), "A9", "插入了行"),
        (lambda book: book["填报表"].delete_rows(2), "A2", "表头被改动"),
        (lambda book: book["填报表"].delete_cols(8), "H7", "表头被改动"),
        (lambda book: book["填报表"].cell(7, 12, "备注"), "L7", "现为 “备注”"),
        (lambda book: book["填报表"].cell(8, 1, "pilot") and book["填报表"].cell(10, 1, "participation"), "A8", "行序"),
        (lambda book: book.remove(book["_meta"]), None, "_meta"),
        (lambda book: setattr(book["填报表"], "title", "Sheet1"), None, "填报表"),
    ],
)
def test_a_changed_layout_is_found_and_nothing_is_read(
    small: Computed, tmp_path: Path, edit: Callable[[Any], object], cell: str | None, detail: str
) -> None:
    def clerk_then_edit(book: Any) -> None:
        _clerk(book)
        edit(book)

    imported = _read(small, _fill(tmp_path, _form(small), clerk_then_edit))
    finding = _only(imported.findings, "form-layout")
    assert finding.params.get("cell") == cell
    assert detail in str(finding.params["detail"])
    assert imported.rows == []


@pytest.mark.parametrize(
    ("cell", "typed", "shown"),
    [
        ("H9", "八十五", "八十五"),
        ("I8", "85%", "85%"),
        ("H9", "1,234", "1,234"),
        ("J8", "１２３", "１２３"),
        ("H10", "约3项", "约3项"),
    ],
)
def test_text_in_a_number_cell(small: Computed, tmp_path: Path, cell: str, typed: str, shown: str) -> None:
    def type_text(book: Any) -> None:
        _clerk(book)
        book["填报表"][cell] = typed

    finding = _only(_read(small, _fill(tmp_path, _form(small), type_text)).findings, "form-cell")
    row, column = int(cell[1:]), ord(cell[0]) - 64
    assert (finding.line, finding.column, finding.value, finding.params["cell"]) == (row, column, shown, cell)
    assert (finding.params["type_zh"], finding.params["type_en"]) == ("数字", "a number")
    assert finding.message() == f"单元格 {cell} 的 “{shown}” 不是数字。"


def test_a_percentage_typed_in_excel_is_not_taken_for_a_fraction(small: Computed, tmp_path: Path) -> None:
    def percent(book: Any) -> None:
        _clerk(book)
        book["填报表"]["H9"] = 0.85  # what Excel stores for 85%
        book["填报表"]["H9"].number_format = "0%"

    finding = _only(_read(small, _fill(tmp_path, _form(small), percent)).findings, "form-cell")
    assert (finding.value, finding.params["cell"]) == ("85%", "H9")


@pytest.mark.parametrize("typed", ["下周一", "2011-02-30", "3月25日", "2011.3"])
def test_not_a_date(small: Computed, tmp_path: Path, typed: str) -> None:
    def date(book: Any) -> None:
        _clerk(book)
        book["填报表"]["K9"] = typed

    finding = _only(_read(small, _fill(tmp_path, _form(small), date)).findings, "form-cell")
    assert (finding.value, finding.params["cell"], finding.params["type_zh"]) == (str(typed), "K9", "日期（年-月-日）")


def test_numbers_and_dates_as_a_clerk_types_them(small: Computed, tmp_path: Path) -> None:
    def typed(book: Any) -> None:
        _clerk(book)
        ws = book["填报表"]
        ws["I8"], ws["J8"], ws["H9"], ws["H10"] = 60.1, "100.50", " 42 ", 3.0
        ws["K8"], ws["K9"], ws["K10"] = "2011/3/5", dt.date(2011, 3, 6), "2011年3月7日"

    rows = _read(small, _fill(tmp_path, _form(small), typed)).rows
    assert [(r["value"], r["numerator"], r["denominator"], r["submitted_on"]) for r in rows] == [
        ("", "60.1", "100.5", "2011-03-05"),
        ("42", "", "", "2011-03-06"),
        ("3", "", "", "2011-03-07"),
    ]


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"month,region_id,indicator_id\n", "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ".xls"),
        (b"PK\x05\x06" + bytes(18), "不是 Excel 工作簿"),  # an empty zip archive
    ],
)
def test_a_file_that_is_not_a_form(small: Computed, content: bytes, detail: str) -> None:
    imported = _read(small, content)
    finding = _only(imported.findings, "form-layout")
    assert detail in str(finding.params["detail"])
    assert finding.file == "form.xlsx"
    assert (imported.region_id, imported.month, imported.rows) == (None, None, [])


def test_validation_findings_of_the_report_point_at_the_form_cells(small: Computed, tmp_path: Path) -> None:
    def too_many(book: Any) -> None:
        _clerk(book)
        book["填报表"]["I8"] = 120  # numerator above the denominator of 100
        book["填报表"]["L8"] = '有逗号, "引号"\n和换行'  # quoted in the CSV, over two lines
        book["填报表"]["J9"] = 5  # a denominator for a count: the cell is locked, but not to openpyxl

    imported = _read(small, _fill(tmp_path, _form(small), too_many))
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    path = f"reports/{MONTH}/west.csv"
    (data / path).parent.mkdir()
    (data / path).write_text(report_csv(imported.rows), encoding="utf-8")
    descriptor = data / "datapackage.yaml"
    assert small.dataset is not None
    paths = [*small.dataset.report_files, path]
    descriptor.write_text(set_report_paths(descriptor.read_text(encoding="utf-8"), paths), encoding="utf-8")
    findings = sorted((f for f in check(data, TODAY).findings if f.file == path), key=lambda f: f.code)
    assert [(f.code, f.line) for f in findings] == [("numerator-exceeds-denominator", 2), ("value-shape", 4)]
    located = locate_in_form(findings, path, "west.xlsx", imported.rows)
    assert [(f.file, f.line, f.column, f.params["cell"]) for f in located] == [
        ("west.xlsx", 8, 9, "I8"),
        ("west.xlsx", 9, 9, "I9"),
    ]


# Through the command line, checking the disk: a form with any problem writes nothing, the clean ones are written


@pytest.fixture(scope="module")
def march_forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the valid folder and March's forms made by `bulletin forms` beside it, once for the module."""
    root = tmp_path_factory.mktemp("batch")
    shutil.copytree(VALID, root / "data")
    assert main(["forms", MONTH, "--data", str(root / "data"), "--out", str(root / "forms")]) == 0
    return root


def _batch(made: Path, tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """The test's own copy of `march_forms` in tmp_path: the data folder, and the forms by region id."""
    data = tmp_path / "data"
    for name in ("data", "forms"):
        shutil.copytree(made / name, tmp_path / name)
    names = {"west": "西区", "east": "东区", "hill": "山县"}
    return data, {region: tmp_path / "forms" / f"{name}-{MONTH}.xlsx" for region, name in names.items()}


def _edit(path: Path, edit: Callable[[Any], object]) -> None:
    path.write_bytes(_fill(path.parent, path.read_bytes(), edit, path.name))


def _disk(root: Path) -> dict[str, bytes]:
    """Every file below `root` but the forms, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "forms" not in p.relative_to(root).parts
    }


def _import(capsys: pytest.CaptureFixture[str], data: Path, *forms: Path, month: str | None = None) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["import", *map(str, forms), "--data", str(data), *(["--month", month] if month else [])])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return status, out.out + out.err


@pytest.mark.parametrize(
    "month", ["../../x", "2011-13", "/ABSOLUTE/2011-03", "2011-03/../../..", "..\u2215..\u22152011-03"]
)
def test_a_hidden_month_that_is_not_one_writes_nothing(
    march_forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], month: str
) -> None:
    data, forms = _batch(march_forms, tmp_path)
    month = month.replace("/ABSOLUTE", str(tmp_path / "abs"))

    def hostile(book: Any) -> None:
        _clerk(book)
        book["_meta"]["B3"] = book["填报表"]["B4"] = month  # both: the form agrees with itself

    _edit(forms["west"], hostile)
    before = _disk(tmp_path)
    status, shown = _import(capsys, data, forms["west"])
    assert status == 1
    assert "[form-identity]" in shown
    assert "单元格 B4" in shown  # the month cell
    assert "未导入 西区-2011-03.xlsx" in shown
    assert _disk(tmp_path) == before


@pytest.mark.parametrize(
    ("cells", "named"),
    [
        ({"_meta!B2": "east"}, "F3"),  # the hidden district alone
        ({"_meta!B2": "east", "填报表!F3": "east"}, "B3"),  # and the grey id: the name shown is still 西区
        ({"_meta!B2": "east", "填报表!F3": "east", "填报表!B3": "东区"}, "B3"),  # all but the file name
    ],
)
def test_a_changed_hidden_district_writes_nothing(
    march_forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cells: dict[str, str], named: str
) -> None:
    data, forms = _batch(march_forms, tmp_path)

    def move(book: Any) -> None:
        _clerk(book)
        for ref, value in cells.items():
            sheet, cell = ref.split("!")
            book[sheet][cell] = value

    _edit(forms["west"], move)
    before = _disk(tmp_path)
    status, shown = _import(capsys, data, forms["west"])
    assert status == 1
    assert "[form-identity]" in shown
    assert f"单元格 {named}" in shown
    assert _disk(tmp_path) == before
    assert not (data / "reports" / MONTH).exists()


def test_a_form_of_another_month_than_asked_writes_nothing(
    march_forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, forms = _batch(march_forms, tmp_path)
    _edit(forms["west"], _clerk)
    before = _disk(tmp_path)
    status, shown = _import(capsys, data, forms["west"], month="2011-04")
    assert (status, "[form-identity]" in shown) == (1, True)
    assert _disk(tmp_path) == before


@pytest.mark.parametrize("problem", ["cell", "data", "identity"])
def test_in_a_batch_the_clean_form_is_written_and_the_bad_one_is_not(
    march_forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], problem: str
) -> None:
    data, forms = _batch(march_forms, tmp_path)
    _edit(forms["west"], _clerk)

    def spoil(book: Any) -> None:
        _clerk(book)
        if problem == "cell":
            book["填报表"]["H9"] = "八十五"
        elif problem == "data":  # a clean form whose rows the folder's checks refuse
            book["填报表"]["I8"] = 120  # numerator above the denominator of 100
        else:
            book["_meta"]["B3"] = book["填报表"]["B4"] = "../../x"

    _edit(forms["east"], spoil)
    descriptor = (data / "datapackage.yaml").read_bytes()
    before = _disk(tmp_path)
    status, shown = _import(capsys, data, forms["west"], forms["east"])
    assert status == 1
    assert "未导入 东区-2011-03.xlsx" in shown
    assert "写入 reports/2011-03/west.csv" in shown
    if problem == "data":
        assert "[numerator-exceeds-denominator]" in shown
        assert "单元格 I8（参合率）" in shown  # I8 of the form, not a line of a CSV that was never written
    after = _disk(tmp_path)
    assert set(after) - set(before) == {f"data/reports/{MONTH}/west.csv"}
    assert {rel for rel in before if before[rel] != after[rel]} == {"data/datapackage.yaml"}
    assert f"reports/{MONTH}/west.csv".encode() in after["data/datapackage.yaml"]
    assert f"reports/{MONTH}/east.csv".encode() not in after["data/datapackage.yaml"]
    assert after["data/datapackage.yaml"] != descriptor
    assert not has_errors(check(data, TODAY).findings)


# A programme with a quarterly indicator (screening), a cell not applicable (east has no pilot) and a
# lower-is-better level that may be negative (cost_growth): tests/fixtures/due_and_na.


@pytest.fixture(scope="module")
def due_and_na() -> Computed:
    result = computed(DUE_AND_NA)
    assert result.dataset is not None, result.validated.findings
    return result


def _rows(content: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(content))["填报表"]
    return [[c.value for c in row][:3] for row in ws.iter_rows(min_row=8) if row[0].value]


def test_a_form_asks_only_for_what_is_due_and_applicable(due_and_na: Computed) -> None:
    march, april = _form(due_and_na, "east", "2011-03"), _form(due_and_na, "east", "2011-04")
    assert _rows(march) == [
        ["participation", "参合率", "率（%）"],
        ["screening", "筛查人数", "数量（人）"],  # quarterly: due in March
        ["cost_growth", "门诊费用增长率", "水平值（%）"],  # no pilot: not applicable to east
    ]
    assert [row[0] for row in _rows(april)] == ["participation", "cost_growth"]  # screening not due in April
    assert [row[0] for row in _rows(_form(due_and_na, "west", "2011-04"))] == ["participation", "pilot", "cost_growth"]
    book = load_workbook(io.BytesIO(march))
    meta = [value for key, value in book["_meta"].iter_rows(values_only=True) if key == "indicator"]
    assert meta == ["participation", "screening", "cost_growth"]
    ws = book["填报表"]
    rules = {
        cell: (v.type, v.operator, v.formula1)
        for v in ws.data_validations.dataValidation
        for cell in str(v.sqref).split()
    }
    assert rules["H9"] == ("decimal", "greaterThanOrEqual", "0")  # a count is never negative
    assert rules["I8"] == rules["H9"]
    kind, operator, minimum = rules["H10"]  # a level may be negative (Excel's default operator is between)
    assert (kind, operator or "between") == ("decimal", "between")
    assert float(str(minimum)) < 0
    assert "水平值类指标" in str(ws["B5"].value)
    # lower is better: the explanation turns yellow while the value is above the ceiling to date
    assert ws.conditional_formatting["L10"][0].formula[0] == 'AND($L10="",ISNUMBER($H10),$H10>$D10*$E10)'


def test_a_form_with_a_negative_level_reads_back_and_validates(due_and_na: Computed, tmp_path: Path) -> None:
    def clerk(book: Any) -> None:
        ws = book["填报表"]
        ws["I8"], ws["J8"], ws["H9"], ws["H10"] = 97, 100, 2, -2.5
        for row in (8, 9, 10):
            ws[f"K{row}"] = dt.datetime(2011, 3, 25)

    assert due_and_na.dataset is not None
    content = _fill(tmp_path, _form(due_and_na, "hill", "2011-04"), clerk)
    imported = read_form("form.xlsx", content, due_and_na.dataset, "2011-04", "hill")
    assert imported.findings == []
    assert report_csv(imported.rows).splitlines()[1:] == [
        "2011-04,hill,participation,,97,100,2011-03-25,,",
        "2011-04,hill,pilot,2,,,2011-03-25,,",
        "2011-04,hill,cost_growth,-2.5,,,2011-03-25,,",
    ]
    data = tmp_path / "data"
    shutil.copytree(DUE_AND_NA, data)
    (data / "reports/2011-04").mkdir()
    (data / "reports/2011-04/hill.csv").write_text(report_csv(imported.rows), encoding="utf-8")
    descriptor = data / "datapackage.yaml"
    listed = [*due_and_na.dataset.report_files, "reports/2011-04/hill.csv"]
    descriptor.write_text(set_report_paths(descriptor.read_text(encoding="utf-8"), listed), encoding="utf-8")
    assert not has_errors(check(data, TODAY).findings)


def test_a_form_whose_indicators_are_not_the_month_s_is_refused(due_and_na: Computed) -> None:
    assert due_and_na.dataset is not None
    march = _form(due_and_na, "east", "2011-03")  # with screening, which April does not ask for
    book = load_workbook(io.BytesIO(march))
    book["_meta"]["B3"] = book["填报表"]["B4"] = "2011-04"
    buffer = io.BytesIO()
    book.save(buffer)
    found = read_form("东区-2011-04.xlsx", buffer.getvalue(), due_and_na.dataset, "2011-04").findings
    finding = _only(found, "form-layout")
    assert "多出：screening" in finding.message("zh")


def test_a_district_with_nothing_due_gets_no_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = all_quarterly(tmp_path / "data")
    quarterly = compute_folder(data, TODAY)
    assert quarterly.dataset is not None, quarterly.validated.findings
    assert make_form(quarterly.dataset, quarterly.results, "east", "2011-04") is None
    assert make_forms(quarterly.dataset, quarterly.results, "2011-04") == {}
    assert len(make_forms(quarterly.dataset, quarterly.results, "2011-06")) == 3
    out = tmp_path / "forms"
    assert main(["forms", "2011-04", "--data", str(data), "--out", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "东区：2011-04 没有到报送期的指标" in shown
    assert "未生成报表" in shown
    assert not out.exists() or not list(out.glob("*.xlsx"))
