"""`ccus-records lint`: check records against the rule catalog."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ccus_records.cli.common import DemoOption, load, parse_today, reported_errors, use_colour, write_chunks, write_out


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    # CI formats (rendered through cli/lint_gate.py).
    github = "github"
    sarif = "sarif"
    junit = "junit"
    gitlab = "gitlab"
    json_lines = "json-lines"
    concise = "concise"


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
    demo: DemoOption = False,
) -> None:
    """Check records against the rule catalog; exit 1 on error-level findings."""
    from ccus_records.cli import lint_gate
    from ccus_records.cli.common import fail
    from ccus_records.engine.config import split_codes
    from ccus_records.engine.lint import lint

    if demo and (fix or unsafe_fixes):
        fail("--demo: the demo corpus is read-only; --fix writes nothing there")
    config = load(config_file, isolated, demo)
    if fix or unsafe_fixes:
        from ccus_records.cli.fmt import apply_lint_fixes

        apply_lint_fixes(config, paths or [], parse_today(today), select, ignore, unsafe_fixes)
    with reported_errors():
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
        )
    if run.corpus is None and run.outside:
        lint_gate.note([f"none of the {run.outside} file(s) given lies in a records folder; nothing to check"])
    notes: list[str] = []
    run_properties = None
    known = lint_gate.baseline_path(baseline, no_baseline, config)
    if write_baseline is not None or known is not None:
        from ccus_records.engine.baseline import BaselineError

        try:
            if write_baseline is not None:
                write_out(lint_gate.write_baseline_file(write_baseline, run) + "\n")
                raise typer.Exit(0)
            if known is not None:
                outcome = lint_gate.apply_baseline_file(known, run)
                notes = lint_gate.baseline_notes(known, outcome)
                run_properties = lint_gate.baseline_properties(known, outcome)
        except BaselineError as error:
            fail(str(error))
    result = run.result
    if output_format.value in lint_gate.CI_FORMATS:
        write_out(lint_gate.render_ci(output_format.value, run, run_properties))
        lint_gate.note(notes)
    elif output_format is LintFormat.json:
        from ccus_records.render.lint_json import json_chunks

        write_chunks(json_chunks(result, statistics))
        lint_gate.note(notes)
    else:
        from ccus_records.render.lint_text import text_chunks

        write_chunks(text_chunks(result, colour=use_colour(), statistics=statistics))
        write_out("".join(line + "\n" for line in notes))
    failing = result.count("error") + (result.count("warning") if strict else 0)
    raise typer.Exit(0 if exit_zero or not failing else 1)
