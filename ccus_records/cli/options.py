"""Options that several commands share, declared once. `--format` comes from the renderer registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ccus_records.render import registry

ConfigOption = Annotated[Path | None, typer.Option("--config", help="Use this configuration file.")]
IsolatedOption = Annotated[bool, typer.Option("--isolated", help="Ignore configuration files.")]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="The date that date rules, reviews and audit ages are judged against (YYYY-MM-DD)."),
]
SelectOption = Annotated[str | None, typer.Option("--select", help="Comma-separated codes or prefixes to run, or ALL.")]
IgnoreOption = Annotated[str | None, typer.Option("--ignore", help="Comma-separated codes or prefixes to skip.")]
PathsArgument = Annotated[list[Path] | None, typer.Argument(help="Record files or folders (default: the corpus).")]
# `--demo`: the read-only commands run on the demo corpus shipped with the tool.
DemoOption = Annotated[
    bool, typer.Option("--demo", help="Run on the demo corpus shipped with the tool (read-only), not the project's.")
]
ChangedSinceOption = Annotated[
    str | None,
    typer.Option(
        "--changed-since",
        help="Report only on records changed since the merge base of REV and HEAD (work tree included).",
        metavar="REV",
    ),
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Print what would change; write nothing.")]


def _format_parser(command: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        try:
            return registry.find(command, value).name
        except KeyError:
            from ccus_records.suggest import hint

            names = registry.formats(command)
            choices = ", ".join(repr(name) for name in names)
            raise typer.BadParameter(f"{value!r} is not one of {choices}{hint(value, names)}") from None

    return parse


def _format_completion(command: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return [name for name in registry.formats(command) if name.startswith(incomplete)]

    return complete


def format_option(command: str, help_extra: str = "") -> Any:
    """`--format` of `command`: its choices, their help and their completion, from the registry."""
    return typer.Option(
        "--format",
        parser=_format_parser(command),
        autocompletion=_format_completion(command),
        metavar="[" + "|".join(registry.formats(command)) + "]",
        help=registry.help_text(command) + (f" {help_extra}" if help_extra else ""),
    )
