"""The data folder on disk: which entries are regular files, how large they are, and reading one.

Part of the load stage. Nothing here follows a symbolic link or opens a pipe or device: such entries are
listed (so that a registered one is not also reported missing) and become `file-not-regular` findings.
The publish stage packs and serves the data folder's files through the same functions.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from site_builder.findings import Finding
from site_builder.limits import MAX_FOLDER_BYTES


def size_params(size: int, limit: int) -> dict[str, object]:
    """The parameters of file-too-large and folder-too-large, measured in bytes."""
    return {"size": size, "limit": limit, "unit_zh": "字节", "unit_en": "bytes"}


def oversized(root: Path, files: list[str]) -> tuple[dict[str, int], Finding | None]:
    """Each file's size (without following links), and folder-too-large when together they exceed the limit."""
    sizes: dict[str, int] = {}
    for rel in files:
        try:
            sizes[rel] = os.lstat(root / rel).st_size
        except OSError:  # gone since listed
            sizes[rel] = 0
    total = sum(sizes.values())
    if total <= MAX_FOLDER_BYTES:
        return sizes, None
    largest = max(sorted(sizes), key=sizes.__getitem__)
    params = {**size_params(total, MAX_FOLDER_BYTES), "largest": sizes[largest]}
    return sizes, Finding("folder-too-large", largest, params=params)


_NOT_REGULAR = (
    (stat.S_ISLNK, "符号链接", "a symbolic link"),
    (stat.S_ISFIFO, "命名管道（FIFO）", "a named pipe (FIFO)"),
    (stat.S_ISCHR, "字符设备", "a character device"),
    (stat.S_ISBLK, "块设备", "a block device"),
    (stat.S_ISSOCK, "套接字", "a socket"),
)


def not_regular(rel: str, mode: int | None = None) -> Finding:
    """file-not-regular for `rel` (its `lstat` mode, when known): it is never opened, read or published."""
    kind = next(
        ((zh, en) for test, zh, en in _NOT_REGULAR if mode is not None and test(mode)), ("特殊文件", "not a file")
    )
    return Finding("file-not-regular", rel, params={"kind_zh": kind[0], "kind_en": kind[1]})


def walk(root: Path) -> tuple[list[str], list[Finding]]:
    """Every entry below `root` but hidden ones (a part starting with "."), sorted, and a finding for each that
    is not a regular file: symbolic links (to files or folders; a linked folder is not entered), devices,
    FIFOs and sockets. Those are listed (so a registered one is not also "missing") but never opened."""
    files: list[str] = []
    refused: list[Finding] = []
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(folder).relative_to(root)
        for name in list(dirnames):
            if name.startswith(".") or os.path.islink(os.path.join(folder, name)):
                dirnames.remove(name)
                if not name.startswith("."):
                    refused.append(not_regular((base / name).as_posix(), stat.S_IFLNK))
        for name in filenames:
            if name.startswith("."):
                continue
            rel = (base / name).as_posix()
            try:
                mode = os.lstat(os.path.join(folder, name)).st_mode
            except OSError:  # gone since listed
                continue
            files.append(rel)
            if not stat.S_ISREG(mode):
                refused.append(not_regular(rel, mode))
    return sorted(files), refused


def regular_files(root: Path) -> list[str]:
    """The regular files below `root` (relative, sorted), hidden ones left out, no link followed."""
    files, refused = walk(root)
    skipped = {finding.file for finding in refused}
    return [rel for rel in files if rel not in skipped]


def read_regular(path: Path) -> bytes | None:
    """The bytes of `path` if it is a regular file, read without following a symbolic link and without
    blocking on a FIFO or device; None otherwise (or when it cannot be opened)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return handle.read()
