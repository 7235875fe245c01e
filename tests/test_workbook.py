"""The one XLSX writer (XlsxWriter through `site_builder.files.workbook`) and the one fixed-date zip helper."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from site_builder.files import workbook, zipfiles

DAY = dt.date(2011, 3, 30)


def _infos(content: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return archive.infolist()


def test_a_zip_depends_only_on_its_entries_and_its_date() -> None:
    entries = [("b/x.csv", b"1,2\n"), ("a.txt", "数据".encode())]
    content = zipfiles.pack(entries, zipfiles.stamp(DAY))
    assert content == zipfiles.pack(list(entries), zipfiles.stamp(DAY))
    assert content != zipfiles.pack(entries)
    infos = _infos(content)
    assert [i.filename for i in infos] == ["b/x.csv", "a.txt"]  # the order given
    assert {(i.date_time, i.external_attr >> 16, i.create_system, i.compress_type) for i in infos} == {
        ((2011, 3, 30, 0, 0, 0), 0o644, 3, zipfile.ZIP_DEFLATED)
    }
    assert {i.date_time for i in _infos(zipfiles.pack(entries))} == {(1980, 1, 1, 0, 0, 0)}
    assert zipfiles.stamp(dt.date(1975, 6, 2)) == (1980, 6, 2, 0, 0, 0)  # zip knows no earlier year


def test_repacking_dates_every_entry_and_applies_the_edits() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # dated by the clock
        archive.writestr("one.xml", b"<a/>")
        archive.writestr("two.xml", b"<b/>")
    content = zipfiles.repack(buffer.getvalue(), zipfiles.stamp(DAY), {"two.xml": lambda xml: xml + b"!"})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert [(i.filename, i.date_time) for i in archive.infolist()] == [
            ("one.xml", (2011, 3, 30, 0, 0, 0)),
            ("two.xml", (2011, 3, 30, 0, 0, 0)),
        ]
        assert (archive.read("one.xml"), archive.read("two.xml")) == (b"<a/>", b"<b/>!")
    with pytest.raises(ValueError, match=r"no entry three\.xml"):
        zipfiles.repack(buffer.getvalue(), edits={"three.xml": lambda xml: xml})


def _book(day: dt.date = DAY, *, lock: bool = False) -> bytes:
    book = workbook.Book(title="标题\x07", author="=作者", day=day)
    sheet = book.sheet("表")
    values: list[object] = ["=1+1", "\t=SUM(A1)", "-5", "\x07=2+2", "换\r\n行", "_x0041_", 3, 2.5, True, DAY, None]
    for column, value in enumerate([*values, float("nan")]):
        book.write(sheet, 0, column, value)
    book.put(sheet, "A2:C2", "@merged", bold=True)
    return book.finish(lock_structure=lock)


def test_cells_keep_their_types_and_text_never_becomes_a_formula() -> None:
    content = _book()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet
        assert b"<f " not in sheet
    book = load_workbook(io.BytesIO(content))
    ws = book["表"]
    row = [(c.value, c.data_type, bool(c.quotePrefix)) for c in ws[1]]
    assert row[:10] == [
        ("=1+1", "s", True),
        ("\t=SUM(A1)", "s", True),
        ("-5", "s", False),  # a plain number written as text stays text, and is not a formula
        ("=2+2", "s", True),  # formula-like once the control character is gone
        ("换\n行", "s", False),
        ("_x0041_", "s", False),  # Excel's escape for "A" is escaped in turn
        (3, "n", False),
        (2.5, "n", False),
        (True, "b", False),
        (dt.datetime(2011, 3, 30), "d", False),
    ]
    assert ws["J1"].number_format == "yyyy-mm-dd"
    assert ws.max_column == 10  # None and a number that is not one leave no cell
    assert (ws["A2"].value, ws["A2"].quotePrefix, ws["A2"].font.b) == ("@merged", True, True)
    assert [str(r) for r in ws.merged_cells.ranges] == ["A2:C2"]
    assert (book.properties.title, book.properties.creator) == ("标题", "=作者")
    assert book.properties.created == dt.datetime(2011, 3, 30)
    assert not book.security or not book.security.lockStructure


def test_the_same_data_give_the_same_bytes_dated_on_the_day() -> None:
    content = _book()
    assert content == _book()
    assert {i.date_time for i in _infos(content)} == {(2011, 3, 30, 0, 0, 0)}
    assert _book(dt.date(2011, 4, 1)) != content


def test_a_locked_structure() -> None:
    book = load_workbook(io.BytesIO(_book(lock=True)))
    assert book.security.lockStructure
    assert book.sheetnames == ["表"]
    with pytest.raises(ValueError, match="not laid out as expected"):
        workbook.locked_structure(b"<workbook><sheets/></workbook>")
