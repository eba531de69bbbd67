"""`ccus-records fmt`: rewrite records into canonical form (F001, F002), or check that they are."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ccus_records.cli.common import fail, load, write_out
from ccus_records.errors import EXIT_USAGE

if TYPE_CHECKING:
    import datetime as dt

    from ccus_records.engine.config import Config


def fmt_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="Record files or folders (default: the corpus).")] = None,
    check: Annotated[bool, typer.Option(help="Change nothing; exit 1 if any file would be reformatted.")] = False,
    diff: Annotated[bool, typer.Option(help="Change nothing; print what would change as a unified diff.")] = False,
    records_only: Annotated[
        bool, typer.Option("--records-only", help="Skip given files outside the records folders.")
    ] = False,
    config_file: Annotated[Path | None, typer.Option("--config", help="Use this configuration file.")] = None,
    isolated: Annotated[bool, typer.Option(help="Ignore configuration files.")] = False,
) -> None:
    """Rewrite records into canonical form; --check and --diff only report (exit 1 when something would change)."""
    from ccus_records.features.edit import EditError
    from ccus_records.features.fix import format_paths, write_formatted
    from ccus_records.render.safe import inert

    config = load(config_file, isolated)
    try:
        run = format_paths(config, paths or [], Path.cwd(), records_only)
    except EditError as error:
        fail(str(error))
    if run.outside:
        sys.stderr.write(f"ccus-records: none of the {run.outside} file(s) given lies in a records folder\n")
    changed = run.changed
    unchanged = len(run.files) - len(changed)
    errors = list(run.errors)
    if check or diff:
        if diff:
            write_out("".join(inert(item.diff()) for item in changed))
        if check:
            write_out("".join(inert(f"would reformat {item.display}") + "\n" for item in changed))
        write_out(f"{len(changed)} file(s) would be reformatted, {unchanged} already formatted\n")
        code = 1 if changed else 0
    else:
        done, failures = write_formatted(run)
        errors.extend(failures)
        write_out("".join(inert(f"reformatted {item.display}") + "\n" for item in done))
        write_out(f"{len(done)} file(s) reformatted, {unchanged} left unchanged\n")
        code = 0
    for message in errors:
        sys.stderr.write(f"ccus-records: error: {inert(message)}\n")
    raise typer.Exit(EXIT_USAGE if errors else code)


def apply_lint_fixes(
    config: Config, paths: list[Path], today: dt.date, select: str | None, ignore: str | None, unsafe: bool
) -> None:
    """`lint --fix`: fix what can be fixed, say so on stderr (stdout keeps the lint output clean)."""
    from ccus_records.engine.config import split_codes
    from ccus_records.engine.lint import LintSetupError
    from ccus_records.features.edit import EditError
    from ccus_records.features.fix import fix_paths
    from ccus_records.render.safe import inert

    try:
        run = fix_paths(
            config,
            paths,
            today,
            Path.cwd(),
            split_codes(select) if select is not None else None,
            split_codes(ignore) if ignore else (),
            unsafe,
        )
    except (EditError, LintSetupError) as error:
        fail(str(error))
    lines = []
    for item in run.files:
        if item.fixed:
            lines.append(f"fixed {item.display}: {', '.join(item.fixed)}")
        lines.extend(f"not fixed {item.display}: {reason}" for reason in item.refused)
    hidden = sorted({code for item in run.files for code in item.unsafe_available})
    files = sum(1 for item in run.files if item.fixed)
    lines.append(f"Fixed {run.fixed_count} finding(s) in {files} file(s).")
    if hidden:
        count = sum(len(item.unsafe_available) for item in run.files)
        lines.append(f"{count} more fixable with --unsafe-fixes ({', '.join(hidden)}).")
    lines.extend(f"ccus-records: error: {message}" for message in run.errors)
    sys.stderr.write("".join(inert(line) + "\n" for line in lines))
