"""The `ccus-records` Typer application. Commands import their work lazily, so start-up stays fast."""

import functools
import sys
from collections.abc import Callable
from typing import Annotated, ParamSpec

import typer

from ccus_records import __version__
from ccus_records.cli import catalog, diff, lint, listing, report
from ccus_records.cli import edit as edit_cli
from ccus_records.cli import fmt as fmt_cli
from ccus_records.cli.common import reported_errors

P = ParamSpec("P")


def handled(command: Callable[P, None]) -> Callable[P, None]:
    """The command, with any error the core raises for a person ended as one line on stderr (never a traceback)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with reported_errors():
            command(*args, **kwargs)

    return run


app = typer.Typer(
    name="ccus-records",
    help="Lint, diff, edit and report on a corpus of CCUS policy records kept as Markdown files in git.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ccus-records {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    """Lint, diff, edit and report on a corpus of CCUS policy records kept as Markdown files in git."""


app.command("lint")(handled(lint.lint_command))
app.command("rules")(handled(catalog.rules_command))
app.command("rule")(handled(catalog.rule_command))
app.command("schema")(handled(catalog.schema_command))
app.command("report")(handled(report.report_command))
app.command("list")(handled(listing.list_command))
app.command("show")(handled(listing.show_command))
app.command("diff")(handled(diff.diff_command))
app.command("edit", cls=edit_cli.OrderedChangesCommand)(handled(edit_cli.edit_command))
app.command("review")(handled(edit_cli.review_command))
app.command("fmt")(handled(fmt_cli.fmt_command))


def main() -> None:
    # The renderers never write a lone surrogate; a terminal whose encoding is not UTF-8 (LANG=C on an old
    # system, a Windows code page) still cannot take every character of a record: written as `\uXXXX`, never
    # a UnicodeEncodeError halfway through the output.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    app()
