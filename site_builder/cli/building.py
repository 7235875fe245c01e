"""The commands that make the site: build, the preview server, and a bulletin's PDF."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from pathlib import Path
from typing import cast

from site_builder.cli.common import EXIT_INVALID, EXIT_OK, data_folder, month_option, report_findings
from site_builder.cli.messages import UsageError, say
from site_builder.commands import build
from site_builder.commands.pdf import PrintError, print_document
from site_builder.commands.serve import Preview, Rebuilt
from site_builder.core.catalog import Language
from site_builder.files.disk_errors import disk_error, disk_message
from site_builder.render.official import document_path
from site_builder.site.build import BuildError, Workspace


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
