"""The site benchmark still works (benchmarks/sitebench.py): its cloned districts validate and its bare
MkDocs reference has the pages asked for. No timing is asserted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from site_builder.commands.check import check
from site_builder.core.findings import has_errors
from tests.conftest import REPO, benchmark


def test_cloned_districts_are_a_valid_data_folder_with_every_row_repeated(tmp_path: Path) -> None:
    bench = benchmark("sitebench")
    ids = bench.clone(REPO / "data", tmp_path / "data", 30)
    assert len(ids) == len(set(ids)) == 30
    validated = check(tmp_path / "data", dt.date(2026, 1, 1))
    assert not has_errors(validated.findings), sorted({f.code for f in validated.findings})
    months = sorted(p.name for p in (REPO / "data" / "reports").iterdir() if p.is_dir())
    assert len(list((tmp_path / "data" / "reports").glob("*/*.csv"))) == 30 * len(months)
    assert not (tmp_path / "data" / "bulletins").exists()  # every bulletin a draft


def test_the_reference_has_as_many_pages_of_chinese_text_with_search_and_prune(tmp_path: Path) -> None:
    bench = benchmark("sitebench")
    config = bench.reference(tmp_path / "ref", 7, ["海拉尔区"])
    pages = sorted((tmp_path / "ref" / "docs").rglob("*.md"))
    assert len(pages) == 7
    text = pages[1].read_text(encoding="utf-8")
    assert text.count("## ") == 4
    assert len(text) > 400
    settings = json.loads(config.read_text(encoding="utf-8"))
    assert settings["theme"]["features"] == ["navigation.prune"]
    assert "jieba_dict_user" in settings["plugins"][0]["search"]
