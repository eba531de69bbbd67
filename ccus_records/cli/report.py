"""`ccus-records report`: the audit coverage report, with thresholds and a comparison against a baseline."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ccus_records.cli.common import fail, load, parse_today, reported_errors, use_colour, write_chunks, write_err
from ccus_records.cli.options import (
    ChangedSinceOption,
    ConfigOption,
    DemoOption,
    IsolatedOption,
    PathsArgument,
    TodayOption,
    format_option,
)
from ccus_records.render.progress import ProgressBar, wants_progress

if TYPE_CHECKING:
    from ccus_records.features.report import Report


class Grouping(str, Enum):
    country = "country"
    category = "category"
    legalWeight = "legalWeight"
    status = "status"
    reviewStatus = "reviewStatus"


def report_command(
    paths: PathsArgument = None,
    today: TodayOption = None,
    output_format: Annotated[
        str | None, format_option("report", "Default: from the --output suffix, else text.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    by: Annotated[
        list[Grouping] | None,
        typer.Option(
            "--by",
            help="Completeness matrix by this field; repeat for more (default: country, category). "
            "With --history: coverage per value at each commit.",
        ),
    ] = None,
    show_missing: Annotated[
        bool, typer.Option("--show-missing", help="List the records behind each gap of the matrix.")
    ] = False,
    sample: Annotated[
        int | None, typer.Option(min=1, help="Draw a stratified sample of this many verified records.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="The seed of --sample (default 0): same seed, same sample.")] = None,
    fail_under: Annotated[
        float | None,
        typer.Option("--fail-under", min=0, max=100, help="Exit 1 when overall coverage is below PCT."),
    ] = None,
    compare: Annotated[
        Path | None, typer.Option(help="An earlier JSON report: show the change, exit 1 where coverage dropped.")
    ] = None,
    history: Annotated[
        str | None,
        typer.Option(
            "--history",
            help="The headline figures at each commit of the first-parent line of RANGE (REV, A..B), as a series.",
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="With --history (or alone): only commits since this date (YYYY-MM-DD).")
    ] = None,
    every: Annotated[int, typer.Option(min=1, help="With --history/--since: every Nth commit (and the last).")] = 1,
    changed_since: ChangedSinceOption = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when a threshold is breached or coverage dropped.")
    ] = False,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
    demo: DemoOption = False,
) -> None:
    """Report how far the corpus is from audit-ready; exit 1 when a threshold is breached or coverage dropped."""
    if history is not None or since is not None:
        others: dict[str, object] = {"--show-missing": show_missing, "--sample": sample}
        others.update({"--fail-under": fail_under, "--compare": compare, "--demo": demo})
        clashing = [name for name, value in others.items() if value not in (None, False)]
        if clashing:
            fail(f"--history/--since: cannot be combined with {', '.join(clashing)}")
        groupings = tuple(grouping.value for grouping in by or ())
        _history(history, since, every, groupings, today, output_format, output, config_file, isolated)
    from ccus_records.features.report import (
        DEFAULT_BY,
        ReportError,
        build_report,
        check_thresholds,
        compare_with,
        draw_sample,
    )

    if seed is not None and sample is None:
        fail("--seed: only used with --sample N")
    config = load(config_file, isolated, demo)
    day = parse_today(today)
    from ccus_records.render import registry

    chosen = output_format or (output and registry.suffix_format("report", output.suffix)) or "text"
    thresholds = dict(config.settings.report.fail_under)
    if fail_under is not None:
        thresholds["overall"] = fail_under
    progress = ProgressBar(wants_progress(sys.stderr))
    try:
        with reported_errors():
            report = build_report(
                config,
                paths or [],
                day,
                Path.cwd(),
                [g.value for g in by] if by else DEFAULT_BY,
                progress,
                changed_since=changed_since,
            )
    except ReportError as error:
        fail(str(error))
    finally:
        progress.stop()
    try:
        report = check_thresholds(report, thresholds)
        if compare is not None:
            report = compare_with(report, compare, str(compare))
        if sample is not None:
            report = draw_sample(report, sample, seed if seed is not None else 0)
    except ReportError as error:
        fail(str(error))
    import shutil

    options = registry.RenderOptions(
        show_missing=show_missing,
        rich=output is None and chosen == "text" and use_colour(),
        width=shutil.get_terminal_size((120, 40)).columns,
    )
    chunks = registry.render("report", chosen, report, options)
    _write(chunks, output)
    if output is not None:
        _tell_about_file(report, output)
    raise typer.Exit(1 if report.failed and not exit_zero else 0)


def _write(chunks: Iterable[str], output: Path | None) -> None:
    """The rendered report to stdout, or to the `--output` file."""
    if output is None:
        write_chunks(chunks)
        return
    try:
        with output.open("w", encoding="utf-8") as stream:
            for chunk in chunks:
                stream.write(chunk)
    except OSError as error:
        fail(f"--output: {output}: cannot be written: {error.strerror or error}")


def _tell_about_file(report: Report, output: Path) -> None:
    """With the report in a file, its verdict still goes to the terminal (stderr), for CI logs."""
    from ccus_records.render.report_text import file_verdict

    write_err(file_verdict(report, output))


def _history(
    history: str | None,
    since: str | None,
    every: int,
    by: tuple[str, ...],
    today: str | None,
    output_format: str | None,
    output: Path | None,
    config_file: Path | None,
    isolated: bool,
) -> None:
    from ccus_records.features.report_history import history_series
    from ccus_records.render import registry

    chosen = output_format or (output and registry.suffix_format("report", output.suffix)) or "text"
    forms = registry.VARIANTS["report --history"]
    if chosen not in forms:
        fail(f"--history: no {chosen} form; use --format {', '.join(list(forms)[:-1])} or {list(forms)[-1]}")
    config = load(config_file, isolated)
    day = parse_today(today) if today is not None else None
    with reported_errors():
        series = history_series(config, Path.cwd(), history, since, every, day, by)
    chunks = registry.render("report --history", chosen, series, registry.RenderOptions())
    _write(chunks, output)
    raise typer.Exit(0)
