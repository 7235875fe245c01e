"""Published bulletins stay as published, in a real git repository: publish a month, change one of its
figures (rejected), record and seal an erratum (accepted), and the site shows the bulletin as issued
with its erratum beneath."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from site_builder.cli import main
from site_builder.commands import build as pipeline
from site_builder.commands.check import check, compute_folder
from site_builder.commands.publish import publish_bulletin
from site_builder.issuing.record import PublishRefused
from site_builder.site.build import Workspace
from tests.conftest import TODAY, commit

EAST_JAN = "reports/2011-01/east.csv"
ERRATUM = (
    "errata:\n"
    "  - date: 2011-02-20\n"
    "    description: 东区1月筛查人数由120人更正为150人\n"
    "    reason: 区卫生局报送时漏计两家乡镇卫生院\n"
    "    approved_by: 王主任\n"
)


def _codes(data: Path) -> list[tuple[str, str]]:
    return [(f.code, f.file) for f in check(data, TODAY).findings]


def _record(data: Path, month: str) -> dict[str, object]:
    loaded = yaml.safe_load((data / f"bulletins/{month}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _correct_east(data: Path) -> None:
    path = data / EAST_JAN
    path.write_text(path.read_text(encoding="utf-8").replace("screening,120,", "screening,150,"), encoding="utf-8")


def test_publishing_numbers_dates_and_seals_the_month(repo: Path) -> None:
    data = repo / "data"
    february = publish_bulletin(data, "2011-02", dt.date(2011, 3, 5)).bulletins[0]
    january = publish_bulletin(data, "2011-01", dt.date(2011, 3, 6)).bulletins[0]
    assert (february.number, january.number) == (1, 2)  # numbered in order of issue within the year
    record = _record(data, "2011-02")
    assert record["status"] == "published"
    assert record["issued_on"] == dt.date(2011, 3, 5)
    manifest = record["manifest"]
    assert isinstance(manifest, dict)
    assert manifest["method"]["ranking"]["cap"] == 1.2  # the method settings, in full
    listing = manifest["files"]  # what `sha256sum -c` checks, run in the data folder
    assert f"{hashlib.sha256((data / EAST_JAN).read_bytes()).hexdigest()}  {EAST_JAN}\n" in listing
    checked = subprocess.run(["sha256sum", "-c", "--quiet"], input=listing, cwd=data, text=True, check=False)
    assert checked.returncode == 0
    assert _codes(data) == []
    with pytest.raises(PublishRefused, match="已于 2011-03-05 发布（第1期）"):
        publish_bulletin(data, "2011-02", dt.date(2011, 3, 7))
    with pytest.raises(PublishRefused, match="没有月报"):
        publish_bulletin(data, "2011-05", dt.date(2011, 6, 7))


def test_a_hand_edited_manifest_line_is_reported_where_it_is(repo: Path) -> None:
    data = repo / "data"
    publish_bulletin(data, "2011-02", dt.date(2011, 3, 5))
    record = data / "bulletins/2011-02.yaml"
    lines = record.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.endswith(f"  {EAST_JAN}"))
    lines[at] = lines[at].replace("  reports/", " reports/")  # one space: not what sha256sum writes
    record.write_text("\n".join(lines), encoding="utf-8")
    findings = check(data, TODAY).findings
    assert [(f.code, f.line) for f in findings if f.code == "bulletin-unsealed"] == [("bulletin-unsealed", at + 1)]


def test_publishing_keeps_what_the_editor_wrote(repo: Path) -> None:
    data = repo / "data"
    (data / "bulletins").mkdir()
    draft = "# 二月通报的草稿\nmonth: 2011-02\ntitle: 二月通报\ntext: |\n  请各区县高度重视。\n"
    (data / "bulletins/2011-02.yaml").write_text(draft, encoding="utf-8")
    publish_bulletin(data, "2011-02", dt.date(2011, 3, 5))
    text = (data / "bulletins/2011-02.yaml").read_text(encoding="utf-8")
    assert text.startswith(draft)
    assert _record(data, "2011-02")["title"] == "二月通报"


def test_data_with_errors_are_not_published(repo: Path) -> None:
    data = repo / "data"
    path = data / EAST_JAN
    path.write_text(path.read_text(encoding="utf-8").replace("screening,120,", "screening,abc,"), encoding="utf-8")
    outcome = publish_bulletin(data, "2011-02", dt.date(2011, 3, 5))
    assert outcome.bulletins == ()
    assert [f.code for f in outcome.validated.findings] == ["cell-type"]
    assert not (data / "bulletins").exists()


def test_a_published_figure_changes_only_with_a_sealed_erratum_and_the_site_shows_both(
    repo: Path, tmp_path: Path
) -> None:
    data = repo / "data"
    publish_bulletin(data, "2011-01", dt.date(2011, 2, 10))
    commit(repo, "publish January")
    sealed_january = (data / EAST_JAN).read_bytes()

    _correct_east(data)  # a clerk changes a published figure: rejected
    assert _codes(data) == [("bulletin-frozen", EAST_JAN)]
    assert main(["validate", "--data", str(data)]) == 1

    with (data / "bulletins/2011-01.yaml").open("a", encoding="utf-8") as record:
        record.write(ERRATUM)  # recorded but not sealed: still rejected, and the record says so
    assert sorted(_codes(data)) == [("bulletin-frozen", EAST_JAN), ("bulletin-unsealed", "bulletins/2011-01.yaml")]

    assert main(["publish", "2011-01", "--erratum", "--date", "2011-02-21", "--data", str(data)]) == 0
    assert _codes(data) == []  # accepted
    erratum = _record(data, "2011-01")["errata"][0]  # type: ignore[index]
    assert erratum["sealed_on"] == dt.date(2011, 2, 21)
    assert erratum["approved_by"] == "王主任"
    (change,) = erratum["files"]
    assert change["path"] == EAST_JAN
    assert change["previous"] == hashlib.sha256(sealed_january).hexdigest()
    assert change["sha256"] == hashlib.sha256((data / EAST_JAN).read_bytes()).hexdigest()
    copy = data / "bulletins/2011-01/erratum-1" / EAST_JAN
    assert copy.read_bytes() == sealed_january  # the version as issued, taken from git

    site = tmp_path / "site"
    built = pipeline.build(data, site, TODAY, Workspace(tmp_path / "work"))
    assert built.ok, built.computed.validated.findings
    page = (site / "bulletins/2011-01/index.html").read_text(encoding="utf-8")
    issued, errata = page.split('id="errata"', 1)
    east_completion = re.search(r'href="#src-east" title="reports/2011-01/east.csv 第3行[^"]*">([0-9.]+)%<', issued)
    assert east_completion is not None
    assert east_completion.group(1) == "10.0"  # as issued: 120 of a target of 1,200
    text = re.sub(r"<[^>]+>", "", errata)
    assert "东区1月筛查人数由120人更正为150人" in text
    assert "王主任" in text
    assert re.search(r"东区\s*筛查人数\s*完成数\s*120 人\s*150 人", text)
    assert re.search(r"东区\s*筛查人数\s*完成率\s*10.0%\s*12.5%", text)
    assert "对名次的影响" in text
    region = (site / "regions/east/index.html").read_text(encoding="utf-8")
    assert "12.5%" in region  # the region's own page uses the corrected figures
    archive = (site / "bulletins/index.html").read_text(encoding="utf-8")
    assert "已更正1次" in archive
    manifest = json.loads((site / "downloads/bulletin-2011-01-manifest.json").read_text(encoding="utf-8"))
    assert manifest["number"] == 1
    assert manifest["errata"][0]["files"][0]["previous"] == change["previous"]
    assert (site / "downloads/bulletins/2011-01/erratum-1" / EAST_JAN).read_bytes() == sealed_january


def test_a_correction_reaches_the_later_bulletins_computed_from_it(repo: Path) -> None:
    data = repo / "data"
    publish_bulletin(data, "2011-01", dt.date(2011, 2, 10))
    publish_bulletin(data, "2011-02", dt.date(2011, 3, 10))
    commit(repo, "publish January and February")
    _correct_east(data)
    with (data / "bulletins/2011-01.yaml").open("a", encoding="utf-8") as record:
        record.write(ERRATUM)
    outcome = publish_bulletin(data, "2011-01", dt.date(2011, 3, 12), erratum=True)
    assert [b.month for b in outcome.bulletins] == ["2011-01", "2011-02"]
    follow = _record(data, "2011-02")["errata"][0]  # type: ignore[index]
    assert follow["description"].startswith("随2011-01通报（第1期）的更正一并更正：")
    assert (data / "bulletins/2011-02/erratum-1" / EAST_JAN).exists()
    assert _codes(data) == []
    # February's own figures did not change: no 已更正 alarm on its page or in the archive (issue 14)
    site = repo / "site"
    assert pipeline.build(data, site, TODAY, Workspace(repo.parent / "work")).ok
    january = (site / "bulletins/2011-01/index.html").read_text(encoding="utf-8")
    february = (site / "bulletins/2011-02/index.html").read_text(encoding="utf-8")
    assert "bulletin-corrected" in january
    assert "bulletin-corrected" not in february
    assert "本期的数字和名次没有变化" in february
    archive = re.sub(r"<[^>]+>", "", (site / "bulletins/index.html").read_text(encoding="utf-8"))
    assert "已更正1次" in archive
    assert "数据随更正更新，数字未变" in archive


def test_an_erratum_needs_the_sealed_version_in_git(repo: Path) -> None:
    data = repo / "data"
    path = data / EAST_JAN
    path.write_bytes(path.read_bytes().replace(b"screening,120,", b"screening,130,"))
    publish_bulletin(data, "2011-01", dt.date(2011, 2, 10))  # sealed with 130, a version never committed
    path.write_bytes(path.read_bytes().replace(b"screening,130,", b"screening,150,"))
    with (data / "bulletins/2011-01.yaml").open("a", encoding="utf-8") as record:
        record.write(ERRATUM)
    commit(repo, "publish and correct January at once")
    with pytest.raises(PublishRefused, match="git 历史中找不到"):
        publish_bulletin(data, "2011-01", dt.date(2011, 2, 21), erratum=True)
    assert not (data / "bulletins/2011-01").exists()


def test_an_erratum_must_be_recorded_before_sealing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = repo / "data"
    assert main(["publish", "2011-01", "--erratum", "--data", str(data)]) == 1
    assert "尚未发布" in capsys.readouterr().err
    publish_bulletin(data, "2011-01", dt.date(2011, 2, 10))
    assert main(["publish", "2011-01", "--erratum", "--data", str(data)]) == 1
    assert "尚未封存的更正" in capsys.readouterr().err


def test_a_tampered_sealed_copy_is_frozen_data(repo: Path) -> None:
    data = repo / "data"
    publish_bulletin(data, "2011-01", dt.date(2011, 2, 10))
    commit(repo, "publish January")
    _correct_east(data)
    with (data / "bulletins/2011-01.yaml").open("a", encoding="utf-8") as record:
        record.write(ERRATUM)
    publish_bulletin(data, "2011-01", dt.date(2011, 2, 21), erratum=True)
    copy = data / "bulletins/2011-01/erratum-1" / EAST_JAN
    copy.write_bytes(copy.read_bytes().replace(b"120", b"125"))
    findings = check(data, TODAY).findings
    assert [(f.code, f.file, f.value) for f in findings] == [
        ("bulletin-frozen", f"bulletins/2011-01/erratum-1/{EAST_JAN}", f"bulletins/2011-01/erratum-1/{EAST_JAN}")
    ]
    copy.unlink()
    findings = check(data, TODAY).findings
    lines = (data / "bulletins/2011-01.yaml").read_text(encoding="utf-8").splitlines()
    entry = next(n for n, line in enumerate(lines, start=1) if line.startswith(f"  - {{path: {EAST_JAN}"))
    where = [(f.code, f.file, f.line) for f in findings]
    assert where == [("bulletin-frozen", "bulletins/2011-01.yaml", entry)]  # the erratum's entry for the file


def test_a_late_report_for_a_published_month_is_frozen_data(repo: Path) -> None:
    data = repo / "data"
    publish_bulletin(data, "2011-02", dt.date(2011, 3, 5))
    path = data / "reports/2011-02/east.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("pilot,1,", "pilot,2,"), encoding="utf-8")
    assert _codes(data) == [("bulletin-frozen", "reports/2011-02/east.csv")]


def test_changed_method_settings_keep_the_published_bulletin_as_issued(repo: Path, tmp_path: Path) -> None:
    data = repo / "data"
    publish_bulletin(data, "2011-02", dt.date(2011, 3, 5))
    programme = data / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    assert "yellow_band: 0.1" in text
    programme.write_text(text.replace("yellow_band: 0.1", "yellow_band: 0.3"), encoding="utf-8")
    computed = compute_folder(data, TODAY)
    assert computed.validated.findings == []  # recorded, not frozen
    (edition,) = computed.editions["2011-02"]
    assert edition.dataset.programme.lights.yellow_band == 0.1  # shown with the settings it was issued with
    assert computed.dataset is not None
    assert computed.dataset.programme.lights.yellow_band == 0.3
