"""What to tell an editor when the disk refuses: read-only, full, over quota, no permission, name too long.

These are not bugs in `bulletin` and not problems in the data, so the CLI answers them with exit 1 and
this text (which path, what happened, what to do) rather than an internal error. Only the CLI prints it.
"""

from __future__ import annotations

import errno

from site_builder.core.catalog import Language

# errno -> (what happened, what to do), in Chinese and in English
_KNOWN: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {
    errno.ENOSPC: (
        ("磁盘已满", "清理磁盘空间（或换到空间充足的磁盘）后重新运行。"),
        ("the disk is full", "Free some space (or use a disk with room) and run the command again."),
    ),
    errno.EDQUOT: (
        ("超出了磁盘配额", "删除不需要的文件，或请管理员提高配额，然后重新运行。"),
        ("the disk quota is exceeded", "Delete files you do not need, or ask for a larger quota, and run it again."),
    ),
    errno.EROFS: (
        ("磁盘或文件夹是只读的", "把数据文件夹和输出目录放在可写的位置（或请管理员以可写方式挂载），然后重新运行。"),
        ("the file system is read-only", "Use a writable folder for the data and the output, then run it again."),
    ),
    errno.EACCES: (
        ("没有读写权限", "检查该文件或文件夹的权限和所有者（是否由其他用户创建），或换一个你有权限的文件夹。"),
        ("permission denied", "Check the owner and permissions of the file or folder, or use a folder you may write."),
    ),
    errno.EPERM: (
        ("操作不被允许", "检查该文件或文件夹的权限和所有者（是否被锁定或由其他用户创建），或换一个文件夹。"),
        ("the operation is not permitted", "Check the owner and permissions of the file or folder, or use another."),
    ),
    errno.ENAMETOOLONG: (
        (
            "文件名或路径太长",
            "把数据文件夹或输出目录移到路径更短的位置；如果文件名来自数据中的编码，编码最长 64 个字符。",
        ),
        ("the file name or path is too long", "Move the folders to a shorter path; ids are at most 64 characters."),
    ),
    errno.EIO: (
        ("磁盘读写出错", "检查磁盘（或网络盘的连接）是否正常，然后重新运行。"),
        ("an input/output error occurred", "Check the disk (or the network drive's connection) and run it again."),
    ),
}
DISK_ERRNOS = frozenset(_KNOWN)


def disk_error(error: BaseException | None) -> OSError | None:
    """The disk refusing (full, read-only, …) behind `error`, itself or what it was raised from; None if not."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OSError) and error.errno in DISK_ERRNOS:
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def disk_message(error: OSError, lang: Language = "zh") -> str:
    """Lines for standard error: which path, what happened, what to do (`error` must be a disk error)."""
    (what_zh, todo_zh), (what_en, todo_en) = _KNOWN[error.errno or 0]
    paths = [str(name) for name in (error.filename, error.filename2) if name is not None]
    detail = error.strerror or str(error)
    if lang == "en":
        where = " and ".join(paths) or "a file"
        return f"bulletin: cannot write or read {where}: {what_en} ({detail}).\n  {todo_en}\n"
    where = "、".join(paths) or "某个文件"
    return f"bulletin: 无法读写 {where}：{what_zh}（{detail}）。\n  {todo_zh}\n"
