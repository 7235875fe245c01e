"""Golden files of what `bulletin build` writes into the work folder for both examples (`pytest --regen-golden`).

The real pipeline (`commands/build.py`'s `generate`, with the editions of corrected bulletins) writes a temporary
work folder; every generated page, chart, download and the MkDocs config are compared with
tests/golden/site/<folder>/ in their line-split form (tests/goldens.py). Left out: the XLSX and zip
downloads (binary), and what is a copy of a repository file: the static docs (and their entries in
the MkDocs nav), the assets and the data folder's report files and sealed copies as filed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from site_builder.commands.build import generate
from site_builder.render.site import STATIC_NAV
from site_builder.site.build import PACKAGE, Workspace
from tests.conftest import GOLDEN, REPO, TODAY
from tests.goldens import MAX_LINE, Golden, normalise

FOLDERS = {"data": "site/data", "examples/zaozhuang": "site/examples-zaozhuang"}
BINARY = (".xlsx", ".zip", ".docx")  # the Word files: tests/render/test_official.py
COPIES = ("assets/", "downloads/reports/", "downloads/bulletins/")


def _copied(rel: str) -> bool:
    """A file the work folder holds as a copy of a repository file (static docs, assets, data files)."""
    return rel.startswith(COPIES) or (REPO / "docs" / rel).is_file()


def _generated(data: Path, root: Path) -> dict[str, bytes]:
    """What `bulletin build` writes for `data` before MkDocs runs, as golden name -> bytes."""
    workspace = Workspace(root / "work")
    built = generate(data, workspace, TODAY)
    assert built.ok, built.computed.validated.findings
    files = {}
    for path in sorted(workspace.docs.rglob("*")):
        rel = path.relative_to(workspace.docs).as_posix()
        if path.is_file() and not rel.endswith(BINARY) and not _copied(rel):
            files[f"docs/{rel}"] = path.read_bytes()
    files["search-words.txt"] = (workspace.root / "search-words.txt").read_bytes()
    config = yaml.safe_load((workspace.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"] = [entry for entry in config["nav"] if entry not in STATIC_NAV]  # the static docs' entries
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    text = text.replace(str(workspace.root), "<work folder>").replace(str(PACKAGE), "<package>")  # any machine
    files["mkdocs.yml"] = text.encode("utf-8")
    return files


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    return {folder: _generated(REPO / folder, tmp_path_factory.mktemp("golden")) for folder in FOLDERS}


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_generated_file_matches_its_golden_file(
    folder: str, generated: dict[str, dict[str, bytes]], golden: Golden
) -> None:
    files = generated[folder]
    assert sum(name.endswith(".md") for name in files) > 40
    assert any(name.startswith("docs/charts/") for name in files)
    assert any(name.endswith(".csv") for name in files)
    golden.tree(FOLDERS[folder], files)


def test_the_corrected_august_bulletin_is_shown_as_issued_with_its_erratum(
    generated: dict[str, dict[str, bytes]],
) -> None:
    """The goldens are made with the editions, as the CLI builds: the tables as issued, the erratum listed."""
    page = generated["data"]["docs/bulletins/2011-08.md"].decode("utf-8")
    assert "本期正文各表为印发时的数字" in page
    assert "更正记录" in page
    cell = re.search(r'title="reports/2011-08/zhalantun\.csv 第8行[^"]*">([0-9.]+%)</a>', page)
    assert cell is not None
    assert cell.group(1) != "63.8%"  # the corrected figure belongs to the erratum, not to the tables


def test_a_change_in_one_cell_fails_naming_that_file(generated: dict[str, dict[str, bytes]]) -> None:
    files = dict(generated["data"])
    name = "docs/bulletins/2011-09.md"
    page = files[name].decode("utf-8")
    cell = re.search(r"<td>([^<]+)</td>", page)
    assert cell is not None
    files[name] = (page[: cell.start(1)] + cell.group(1) + "0" + page[cell.end(1) :]).encode("utf-8")
    with pytest.raises(AssertionError) as failure:
        Golden(GOLDEN, regenerate=False).tree(FOLDERS["data"], files)
    message = str(failure.value)
    assert message.startswith("1 file(s) of tests/golden/site/data do not match")
    assert f"  differs: {name}" in message
    assert f"+<td>{cell.group(1)}0</td>" in message


def test_every_difference_is_reported_at_once_and_regeneration_removes_stale_files(tmp_path: Path) -> None:
    files = {"docs/a.md": b"<table><tr><td>1</td></tr></table>\n", "docs/b.json": b'{"x":[1,2]}', "c.txt": b"c\n"}
    Golden(tmp_path, regenerate=True).tree("site/x", files)
    (tmp_path / "rank").mkdir()
    (tmp_path / "rank" / "kept.txt").write_text("another test's golden file\n", encoding="utf-8")
    assert (tmp_path / "site/x/docs/a.md").read_text(encoding="utf-8") == "<table>\n<tr>\n<td>1</td>\n</tr>\n</table>\n"
    assert (tmp_path / "site/x/docs/b.json").read_text(encoding="utf-8") == '{\n "x": [\n  1,\n  2\n ]\n}\n'
    Golden(tmp_path, regenerate=False).tree("site/x", files)  # the stored form matches

    changed = {"docs/a.md": b"<table><tr><td>2</td></tr></table>\n", "docs/new.csv": b"n\n", "c.txt": b"d\n"}
    with pytest.raises(AssertionError) as failure:
        Golden(tmp_path, regenerate=False).tree("site/x", changed)
    report = str(failure.value).splitlines()
    assert report[0].startswith("4 file(s) of tests/golden/site/x do not match")
    assert [line for line in report if not line.startswith("    ")][1:] == [
        "  differs: c.txt",
        "  differs: docs/a.md",
        "  missing (generated, no golden file): docs/new.csv",
        "  unexpected (golden file, no longer generated): docs/b.json",
    ]
    assert "    -<td>1</td>" in report
    assert "    +<td>2</td>" in report

    Golden(tmp_path, regenerate=True).tree("site/x", changed)
    stored = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert stored == ["rank/kept.txt", "site/x/c.txt", "site/x/docs/a.md", "site/x/docs/new.csv"]
    Golden(tmp_path, regenerate=False).tree("site/x", changed)


def test_no_golden_line_is_longer_than_the_bound() -> None:
    long = [
        f"{path.relative_to(GOLDEN).as_posix()}:{number}"
        for folder in FOLDERS.values()
        for path in sorted((GOLDEN / folder).rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > MAX_LINE
    ]
    assert long == []
    assert len(list((GOLDEN / FOLDERS["data"]).rglob("*.md"))) > 50


def test_the_split_form_only_adds_line_breaks() -> None:
    page = '<div class="x"><table><tr><td><span title="a">1</span> 2</td></tr></table></div>\n\n| a | b |\n'
    split = normalise("p.md", page.encode("utf-8"))
    assert split.replace("\n", "") == page.replace("\n", "")
    assert split.splitlines()[:4] == ['<div class="x">', "<table>", "<tr>", "<td>"]
    assert normalise("p.md", split.encode("utf-8")) == split  # stored files are already in that form
