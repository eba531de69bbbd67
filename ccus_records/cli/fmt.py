"""`ccus-records fmt`: rewrite records into canonical form (F001, F002), or check that they are."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ccus_records.cli.common import fail, load, write_err, write_out
from ccus_records.cli.options import ConfigOption, IsolatedOption, PathsArgument
from ccus_records.errors import EXIT_USAGE

if TYPE_CHECKING:
    import datetime as dt

    from ccus_records.engine.config import Config
    from ccus_records.features.fix import FixRun


def fmt_command(
    paths: PathsArgument = None,
    check: Annotated[bool, typer.Option(help="Change nothing; exit 1 if any file would be reformatted.")] = False,
    diff: Annotated[bool, typer.Option(help="Change nothing; print what would change as a unified diff.")] = False,
    records_only: Annotated[
        bool, typer.Option("--records-only", help="Skip given files outside the records folders.")
    ] = False,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Rewrite records into canonical form; --check and --diff only report (exit 1 when something would change)."""
    from ccus_records.features.edit import EditError
    from ccus_records.features.fix import format_paths, write_formatted
    from ccus_records.render.fmt_text import format_diffs, reformatted, would_reformat
    from ccus_records.render.messages import error_line, note_line

    config = load(config_file, isolated)
    try:
        run = format_paths(config, paths or [], Path.cwd(), records_only)
    except EditError as error:
        fail(str(error))
    if run.outside:
        write_err(note_line(f"none of the {run.outside} file(s) given lies in a records folder"))
    changed = run.changed
    unchanged = len(run.files) - len(changed)
    errors = list(run.errors)
    if check or diff:
        if diff:
            write_out(format_diffs(changed))
        if check:
            write_out(would_reformat(changed))
        write_out(f"{len(changed)} file(s) would be reformatted, {unchanged} already formatted\n")
        code = 1 if changed else 0
    else:
        done, failures = write_formatted(run)
        errors.extend(failures)
        write_out(reformatted(done))
        write_out(f"{len(done)} file(s) reformatted, {unchanged} left unchanged\n")
        code = 0
    write_err("".join(error_line(message) for message in errors))
    raise typer.Exit(EXIT_USAGE if errors else code)


def apply_lint_fixes(
    config: Config,
    paths: list[Path],
    today: dt.date,
    select: str | None,
    ignore: str | None,
    unsafe: bool,
    preview: bool = False,
) -> FixRun:
    """`lint --fix`: fix what can be fixed, say so on stderr (stdout keeps the lint output clean); with
    `preview` (`--diff`), print the fixes as a unified diff on stdout and write nothing."""
    from ccus_records.engine.config import split_codes
    from ccus_records.engine.lint import LintSetupError
    from ccus_records.features.edit import EditError
    from ccus_records.features.fix import fix_paths
    from ccus_records.render.fmt_text import fix_diffs, fix_summary

    try:
        run = fix_paths(
            config,
            paths,
            today,
            Path.cwd(),
            split_codes(select) if select is not None else None,
            split_codes(ignore) if ignore else (),
            unsafe,
            preview,
        )
    except (EditError, LintSetupError) as error:
        fail(str(error))
    if preview:
        write_out(fix_diffs(run))
    write_err(fix_summary(run, preview))
    return run
