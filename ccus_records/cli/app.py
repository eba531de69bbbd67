"""The `ccus-records` Typer application. Commands import their work lazily, so start-up stays fast."""

from __future__ import annotations

from typing import Annotated

import typer

from ccus_records import __version__
from ccus_records.cli import catalog, lint

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


def main() -> None:
    app()
