"""The console the command runs in, as an office PC has it: a GBK console, and paths typed the Windows way.

`safe_streams()` makes standard output and error replace what the console's encoding cannot show (a
Windows console redirected to a file or pipe is GBK, cp936) instead of failing half-way through a
message. `local_path()` reads a path given on the command line: on Windows as it is; elsewhere a
relative path with backslashes (`inbox\\西区.xlsx`) is read with `/`, and a drive letter or a network
share (`D:\\报表`, `\\\\server\\share`), which names nothing on this machine, is a usage error that says so.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path, PureWindowsPath

from site_builder.cli.messages import UsageError


def safe_streams() -> None:
    """Standard output and error replace the characters their encoding lacks, rather than raise."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


def local_path(value: str, what: str) -> str:
    """`value`, a path from the command line (`what`: the argument), as this machine reads it."""
    if os.name == "nt" or ("\\" not in value and not PureWindowsPath(value).drive):
        return value
    windows = PureWindowsPath(value)
    if windows.drive or windows.root:  # D:\报表, \\server\share, \根目录: another machine's path
        raise UsageError("windows-path", what=what, value=value)
    if Path(value).exists():  # a name with a backslash in it, on a machine that allows them
        return value
    return windows.as_posix()


# what a clerk may upload as a form: the wrong kinds (.xls, WPS, CSV) are read to say so, not skipped in silence
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".et", ".csv")


def forms_to_import(files: list[str], inbox: str | None) -> list[tuple[str, bytes]]:
    """The forms named, then every spreadsheet directly in `inbox` (not Excel's ~$ lock files), sorted by name."""
    names = [Path(local_path(name, "FILE")) for name in files]
    if inbox is not None:
        folder = Path(local_path(inbox, "--inbox"))
        if not folder.is_dir():
            raise UsageError("no-inbox", folder=inbox)
        found = sorted(p for p in folder.iterdir() if p.suffix.lower() in SPREADSHEETS and not p.name.startswith("~$"))
        for link in (p for p in found if p.is_symlink()):  # a link would read a file from anywhere on the machine
            raise UsageError("inbox-link", name=link.name, target=os.readlink(link))
        names += [p for p in found if p.is_file()]
    elif not names:
        raise UsageError("no-forms")
    filled = []
    for path in names:
        if not path.is_file():
            raise UsageError("no-file", name=path)
        filled.append((path.name, path.read_bytes()))
    return filled
