"""Replacing one top-level entry of a YAML text keeps everything else as written."""

from __future__ import annotations

import yaml

from site_builder.files.yamledit import set_top_level

TEXT = """# 通报
month: 2011-08
errata:
  - {date: 2011-10-12, description: 旧}  # 更正
# 以下由命令写入
manifest:
  files: x
"""


def test_an_entry_is_replaced_and_the_comment_above_the_next_one_stays() -> None:
    updated = set_top_level(TEXT, "errata", "errata:\n- date: 2011-10-13\n")
    assert updated == TEXT.replace("  - {date: 2011-10-12, description: 旧}  # 更正\n", "- date: 2011-10-13\n")
    assert yaml.safe_load(updated)["errata"][0]["date"].isoformat() == "2011-10-13"


def test_a_missing_entry_is_appended_and_an_empty_block_removes_one() -> None:
    assert set_top_level("month: 2011-08\n", "status", "status: published\n") == "month: 2011-08\nstatus: published\n"
    assert set_top_level(TEXT, "errata", "") == TEXT.replace(
        "errata:\n  - {date: 2011-10-12, description: 旧}  # 更正\n", ""
    )
    assert set_top_level("", "month", "month: 2011-08\n") == "month: 2011-08\n"
