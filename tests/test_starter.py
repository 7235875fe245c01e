"""What `bulletin init` copies is the project's own: the contract every shipped data folder follows, and the
deploy script. The starter holds real files (no links, which a checkout on Windows could not make)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.files.descriptor import set_report_paths
from tests.conftest import REPO

STARTER = REPO / "site_builder" / "starter"
TITLE = re.compile(r"^(\s*(?:- )?)title: .*$", re.MULTILINE)  # resource titles may name the city's own terms
FOLDERS = [
    "data",
    "examples/zaozhuang",
    *sorted(p.parent.relative_to(REPO).as_posix() for p in (REPO / "tests" / "fixtures").glob("*/datapackage.yaml")),
]


def _contract(path: Path) -> str:
    return TITLE.sub(r"\1title: …", set_report_paths(path.read_text(encoding="utf-8"), []))


def test_the_starter_holds_no_links() -> None:
    assert not [p for p in STARTER.rglob("*") if p.is_symlink()]


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_shipped_descriptor_is_the_starters_contract(folder: str) -> None:
    assert _contract(REPO / folder / "datapackage.yaml") == _contract(STARTER / "data" / "datapackage.yaml"), (
        f"{folder}/datapackage.yaml differs from site_builder/starter/data/datapackage.yaml: change both"
    )


def test_the_starters_workflows_and_ci_scripts_are_the_projects() -> None:
    """One source: scripts/starter_files.py copies them, the workflows with the city's install step."""
    check = subprocess.run(
        [sys.executable, "scripts/starter_files.py", "--check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert (STARTER / "scripts" / "deploy-ssh.sh").read_bytes() == (REPO / "scripts" / "deploy-ssh.sh").read_bytes()
    for workflow in (STARTER / "github" / "workflows").glob("*.yml"):
        assert "make " not in workflow.read_text(encoding="utf-8"), workflow.name  # a city has no Makefile
