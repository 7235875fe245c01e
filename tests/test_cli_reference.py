"""docs/reference/commands.md shows the `--help` of `bulletin` and of every subcommand as argparse prints it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from types import ModuleType

import pytest

from site_builder.cli import COMMANDS
from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "cli_reference.py"


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page() -> str:
    return (REPO / "docs" / "reference" / "commands.md").read_text(encoding="utf-8")


def test_every_command_has_a_help_block(reference: ModuleType) -> None:
    assert reference.missing(_page()) == []
    assert len(reference.commands()) == len(COMMANDS) + 1


def test_the_page_is_up_to_date(reference: ModuleType) -> None:
    page = _page()
    assert reference.regenerate(page) == page, "docs/reference/commands.md is out of date: run " + reference.REGENERATE


def test_every_subcommand_and_option_is_on_the_page(reference: ModuleType) -> None:
    page = _page()
    for command in reference.commands():
        text = reference.help_text(command)
        assert text.startswith(f"usage: {command} "), text
        assert text in page.replace(f"$ {command} --help\n", ""), command
    for name in COMMANDS:
        assert f"$ bulletin {name} --help\n" in page
        for option in ("--data", "--lang", "--help"):
            assert option in reference.help_text(f"bulletin {name}")


def test_a_stale_block_is_found_and_rewritten(reference: ModuleType) -> None:
    page = _page()
    stale = page.replace("  --site-dir DIR", "  --site-folder DIR", 1)
    assert stale != page
    assert reference.regenerate(stale) == page
    without = stale.replace("<!-- cli-reference: bulletin forms --help -->", "<!-- forms -->")
    assert reference.missing(without) == ["bulletin forms"]


def test_the_script_checks_from_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
