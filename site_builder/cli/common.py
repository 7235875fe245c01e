"""What every `bulletin` command shares: exit codes, the data folder, dates, months and findings on
standard error."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from site_builder.cli.console import local_path
from site_builder.cli.messages import UsageError
from site_builder.core.catalog import Language
from site_builder.core.documents import MONTH_PATTERN
from site_builder.core.findings import Finding
from site_builder.render import findings as output

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)


def data_folder(args: argparse.Namespace) -> Path:
    value = args.data or args.global_data or "data"
    path = Path(local_path(value, "--data"))
    if not path.is_dir():
        raise UsageError("no-data-folder", folder=value)
    return path


def folder_prefix(data_dir: Path) -> str:
    """How findings name the data folder: relative to the repository root (as CI annotations need),
    else to the working directory, else absolute."""
    folder = data_dir.resolve()
    for root in (folder, *folder.parents):
        if (root / ".git").exists():
            return folder.relative_to(root).as_posix()
    try:
        return folder.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return folder.as_posix()


def date_option(value: str | None, example: str) -> dt.date:
    """--date as a date (default: today); `example` shows the form in the message."""
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError as error:
        raise UsageError("bad-date", example=example, value=value) from error


def report_findings(findings: Sequence[Finding], args: argparse.Namespace, data_dir: Path | None) -> None:
    """Findings to standard error, in the language asked for, the data folder named as `folder_prefix` names it
    (None: the findings name files of their own, such as Excel forms)."""
    prefix = folder_prefix(data_dir) if data_dir is not None else ""
    sys.stderr.write(output.as_text(list(findings), cast(Language, args.lang), prefix))


def month_option(value: str) -> str:
    if not re.fullmatch(MONTH_PATTERN, value):
        raise UsageError("bad-month", value=value)
    return value
