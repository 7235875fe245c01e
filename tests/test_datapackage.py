"""Rewriting the reports path list keeps the rest of the hand-written descriptor as it was."""

from __future__ import annotations

import yaml

from site_builder.files.descriptor import set_report_paths
from tests.conftest import VALID


def test_paths_are_replaced_sorted_and_comments_kept() -> None:
    text = (VALID / "datapackage.yaml").read_text(encoding="utf-8")
    new = set_report_paths(text, ["reports/2011-03/b.csv", "reports/2011-03/a.csv"])
    resources = yaml.safe_load(new)["resources"]
    assert resources[-1]["path"] == ["reports/2011-03/a.csv", "reports/2011-03/b.csv"]
    assert new.splitlines()[0] == text.splitlines()[0]  # the leading comment survives
    assert yaml.safe_load(new)["resources"][:-1] == yaml.safe_load(text)["resources"][:-1]


def test_rewriting_is_idempotent_and_handles_empty_lists() -> None:
    text = (VALID / "datapackage.yaml").read_text(encoding="utf-8")
    paths = ["reports/2011-01/a.csv"]
    once = set_report_paths(text, paths)
    assert set_report_paths(once, paths) == once
    empty = set_report_paths(once, [])
    assert yaml.safe_load(empty)["resources"][-1]["path"] == []
    assert yaml.safe_load(set_report_paths(empty, paths))["resources"][-1]["path"] == paths
