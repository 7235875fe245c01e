"""A preview rebuild after one report file is saved rewrites only the generated files that file affects:
the other pages of the work folder keep their bytes and their modification times, so MkDocs and the
preview's watchers see only what changed."""

from __future__ import annotations

import os
from pathlib import Path

from site_builder.commands.build import generate
from site_builder.files.workbook import Remembered, remembering
from site_builder.site.build import Workspace


def _mtimes(docs: Path) -> dict[str, int]:
    return {p.relative_to(docs).as_posix(): p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}


def test_saving_one_report_rewrites_only_what_it_affects(valid_copy: Path, tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "work")
    first = generate(valid_copy, workspace)
    assert first.ok
    assert len(first.changed) > 50  # the first build writes every page
    assert generate(valid_copy, workspace).changed == ()  # nothing saved, nothing rewritten
    before = _mtimes(workspace.docs)
    for rel in before:  # push every page into the past, so that a rewrite shows in its time
        os.utime(workspace.docs / rel, ns=(1_000_000_000, 1_000_000_000))
    report = valid_copy / "reports" / "2011-02" / "east.csv"
    text = report.read_text(encoding="utf-8")
    edited = text.replace("2011-02,east,participation,,96,100", "2011-02,east,participation,,97,100")
    assert edited != text
    report.write_text(edited, encoding="utf-8")

    again = generate(valid_copy, workspace)

    assert again.ok
    rewritten = {rel for rel, ns in _mtimes(workspace.docs).items() if ns != 1_000_000_000}
    assert rewritten == set(again.changed)
    assert {"regions/east.md", "bulletins/2011-02.md", "indicators/participation.md"} <= rewritten
    assert "downloads/reports/2011-02/east.csv" in rewritten
    untouched = {"regions/west.md", "regions/hill.md", "bulletins/2011-01.md", "indicators/screening.md"}
    assert untouched <= set(before)
    assert not untouched & rewritten
    assert not any(rel.startswith("downloads/reports/2011-01/") for rel in rewritten)
    assert len(rewritten) < len(before) / 3


def test_a_preview_remakes_only_the_workbooks_a_saved_report_changes(valid_copy: Path, tmp_path: Path) -> None:
    workspace, workbooks = Workspace(tmp_path / "work"), Remembered()
    with remembering(workbooks):
        first = generate(valid_copy, workspace)
    every = sorted(rel for rel in first.changed if rel.endswith(".xlsx"))
    assert workbooks.made == len(every) > 3
    with remembering(workbooks):
        assert generate(valid_copy, workspace).changed == ()
    assert workbooks.made == len(every)  # nothing saved: every workbook found, none made
    made_before = {rel: (workspace.docs / rel).read_bytes() for rel in every}
    report = valid_copy / "reports" / "2011-02" / "east.csv"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("2011-02,east,participation,,96,100", "2011-02,east,participation,,97,100"))

    with remembering(workbooks):
        again = generate(valid_copy, workspace)

    remade = sorted(rel for rel in again.changed if rel.endswith(".xlsx"))
    assert remade == ["downloads/bulletin-2011-02.xlsx", "downloads/indicators/participation-2011.xlsx"]
    assert workbooks.made == len(every) + len(remade)
    fresh = Workspace(tmp_path / "fresh")  # without the memory: the same bytes
    generate(valid_copy, fresh)
    for rel in every:
        assert (fresh.docs / rel).read_bytes() == (workspace.docs / rel).read_bytes()
        assert ((workspace.docs / rel).read_bytes() == made_before[rel]) == (rel not in remade)
