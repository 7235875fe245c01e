"""Nothing read or written outside the data folder: paths only from checked values, links and pipes refused."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.commands.check import check
from site_builder.commands.publish import publish_bulletin
from site_builder.core import paths
from site_builder.core.limits import MAX_ID_LENGTH
from site_builder.files.folder import read_regular
from site_builder.forms.layout import form_filename
from site_builder.issuing.seal import copy_path
from site_builder.load import load_sources
from site_builder.model import build_dataset
from site_builder.site import build as site_build
from tests.conftest import TODAY, commit

HOSTILE_MONTHS = [
    "../../x",
    "..",
    "/etc",
    "/tmp/2011-03",
    "2011-13",
    "2011-00",
    "2011-3",
    "0000-01",
    "",
    "2011-03\x00",
    "2011-03/..",
    "2011\u221503",
    "２０１１-０３",  # full-width digits
    "2011-03\n",
    "9" * 300,
    None,
    201103,
]
HOSTILE_IDS = [
    "..",
    "../x",
    "/etc/passwd",
    "",
    "a" * 300,
    "a\x00b",
    "a/b",
    "a\u2215b",  # division slash
    "a\uff0fb",  # full-width solidus
    "a\\b",
    "West",
    "1west",
    "west\n",
    "ｗｅｓｔ",
    None,
]


@pytest.mark.parametrize("month", HOSTILE_MONTHS)
def test_a_month_that_is_not_one_makes_no_path(month: object) -> None:
    with pytest.raises(paths.UnsafePath):
        paths.report_path(month, "west")
    with pytest.raises(paths.UnsafePath):
        copy_path(month, 1, "reports/2011-02/west.csv")  # type: ignore[arg-type]


@pytest.mark.parametrize("region_id", HOSTILE_IDS)
def test_an_id_that_is_not_one_makes_no_path(region_id: object) -> None:
    with pytest.raises(paths.UnsafePath):
        paths.report_path("2011-03", region_id)


@pytest.mark.parametrize(
    "path",
    [
        *("", "/etc/passwd", "../x", "reports/../../x", "reports//x.csv", "./x", "reports/.hidden.csv", "a\\b"),
        *("a\x00b", "a\u2215b/c", "C:/x", "reports/" + "x" * 300 + ".csv", "a/\n/b"),
    ],
)
def test_a_path_that_is_not_a_plain_relative_one_makes_no_copy_path(path: str) -> None:
    with pytest.raises(paths.UnsafePath):
        copy_path("2011-02", 1, path)


def test_valid_values_make_the_documented_paths() -> None:
    assert paths.report_path("2011-03", "west") == "reports/2011-03/west.csv"
    assert paths.report_path("2011-12", "xinbaerhu_zuo") == "reports/2011-12/xinbaerhu_zuo.csv"
    assert copy_path("2011-02", 2, "reports/2011-02/west.csv") == "bulletins/2011-02/erratum-2/reports/2011-02/west.csv"
    with pytest.raises(paths.UnsafePath):
        copy_path("2011-02", 0, "regions.csv")
    with pytest.raises(paths.UnsafePath):
        paths.identifier("a" * (MAX_ID_LENGTH + 1))


def test_inside_refuses_what_a_link_leads_outside(tmp_path: Path) -> None:
    data, outside = tmp_path / "data", tmp_path / "outside"
    data.mkdir()
    outside.mkdir()
    assert paths.inside(data, "reports/2011-03/west.csv") == data.resolve() / "reports/2011-03/west.csv"
    (data / "reports").symlink_to(outside)
    with pytest.raises(paths.UnsafePath):
        paths.inside(data, "reports/2011-03/west.csv")
    (data / "regions.csv").symlink_to(outside / "x.csv")
    with pytest.raises(paths.UnsafePath):
        paths.inside(data, "regions.csv")
    for hostile in ("../x", "/etc/passwd", ""):
        with pytest.raises(paths.UnsafePath):
            paths.inside(data, hostile)


def test_form_file_names_hold_no_path(valid_copy: Path) -> None:
    regions = valid_copy / "regions.csv"
    text = regions.read_text(encoding="utf-8").replace("西区", "../..\u2215西区\x01/" + "长" * 300)
    regions.write_text(text, encoding="utf-8")
    validated = check(valid_copy, TODAY)
    dataset = build_dataset(validated)
    name = form_filename(dataset, "west", "2011-03")
    assert not {"/", "\u2215", "\x01"} & set(name)
    assert not name.startswith(".")
    assert len(name) < 60
    assert name.endswith("-2011-03.xlsx")
    with pytest.raises(paths.UnsafePath):
        form_filename(dataset, "west", "../../2011-03")


# Links, pipes and devices in the data folder


SECRET = "bulletin-secret-7f3a"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(args)
    out = capsys.readouterr()
    return status, out.out + out.err


def test_a_link_to_a_file_outside_is_a_finding_and_never_read(
    valid_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text(f"{SECRET},x\n", encoding="utf-8")
    (valid_copy / "units.csv").unlink()
    (valid_copy / "units.csv").symlink_to(secret)
    findings = check(valid_copy, TODAY).findings
    assert ("file-not-regular", "units.csv") in [(f.code, f.file) for f in findings]
    assert "file-missing" not in {f.code for f in findings}  # present, only not a file
    status, shown = _run(["validate", "--data", str(valid_copy), "--format", "json"], capsys)
    assert status == 1
    assert SECRET not in shown
    assert "file-not-regular" in shown


def test_a_linked_folder_is_a_finding_and_not_entered(valid_copy: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "2011-03").mkdir(parents=True)
    (elsewhere / "2011-03" / "west.csv").write_text(f"{SECRET}\n", encoding="utf-8")
    (valid_copy / "reports" / "2011-03").symlink_to(elsewhere / "2011-03", target_is_directory=True)
    sources = load_sources(valid_copy)
    assert not any(rel.startswith("reports/2011-03") for rel in sources.files)
    findings = check(valid_copy, TODAY).findings
    assert [(f.code, f.file) for f in findings] == [("file-not-regular", "reports/2011-03")]
    assert "reports/2011-03/west.csv" not in site_build.data_package(valid_copy).decode("latin-1")


def test_reading_a_fifo_or_a_link_returns_nothing_and_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")  # no writer: a plain open for reading would wait for one
    assert read_regular(tmp_path / "pipe") is None
    (tmp_path / "file").write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "file")
    assert read_regular(tmp_path / "link") is None
    assert read_regular(tmp_path / "file") == b"x"
    assert read_regular(tmp_path / "absent") is None


def test_a_fifo_is_a_finding_and_never_opened(valid_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(valid_copy / "README.md")  # opening it for reading would block until a writer comes
    findings = check(valid_copy, TODAY).findings
    assert [(f.code, f.file, f.params["kind_en"]) for f in findings] == [
        ("file-not-regular", "README.md", "a named pipe (FIFO)")
    ]
    assert _run(["validate", "--data", str(valid_copy)], capsys)[0] == 1
    with zipfile.ZipFile(io.BytesIO(site_build.data_package(valid_copy))) as archive:
        assert "data/README.md" not in archive.namelist()
        assert "data/regions.csv" in archive.namelist()


def test_the_environment_through_a_linked_readme_is_never_published(
    valid_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BULLETIN_TEST_SECRET", SECRET)
    (valid_copy / "README.md").symlink_to("/proc/self/environ")
    status, shown = _run(["validate", "--data", str(valid_copy)], capsys)
    assert status == 1
    assert "file-not-regular" in shown
    assert SECRET not in shown
    site = tmp_path / "site"
    status, shown = _run(["build", "--data", str(valid_copy), "--site-dir", str(site)], capsys)
    assert status == 1
    assert SECRET not in shown
    assert not site.exists()
    package = site_build.data_package(valid_copy)  # even if asked directly, the link is not packed
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert "data/README.md" not in archive.namelist()
        assert all(SECRET.encode() not in archive.read(name) for name in archive.namelist())


def test_report_downloads_and_static_docs_skip_links(
    valid_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = build_dataset(check(valid_copy, TODAY))
    secret = tmp_path / "secret.csv"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    report = valid_copy / dataset.report_files[0]
    report.unlink()
    report.symlink_to(secret)
    copies = valid_copy / "bulletins" / "2011-02" / "erratum-1" / "reports" / "2011-02"
    copies.mkdir(parents=True)
    (copies / "east.csv").symlink_to(secret)
    served = site_build.report_files(dataset, valid_copy, {})
    assert f"downloads/{dataset.report_files[0]}" not in served
    assert f"downloads/{dataset.report_files[1]}" in served
    assert all(SECRET.encode() not in content for content in served.values())
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (docs / "guide" / "leak.md").symlink_to(secret)
    (docs / "linked").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(docs / "guide" / "pipe.md")
    monkeypatch.setattr(site_build, "REPOSITORY_DOCS", docs)
    assert site_build._static_docs() == {"index.md": "# 首页\n".encode()}


def test_a_sealed_record_naming_a_file_outside_is_a_finding_not_a_read(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = repo / "data"
    publish_bulletin(data, "2011-01", dt.date(2011, 2, 10))
    commit(repo, "publish January")
    east = data / "reports/2011-01/east.csv"
    east.write_text(east.read_text(encoding="utf-8").replace("screening,120,", "screening,150,"), encoding="utf-8")
    with (data / "bulletins/2011-01.yaml").open("a", encoding="utf-8") as handle:
        handle.write("errata:\n  - {date: 2011-02-20, description: 更正, reason: 漏计, approved_by: 王主任}\n")
    publish_bulletin(data, "2011-01", dt.date(2011, 2, 21), erratum=True)
    record = data / "bulletins/2011-01.yaml"
    text = record.read_text(encoding="utf-8")
    assert "{path: reports/2011-01/east.csv" in text
    record.write_text(
        text.replace("{path: reports/2011-01/east.csv", "{path: ../../../../etc/passwd"), encoding="utf-8"
    )
    findings = check(data, TODAY).findings
    assert "bulletin-frozen" in {f.code for f in findings}
    status, shown = _run(["validate", "--data", str(data)], capsys)
    assert status == 1
    assert "root:" not in shown  # /etc/passwd's first line is never read


def _renamed(valid_copy: Path, old: str, new: str) -> None:
    """The valid fixture with a region id changed everywhere: in every file and in the report file names."""
    for path in sorted(valid_copy.rglob("*"), reverse=True):
        if path.is_file() and path.suffix in (".csv", ".yaml"):
            path.write_text(re.sub(rf"\b{old}\b", new, path.read_text(encoding="utf-8")), encoding="utf-8")
        if path.name == f"{old}.csv":
            path.rename(path.with_name(f"{new}.csv"))


def test_an_id_is_never_longer_than_the_limit_even_if_the_descriptor_says_nothing(
    valid_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor = valid_copy / "datapackage.yaml"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace(", maxLength: 64", ""), encoding="utf-8")
    shutil.rmtree(valid_copy / "supervision")  # its YAML ids are limited by the documents' own rule
    _renamed(valid_copy, "east", "e" * (MAX_ID_LENGTH + 1))
    findings = check(valid_copy, TODAY).findings
    assert ("cell-too-long", "regions.csv") in {(f.code, f.file) for f in findings}
    assert main(["new-month", "2011-04", "--data", str(valid_copy)]) == 1
    assert "internal error" not in capsys.readouterr().err


def test_an_id_a_loosened_descriptor_lets_through_is_a_message_not_an_internal_error(
    valid_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor = valid_copy / "datapackage.yaml"
    descriptor.write_text(
        descriptor.read_text(encoding="utf-8").replace(
            'pattern: "[a-z][a-z0-9_]*"', 'pattern: "[A-Za-z][A-Za-z0-9_]*"'
        ),
        encoding="utf-8",
    )
    shutil.rmtree(valid_copy / "supervision")
    _renamed(valid_copy, "east", "East")
    status = main(["new-month", "2011-04", "--data", str(valid_copy)])
    err = capsys.readouterr().err
    assert status == 1
    assert "East" in err
    assert "internal error" not in err
    assert not (valid_copy / "reports" / "2011-04").exists()


def test_an_unusable_path_reaching_the_cli_is_a_message(
    valid_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unsafe(*args: object, **kwargs: object) -> None:
        paths.identifier("../East")

    monkeypatch.setattr("site_builder.commands.new_month.new_month", unsafe)
    assert main(["new-month", "2011-04", "--data", str(valid_copy)]) == 1
    err = capsys.readouterr().err
    assert "'../East'" in err
    assert "internal error" not in err
