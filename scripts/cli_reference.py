"""Regenerate the command-line reference in docs/reference/commands.md from the argparse definitions.

The page is written by hand in Chinese; inside it, each block between

    <!-- cli-reference: bulletin COMMAND --help -->
    ```text
    …
    ```
    <!-- cli-reference: end -->

is the `--help` output of that command, exactly as `bulletin` prints it (at a fixed width of 100
columns, without colour). This script rewrites those blocks; `tests/test_cli_reference.py` fails when
the page is out of date or when a subcommand has no block.

    python scripts/cli_reference.py          # rewrite the blocks that differ
    python scripts/cli_reference.py --check  # exit 1 if the page is out of date
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python scripts/cli_reference.py` without installing
    sys.path.insert(0, str(ROOT))

from site_builder import cli  # noqa: E402 - after the path is set
from site_builder.cli.parser import parser  # noqa: E402

PAGE = ROOT / "docs" / "reference" / "commands.md"
WIDTH = 100
BLOCK = re.compile(
    r"(?P<start><!-- cli-reference: (?P<command>bulletin(?: [a-z-]+)?) --help -->\n)"
    r"(?P<body>.*?)"
    r"(?P<end><!-- cli-reference: end -->)",
    flags=re.DOTALL,
)
REGENERATE = "python scripts/cli_reference.py"


@contextlib.contextmanager
def _plain_terminal() -> Iterator[None]:
    """argparse wraps to the terminal's width (COLUMNS) and may colour its output: fix both."""
    saved = {name: os.environ.get(name) for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "PYTHON_COLORS")}
    os.environ.update({"COLUMNS": str(WIDTH), "NO_COLOR": "1"})
    for name in ("FORCE_COLOR", "PYTHON_COLORS"):
        os.environ.pop(name, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def help_text(command: str) -> str:
    """What `bulletin [SUBCOMMAND] --help` prints; `command` is "bulletin" or "bulletin SUBCOMMAND"."""
    words = command.split()[1:]
    out = io.StringIO()
    with _plain_terminal(), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        parser().parse_args([*words, "--help"])
    return out.getvalue()


def commands() -> list[str]:
    """Every command the page must show: `bulletin` itself and each subcommand."""
    return ["bulletin", *(f"bulletin {name}" for name in cli.COMMANDS)]


def _block(command: str) -> str:
    return f"```text\n$ {command} --help\n{help_text(command).rstrip()}\n```\n"


def regenerate(page: str) -> str:
    """The page with every marked block replaced by the current help output."""
    return BLOCK.sub(lambda m: m["start"] + _block(m["command"]) + m["end"], page)


def missing(page: str) -> list[str]:
    """Commands without a marked block on the page."""
    present = {m["command"] for m in BLOCK.finditer(page)}
    return [command for command in commands() if command not in present]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the --help blocks of docs/reference/commands.md.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is out of date; write nothing")
    args = parser.parse_args(argv)
    page = PAGE.read_text(encoding="utf-8")
    absent = missing(page)
    if absent:
        sys.stderr.write(f"{PAGE.relative_to(ROOT)}: no cli-reference block for: {', '.join(absent)}\n")
        return 1
    fresh = regenerate(page)
    if fresh == page:
        return 0
    if args.check:
        sys.stderr.write(f"{PAGE.relative_to(ROOT)} is out of date: run `{REGENERATE}`\n")
        return 1
    PAGE.write_text(fresh, encoding="utf-8")
    sys.stdout.write(f"wrote {PAGE.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
