"""The `bulletin` command: a thin layer over `pipeline` that prints and chooses the exit code.

Exit codes: 0 valid (warnings allowed), 1 invalid data, 2 usage error, 70 internal error.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from site_builder import __version__, output, pipeline
from site_builder.catalog import LANGUAGES, Language
from site_builder.compute import month_ranking
from site_builder.findings import has_errors
from site_builder.publish import PublishError
from site_builder.render import rank as rank_output

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class UsageError(Exception):
    """The command line names something that cannot be used."""


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", default=None, metavar="DIR", help="data folder (default: data)")
    common.add_argument("--lang", choices=LANGUAGES, default="zh", help="language of messages (default: zh)")
    parser = argparse.ArgumentParser(prog="bulletin", description="Progress bulletin site generator.")
    parser.add_argument("--version", action="version", version=f"bulletin {__version__}")
    parser.add_argument("--data", dest="global_data", default=None, metavar="DIR", help="data folder (default: data)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate", parents=[common], help="check the data and report every finding", description="Check the data."
    )
    validate.add_argument("--format", choices=("text", "json", "github"), default="text", help="output format")
    rank = commands.add_parser(
        "rank", parents=[common], help="print a month's ranking", description="Print a month's ranking."
    )
    rank.add_argument("month", metavar="MONTH", help="the month, as YYYY-MM")
    rank.add_argument("--format", choices=("text", "json", "csv"), default="text", help="output format")
    build = commands.add_parser(
        "build", parents=[common], help="validate, then build the static site", description="Build the site."
    )
    build.add_argument("--site-dir", default="site", metavar="DIR", help="where the site goes (default: site)")
    return parser


def _data_dir(args: argparse.Namespace) -> Path:
    value = args.data or args.global_data or "data"
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"data folder not found: {value}")
    return path


def _prefix(data_dir: Path) -> str:
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


def run_validate(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    lang = cast(Language, args.lang)
    result = pipeline.check(data_dir)
    prefix = _prefix(data_dir)
    formatters = {"text": output.as_text, "json": output.as_json, "github": output.as_github}
    sys.stdout.write(formatters[args.format](result.findings, lang, prefix))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(output.as_markdown_summary(result.findings, lang, prefix))
    return EXIT_INVALID if has_errors(result.findings) else EXIT_OK


def run_rank(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", args.month):
        raise UsageError(f"MONTH must look like 2011-05, not {args.month!r}")
    data_dir = _data_dir(args)
    lang = cast(Language, args.lang)
    computed = pipeline.compute_folder(data_dir)
    if computed.dataset is None or computed.results is None:
        sys.stderr.write(output.as_text(computed.validated.findings, lang, _prefix(data_dir)))
        return EXIT_INVALID
    if args.month not in computed.dataset.months:
        months = ", ".join(computed.dataset.months) or "none"
        raise UsageError(f"no reports for {args.month}; months with reports: {months}")
    rows = month_ranking(computed.dataset, computed.results, args.month)
    formatters = {"text": rank_output.as_text, "json": rank_output.as_json, "csv": rank_output.as_csv}
    sys.stdout.write(formatters[args.format](computed.dataset, args.month, rows))
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    lang = cast(Language, args.lang)
    site_dir = Path(args.site_dir)
    try:
        built = pipeline.build(data_dir, site_dir)
    except PublishError as error:
        sys.stderr.write(f"bulletin: build failed, {site_dir} is unchanged: {error}\n")
        return EXIT_INVALID
    findings = built.computed.validated.findings
    if not built.ok:
        sys.stderr.write(output.as_text(findings, lang, _prefix(data_dir)))
        sys.stderr.write(f"bulletin: nothing was written to {site_dir}.\n")
        return EXIT_INVALID
    if findings:
        sys.stderr.write(output.as_text(findings, lang, _prefix(data_dir)))
    sys.stdout.write(f"built {site_dir} ({len(built.changed)} generated files changed)\n")
    return EXIT_OK


COMMANDS = {"validate": run_validate, "rank": run_rank, "build": run_build}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as error:
        sys.stderr.write(f"bulletin: error: {error}\n")
        return EXIT_USAGE
    except Exception as error:  # the boundary: no traceback reaches an editor
        if os.environ.get("BULLETIN_DEBUG"):
            raise
        sys.stderr.write(
            f"bulletin: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in bulletin, not in your data. Set BULLETIN_DEBUG=1 to see the traceback and report it.\n"
        )
        return EXIT_INTERNAL
