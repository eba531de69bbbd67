"""`ccus-records init`: find the records folder, write the configuration, show the hook and diff set-up."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ccus_records.cli.common import write_out


def init_command(
    records: Annotated[
        str | None, typer.Option(help="The records folder (default: the folder holding the most record files).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing configuration without asking.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")] = False,
) -> None:
    """Set a project up: find its records folder, write ccus-records.toml, show the pre-commit and git lines."""
    from ccus_records.features.init import plan_init, write_init
    from ccus_records.render.safe import inert

    plan = plan_init(Path.cwd(), records)
    write_out(f"Records folder: {inert(plan.records)} ({plan.found} record file{'s' if plan.found != 1 else ''})\n")
    if dry_run:
        write_out(f"Would write {inert(str(plan.config_path))}:\n{inert(plan.config_text)}")
    else:
        overwrite = force
        if plan.exists and not force:
            if not sys.stdin.isatty():
                write_out(f"{inert(str(plan.config_path))} exists: left as it is (--force replaces it).\n")
                raise typer.Exit(1)
            overwrite = typer.confirm(f"{plan.config_path} exists. Replace it?", default=False)
            if not overwrite:
                write_out("Nothing written.\n")
                raise typer.Exit(1)
        write_init(plan, overwrite)
        write_out(f"Wrote {inert(str(plan.config_path))}.\n")
    write_out("\nTo lint staged records before every commit, add to .pre-commit-config.yaml:\n\n")
    write_out(plan.precommit_snippet)
    write_out("\nTo see record changes field by field in `git diff` and `git log -p`:\n\n")
    write_out("".join(f"  {line}\n" for line in plan.diff_driver_lines))
