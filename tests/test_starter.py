"""What `bulletin init` copies is the project's own: the contract every shipped data folder follows, and the
deploy script. The starter holds real files (no links, which a checkout on Windows could not make)."""

from __future__ import annotations

import re
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


def test_the_starters_deploy_script_is_the_projects() -> None:
    assert (STARTER / "scripts" / "deploy-ssh.sh").read_bytes() == (REPO / "scripts" / "deploy-ssh.sh").read_bytes()
