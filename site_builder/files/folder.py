"""The data folder on disk: which entries are regular files, how large they are, and reading one.

Part of the load stage. Nothing here follows a symbolic link or opens a pipe or device: such entries are
listed (so that a registered one is not also reported missing) and become `file-not-regular` findings.
The site stage packs and serves the data folder's files through the same functions.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from site_builder.core.findings import Finding
from site_builder.core.limits import MAX_FOLDER_BYTES


def size_params(size: int, limit: int) -> dict[str, object]:
    """The parameters of file-too-large and folder-too-large, measured in bytes."""
    return {"size": size, "limit": limit, "unit_zh": "字节", "unit_en": "bytes"}


def oversized(sizes: dict[str, int]) -> Finding | None:
    """folder-too-large (at the largest file) when the files' sizes together exceed the limit."""
    total = sum(sizes.values())
    if total <= MAX_FOLDER_BYTES:
        return None
    largest = max(sorted(sizes), key=sizes.__getitem__)
    params = {**size_params(total, MAX_FOLDER_BYTES), "largest": sizes[largest]}
    return Finding("folder-too-large", largest, params=params)


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


@dataclass(frozen=True)
class Listing:
    """Every entry below a folder but hidden ones (a part starting with "."), with its size, and a finding for
    each that is not a regular file. Such entries are listed (so a registered one is not also "missing") but
    never opened; a linked folder is refused and not entered."""

    files: list[str]  # relative, "/"-separated, sorted
    sizes: dict[str, int]  # `lstat` size of each file (a link's own size: it is never followed)
    refused: list[Finding]


def list_folder(root: Path) -> Listing:
    """One `lstat` per entry, no link followed (`os.scandir`; a pathlib path per file costs seconds at
    national scale)."""
    sizes: dict[str, int] = {}
    refused: list[Finding] = []
    pending = [(os.fspath(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # gone or unreadable since listed
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                status = entry.stat(follow_symlinks=False)
            except OSError:  # gone since listed
                continue
            mode = status.st_mode
            if stat.S_ISDIR(mode):
                pending.append((entry.path, rel + "/"))
                continue
            if stat.S_ISLNK(mode) and entry.is_dir():  # a linked folder: refused, not entered, not a file
                refused.append(not_regular(rel, mode))
                continue
            sizes[rel] = status.st_size
            if not stat.S_ISREG(mode):
                refused.append(not_regular(rel, mode))
    return Listing(sorted(sizes), sizes, sorted(refused, key=lambda finding: finding.file))


def walk(root: Path) -> tuple[list[str], list[Finding]]:
    """The files below `root` (sorted) and a finding for each entry that is not a regular file."""
    listing = list_folder(root)
    return listing.files, listing.refused


def regular_files(root: Path) -> list[str]:
    """The regular files below `root` (relative, sorted), hidden ones left out, no link followed."""
    files, refused = walk(root)
    skipped = {finding.file for finding in refused}
    return [rel for rel in files if rel not in skipped]


def read_regular(path: Path | str) -> bytes | None:
    """The bytes of `path` if it is a regular file, read without following a symbolic link and without
    blocking on a FIFO or device; None otherwise (or when it cannot be opened)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            return None
        chunks = []
        while chunk := os.read(fd, max(status.st_size, 1 << 16)):  # the file may grow while it is read
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
