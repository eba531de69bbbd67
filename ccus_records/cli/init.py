"""`ccus-records init`: find the records folder, write the configuration, show the hook and diff set-up."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ccus_records.cli.common import write_out
from ccus_records.cli.options import DryRunOption


def init_command(
    records: Annotated[
        str | None, typer.Option(help="The records folder (default: the folder holding the most record files).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing configuration without asking.")] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Set a project up: find its records folder, write ccus-records.toml, show the pre-commit and git lines."""
    from ccus_records.features.init import plan_init, write_init
    from ccus_records.render import init_text

    plan = plan_init(Path.cwd(), records)
    write_out(init_text.found(plan))
    if dry_run:
        write_out(init_text.would_write(plan))
    else:
        overwrite = force
        if plan.exists and not force:
            if not sys.stdin.isatty():
                write_out(init_text.left_alone(plan))
                raise typer.Exit(1)
            overwrite = typer.confirm(f"{plan.config_path} exists. Replace it?", default=False)
            if not overwrite:
                write_out("Nothing written.\n")
                raise typer.Exit(1)
        write_init(plan, overwrite)
        write_out(init_text.wrote(plan))
    write_out(init_text.next_steps(plan))
