"""Writes that survive a kill or a full disk, and locks.

Every file the project writes goes through `write_atomic`: a temporary file in the same folder,
written, flushed and fsynced, renamed over the target, and the folder fsynced; any failure removes
the temporary file and leaves the old file as it was. `write_data_files` and `write_files` are how
commands write into the data folder (reports, a bulletin's records and sealed copies) and elsewhere
(Excel forms). The built site is switched in by `site/switch.py`.
"""

from __future__ import annotations

import contextlib
import os
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


def remove(path: Path) -> None:
    """Remove a file, a link or a folder tree; nothing if absent."""
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write `content` to `path` unless it holds those bytes already; return whether it was written."""
    if path.is_file() and path.read_bytes() == content:
        return False
    write_atomic(path, content)
    return True


def write_data_files(data_dir: Path, files: dict[str, str], descriptor: str | None = None) -> list[str]:
    """Write new or changed data files (and the descriptor) into the data folder; return the paths written."""
    written = []
    for rel, text in sorted(files.items()):
        if write_if_changed(data_dir / rel, text.encode("utf-8")):
            written.append(rel)
    if descriptor is not None and write_if_changed(data_dir / "datapackage.yaml", descriptor.encode("utf-8")):
        written.append("datapackage.yaml")
    return written


def write_files(folder: Path, files: dict[str, bytes]) -> list[str]:
    """Write files (Excel forms, a bulletin's records and sealed copies) into `folder`; return their names."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in sorted(files.items()):
        write_atomic(folder / name, content)
    return sorted(files)
