"""The commands that read the data and write nothing: rank and the reviewer's diff (validate: cli/validating.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import cast

from site_builder.cli.common import EXIT_INVALID, EXIT_OK, data_folder, month_option, report_findings
from site_builder.cli.messages import UsageError, say
from site_builder.commands import check
from site_builder.commands.diff import diff_revisions
from site_builder.compute import month_ranking
from site_builder.core.catalog import Language
from site_builder.load.history import RevisionError
from site_builder.render import diff_annotations, diff_summary
from site_builder.render import rank as rank_output


def run_rank(args: argparse.Namespace) -> int:
    month_option(args.month)
    data_dir = data_folder(args)
    computed = check.compute_folder(data_dir)
    if computed.dataset is None or computed.results is None:
        report_findings(computed.validated.findings, args, data_dir)
        return EXIT_INVALID
    dataset, results = computed.dataset, computed.results
    past = computed.past.get(int(args.month[:4]))
    if past is not None:  # a month of a past programme year: ranked as it was in that year
        dataset, results = past.dataset, past.results
    if args.month not in dataset.months:
        lang = cast(Language, args.lang)
        known = [m for year in (computed.past.values()) for m in year.dataset.months] + list(computed.dataset.months)
        months = "、".join(sorted(known)) or say("none", lang)
        raise UsageError("no-reports", month=args.month, months=months)
    rows = month_ranking(dataset, results, args.month)
    formatters = {"text": rank_output.as_text, "json": rank_output.as_json, "csv": rank_output.as_csv}
    sys.stdout.write(formatters[args.format](dataset, args.month, rows))
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    data = args.data or args.global_data or "data"  # the folder may not exist in the working tree
    try:
        result = diff_revisions(Path.cwd(), data, args.old, args.new)
    except RevisionError as error:
        raise UsageError(error.message) from error
    if args.format == "github":  # paths in the repository, as the pull request's files are
        sys.stdout.write(diff_annotations.as_github(result, data.strip("/") + "/" if data.strip("/.") else ""))
        return EXIT_OK
    limit = diff_summary.MAX_CHARS if args.max_chars is None else max(0, args.max_chars)
    sys.stdout.write(diff_summary.to_markdown(result, limit))
    return EXIT_OK
