"""`ccus-records lint`: check records against the rule catalog."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ccus_records.cli.common import load, parse_today, reported_errors, use_colour, write_chunks, write_err, write_out
from ccus_records.cli.options import (
    ChangedSinceOption,
    ConfigOption,
    DemoOption,
    IgnoreOption,
    IsolatedOption,
    PathsArgument,
    SelectOption,
    TodayOption,
    format_option,
)
from ccus_records.errors import EXIT_USAGE


def lint_command(
    paths: PathsArgument = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    output_format: Annotated[str, format_option("lint")] = "text",
    today: TodayOption = None,
    strict: Annotated[bool, typer.Option(help="Warnings fail too (exit 1).")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail.")] = False,
    statistics: Annotated[bool, typer.Option(help="Count findings per code.")] = False,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
    baseline: Annotated[
        Path | None, typer.Option(help="Hide the known findings listed in this baseline file.", metavar="FILE")
    ] = None,
    no_baseline: Annotated[bool, typer.Option("--no-baseline", help="Ignore the configured baseline.")] = False,
    write_baseline: Annotated[
        Path | None, typer.Option(help="Record today's findings as the baseline in FILE, and exit 0.", metavar="FILE")
    ] = None,
    git_tracked: Annotated[
        bool, typer.Option("--git-tracked", help="Read only files git tracks (untracked records are left out).")
    ] = False,
    records_only: Annotated[
        bool, typer.Option("--records-only", help="Skip given files outside the configured records folders.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the lint cache (.ccus-records-cache/).")
    ] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the fixes of fixable rules, then report the rest.")] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="With --fix, also apply fixes that change content (C005).")
    ] = False,
    changed_since: ChangedSinceOption = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="With --fix, print the fixes as a unified diff and write nothing.")
    ] = False,
    demo: DemoOption = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar (it is shown only on a terminal anyway).")
    ] = False,
) -> None:
    """Check records against the rule catalog; exit 1 on error-level findings."""
    from ccus_records.cli import lint_gate
    from ccus_records.cli.common import fail
    from ccus_records.engine.config import split_codes
    from ccus_records.engine.lint import lint

    if demo and (fix or unsafe_fixes):
        fail("--demo: the demo corpus is read-only; --fix writes nothing there")
    if diff and not (fix or unsafe_fixes):
        fail("--diff previews the fixes: use it with --fix")
    config = load(config_file, isolated, demo)
    fix_errors = False
    if fix or unsafe_fixes:
        from ccus_records.cli.fmt import apply_lint_fixes

        fixes = apply_lint_fixes(config, paths or [], parse_today(today), select, ignore, unsafe_fixes, diff)
        if diff:
            # A preview: the diff is the output; exit 1 when something would change, as `fmt --diff`.
            raise typer.Exit(EXIT_USAGE if fixes.errors else 1 if fixes.fixed_count else 0)
        fix_errors = bool(fixes.errors)
    from ccus_records.render.progress import ProgressBar, wants_progress

    bar = ProgressBar(wants_progress(sys.stderr, quiet))
    with reported_errors():
        try:
            run = lint(
                config,
                paths or [],
                parse_today(today),
                Path.cwd(),
                select=split_codes(select) if select is not None else None,
                ignore=split_codes(ignore) if ignore else (),
                git_tracked=git_tracked,
                records_only=records_only,
                use_cache=not no_cache,
                changed_since=changed_since,
                progress=lambda done, total: bar("checking records", done, total),
            )
        finally:
            bar.stop()
    if run.corpus is None and run.outside:
        from ccus_records.render.messages import note_line

        write_err(note_line(f"none of the {run.outside} file(s) given lies in a records folder; nothing to check"))
    notes: list[str] = []
    run_properties = None
    known = lint_gate.baseline_path(baseline, no_baseline, config)
    if write_baseline is not None or known is not None:
        from ccus_records.engine.baseline import BaselineError

        try:
            if write_baseline is not None:
                write_out(lint_gate.write_baseline_file(write_baseline, run))
                raise typer.Exit(0)
            if known is not None:
                outcome = lint_gate.apply_baseline_file(known, run)
                notes = lint_gate.baseline_notes(known, outcome)
                run_properties = lint_gate.baseline_properties(known, outcome)
        except BaselineError as error:
            fail(str(error))
    from ccus_records.render import registry

    chosen = registry.find("lint", output_format)
    options = registry.RenderOptions(colour=use_colour(), statistics=statistics)
    write_chunks(chosen.renderer()(lint_gate.lint_view(run, run_properties), options))
    if notes:
        from ccus_records.render.lint_baseline import notes_text

        (write_out if chosen.notes_on_stdout else write_err)(notes_text(notes, chosen.notes_on_stdout))
    result = run.result
    if fix_errors:
        # A fix that could not be written (read-only file, changed meanwhile): said on stderr above.
        raise typer.Exit(EXIT_USAGE)
    failing = result.count("error") + (result.count("warning") if strict else 0)
    raise typer.Exit(0 if exit_zero or not failing else 1)
