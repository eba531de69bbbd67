"""`ccus-records report`: the audit coverage report, with thresholds and a comparison against a baseline."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ccus_records.cli.common import fail, load, parse_today, reported_errors, use_colour, write_chunks, write_err
from ccus_records.cli.options import ConfigOption, DemoOption, IsolatedOption, PathsArgument, TodayOption, format_option

if TYPE_CHECKING:
    from ccus_records.features.report import Report

# Below this many files the report is quick enough that a progress bar would only flicker.
LARGE_CORPUS = 500


class Grouping(str, Enum):
    country = "country"
    category = "category"
    legalWeight = "legalWeight"
    status = "status"
    reviewStatus = "reviewStatus"


class ProgressBar:
    """A progress bar on stderr, shown only on a terminal and only for a large corpus."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled or total < LARGE_CORPUS:
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        if phase not in self._tasks:
            self._tasks[phase] = self._progress.add_task(phase, total=total)
        self._progress.update(self._tasks[phase], completed=done)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def wants_progress(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def report_command(
    paths: PathsArgument = None,
    today: TodayOption = None,
    output_format: Annotated[
        str | None, format_option("report", "Default: from the --output suffix, else text.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    by: Annotated[
        list[Grouping] | None,
        typer.Option("--by", help="Completeness matrix by this field; repeat for more (default: country, category)."),
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
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            help="Report only on records changed since the merge base of REV and HEAD (work tree included).",
            metavar="REV",
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when a threshold is breached or coverage dropped.")
    ] = False,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
    demo: DemoOption = False,
) -> None:
    """Report how far the corpus is from audit-ready; exit 1 when a threshold is breached or coverage dropped."""
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
    if output is None:
        write_chunks(chunks)
    else:
        try:
            with output.open("w", encoding="utf-8") as stream:
                for chunk in chunks:
                    stream.write(chunk)
        except OSError as error:
            fail(f"--output: {output}: cannot be written: {error.strerror or error}")
        _tell_about_file(report, output)
    raise typer.Exit(1 if report.failed and not exit_zero else 0)


def _tell_about_file(report: Report, output: Path) -> None:
    """With the report in a file, its verdict still goes to the terminal (stderr), for CI logs."""
    from ccus_records.render.report_text import file_verdict

    write_err(file_verdict(report, output))
