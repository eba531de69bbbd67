"""`log` and `blame` for a terminal: one block a commit with its field changes, one line a field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ccus_records.features.diff import value_text
from ccus_records.features.history import BODY, Blame, HistoryChange, HistoryCommit, RecordHistory
from ccus_records.render.diff_text import RESET, paint
from ccus_records.render.encode import terminal_line
from ccus_records.render.registry import RenderOptions
from ccus_records.render.report_common import GROUP_TITLES

if TYPE_CHECKING:
    from ccus_records.features.report_history import HistorySeries

_SYMBOL = {"add": "+", "remove": "-", "replace": "~"}
_YELLOW = "\x1b[33m"


def change_line(change: HistoryChange, colour: bool = False) -> str:
    symbol = _SYMBOL[change.op]
    if change.field == BODY:
        what = {"add": "body added", "remove": "body removed", "replace": "body changed"}[change.op]
    elif change.op == "add":
        what = f"{change.field}: {value_text(change.new)}"
    elif change.op == "remove":
        what = f"{change.field}: {value_text(change.old)}"
    else:
        what = f"{change.field}: {value_text(change.old)} → {value_text(change.new)}"
    return "  " + paint(f"{symbol} {terminal_line(what)}", symbol, colour)


def commit_lines(item: HistoryCommit, colour: bool = False) -> list[str]:
    short = item.commit[:8]
    head = f"{_YELLOW}{short}{RESET}" if colour else short
    who = terminal_line(f"{item.author} <{item.email}>")
    lines = [f"{head} {terminal_line(item.day)} {who}  {terminal_line(item.subject)}  ({terminal_line(item.path)})"]
    if item.removed:
        lines.append("  " + paint("- the file was removed", "-", colour))
    elif item.unreadable is not None:
        lines.append("  " + paint(f"! unreadable: {terminal_line(item.unreadable)}", "!", colour))
    elif item.created:
        count = sum(1 for change in item.changes if change.field != BODY)
        lines.append("  " + paint(f"+ created with {count} field{'s' if count != 1 else ''}", "+", colour))
    elif not item.changes:
        lines.append("  no field changed")
    else:
        lines += [change_line(change, colour) for change in item.changes]
    return lines


def render_log(history: RecordHistory, colour: bool = False) -> str:
    lines: list[str] = []
    for item in history.commits:
        lines += commit_lines(item, colour)
    count = len(history.commits)
    which = f" changing {', '.join(history.fields)}" if history.fields else ""
    lines.append(f"{terminal_line(history.record)}: {count} commit{'s' if count != 1 else ''}{terminal_line(which)}")
    return "\n".join(lines) + "\n"


def render(history: RecordHistory, options: RenderOptions) -> Iterator[str]:
    yield render_log(history, options.colour)


def render_blame_text(blame: Blame, colour: bool = False) -> str:
    width = max((len(line.field) for line in blame.fields), default=5)
    authors = max((len(terminal_line(line.author)) for line in blame.fields), default=6)
    lines: list[str] = []
    for line in blame.fields:
        text = (
            f"{terminal_line(line.field):<{width}}  {line.commit[:8]}  {terminal_line(line.date[:10])}  "
            f"{terminal_line(line.author):<{authors}}  {terminal_line(line.subject)}"
        )
        if line.reason:
            text += "  " + paint(f"* {terminal_line(line.reason)}", "*", colour)
        lines.append(text)
    marked = sum(1 for line in blame.fields if line.since_audit)
    audit = f"last audit {terminal_line(blame.last_audit)}" if blame.last_audit else "never audited"
    lines.append(
        f"{terminal_line(blame.record)}: {len(blame.fields)} fields, {audit}; "
        f"{marked} marked as changed since the last audit"
    )
    return "\n".join(lines) + "\n"


def render_blame(blame: Blame, options: RenderOptions) -> Iterator[str]:
    yield render_blame_text(blame, options.colour)


def render_series(series: HistorySeries, options: RenderOptions) -> Iterator[str]:
    """A compact table: one line a commit, oldest first."""
    header = f"{'commit':<8}  {'date':<10}  {'records':>7}  {'coverage':>8}  {'verified':>8}  {'errors':>6}  "
    header += f"{'warnings':>8}  {'info':>5}  subject"
    lines = [header]
    for point in series.points:
        coverage = "-" if point.coverage.percent is None else f"{point.coverage.percent:.1f}%"
        verified = "-" if point.human_verified.percent is None else f"{point.human_verified.percent:.1f}%"
        lines.append(
            f"{point.commit[:8]}  {terminal_line(point.date[:10]):<10}  {point.records:>7}  {coverage:>8}  "
            f"{verified:>8}  {point.findings['error']:>6}  {point.findings['warning']:>8}  "
            f"{point.findings['info']:>5}  {terminal_line(point.subject)}"
        )
    yield "\n".join(lines) + "\n"
    for grouping in series.by:
        yield "\n" + "\n".join(_group_lines(series, grouping)) + "\n"


def _group_lines(series: HistorySeries, grouping: str) -> list[str]:
    """`--by`: the coverage of each group's records, one line a commit and one column a group."""
    values = sorted({value for point in series.points for value in point.groups.get(grouping, {})})
    shown = [terminal_line(value) for value in values]
    widths = [max(len(name), 6) for name in shown]
    lines = [
        f"Coverage by {GROUP_TITLES[grouping]}",
        f"{'commit':<8}  {'date':<10}  "
        + "  ".join(f"{name:>{width}}" for name, width in zip(shown, widths, strict=True)),
    ]
    for point in series.points:
        cells = []
        for value, width in zip(values, widths, strict=True):
            share = point.groups[grouping].get(value)
            cells.append(f"{'-' if share is None or share.percent is None else f'{share.percent:.1f}%':>{width}}")
        lines.append(f"{point.commit[:8]}  {terminal_line(point.date[:10]):<10}  " + "  ".join(cells))
    return lines
