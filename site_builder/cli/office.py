"""The office's commands: new month, forms out and in, publish, erratum, supervision draws, and who may change
what."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import cast

from site_builder.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    data_folder,
    date_option,
    folder_prefix,
    month_option,
    report_findings,
)
from site_builder.cli.console import forms_to_import, local_path
from site_builder.cli.messages import UsageError, say
from site_builder.commands import codeowners, erratum, forms, importing, new_month, publish
from site_builder.commands import sample as draw
from site_builder.core.catalog import Language
from site_builder.core.findings import has_errors
from site_builder.files.durable import write_files
from site_builder.issuing.record import PublishRefused
from site_builder.load.history import RevisionError
from site_builder.render import findings as output
from site_builder.render import import_summary


def run_publish(args: argparse.Namespace) -> int:
    month = month_option(args.month)
    data_dir = data_folder(args)
    on = date_option(args.date, "2011-10-08")
    try:
        outcome = publish.publish_bulletin(data_dir, month, on, erratum=args.erratum, anyway=args.anyway)
    except PublishRefused as error:
        sys.stderr.write(f"bulletin: {error.message}\n")
        return EXIT_INVALID
    if not outcome.bulletins:
        blocking = [f for f in outcome.validated.findings if f.severity == "error"]
        report_findings(blocking, args, data_dir)
        sys.stderr.write(f"bulletin: {say('nothing-published', args.lang)}\n")
        return EXIT_INVALID
    first = outcome.bulletins[0]
    if args.erratum:
        erratum = first.errata[-1]
        files = "、".join(change.path for change in erratum.files) or say("no-data-files", args.lang)
        count = len(first.errata)
        sys.stdout.write(say("erratum-sealed", args.lang, month=month, number=first.number, count=count, files=files))
        sys.stdout.write("\n")
        for other in outcome.bulletins[1:]:
            count = len(other.errata)
            sys.stdout.write(say("erratum-followed", args.lang, month=other.month, number=other.number, count=count))
            sys.stdout.write("\n")
    else:
        sealed = len(first.manifest.entries()) if first.manifest else 0
        issued = first.issued_on
        sys.stdout.write(say("published", args.lang, month=month, number=first.number, issued=issued, sealed=sealed))
        sys.stdout.write("\n")
        if first.issued_anyway:
            sys.stdout.write(say("published-anyway", args.lang, note=first.issued_anyway) + "\n")
        elif outcome.late:
            sys.stdout.write(say("published-late", args.lang, late="、".join(outcome.late)) + "\n")
    for path in outcome.written:
        sys.stdout.write(say("written", args.lang, path=path) + "\n")
    return EXIT_OK


def run_erratum(args: argparse.Namespace) -> int:
    month = month_option(args.month)
    data_dir = data_folder(args)
    on = date_option(args.date, "2011-10-12")
    figures = {k: getattr(args, k) for k in ("value", "numerator", "denominator") if getattr(args, k) is not None}
    if not figures:
        raise UsageError("no-figure")
    try:
        outcome = erratum.correct(
            data_dir,
            month,
            district=args.district,
            indicator=args.indicator,
            figures=figures,
            reason=args.reason,
            approver=args.approver,
            on=on,
        )
    except PublishRefused as error:
        sys.stderr.write(f"bulletin: {error.message}\n")
        return EXIT_INVALID
    if not outcome.bulletins:
        report_findings([f for f in outcome.validated.findings if f.severity == "error"], args, data_dir)
        sys.stderr.write(f"bulletin: {say('nothing-published', args.lang)}\n")
        return EXIT_INVALID
    first = outcome.bulletins[0]
    files = "、".join(change.path for change in first.errata[-1].files) or say("no-data-files", args.lang)
    count = len(first.errata)
    sys.stdout.write(say("erratum-sealed", args.lang, month=month, number=first.number, count=count, files=files))
    sys.stdout.write("\n" + say("erratum-what", args.lang, description=first.errata[-1].description) + "\n")
    for path in outcome.written:
        sys.stdout.write(say("written", args.lang, path=path) + "\n")
    return EXIT_OK


def run_new_month(args: argparse.Namespace) -> int:
    month = month_option(args.month)
    data_dir = data_folder(args)
    outcome = new_month.new_month(data_dir, month)
    if has_errors(outcome.validated.findings):
        report_findings(outcome.validated.findings, args, data_dir)
        return EXIT_INVALID
    if outcome.new_year is not None:
        ahead = outcome.new_year
        params = {name: getattr(ahead, name) for name in ("month", "year", "current", "regions", "indicators", "rows")}
        sys.stderr.write(say("new-year", args.lang, **params) + "\n")
        if not ahead.benchmarks:
            sys.stderr.write(say("new-year-benchmarks", args.lang, year=ahead.year) + "\n")
        sys.stderr.write(say("new-year-past", args.lang, current=ahead.current, month=ahead.month) + "\n")
        return EXIT_INVALID
    for path in outcome.written:
        sys.stdout.write(say("wrote", args.lang, path=path) + "\n")
    for path in outcome.existing:
        sys.stdout.write(say("kept", args.lang, path=path) + "\n")
    for path, due in outcome.skipped:
        sys.stdout.write(say("file-skipped", args.lang, path=path, why=_nothing_due(month, due, args.lang)) + "\n")
    return EXIT_OK


def run_forms(args: argparse.Namespace) -> int:
    month = month_option(args.month)
    data_dir = data_folder(args)
    try:
        made = forms.month_forms(data_dir, month, args.region)
    except ValueError as error:
        raise UsageError(str(error)) from error
    if made.files is None:
        report_findings(made.validated.findings, args, data_dir)
        return EXIT_INVALID
    for name in write_files(Path(args.out), made.files):
        sys.stdout.write(say("wrote", args.lang, path=Path(args.out) / name) + "\n")
    for region, due in made.skipped:
        sys.stdout.write(say("form-skipped", args.lang, region=region, why=_nothing_due(month, due, args.lang)) + "\n")
    return EXIT_OK


def _nothing_due(month: str, due: tuple[str, ...], lang: Language) -> str:
    """Why a district reports nothing this month, from the names of the indicators due (forms/layout.py)."""
    if not due:
        return say("none-due", lang, month=month)
    return say("none-applicable", lang, month=month, due="、".join(due))


def _summary_path(value: str | None, what: str, data_dir: Path) -> Path | None:
    """Where --result or --comment goes: never into the data folder (a summary over organization.yaml would
    be imported next time), and a folder that can be written, checked before anything is imported."""
    if value is None:
        return None
    path = Path(local_path(value, what))
    target = path.resolve()
    if target == data_dir.resolve() or data_dir.resolve() in target.parents:
        raise UsageError("summary-in-data", what=what, value=value)
    if target.is_dir():
        raise UsageError("summary-is-folder", what=what, value=value)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError("summary-not-writable", what=what, value=value, error=error.strerror or error) from error
    return path


def _write_summary(path: Path, what: str, text: str) -> None:
    try:
        write_files(path.parent, {path.name: text.encode("utf-8")})
    except OSError as error:
        raise UsageError("summary-not-writable", what=what, value=str(path), error=error.strerror or error) from error


def run_import(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    lang = cast(Language, args.lang)
    month = month_option(args.month) if args.month else None
    result = _summary_path(args.result, "--result", data_dir)
    comment = _summary_path(args.comment, "--comment", data_dir)
    filled = forms_to_import(args.files, args.inbox)
    imported = importing.import_forms(data_dir, filled, month) if filled else importing.Imported(())
    if result is not None:
        text = import_summary.as_json(
            imported.forms, imported.others, lang, blocked=imported.blocked, changed=imported.written
        )
        _write_summary(result, "--result", text)
    if comment is not None:
        text = import_summary.as_markdown(imported.forms, imported.others, lang, blocked=imported.blocked)
        _write_summary(comment, "--comment", text)
    own = [f for outcome in imported.forms for f in outcome.findings]  # named by the form's file
    if own:
        sys.stderr.write(output.as_text(own, lang))
    if imported.others:  # the folder's other files: a report-not-submitted per district is one line
        sys.stderr.write(output.as_text(list(imported.others), lang, folder_prefix(data_dir), fold=3))
    if not filled:
        sys.stdout.write(say("inbox-empty", lang) + "\n")
    for outcome in imported.forms:
        if outcome.status == "refused":
            sys.stderr.write(say("form-refused", lang, name=outcome.name) + "\n")
        else:
            sys.stdout.write(say(f"form-{outcome.status}", lang, name=outcome.name, path=outcome.report) + "\n")
    if "datapackage.yaml" in imported.written:
        sys.stdout.write(say("imported", lang, path="datapackage.yaml") + "\n")
    if filled and not imported.written:
        sys.stderr.write(say("nothing-imported", lang) + "\n")
    return EXIT_INVALID if imported.refused or imported.blocked else EXIT_OK


def run_codeowners(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    try:
        owned = codeowners.ownership(data_dir)
    except (codeowners.NoOwnership, RevisionError) as error:
        raise UsageError(error.message) from error
    if owned.ownership is None:
        report_findings([f for f in owned.validated.findings if f.severity == "error"], args, data_dir)
        return EXIT_INVALID
    to_stdout = args.out == "-"
    out = None if args.out in (None, "-") else Path(local_path(args.out, "--out"))
    gitea_out = Path(local_path(args.gitea_out, "--gitea-out")) if args.gitea_out else None
    targets = codeowners.files(owned, out, gitea_out)
    if to_stdout:
        sys.stdout.write(next(iter(targets.values())))
        return EXIT_OK
    if args.check:
        stale = [p for p, text in targets.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            sys.stdout.write(say("codeowners-stale", args.lang, file=path) + "\n")
        return EXIT_INVALID if stale else EXIT_OK
    for path in codeowners.write(targets):
        sys.stdout.write(say("codeowners-written", args.lang, file=path) + "\n")
    return EXIT_OK


def run_check_authors(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    bots = tuple(args.bot) if args.bot else codeowners.BOTS
    try:
        owned, found = codeowners.check_authors(
            data_dir, args.base, args.head, args.author, bots=bots, inbox=args.inbox
        )
    except codeowners.NoOwnership as error:
        sys.stdout.write(say("no-accounts", args.lang, detail=error.message) + "\n")
        return EXIT_OK
    except RevisionError as error:
        raise UsageError(error.message) from error
    if owned.ownership is None:
        report_findings([f for f in owned.validated.findings if f.severity == "error"], args, data_dir)
        return EXIT_INVALID
    formatters = {"text": output.as_text, "json": output.as_json, "github": output.as_github}
    sys.stdout.write(formatters[args.format](found, cast(Language, args.lang), ""))
    return EXIT_INVALID if found else EXIT_OK


def run_sample(args: argparse.Namespace) -> int:
    data_dir = data_folder(args)
    if not args.check and args.seed is None:
        raise UsageError("no-seed")
    drawn_on = date_option(args.date, "2011-07-25")
    outcome = draw.sample(data_dir, args.round, args.seed, drawn_on, check_only=args.check)
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
