"""`ccus-records log` and `blame`: a record's history in git, field by field."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ccus_records.cli.common import load, use_colour, write_chunks
from ccus_records.cli.options import ConfigOption, IsolatedOption, format_option

RecordArgument = Annotated[str, typer.Argument(help="The record: its id, or the path of its file.")]
RevOption = Annotated[
    str | None,
    typer.Option("--rev", help="The commits to walk: REV (its history), A..B or A...B (default: HEAD)."),
]


def log_command(
    record: RecordArgument,
    field: Annotated[
        list[str] | None,
        typer.Option("--field", help="Only commits that changed this field (dotted; repeatable; `body` for the body)."),
    ] = None,
    rev: RevOption = None,
    output_format: Annotated[str, format_option("log")] = "text",
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """The commits that changed a record, newest first, with the fields each changed (renames followed)."""
    from ccus_records.features.history import check_fields, record_history
    from ccus_records.render import registry

    fields = field or []
    check_fields(fields)
    config = load(config_file, isolated)
    history = record_history(config, Path.cwd(), record, fields, rev)
    write_chunks(registry.render("log", output_format, history, registry.RenderOptions(colour=use_colour())))


def blame_command(
    record: RecordArgument,
    rev: RevOption = None,
    output_format: Annotated[str, format_option("blame")] = "text",
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """For every field of a record, the last commit that changed it; marks changes since the last audit."""
    from ccus_records.features.history import record_blame, record_history
    from ccus_records.render import registry

    config = load(config_file, isolated)
    blame = record_blame(record_history(config, Path.cwd(), record, (), rev))
    write_chunks(registry.render("blame", output_format, blame, registry.RenderOptions(colour=use_colour())))
