"""Copy the project's workflows and CI scripts into site_builder/starter/, which `bulletin init` writes into a
new city's repository: one source for both, so a city runs what this project tests.

The workflows differ in two places only. A city's repository has no Makefile and installs the bulletin
version its requirements.txt pins (offline from a wheels/ folder, or from the runner image's wheelhouse,
see ci/runner-image/), and its data folder is the one `bulletin init --data` named (`__DATA__`, filled in
by init). The scripts are copied byte for byte. `tests/test_starter.py` fails when the starter is stale.

    python scripts/starter_files.py          # rewrite the starter's copies that differ
    python scripts/starter_files.py --check  # exit 1 if any is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STARTER = REPO / "site_builder" / "starter"
# project path -> starter path (hidden names are stored without the dot: init renames them)
COPIED = {
    ".github/actions-allowed.yaml": "github/actions-allowed.yaml",
    "inbox/README.md": "inbox/README.md",
    "scripts/deploy-ssh.sh": "scripts/deploy-ssh.sh",
    "scripts/install-system-deps.sh": "scripts/install-system-deps.sh",
    "scripts/ci/forge.py": "scripts/ci/forge.py",
    "scripts/ci/inbox.sh": "scripts/ci/inbox.sh",
    "scripts/ci/check.sh": "scripts/ci/check.sh",
    "scripts/ci/push.sh": "scripts/ci/push.sh",
    "scripts/ci/propose.sh": "scripts/ci/propose.sh",
    "scripts/preview/preview.py": "scripts/preview/preview.py",
    "scripts/preview/preview.cmd": "scripts/preview/preview.cmd",
    "scripts/preview/preview.ps1": "scripts/preview/preview.ps1",
}
INSTALL = re.compile(
    r"^(?P<indent> *)- name: 安装\n(?P<condition>(?P=indent)  if: .*\n)?(?P=indent)  run: make setup-ci\n", re.MULTILINE
)
CITY_INSTALL = """\
{indent}- name: 安装 requirements.txt 固定的 bulletin 版本（有 wheels/ 文件夹或运行器镜像中的安装包时离线安装）
{condition}{indent}  run: |
{indent}    python3 -m venv .venv
{indent}    if [ -d wheels ]; then
{indent}      .venv/bin/pip install --no-index --find-links wheels/ -r requirements.txt
{indent}    else
{indent}      .venv/bin/pip install -r requirements.txt
{indent}    fi
"""
DATA = re.compile(r"^env:\n  DATA: data\n", re.MULTILINE)


def city_workflow(text: str) -> str:
    """A project workflow as a city's repository runs it."""
    text = INSTALL.sub(
        lambda match: CITY_INSTALL.format(indent=match.group("indent"), condition=match.group("condition") or ""), text
    )
    return DATA.sub("env:\n  DATA: __DATA__\n", text)


def expected() -> dict[Path, bytes]:
    files = {
        STARTER / "github" / "workflows" / path.name: city_workflow(path.read_text(encoding="utf-8")).encode("utf-8")
        for path in sorted((REPO / ".github" / "workflows").glob("*.yml"))
    }
    files.update({STARTER / target: (REPO / source).read_bytes() for source, target in COPIED.items()})
    return files


def stale() -> list[Path]:
    """The starter's copies that differ from what they should be, and workflows it has that the project lacks."""
    files = expected()
    wrong = [path for path, content in files.items() if not path.is_file() or path.read_bytes() != content]
    extra = [p for p in sorted((STARTER / "github" / "workflows").glob("*.yml")) if p not in files]
    return wrong + extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Copy the workflows and CI scripts into the starter.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the starter is out of date")
    args = parser.parse_args(argv)
    problems = stale()
    if args.check:
        for path in problems:
            print(f"out of date: {path.relative_to(REPO)} (run python scripts/starter_files.py)")
        return 1 if problems else 0
    files = expected()
    for path in problems:
        if path in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[path])
            if path.suffix == ".sh":
                path.chmod(0o755)
        else:
            path.unlink()
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
