"""`ccus-records lint`: check records against the rule catalog."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ccus_records.cli.common import load, parse_today, reported_errors, use_colour, write_out


class LintFormat(str, Enum):
    text = "text"
    json = "json"


def lint_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="Record files or folders (default: the corpus).")] = None,
    select: Annotated[str | None, typer.Option(help="Comma-separated codes or prefixes to run, or ALL.")] = None,
    ignore: Annotated[str | None, typer.Option(help="Comma-separated codes or prefixes to skip.")] = None,
    output_format: Annotated[LintFormat, typer.Option("--format", help="Output format.")] = LintFormat.text,
    today: Annotated[str | None, typer.Option(help="The date that date rules judge against (YYYY-MM-DD).")] = None,
    strict: Annotated[bool, typer.Option(help="Warnings fail too (exit 1).")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail.")] = False,
    statistics: Annotated[bool, typer.Option(help="Count findings per code.")] = False,
    config_file: Annotated[Path | None, typer.Option("--config", help="Use this configuration file.")] = None,
    isolated: Annotated[bool, typer.Option(help="Ignore configuration files.")] = False,
) -> None:
    """Check records against the rule catalog; exit 1 on error-level findings."""
    from ccus_records.engine.config import split_codes
    from ccus_records.engine.lint import lint_paths

    config = load(config_file, isolated)
    with reported_errors():
        result = lint_paths(
            config,
            paths or [],
            parse_today(today),
            Path.cwd(),
            select=split_codes(select) if select is not None else None,
            ignore=split_codes(ignore) if ignore else (),
        )
    if output_format is LintFormat.json:
        from ccus_records.render.lint_json import render_json

        write_out(render_json(result, statistics))
    else:
        from ccus_records.render.lint_text import render_text

        write_out(render_text(result, colour=use_colour(), statistics=statistics))
    failing = result.count("error") + (result.count("warning") if strict else 0)
    raise typer.Exit(0 if exit_zero or not failing else 1)
