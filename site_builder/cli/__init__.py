"""The `bulletin` command: a thin layer over `commands/` that prints and chooses the exit code.

Exit codes: 0 valid (warnings allowed), 1 invalid data, 2 usage error, 70 internal error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from site_builder.cli.common import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    data_folder,
    date_option,
    folder_prefix,
    month_option,
    report_findings,
)
from site_builder.cli.console import safe_streams
from site_builder.cli.messages import UsageError, say
from site_builder.cli.office import (
    run_check_authors,
    run_codeowners,
    run_erratum,
    run_forms,
    run_import,
    run_new_month,
    run_publish,
)
from site_builder.cli.parser import parser
from site_builder.commands import build, sample
from site_builder.commands import init as initialise
from site_builder.commands.diff import diff_revisions
from site_builder.commands.pdf import PrintError, print_document
from site_builder.commands.upgrade import upgrade_folder
from site_builder.compute import month_ranking
from site_builder.core.catalog import Language
from site_builder.core.findings import has_errors
from site_builder.core.paths import UnsafePath
from site_builder.files.disk_errors import disk_error, disk_message
from site_builder.load.history import RevisionError
from site_builder.render import diff_annotations, diff_summary
from site_builder.render import findings as output
from site_builder.render import rank as rank_output
from site_builder.render.official import document_path
from site_builder.site.build import BuildError, Workspace


def run_validate(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    lang = cast(Language, args.lang)
    result = build.check(data_dir)
    prefix = folder_prefix(data_dir)
    formatters = {"text": output.as_text, "json": output.as_json, "github": output.as_github}
    sys.stdout.write(formatters[args.format](result.findings, lang, prefix))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(output.as_markdown_summary(result.findings, lang, prefix))
    return EXIT_INVALID if has_errors(result.findings) else EXIT_OK


def run_rank(args: argparse.Namespace) -> int:
    month_option(args.month)
    data_dir = data_folder(args)
    computed = build.compute_folder(data_dir)
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


def run_build(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    site_dir = Path(args.site_dir)
    try:
        built = build.build(data_dir, site_dir, pdf=bool(getattr(args, "pdf", False)))
    except BuildError as error:
        sys.stderr.write(f"bulletin: {say('build-failed', args.lang, site=site_dir, error=error)}\n")
        refused = disk_error(error)
        if refused is not None:
            sys.stderr.write(disk_message(refused, cast(Language, args.lang)))
        return EXIT_INVALID
    findings = built.computed.validated.findings
    if not built.ok:
        report_findings(findings, args, data_dir)
        sys.stderr.write(f"bulletin: {say('nothing-written', args.lang, site=site_dir)}\n")
        return EXIT_INVALID
    if findings:
        report_findings(findings, args, data_dir)
    for notice in built.notices:
        sys.stderr.write(f"bulletin: {say(notice, args.lang)}\n")
    sys.stdout.write(say("built", args.lang, site=site_dir, changed=len(built.changed)) + "\n")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    from site_builder.commands.serve import Preview, Rebuilt  # noqa: PLC0415 - MkDocs is heavy; load it when serving

    def on_rebuild(rebuilt: Rebuilt) -> None:
        if rebuilt.findings:
            report_findings(rebuilt.findings, args, data_dir)
        if rebuilt.problem:
            sys.stderr.write(f"bulletin: {say('serve-problem', args.lang, problem=rebuilt.problem)}\n")
        sys.stderr.write(f"bulletin: {say('rebuilt' if rebuilt.ok else 'not-rebuilt', args.lang)}\n")

    try:
        preview = Preview(data_dir, Workspace.for_data(data_dir), args.addr, on_rebuild)
    except ValueError as error:
        raise UsageError(str(error)) from error
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops it like Ctrl-C: folders removed
    try:
        with contextlib.suppress(KeyboardInterrupt):
            preview.serve(lambda: sys.stderr.write(f"bulletin: {say('serving', args.lang, url=preview.url)}\n"))
    except OSError as error:  # the address is taken or not this machine's
        sys.stderr.write(f"bulletin: {say('cannot-serve', args.lang, addr=args.addr, error=error)}\n")
        return EXIT_INVALID
    return EXIT_OK


def run_pdf(args: argparse.Namespace) -> int:
    month = month_option(args.month)
    data_folder(args)  # a usage error now rather than after a build
    site_dir = Path(args.site_dir)
    document = document_path(month, "print.html")  # the bulletin as issued, laid out as an official document
    if not (site_dir / document).exists():
        status = run_build(argparse.Namespace(**{**vars(args), "site_dir": str(site_dir), "pdf": False}))
        if status != EXIT_OK:
            return status
    if not (site_dir / document).exists():
        raise UsageError("no-bulletin", month=month)
    out = Path(args.out or f"bulletin-{month}.pdf")
    try:
        print_document(site_dir, document, out)
    except PrintError as error:
        sys.stderr.write(f"bulletin: {error}\n")
        return EXIT_INVALID
    sys.stdout.write(say("wrote", args.lang, path=out) + "\n")
    return EXIT_OK


def run_sample(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    if not args.check and args.seed is None:
        raise UsageError("no-seed")
    drawn_on = date_option(args.date, "2011-07-25")
    outcome = sample.sample(data_dir, args.round, args.seed, drawn_on, check_only=args.check)
    if outcome.result is None:
        blocking = [f for f in outcome.validated.findings if f.severity == "error" and f.code != "draw-mismatch"]
        if blocking:
            report_findings(blocking, args, data_dir)
            return EXIT_INVALID
        raise UsageError("no-round", round=args.round)
    for region, ids in sorted(outcome.result.items()):
        sys.stdout.write(f"{region}: {', '.join(ids) or '-'}\n")
    if args.check:
        verdict = "draw-matches" if outcome.matches_record else "draw-differs"
        sys.stdout.write(say(verdict, args.lang, seed=outcome.seed) + "\n")
        return EXIT_OK if outcome.matches_record else EXIT_INVALID
    sys.stdout.write(say("draw-recorded", args.lang, round=args.round, seed=outcome.seed) + "\n")
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


def run_init(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    try:
        data = args.data or args.global_data or "data"
        made = initialise.init_repository(target, args.name, args.year, args.districts, data=data)
    except ValueError as error:
        raise UsageError(str(error)) from error
    except initialise.InitRefused as error:
        sys.stderr.write(f"bulletin: {error.message}\n")
        return EXIT_INVALID
    if not made.ok:  # the starter does not validate with this version: a bug, but say what and write nothing
        report_findings(made.findings, args, None)
        sys.stderr.write(f"bulletin: 生成的数据未通过校验，没有写入 {target}。\n")
        return EXIT_INVALID
    for path in made.files:
        sys.stdout.write(f"写入 {target / path}\n")
    sys.stdout.write(
        f"已在 {target} 生成{args.name}的数据仓库（{args.year} 年，{args.districts} 个示例区县）。下一步：\n"
        f"  cd {target} && git init && git add . && git commit -m 初始化\n"
        f"  按本市实际改写 {data}/ 中的示例（地区、人员、指标、目标），然后运行 bulletin validate --data {data}\n"
    )
    return EXIT_OK


def run_upgrade(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    done = upgrade_folder(data_dir, dry_run=args.dry_run)
    if not done.ok:
        report_findings(done.findings, args, data_dir)
        sys.stderr.write("bulletin: 按新版数据规范校验有错误，datapackage.yaml 未改动；请先改正上述问题。\n")
        return EXIT_INVALID
    for line in done.changes:
        sys.stdout.write(f"  {line}\n")
    if done.written:
        sys.stdout.write("已把 datapackage.yaml 更新为当前版本的数据规范；月报登记、不公开的列和本地增加的列均保留。\n")
    elif args.dry_run and done.changes:
        sys.stdout.write("以上为将要做的改动（--dry-run，未写入）。\n")
    else:
        sys.stdout.write("datapackage.yaml 已是当前版本的数据规范，无需改动。\n")
    return EXIT_OK


COMMANDS = {
    "validate": run_validate,
    "diff": run_diff,
    "forms": run_forms,
    "import": run_import,
    "new-month": run_new_month,
    "rank": run_rank,
    "build": run_build,
    "serve": run_serve,
    "pdf": run_pdf,
    "sample": run_sample,
    "publish": run_publish,
    "erratum": run_erratum,
    "init": run_init,
    "upgrade": run_upgrade,
    "codeowners": run_codeowners,
    "check-authors": run_check_authors,
}


def main(argv: Sequence[str] | None = None) -> int:
    safe_streams()  # a GBK console shows what it can rather than stopping half-way
    args = parser().parse_args(argv)
    lang = cast(Language, getattr(args, "lang", "zh"))
    try:
        return COMMANDS[args.command](args)
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
