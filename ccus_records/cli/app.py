"""The `ccus-records` Typer application. Commands import their work lazily, so start-up stays fast."""

from typing import Annotated

import typer

from ccus_records import __version__
from ccus_records.cli import catalog, diff, lint, listing, report
from ccus_records.cli import edit as edit_cli
from ccus_records.cli import fmt as fmt_cli

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


app.command("lint")(lint.lint_command)
app.command("rules")(catalog.rules_command)
app.command("rule")(catalog.rule_command)
app.command("schema")(catalog.schema_command)
app.command("report")(report.report_command)
app.command("list")(listing.list_command)
app.command("show")(listing.show_command)
app.command("diff")(diff.diff_command)
app.command("edit", cls=edit_cli.OrderedChangesCommand)(edit_cli.edit_command)
app.command("review")(edit_cli.review_command)
app.command("fmt")(fmt_cli.fmt_command)


def main() -> None:
    app()
