"""The built site switched in at once: readers see the old site or the new one, never none.

The site path is a symbolic link to a hidden build folder beside it (`.site-<digest>`), replaced in
one rename. Where symbolic links cannot be made (Windows without developer mode), the site is a real
folder swapped with two renames, and there is a moment between them without a site. Every build of a
site holds `site_lock` while it stages and switches, and sweeps what killed builds left behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

from site_builder.files.durable import fsync_folder, fsync_tree, remove


def site_lock(site_dir: Path) -> Path:
    """The lock file every build of `site_dir` holds: `.<name>-lock` beside it."""
    return site_dir.with_name(f".{site_dir.name}-lock")


def staging_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}-building-"


def _build_name(site_dir: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{site_dir.name}-") + r"[0-9a-f]{16}")


def _leftover(site_dir: Path) -> re.Pattern[str]:
    """Folders and links of earlier builds that no reader can reach: staging, swapped-out, half-made links."""
    name = re.escape(f".{site_dir.name}-")
    return re.compile(name + r"(?:building-.+|old-[0-9a-f]+|link-[0-9a-f]+)")


def tree_digest(folder: Path) -> str:
    """A digest of a folder's file names and contents: the name of its build folder."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def sweep(site_dir: Path) -> list[str]:
    """Remove what killed or failed builds of `site_dir` left beside it, and builds no longer linked.

    Call it holding `site_lock(site_dir)`: then no other build of this site is using any of them.
    Returns the names removed.
    """
    current = os.readlink(site_dir) if site_dir.is_symlink() else None
    builds, leftover = _build_name(site_dir), _leftover(site_dir)
    removed = []
    for path in sorted(site_dir.parent.iterdir()):
        name = path.name
        if name != current and (leftover.fullmatch(name) or builds.fullmatch(name)):
            remove(path)
            removed.append(name)
    return removed


def switch_site(staging: Path, site_dir: Path) -> Path:
    """Make the finished build `staging` the site at `site_dir`; return the folder now served.

    `site_dir` becomes a link to `.<name>-<digest>` beside it, replaced in one rename. The first
    switch over a real folder (a site built before links were used) moves that folder away first:
    this once, there is a moment between two renames without a site. Without symbolic links the
    fallback is that two-rename swap every time. Earlier builds are removed afterwards.
    """
    staging.chmod(0o755)
    fsync_tree(staging)  # after a power cut the link must not lead to files still only in memory
    build = site_dir.with_name(f".{site_dir.name}-{tree_digest(staging)}")
    if site_dir.is_symlink() and os.readlink(site_dir) == build.name and build.is_dir():
        remove(staging)  # the same bytes are already served
        return build
    remove(build)
    os.rename(staging, build)
    link = site_dir.with_name(f".{site_dir.name}-link-{secrets.token_hex(4)}")
    try:
        os.symlink(build.name, link, target_is_directory=True)
    except (OSError, NotImplementedError):
        _swap_folders(build, site_dir)
        return site_dir
    moved = None
    try:
        if site_dir.is_dir() and not site_dir.is_symlink():
            moved = site_dir.with_name(f".{site_dir.name}-old-{secrets.token_hex(4)}")
            os.rename(site_dir, moved)
        os.replace(link, site_dir)
    except BaseException:
        remove(link)
        if moved is not None and not os.path.lexists(site_dir):
            os.rename(moved, site_dir)  # the migration failed: the old folder goes back
        raise
    fsync_folder(site_dir.parent)
    sweep(site_dir)
    return build


def _swap_folders(build: Path, site_dir: Path) -> None:
    """The fallback without links: rename the old site away, the new one into place, remove the old."""
    old = site_dir.with_name(f".{site_dir.name}-old-{secrets.token_hex(4)}")
    if site_dir.is_symlink():
        site_dir.unlink()
    elif site_dir.exists():
        os.rename(site_dir, old)
    os.rename(build, site_dir)
    fsync_folder(site_dir.parent)
    remove(old)
    sweep(site_dir)
