"""CODEOWNERS files from an `Ownership` (core/owners.py), for GitHub and for Gitea/Forgejo (no I/O).

GitHub (`.github/CODEOWNERS`): gitignore-like patterns rooted with `/`, `*` within one path segment, the
last matching rule wins; so the office's `*` comes first and each district's rule after it names the
district's editors and the office. Gitea and Forgejo (`.gitea/CODEOWNERS`, read from Gitea 1.21): each
rule is a Go regular expression matched against the whole path (Gitea adds `^…$`), a backslash in the file
is itself escaped (`\\.` is a regular-expression `\\.`), and every matching rule adds its owners; the
same rules therefore give the same owners on both.
"""

from __future__ import annotations

import re

from site_builder.core.owners import Ownership

HEAD = (
    "# 由 bulletin codeowners 根据 {source} 的 accounts 生成，请勿手工修改：\n"
    "# 改了 accounts 后重新执行 bulletin codeowners。\n"
    "# 各{term}的月报由本{term}的编辑和办公室负责，其他所有文件由办公室负责。\n"
)


def _plain(text: str) -> str:
    """A district's name in a comment: one line, no control characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _owners(accounts: tuple[str, ...]) -> str:
    return " ".join(f"@{a}" for a in accounts)


def github(ownership: Ownership, names: dict[str, str], source: str, term: str) -> str:
    """`.github/CODEOWNERS`: the office's default rule, then one rule per district with editors."""
    lines = [HEAD.format(source=source, term=term), f"* {_owners(ownership.office)}\n"]
    for region_id in ownership.editors:
        lines.append(f"# {_plain(names.get(region_id, region_id))}\n")
        lines.append(f"/{ownership.reports}/*/{region_id}.csv {_owners(ownership.district_owners(region_id))}\n")
    return "".join(lines)


def _gitea_pattern(text: str) -> str:
    """A literal path as a Gitea CODEOWNERS regular expression (the file's own escaping doubled)."""
    return re.escape(text).replace("\\", "\\\\")


def gitea(ownership: Ownership, names: dict[str, str], source: str, term: str) -> str:
    """`.gitea/CODEOWNERS`: the same owners as regular expressions, whose matches add up."""
    lines = [HEAD.format(source=source, term=term), f".* {_owners(ownership.office)}\n"]
    for region_id in ownership.editors:
        pattern = f"{_gitea_pattern(ownership.reports + '/')}[^/]+/{_gitea_pattern(region_id + '.csv')}"
        lines.append(f"# {_plain(names.get(region_id, region_id))}\n")
        lines.append(f"{pattern} {_owners(ownership.district_owners(region_id))}\n")
    return "".join(lines)
