"""The built site: the same data give the same bytes, private fields never appear anywhere in it,
and a failed build leaves the previous site untouched."""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from site_builder.commands import build as pipeline
from site_builder.site import build as site_build
from site_builder.site import switch
from site_builder.site.build import BuildError, Workspace, build_site
from tests.conftest import REPO, TODAY


def _build(data: Path, root: Path) -> Path:
    built = pipeline.build(data, root / "site", TODAY, Workspace(root / "work"))
    assert built.ok
    return root / "site"


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site", encoding="utf-8")
    workspace = Workspace(tmp_path / "work")
    assert pipeline.generate(REPO / "tests" / "fixtures" / "valid", workspace, TODAY).ok
    (workspace.docs / "index.md").write_text('# x\n\n<script src="http://cdn.example.org/x.js"></script>\n')
    with pytest.raises(BuildError, match="other hosts"):
        build_site(workspace, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-lock", "site", "work"]  # no half-built folder


def test_a_full_disk_or_an_interrupt_removes_the_staging_folder_and_the_next_build_sweeps_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = Workspace(tmp_path / "work")
    assert pipeline.generate(REPO / "tests" / "fixtures" / "valid", workspace, TODAY).ok
    site = tmp_path / "site"
    build_site(workspace, site)
    before = sorted(p.name for p in tmp_path.iterdir())
    failures = (
        (OSError(errno.ENOSPC, "No space left on device"), BuildError),
        (KeyboardInterrupt(), KeyboardInterrupt),
    )
    built = os.path.realpath(site)
    staged: list[Path] = []

    def build_again(staging: Path, *args: object) -> None:
        """What MkDocs wrote the first time, without running it again: the staging folder full, as a
        build leaves it when the switch fails."""
        shutil.copytree(built, staging, dirs_exist_ok=True)
        staged.append(staging)

    for error, expected in failures:

        def fail(*args: object, error: BaseException = error) -> None:
            raise error

        monkeypatch.setattr(site_build, "_build_into", build_again)
        monkeypatch.setattr(switch, "switch_site", fail)
        with pytest.raises(expected):
            build_site(workspace, site)
        monkeypatch.undo()
        assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert len(staged) == len(failures)  # each failure came after a full staging folder, now removed
    killed = tmp_path / ".site-building-k1ll3d"  # what kill -9 during a build leaves
    (killed / "assets").mkdir(parents=True)
    (killed / "assets" / "half.js").write_bytes(b"x" * 1000)
    (tmp_path / ".site-old-0a1b2c3d").mkdir()  # a kill between the two renames of the former swap
    (tmp_path / "index.md").write_text("kept")
    (workspace.docs / "index.md").write_text((workspace.docs / "index.md").read_text() + "\nchanged\n")
    build_site(workspace, site)
    after = sorted(p.name for p in tmp_path.iterdir())
    assert after == sorted([".site-lock", "index.md", "site", os.readlink(site), "work"])
    assert os.readlink(site) not in before


def test_two_data_folders_of_the_same_name_built_at_once_each_publish_only_their_own_data(tmp_path: Path) -> None:
    folders = {}
    for city in ("甲市", "乙市"):
        data = tmp_path / city / "data"
        shutil.copytree(REPO / "tests" / "fixtures" / "valid", data)
        programme = data / "programme.yaml"
        programme.write_text(programme.read_text(encoding="utf-8").replace("city: 测试市", f"city: {city}"))
        folders[city] = data
    workspaces = [Workspace.for_data(data) for data in folders.values()]
    assert workspaces[0].root != workspaces[1].root
    try:
        builds = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "site_builder",
                    "build",
                    "--data",
                    str(data),
                    "--site-dir",
                    str(data.parent / "site"),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for data in folders.values()
        ]
        outputs = [build.communicate(timeout=600)[0].decode() for build in builds]
        assert [build.returncode for build in builds] == [0, 0], outputs
    finally:
        for workspace in workspaces:
            shutil.rmtree(workspace.root, ignore_errors=True)
    for city, data in folders.items():
        other = "乙市" if city == "甲市" else "甲市"
        pages = "".join(p.read_text(encoding="utf-8") for p in (data.parent / "site").rglob("*.html"))
        assert f"{city}测试项目" in pages
        assert other not in pages


def test_work_folders_of_data_folders_that_no_longer_exist_are_removed(tmp_path: Path) -> None:
    gone, kept = tmp_path / "gone" / "data", tmp_path / "kept" / "data"
    gone.mkdir(parents=True)
    kept.mkdir(parents=True)
    old = Workspace.for_data(gone)
    try:
        assert (old.root / "source").read_text(encoding="utf-8") == str(gone.resolve())
        shutil.rmtree(gone)
        new = Workspace.for_data(kept)
        assert not old.root.exists()
        assert new.root.is_dir()
    finally:
        shutil.rmtree(old.root, ignore_errors=True)
        shutil.rmtree(Workspace.for_data(kept).root, ignore_errors=True)


# The example built twice. Last in the file: the shared build (conftest) may be under way on another worker
# (the browser tests need it too) while the tests above run.


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[str], Path]) -> tuple[Path, Path]:
    """The example built twice: the run's shared build (conftest, maybe by another worker) and one here."""
    second = _build(REPO / "data", tmp_path_factory.mktemp("second"))  # first: the shared one may be under way
    return built_example("data"), second


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_building_twice_gives_identical_bytes(two_builds: tuple[Path, Path]) -> None:
    first, second = (_files(site) for site in two_builds)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def _private_values() -> list[str]:
    descriptor = yaml.safe_load((REPO / "data" / "datapackage.yaml").read_text(encoding="utf-8"))
    values = []
    for resource in descriptor["resources"]:
        hidden = [f["name"] for f in resource["schema"]["fields"] if f.get("x-private")]
        if not hidden:
            continue
        with (REPO / "data" / resource["path"]).open(encoding="utf-8") as handle:
            values += [row[name] for row in csv.DictReader(handle) for name in hidden if row[name]]
    return values


def _texts(site: Path) -> list[tuple[str, bytes]]:
    """Every file of the site, and every member of every zip (downloads, XLSX workbooks) in it."""
    found = []
    for name, content in _files(site).items():
        found.append((name, content))
        if content[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                found += [(f"{name}!{member}", archive.read(member)) for member in archive.namelist()]
    return found


def test_no_private_value_appears_in_the_site_its_search_index_or_downloads(two_builds: tuple[Path, Path]) -> None:
    values = _private_values()
    assert len(values) >= 5  # the example holds private telephone numbers
    leaks = [(name, value) for name, content in _texts(two_builds[0]) for value in values if value.encode() in content]
    assert leaks == []
