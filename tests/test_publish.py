"""The built site: the same data give the same bytes, private fields never appear anywhere in it,
and a failed build leaves the previous site untouched."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
import yaml

from site_builder import pipeline
from site_builder.publish import PublishError, Workspace, build_site
from tests.conftest import REPO, TODAY


def _build(data: Path, root: Path) -> Path:
    built = pipeline.build(data, root / "site", TODAY, Workspace(root / "work"))
    assert built.ok
    return root / "site"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first = _build(REPO / "data", tmp_path_factory.mktemp("first"))
    second = _build(REPO / "data", tmp_path_factory.mktemp("second"))
    return first, second


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


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path: Path, two_builds: tuple[Path, Path]) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site", encoding="utf-8")
    workspace = Workspace(tmp_path / "work")
    assert pipeline.generate(REPO / "tests" / "fixtures" / "valid", workspace, TODAY).ok
    (workspace.docs / "index.md").write_text('# x\n\n<script src="http://cdn.example.org/x.js"></script>\n')
    with pytest.raises(PublishError, match="other hosts"):
        build_site(workspace, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "work"]  # no half-built folder left behind
