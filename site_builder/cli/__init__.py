"""The `bulletin` command: a thin layer over `commands/` that prints and chooses the exit code.

Each command's `run_<command>` function lives in the module of its kind: `cli/validating.py` (validate),
`cli/reading.py` (rank, diff), `cli/office.py` (the office's monthly commands), `cli/building.py` (build,
serve, pdf) and `cli/folder.py` (init, upgrade). `main` imports only the module of the command it runs, so
`bulletin validate` starts without Jinja, Markdown, openpyxl, MkDocs or the compute stage.

Exit codes: 0 valid (warnings allowed), 1 invalid data, 2 usage error, 70 internal error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import cast

from site_builder.cli.common import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_USAGE
from site_builder.cli.console import safe_streams
from site_builder.cli.messages import UsageError, say
from site_builder.cli.parser import parser
from site_builder.core.catalog import Language
from site_builder.core.paths import UnsafePath
from site_builder.files.disk_errors import disk_error, disk_message

# command -> the module of site_builder.cli holding its `run_<command>` function
COMMANDS = {
    "validate": "validating",
    "diff": "reading",
    "forms": "office",
    "import": "office",
    "new-month": "office",
    "rank": "reading",
    "build": "building",
    "serve": "building",
    "pdf": "building",
    "sample": "office",
    "publish": "office",
    "erratum": "office",
    "init": "folder",
    "upgrade": "folder",
    "codeowners": "office",
    "check-authors": "office",
}


def runner(command: str) -> Callable[[argparse.Namespace], int]:
    """The `run_<command>` function of a command, its module imported now."""
    module = importlib.import_module(f"site_builder.cli.{COMMANDS[command]}")
    return cast(Callable[[argparse.Namespace], int], getattr(module, "run_" + command.replace("-", "_")))


def main(argv: Sequence[str] | None = None) -> int:
    safe_streams()  # a GBK console shows what it can rather than stopping half-way
    args = parser().parse_args(argv)
    lang = cast(Language, getattr(args, "lang", "zh"))
    try:
        return runner(args.command)(args)
    except UsageError as error:
        sys.stderr.write(f"bulletin: {error.text(lang)}\n")
        return EXIT_USAGE
    except UnsafePath as error:  # a month or id the data folder's own descriptor let through, unusable as a path
        sys.stderr.write(f"bulletin: {say('unsafe-path', lang, value=error.value, what=error.what)}\n")
        return EXIT_INVALID
    except KeyboardInterrupt:  # Ctrl-C: every writer has cleaned up after itself (durable writes, staging)
        sys.stderr.write(f"bulletin: {say('interrupted', lang)}\n")
        return EXIT_INTERRUPTED
    except Exception as error:  # the boundary: no traceback reaches an editor
        refused = disk_error(error)  # a full or read-only disk is not a bug: say what to do, exit 1
        if refused is not None:
            sys.stderr.write(disk_message(refused, lang))
            return EXIT_INVALID
        if os.environ.get("BULLETIN_DEBUG"):
            raise
        sys.stderr.write(f"bulletin: {say('internal', lang, kind=type(error).__name__, error=error)}\n")
        return EXIT_INTERNAL
