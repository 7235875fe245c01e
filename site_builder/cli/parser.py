"""The `bulletin` command line: every command, its arguments and its help (the CLI reference page,
docs/reference/commands.md, is generated from this by `scripts/cli_reference.py`)."""

from __future__ import annotations

import argparse

from site_builder import __version__
from site_builder.core.catalog import LANGUAGES


def parser() -> argparse.ArgumentParser:
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
    build.add_argument(
        "--pdf",
        action="store_true",
        help="also print each bulletin to PDF with Chromium (without Chromium the rest is built, with a notice)",
    )
    serve = commands.add_parser(
        "serve", parents=[common], help="preview the site, rebuilding when the data change", description="Preview."
    )
    serve.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    pdf = commands.add_parser(
        "pdf", parents=[common], help="print a month's bulletin to PDF", description="Print a bulletin to PDF."
    )
    pdf.add_argument("month", metavar="MONTH", help="the month, as YYYY-MM")
    pdf.add_argument(
        "--site-dir", default="site", metavar="DIR", help="the built site (default: site; built if absent)"
    )
    pdf.add_argument("--out", default=None, metavar="FILE", help="the PDF file (default: bulletin-MONTH.pdf)")
    new_month = commands.add_parser(
        "new-month",
        parents=[common],
        help="create the month's empty report files, one per district",
        description="Scaffold a month's reports.",
    )
    new_month.add_argument("month", metavar="MONTH", help="the month, as YYYY-MM")
    forms = commands.add_parser(
        "forms", parents=[common], help="write the month's Excel report forms", description="Excel forms out."
    )
    forms.add_argument("month", metavar="MONTH", help="the month, as YYYY-MM")
    forms.add_argument("--out", default="forms", metavar="DIR", help="folder for the forms (default: forms)")
    forms.add_argument("--region", action="append", default=None, metavar="ID", help="only this region (repeatable)")
    _import_arguments(
        commands.add_parser(
            "import",
            parents=[common],
            help="read filled Excel forms into the month's reports",
            description="Read filled Excel report forms and write each clean form's report file; a form with an "
            "error writes nothing and does not stop the others, and importing a district's form again replaces its "
            "earlier import. Exit code 0 when every form was imported, 1 when one was returned.",
        )
    )
    diff_command = commands.add_parser(
        "diff",
        parents=[common],
        help="what the data change between two git revisions, as Markdown",
        description="Compare the data folder at two git revisions (or a revision and the working tree).",
    )
    diff_command.add_argument("old", metavar="REV", help="the older revision")
    diff_command.add_argument(
        "new", metavar="REV", nargs="?", default=None, help="the newer one (default: working tree)"
    )
    _diff_options(diff_command)
    publish = commands.add_parser(
        "publish",
        parents=[common],
        help="publish a month's bulletin (issue number, date, manifest), or seal its erratum",
        description="Give the month's bulletin the next issue number of the year and seal the data it was "
        "computed from; with --erratum, seal the correction recorded last in its errata.",
    )
    publish.add_argument("month", metavar="MONTH", help="the month, as YYYY-MM")
    publish.add_argument("--date", default=None, help="the date of issue (or of the erratum); default: today")
    _publish_options(publish)
    _erratum_arguments(
        commands.add_parser(
            "erratum",
            parents=[common],
            help="correct a published figure: rewrite the report row, record the erratum and seal it",
            description="Correct one figure of a published month: the district's report row gets the new figure, "
            "the correction date and the reason; the month's bulletin gets the erratum; then it is sealed as "
            "publish --erratum does. Nothing is written unless all of it succeeds. Run it in a full git clone.",
        )
    )
    sample = commands.add_parser(
        "sample",
        parents=[common],
        help="draw the institutions of a supervision round, or check a recorded draw",
        description="Draw institutions for on-site checks, reproducibly.",
    )
    sample.add_argument("round", metavar="ROUND", help="the round's id (its file supervision/ROUND.yaml)")
    sample.add_argument("--seed", type=int, default=None, help="the random seed to record (required to draw)")
    sample.add_argument("--date", default=None, help="the date to record (default: today), as YYYY-MM-DD")
    sample.add_argument("--check", action="store_true", help="redo the recorded draw and compare; write nothing")
    init = commands.add_parser(
        "init",
        parents=[common],
        help="write a new city's data repository (data folder, workflows, pinned bulletin version)",
        description="Write a new data repository at DIR: a valid data folder with placeholder districts, "
        "people, indicators and targets, the workflows, requirements.txt pinning this version, a README. "
        "Here --data names the data folder inside DIR.",
    )
    init.add_argument("dir", metavar="DIR", help="the new repository's folder (must not exist, or be empty)")
    init.add_argument("--name", required=True, metavar="NAME", help="the city's name, e.g. 某某市")
    init.add_argument("--year", required=True, type=int, metavar="YEAR", help="the programme year, e.g. 2012")
    init.add_argument("--districts", type=int, default=3, metavar="N", help="placeholder districts (default: 3)")
    upgrade = commands.add_parser(
        "upgrade",
        parents=[common],
        help="rewrite datapackage.yaml to this version's data contract, keeping the folder's own additions",
        description="Rewrite the data folder's datapackage.yaml to this version's contract, keeping its "
        "report paths, its x-private markers, its extra columns and enumeration values; show what changed.",
    )
    upgrade.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    _ownership_commands(commands, common)
    return parser


