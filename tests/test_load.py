"""Reading files: strict decoding, the lines an editor opens, YAML positions and duplicate keys."""

from __future__ import annotations

from pathlib import Path

from site_builder.load import decode, load_sources, parse_csv, parse_yaml


def test_a_record_with_a_quoted_line_break_keeps_the_line_it_starts_on() -> None:
    text = 'a,b,c\n1,"first line\nsecond line",3\n4,5,6\n'
    csv_file, problems = parse_csv("x.csv", text)
    assert problems == []
    assert csv_file is not None
    assert csv_file.rows == [["1", "first line\nsecond line", "3"], ["4", "5", "6"]]
    assert csv_file.lines == [2, 4]
    # the third cell of the first record starts on line 3, after the closing quote and comma
    assert csv_file.position(2, 2) == (3, 14)
    assert csv_file.position(4, 1) == (4, 3)


def test_crlf_and_bom_are_read_as_plain_utf8() -> None:
    raw = "\ufeffid,name\r\neast,东区\r\n".encode()
    text, problem = decode(raw, "regions.csv")
    assert problem is None
    assert text is not None
    csv_file, _ = parse_csv("regions.csv", text)
    assert csv_file is not None
    assert csv_file.header == ["id", "name"]
    assert csv_file.rows == [["east", "东区"]]


def test_gbk_is_detected_and_names_the_first_line_with_chinese() -> None:
    raw = "id,name\neast,east\nwest,西区\n".encode("gbk")
    text, problem = decode(raw, "regions.csv")
    assert text is None
    assert problem is not None
    assert (problem.code, problem.line, problem.value) == ("encoding-gb18030", 3, "west,西区")


def test_mostly_ascii_gbk_is_not_mistaken_for_another_encoding() -> None:
    # frictionless' sampling once read such a file as Big5; we must refuse, not guess
    raw = ("id,name\n" + "a,b\n" * 500 + "c,满洲里\n").encode("gbk")
    text, problem = decode(raw, "regions.csv")
    assert text is None
    assert problem is not None
    assert problem.code == "encoding-gb18030"
    assert problem.line == 502


def test_an_excel_workbook_saved_as_csv_is_reported() -> None:
    _, problem = decode(b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "r.csv")
    assert problem is not None
    assert problem.code == "encoding-unknown"


def test_yaml_keeps_the_position_of_every_node() -> None:
    doc, problems = parse_yaml("o.yaml", "a:\n  b:\n    - x\n    - {c: 1}\n")
    assert problems == []
    assert doc is not None
    assert doc.mark(("a", "b", 1, "c")) == (4, 11)
    assert doc.mark(("a", "b", 0)) == (3, 7)
    assert doc.mark(("a", "missing")) == doc.mark(("a",))


def test_a_duplicate_yaml_key_is_a_finding_not_a_silent_overwrite() -> None:
    doc, problems = parse_yaml("p.yaml", "year: 2011\nname: x\nyear: 2012\n")
    assert doc is not None
    assert doc.data == {"year": 2011, "name": "x"}
    assert [(p.code, p.line, p.value, p.params["first_line"]) for p in problems] == [
        ("yaml-duplicate-key", 3, "year", 1)
    ]


def test_hidden_files_are_not_data(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / "regions.csv").write_text("id\n")
    assert load_sources(tmp_path).files == ["regions.csv"]
