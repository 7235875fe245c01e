"""Both shipped examples are valid, reproducible, readable by frictionless, and fail loudly when broken."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import Package

from site_builder.cli import main
from site_builder.commands.check import check
from site_builder.validate import Validated
from tests.conftest import REPO, TODAY

EXAMPLES = [REPO / "data", REPO / "examples" / "zaozhuang"]


@functools.cache
def _checked(folder: Path) -> Validated:
    """Each example validated once for this module's tests, which only read the result."""
    return check(folder, TODAY)


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_example_is_valid_and_says_it_is_simulated(folder: Path) -> None:
    result = _checked(folder)
    assert [f for f in result.findings if f.severity == "error"] == []
    assert result.programme is not None
    assert result.programme.simulated
    assert result.programme.simulation_note


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_frictionless_agrees(folder: Path) -> None:
    report = Package(str(folder / "datapackage.yaml")).validate()
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_simulated_figures_regenerate_byte_for_byte() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/simulate.py", "--check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_first_example_follows_its_source_document() -> None:
    result = _checked(REPO / "data")
    regions = result.tables["regions"].frame
    short = dict(zip(regions["short_name"].to_list(), regions["name"].to_list(), strict=True))
    assert len(regions) == 13
    assert short["陈旗"] == "陈巴尔虎旗"
    assert short["莫旗"] == "莫力达瓦达斡尔族自治旗"
    assert result.organization is not None
    assert result.organization.leading_group is not None
    people = dict(zip(*(result.tables["people"].frame[c].to_list() for c in ("id", "name")), strict=True))
    members = [people[m.person] for m in result.organization.leading_group.members]
    assert members[:3] == ["田晓川", "孙泽成", "相林扎布"]
    assert members[-1] == "沃德勒"
    assert len(members) == 31
    assert len(result.organization.task_groups) == 5
    assert result.organization.office is not None
    assert people[result.organization.office.director or ""] == "谢福林"
    months = sorted(set(result.tables["reports"].frame["month"].to_list()))
    assert len(months) >= 9


def test_second_example_follows_its_source_document() -> None:
    result = _checked(REPO / "examples" / "zaozhuang")
    people = dict(zip(*(result.tables["people"].frame[c].to_list() for c in ("id", "name")), strict=True))
    regions = dict(zip(*(result.tables["regions"].frame[c].to_list() for c in ("id", "name")), strict=True))
    contract = result.tables["assignments"].frame.filter(result.tables["assignments"].frame["kind"] == "contract")
    pairs = {(people[p], regions[r]) for p, r in zip(contract["person_id"], contract["region_id"], strict=True)}
    assert pairs == {
        ("张令刚", "滕州市"),
        ("钱继伟", "峄城区"),
        ("钱继伟", "台儿庄区"),
        ("任怡春", "市中区"),
        ("沈象胜", "山亭区"),
        ("张志明", "薛城区"),
        ("张志明", "高新区"),
    }
    (round_,) = result.supervision.values()
    groups = [(people[g.leader], people[g.secretary or ""], [regions[r] for r in g.regions]) for g in round_.groups]
    assert groups == [
        ("张令刚", "胡忠华", ["滕州市"]),
        ("钱继伟", "古新芳", ["峄城区", "台儿庄区"]),
        ("任怡春", "邵涛", ["市中区"]),
        ("沈象胜", "解伟", ["山亭区"]),
        ("张志明", "贾峰", ["薛城区", "高新区"]),
    ]


def _break(path: Path) -> None:
    """Damage one file the way a hurried edit would."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        path.write_text(text + "x,y,z,1,2,3,4,5,6,7,8,9,10,11,12,13\n", encoding="utf-8")
    else:
        path.write_text(text + "broken: [unclosed\n", encoding="utf-8")


def _sample_files() -> list[str]:
    root = REPO / "data"
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    reports = [f for f in files if f.startswith("reports/")]
    return [f for f in files if not f.startswith("reports/")] + reports[:2] + reports[-1:]


@pytest.mark.parametrize("name", _sample_files())
def test_breaking_any_one_file_names_that_file_and_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    _break(data / name)
    lines = len((data / name).read_text(encoding="utf-8").splitlines())
    status = main(["validate", "--data", str(data), "--format", "json"])
    out = capsys.readouterr().out
    assert status == 1
    assert f'"file": "{data.as_posix()}/{name}"' in out
    if name.startswith("bulletins/") and "/erratum-" in name:
        assert '"code": "bulletin-frozen"' in out  # a sealed copy: which line changed is not known, only that it did
    else:
        assert f'"line": {lines}' in out
