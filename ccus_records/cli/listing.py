"""`ccus-records list` and `show`: find records and read one."""

import os
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from ccus_records.cli.common import fail, load, parse_today, reported_errors, use_colour, write_chunks, write_err
from ccus_records.cli.options import ConfigOption, DemoOption, IsolatedOption, PathsArgument, TodayOption, format_option


def output_width() -> int:
    """The terminal's width on a terminal; otherwise COLUMNS, or 120 so that piped tables stay readable."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((100, 24)).columns
    try:
        return max(40, int(os.environ.get("COLUMNS", "120")))
    except ValueError:
        return 120


def list_command(
    paths: PathsArgument = None,
    where: Annotated[
        list[str] | None,
        typer.Option("--where", "-w", help="FIELD OP VALUE with OP one of = != < <= > >= ~ (repeatable; all hold)."),
    ] = None,
    has: Annotated[
        list[str] | None,
        typer.Option(help="Only records with a lint finding of this code or prefix (repeatable; A001,A002 = any)."),
    ] = None,
    columns: Annotated[str | None, typer.Option(help="Comma-separated dotted fields to show (or `path`).")] = None,
    sort: Annotated[str | None, typer.Option(help="Sort by this field; -FIELD sorts descending.")] = None,
    limit: Annotated[int | None, typer.Option(min=0, help="Show at most N records.")] = None,
    output_format: Annotated[str, format_option("list")] = "table",
    today: TodayOption = None,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
    demo: DemoOption = False,
) -> None:
    """List records, filtered by field values and lint findings."""
    from ccus_records.features.listing import ListError, ListQuery, list_records, parse_columns, parse_sort
    from ccus_records.features.query import QueryError, parse_condition

    config = load(config_file, isolated, demo)
    try:
        conditions = tuple(parse_condition(expression) for expression in where or [])
        query = ListQuery(
            conditions=conditions,
            has=tuple(tuple(part.strip().upper() for part in group.split(",") if part.strip()) for group in has or []),
            columns=parse_columns(columns),
            sort=parse_sort(sort),
            limit=limit,
            today=parse_today(today),
        )
        with reported_errors():
            listing = list_records(config, paths or [], Path.cwd(), query)
    except (QueryError, ListError) as error:
        fail(str(error))
    if listing.unparsed:
        from ccus_records.render.messages import note_line

        count = len(listing.unparsed)
        write_err(
            note_line(
                f"warning: {count} file{'s' if count != 1 else ''} left out: "
                "not parseable as records (run `ccus-records lint`)"
            )
        )
    from ccus_records.render import registry

    # On a terminal the table fits its width; in a pipe or a file, one record a line and every value whole.
    options = registry.RenderOptions(colour=use_colour(), width=output_width(), wrap=sys.stdout.isatty())
    write_chunks(registry.render("list", output_format, listing, options))


def show_command(
    record: Annotated[str, typer.Argument(help="A record id, or the path of a record file.")],
    output_format: Annotated[str, format_option("show")] = "text",
    today: TodayOption = None,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
    demo: DemoOption = False,
) -> None:
    """Show one record: main fields, analysis, provenance, body and lint findings."""
    from ccus_records.features.listing import ListError, show_record

    config = load(config_file, isolated, demo)
    try:
        with reported_errors():
            shown = show_record(config, record, Path.cwd(), parse_today(today))
    except ListError as error:
        fail(str(error))
    from ccus_records.render import registry

    options = registry.RenderOptions(colour=use_colour(), width=min(output_width(), 120))
    write_chunks(registry.render("show", output_format, shown, options))
