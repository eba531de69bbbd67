"""The coverage report as text: rich tables on a terminal, plain aligned columns in a pipe or a file."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from ccus_records.features.report import Report
from ccus_records.render.encode import terminal_line
from ccus_records.render.registry import RenderOptions
from ccus_records.render.report_common import (
    Section,
    Table,
    comparison_section,
    pct,
    report_sections,
    threshold_section,
)


def _plain_table(table: Table) -> list[str]:
    cells = [tuple(terminal_line(cell) for cell in row) for row in table.rows]
    headers = tuple(terminal_line(cell) for cell in table.headers)
    widths = [max([len(headers[i]), *(len(row[i]) for row in cells)]) for i in range(len(headers))]

    def line(row: tuple[str, ...]) -> str:
        parts = [cell.rjust(widths[i]) if i in table.numeric else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        return "  ".join(parts).rstrip()

    lines = [terminal_line(table.title)] if table.title else []
    lines.append(line(headers))
    lines.append("  ".join("-" * width for width in widths))
    lines.extend(line(row) for row in cells)
    return lines


def render_plain(sections: list[Section]) -> str:
    out: list[str] = []
    for section in sections:
        out.append(f"== {terminal_line(section.title)} ==")
        out.extend(terminal_line(line) for line in section.lines)
        for table in section.tables:
            out.append("")
            out.extend(_plain_table(table))
        out.append("")
    return "\n".join(out)


def render_rich(sections: list[Section], width: int) -> str:
    # rich is imported here only: the plain path (pipes, CI) never pays for it.
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width, highlight=False, color_system="standard")
    for section in sections:
        console.rule(Text(terminal_line(section.title), style="bold"))
        for line in section.lines:
            # Text objects, never markup strings: a title such as "[red]x" is shown as written.
            style = "bold red" if "BREACH" in line or "dropped from" in line or "is below" in line else ""
            console.print(Text(terminal_line(line), style=style))
        for table in section.tables:
            rich_table = RichTable(
                title=Text(terminal_line(table.title)) if table.title else None, box=box.SIMPLE_HEAD, show_edge=False
            )
            for i, header in enumerate(table.headers):
                rich_table.add_column(Text(terminal_line(header)), justify="right" if i in table.numeric else "left")
            for row in table.rows:
                rich_table.add_row(*(Text(terminal_line(cell), style=_cell_style(cell)) for cell in row))
            console.print(rich_table)
        console.print()
    return buffer.getvalue()


def _cell_style(cell: str) -> str:
    if cell == "BREACH" or cell == "dropped":
        return "bold red"
    if cell.endswith("%") and cell[:-1].replace(".", "", 1).isdigit():
        value = float(cell[:-1])
        return "green" if value >= 80 else "yellow" if value >= 50 else "red"
    return ""


def render_text(report: Report, show_missing: bool = False, rich: bool = False, width: int = 120) -> str:
    sections = report_sections(report, show_missing)
    return render_rich(sections, width) if rich else render_plain(sections)


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    yield render_text(report, options.show_missing, rich=options.rich, width=options.width)


def file_verdict(report: Report, output: Path) -> str:
    """With the report written to a file, its verdict for the terminal (stderr, for CI logs)."""
    lines = [f"ccus-records: wrote the report to {output} (overall coverage {pct(report.coverage)})"]
    thresholds = threshold_section(report)
    if thresholds is not None:
        lines.extend(thresholds.lines)
    if comparison_section(report) is not None and report.comparison is not None:
        lines.extend(f"{change.key}: coverage dropped" for change in report.comparison.dropped)
    return "".join(f"{terminal_line(line)}\n" for line in lines)
