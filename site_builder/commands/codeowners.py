"""bulletin codeowners and bulletin check-authors: who may change what, from organization.yaml's `accounts`.

`codeowners` writes `.github/CODEOWNERS` and `.gitea/CODEOWNERS` (render/codeowners.py) at the top of the
repository holding the data folder. `check_authors` lists a pull request's non-merge commits (one `git log`,
load/history.py's `changes`) and makes a `change-not-owned` finding for every file a commit changed that
its account does not own (core/owners.py). A commit's account is the pull request's author, except for the
commits of an import bot (`bots`, by default GitHub's and Gitea's Actions accounts): those are the
uploader's, named by the commit message's `Imported-for: <account>` trailer (a bot commit without one is
the bot's own and owns nothing). The trailer is read from bot commits only: anyone can write one. When
a person's pull request uploads forms to the inbox and the import workflow commits what they became into
it (scripts/ci/inbox.sh), the pull request's author is the uploader: the bot's commit is checked as theirs,
and the forms themselves (`inbox`) are anyone's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.commands.check import check
from site_builder.core.findings import Finding, has_errors
from site_builder.core.owners import Ownership
from site_builder.files.durable import write_if_changed
from site_builder.load.history import Change, RevisionError, changes, relative_to_top
from site_builder.render import codeowners as text
from site_builder.validate import Validated

BOTS = ("github-actions[bot]", "gitea-actions", "forgejo-actions")
TRAILER = "Imported-for"
GITHUB_FILE = ".github/CODEOWNERS"
GITEA_FILE = ".gitea/CODEOWNERS"


class NoOwnership(Exception):
    """The data names no accounts, or the data folder's path cannot be written into a CODEOWNERS rule."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Owned:
    validated: Validated
    ownership: Ownership | None = None
    top: Path | None = None
    names: dict[str, str] = field(default_factory=dict)  # region id → name
    term: str = "地区"


def ownership(data_dir: Path) -> Owned:
    """The data folder validated, and when it is valid, its ownership (None: errors, see the findings).

    Raises `NoOwnership` when organization.yaml has no accounts or no office account, `RevisionError` when
    the data folder is in no git repository."""
    validated = check(data_dir)
    if has_errors(validated.findings) or validated.organization is None or validated.programme is None:
        return Owned(validated)
    accounts = validated.organization.accounts
    if accounts is None or not accounts.office:
        raise NoOwnership("organization.yaml 中没有 accounts.office（办公室的账号）：先写好 accounts，见《数据规范》。")
    top, prefix = relative_to_top(data_dir)
    if re.search(r"[\s#\\]", prefix):
        raise NoOwnership(
            f"数据文件夹的路径 {prefix!r} 含空格、# 或反斜杠，无法写入 CODEOWNERS：请改用简单的文件夹名。"
        )
    regions = validated.tables["regions"].frame
    order = [r for r in regions["id"].to_list() if r is not None]
    names = {r: n for r, n in zip(regions["id"].to_list(), regions["name"].to_list(), strict=True) if r and n}
    return Owned(
        validated,
        Ownership.of(accounts, order, prefix),
        top,
        names,
        validated.programme.region_term,
    )


def files(owned: Owned, out: Path | None = None, gitea_out: Path | None = None) -> dict[Path, str]:
    """The CODEOWNERS files to write: path → text (GitHub's at `out`, Gitea's at `gitea_out`, by default at
    the repository's top)."""
    assert owned.ownership is not None
    assert owned.top is not None
    source = f"{owned.ownership.prefix}/organization.yaml" if owned.ownership.prefix else "organization.yaml"
    args = (owned.ownership, owned.names, source, owned.term)
    return {
        out or owned.top / GITHUB_FILE: text.github(*args),
        gitea_out or owned.top / GITEA_FILE: text.gitea(*args),
    }


def write(targets: dict[Path, str]) -> list[Path]:
    """Write the files (only those whose text changed); return the ones written."""
    written = []
    for path, content in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if write_if_changed(path, content.encode("utf-8")):
            written.append(path)
    return written


def account_of(change: Change, author: str, bots: tuple[str, ...]) -> str:
    """Whose change a commit is: the author's, or for a bot's commit the trailer's account."""
    if author.lower() not in {b.lower() for b in bots}:
        return author
    paragraphs = change.message.strip().split("\n\n")
    for line in reversed(paragraphs[-1].splitlines() if paragraphs else []):
        key, _, value = line.partition(":")
        if key.strip().lower() == TRAILER.lower() and value.strip():
            return value.strip().lstrip("@")
    return author


def in_inbox(path: str, inbox: str | None) -> bool:
    """Whether `path` is an Excel form directly in the inbox folder (anyone may upload one: the import
    decides what it becomes, and the report files it writes are checked as the uploader's)."""
    if not inbox:
        return False
    folder, _, name = path.rpartition("/")
    return folder == inbox.strip("/") and name.lower().endswith(".xlsx")


def check_authors(
    data_dir: Path, base: str, head: str, author: str, *, bots: tuple[str, ...] = BOTS, inbox: str | None = None
) -> tuple[Owned, list[Finding]]:
    """Every file changed in `base..head` outside its commit's account's files, as `change-not-owned`
    findings (file: the path in the repository); forms in `inbox` (a folder relative to the repository's
    top) are anyone's. Raises `RevisionError` for unknown revisions."""
    owned = ownership(data_dir)
    if owned.ownership is None or owned.top is None:
        return owned, []
    _, commits = changes(data_dir, base, head)
    findings: dict[tuple[str, str], Finding] = {}
    for change in commits:
        account = account_of(change, author.lstrip("@"), bots)
        for path in change.files:
            if in_inbox(path, inbox):
                continue
            if not owned.ownership.may_change(account, path) and (account, path) not in findings:
                owners = "、".join(f"@{o}" for o in owned.ownership.owners_of(path)) or "—"
                params = {"account": f"@{account}", "owners": owners, "commit": change.commit[:7]}
                findings[(account, path)] = Finding("change-not-owned", path, value=path, params=params)
    return owned, sorted(findings.values(), key=lambda f: (f.file, str(f.params["account"])))


__all__ = ["BOTS", "NoOwnership", "Owned", "RevisionError", "check_authors", "files", "ownership", "write"]
