"""Writes that survive a kill or a full disk: one function for files, one for the site, and locks.

Part of the publish stage (with `publish.py`, the only code that writes). Every file the project
writes goes through `write_atomic`: a temporary file in the same folder, written, flushed and
fsynced, renamed over the target, and the folder fsynced; any failure removes the temporary file
and leaves the old file as it was. A built site is switched in with `switch_site`: the site path
is a symbolic link to a hidden build folder beside it (`.site-<digest>`), replaced in one rename,
so readers see the old site or the new one and never nothing. Where symbolic links cannot be
made (Windows without developer mode), the site is a real folder swapped with two renames.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

TEMP_MARK = ".tmp-"  # temporary files are ".<name>.tmp-<random>": hidden, so never loaded or published


def write_atomic(path: Path, content: bytes) -> None:
    """Replace `path` by `content` durably: the file holds the old bytes or the new ones, never less."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}{TEMP_MARK}{secrets.token_hex(4)}")
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    try:
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with open(handle, "wb", closefd=True) as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new entry in `folder` durable (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder under `folder` to disk (POSIX; elsewhere the rename has to do)."""
    if os.name != "posix":
        return
    for root, _, names in os.walk(folder):
        for name in names:
            handle = os.open(os.path.join(root, name), os.O_RDONLY | os.O_NOFOLLOW)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
        fsync_folder(Path(root))


@contextlib.contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (created if absent) for the block; waits for other holders.

    The lock belongs to the open file, so a killed holder releases it.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+b") as handle:
        if sys.platform == "win32":
            import msvcrt  # noqa: PLC0415 - Windows only

            handle.seek(0)
            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after ten seconds; keep waiting
                    continue
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl  # noqa: PLC0415 - POSIX only

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# The site, switched through a link


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


def remove(path: Path) -> None:
    """Remove a file, a link or a folder tree; nothing if absent."""
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


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