def _ownership_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """`bulletin codeowners` and `bulletin check-authors`: who may change what (organization.yaml's accounts)."""
    codeowners = commands.add_parser(
        "codeowners",
        parents=[common],
        help="write CODEOWNERS for GitHub and Gitea from organization.yaml's accounts",
        description="Write .github/CODEOWNERS and .gitea/CODEOWNERS at the top of the repository: each "
        "district's report files belong to its editors and the office, every other file to the office.",
    )
    codeowners.add_argument(
        "--out", default=None, metavar="FILE", help="GitHub's file (default: .github/CODEOWNERS; - prints it)"
    )
    codeowners.add_argument(
        "--gitea-out", default=None, metavar="FILE", help="Gitea's and Forgejo's file (default: .gitea/CODEOWNERS)"
    )
    codeowners.add_argument(
        "--check", action="store_true", help="write nothing; fail when the files differ from the data"
    )
    authors = commands.add_parser(
        "check-authors",
        parents=[common],
        help="flag files a pull request changes outside its author's own",
        description="List the commits between two revisions and report every file a commit changed that "
        "its account does not own; an import bot's commits count as the uploader's (trailer Imported-for).",
    )
    authors.add_argument("--base", required=True, metavar="REV", help="the pull request's base, e.g. origin/main")
    authors.add_argument("--head", default="HEAD", metavar="REV", help="its head (default: HEAD)")
    authors.add_argument("--author", required=True, metavar="ACCOUNT", help="the pull request's author")
    authors.add_argument(
        "--bot",
        action="append",
        default=None,
        metavar="ACCOUNT",
        help="an import bot whose commits name their uploader (default: github-actions[bot], gitea-actions, "
        "forgejo-actions); repeatable",
    )
    authors.add_argument(
        "--inbox",
        default=None,
        metavar="DIR",
        help="the folder (from the repository's top) where anyone may upload .xlsx forms for the import",
    )
    authors.add_argument("--format", choices=("text", "json", "github"), default="text", help="output format")


def _import_arguments(importing: argparse.ArgumentParser) -> None:
    """`bulletin import`'s arguments: the forms, or a folder of them, and where the results go (CI)."""
    importing.add_argument("files", nargs="*", metavar="FILE", help="filled .xlsx forms")
    importing.add_argument("--month", default=None, help="the month the forms must be for (YYYY-MM)")
    importing.add_argument(
        "--inbox",
        default=None,
        metavar="DIR",
        help="also import every spreadsheet (.xlsx; .xls, .et and .csv to say they are not forms) directly in DIR",
    )
    importing.add_argument(
        "--result", default=None, metavar="FILE", help="write the result as JSON to FILE (per form: status, findings)"
    )
    importing.add_argument(
        "--comment", default=None, metavar="FILE", help="write the result as a Markdown pull-request comment to FILE"
    )


def _erratum_arguments(erratum: argparse.ArgumentParser) -> None:
    """`bulletin erratum`'s arguments: which figure, its new value, and the erratum's record."""
    erratum.add_argument("month", metavar="MONTH", help="the published month, as YYYY-MM")
    erratum.add_argument("--district", required=True, metavar="CODE", help="the district's id (regions.csv)")
    erratum.add_argument("--indicator", required=True, metavar="ID", help="the indicator's id (indicators.csv)")
    erratum.add_argument("--value", default=None, metavar="V", help="the corrected cumulative value")
    erratum.add_argument("--numerator", default=None, metavar="V", help="the corrected numerator (rates)")
    erratum.add_argument("--denominator", default=None, metavar="V", help="the corrected denominator (rates)")
    erratum.add_argument("--reason", required=True, metavar="TEXT", help="why it is corrected")
    erratum.add_argument("--approver", required=True, metavar="NAME", help="who approved the correction")
    erratum.add_argument("--date", default=None, metavar="D", help="the erratum's date (default: today), YYYY-MM-DD")


def _publish_options(publish: argparse.ArgumentParser) -> None:
    """`bulletin publish`'s options: an erratum's seal, or publishing with districts unreported."""
    publish.add_argument("--erratum", action="store_true", help="seal the erratum recorded last in the bulletin's file")
    publish.add_argument(
        "--anyway",
        default=None,
        metavar="REASON",
        help="publish although districts did not report; the reason is recorded in the bulletin with them",
    )


def _diff_options(command: argparse.ArgumentParser) -> None:
    """`bulletin diff`'s options besides the revisions: the summary's size and the output's format."""
    command.add_argument(
        "--max-chars",
        type=int,
        default=None,
        metavar="N",
        help="cut the summary at N characters, counting the lines left out (default: 60000, under a pull-request "
        "comment's 65536; 0: no limit)",
    )
    command.add_argument(
        "--format",
        choices=("markdown", "github"),
        default="markdown",
        help="markdown: the reviewer's summary; github: workflow commands annotating the changed report rows, "
        "at most 10 errors and 10 warnings, most important first, and a notice counting the rest",
    )
