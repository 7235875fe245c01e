"""`bulletin validate`: load → validate, nothing more.

A module of its own so that the command imports only what it needs: `commands/check.py`'s `check`, whose
model and compute stages are imported only by the commands that compute (`cli/reading.py`'s rank and diff).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import cast

from site_builder.cli.common import EXIT_INVALID, EXIT_OK, data_folder, folder_prefix
from site_builder.commands import check
from site_builder.core.catalog import Language
from site_builder.core.findings import has_errors
from site_builder.render import findings as output


def run_validate(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    lang = cast(Language, args.lang)
    result = check.check(data_dir)
    prefix = folder_prefix(data_dir)
    formatters = {"text": output.as_text, "json": output.as_json, "github": output.as_github}
    sys.stdout.write(formatters[args.format](result.findings, lang, prefix))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(output.as_markdown_summary(result.findings, lang, prefix))
    return EXIT_INVALID if has_errors(result.findings) else EXIT_OK
