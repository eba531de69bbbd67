"""The `ccus-records` Typer application. Commands import their work lazily, so start-up stays fast."""

import functools
from collections.abc import Callable
from typing import Annotated, ParamSpec

import typer

from ccus_records import __version__
from ccus_records.cli import catalog, diff, lint, listing, report
from ccus_records.cli import edit as edit_cli
from ccus_records.cli import fmt as fmt_cli
from ccus_records.cli import history as history_cli
from ccus_records.cli import init as init_cli
from ccus_records.cli import server as server_cli
from ccus_records.cli.common import reported_errors
from ccus_records.cli.interrupt import interrupted
from ccus_records.cli.usage import Commands
from ccus_records.errors import EXIT_INTERRUPTED
from ccus_records.render.warnings import show_core_warnings

P = ParamSpec("P")


def handled(command: Callable[P, None]) -> Callable[P, None]:
    """The command, with any error the core raises for a person ended as one line on stderr (never a traceback)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        show_core_warnings()
        try:
            with reported_errors():
                command(*args, **kwargs)
        except KeyboardInterrupt:
            interrupted()
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return run


app = typer.Typer(
    name="ccus-records",
    help="Lint, diff, edit and report on a corpus of CCUS policy records kept as Markdown files in git.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    cls=Commands,
    suggest_commands=False,
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
app.command("log")(handled(history_cli.log_command))
app.command("blame")(handled(history_cli.blame_command))
app.command("edit", cls=edit_cli.OrderedChangesCommand)(handled(edit_cli.edit_command))
app.command("review")(handled(edit_cli.review_command))
app.command("fmt")(handled(fmt_cli.fmt_command))
app.command("init")(handled(init_cli.init_command))
app.command("server")(handled(server_cli.server_command))
