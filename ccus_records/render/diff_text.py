"""A diff as lines for a terminal: `~ path: old → new` per field, the body as a unified diff, a summary."""

from __future__ import annotations

from collections.abc import Iterator

from ccus_records.features.diff import DiffResult, FieldChange, RecordDiff, field_lines, value_text
from ccus_records.render.encode import terminal, terminal_line
from ccus_records.render.registry import RenderOptions

_SYMBOL = {"add": "+", "remove": "-", "change": "~"}
_RECORD_SYMBOL = {"added": "+", "removed": "-", "changed": "~", "unreadable": "!"}
# The colour of a line by its leading mark, for the diff and the history (`log`, `blame`) alike.
_COLOUR = {"+": "\x1b[32m", "-": "\x1b[31m", "~": "\x1b[33m", "!": "\x1b[1;35m", "*": "\x1b[1;35m", "@": "\x1b[36m"}
_BOLD = "\x1b[1m"
RESET = "\x1b[0m"


def paint(text: str, key: str, colour: bool) -> str:
    return f"{_COLOUR[key]}{text}{RESET}" if colour and key in _COLOUR else text


def change_line(change: FieldChange, colour: bool = False) -> str:
    symbol = _SYMBOL[change.op]
    if change.op == "add":
        what = f"{change.path}: {value_text(change.new)}"
    elif change.op == "remove":
        what = f"{change.path}: {value_text(change.old)}"
    else:
        what = f"{change.path}: {value_text(change.old)} → {value_text(change.new)}"
    line = paint(f"{symbol} {terminal_line(what)}", symbol, colour)
    if change.audit:
        line += "  " + paint(f"[audit: {terminal_line(change.audit)}]", "!", colour)
    return line


def where(record: RecordDiff) -> str:
    if record.old_display and record.new_display and record.old_display != record.new_display:
        return f"{record.old_display} → {record.new_display}"
    return str(record.new_display or record.old_display)


def record_heading(record: RecordDiff, colour: bool = False) -> str:
    symbol = _RECORD_SYMBOL[record.status]
    notes: list[str] = []
    if record.status != "changed":
        notes.append(record.status)
    elif record.renamed:
        notes.append("renamed")
    audit = len(record.audit_changes)
    if audit:
        notes.append(f"{audit} audit-relevant")
    suffix = f"  ({', '.join(notes)})" if notes else ""
    name = paint(f"{symbol} {terminal_line(record.record_id)}", symbol, colour)
    if colour:
        name = f"{_BOLD}{name}{RESET}"
    return f"{name}  {terminal_line(where(record))}{suffix}"


def _body_line(line: str, colour: bool) -> str:
    text = terminal_line(line)
    if line.startswith(("+++", "---")):
        return paint(text, "@", colour) if colour else text
    if line.startswith("@@"):
        return paint(text, "@", colour)
    if line.startswith("+"):
        return paint(text, "+", colour)
    if line.startswith("-"):
        return paint(text, "-", colour)
    return text


def record_lines(record: RecordDiff, colour: bool = False, expand: bool = False) -> list[str]:
    """The heading, then (indented) each field change and the body diff.

    `expand` lists every field of an added or removed record too (the git driver does: there is nothing
    else to see of a new file).
    """
    lines = [record_heading(record, colour)]
    if record.status == "unreadable":
        lines.append("    " + paint(f"cannot be compared: {terminal_line(str(record.problem))}", "!", colour))
        lines.append("    lines:")
        lines.extend(f"      {_body_line(line, colour)}" for line in record.body_diff)
        return lines
    if expand and record.status in ("added", "removed"):
        side = record.new if record.status == "added" else record.old
        assert side is not None
        symbol = "+" if record.status == "added" else "-"
        for path, value in field_lines(side.data):
            lines.append("    " + paint(f"{symbol} {terminal_line(f'{path}: {value_text(value)}')}", symbol, colour))
        if side.body:
            lines.append("    body:")
            lines.extend(
                "      " + paint(f"{symbol}{terminal_line(text)}", symbol, colour) for text in side.body.splitlines()
            )
        return lines
    lines.extend(f"    {change_line(change, colour)}" for change in record.changes)
    if record.body_diff:
        lines.append("    body:")
        lines.extend(f"      {_body_line(line, colour)}" for line in record.body_diff)
    return lines


def summary_line(result: DiffResult) -> str:
    if not result.records:
        compared = f"{result.compared} record{'s' if result.compared != 1 else ''}"
        return f"No differences: {compared} compared."
    count = len(result.records)
    parts = [
        f"{result.count('changed')} changed",
        f"{result.count('added')} added",
        f"{result.count('removed')} removed",
    ]
    if result.unreadable:
        parts.append(f"{result.unreadable} unreadable (shown line by line)")
    audit = result.audit_count
    return (
        f"{count} record{'s' if count != 1 else ''} differ{'s' if count == 1 else ''} "
        f"({terminal_line(result.old_label)} → {terminal_line(result.new_label)}): {', '.join(parts)}; "
        f"{audit} audit-relevant change{'s' if audit != 1 else ''}."
    )


def render_text(result: DiffResult, colour: bool = False, summary: bool = True, expand: bool = False) -> str:
    lines: list[str] = []
    for record in result.records:
        lines.extend(record_lines(record, colour, expand))
    if summary:
        if lines:
            lines.append("")
        lines.append(summary_line(result))
    return "\n".join(lines) + "\n" if lines else ""


def render_brief(result: DiffResult) -> str:
    """One line a record that differs: `~ id`, `+ id` or `- id`, then where it is."""
    lines = [
        f"{_RECORD_SYMBOL[record.status]} {terminal_line(record.record_id)}  {terminal_line(where(record))}"
        for record in result.records
    ]
    return "\n".join(lines) + "\n" if lines else ""


def render_plain(lines: tuple[str, ...]) -> str:
    """A plain unified diff (the git driver's fallback for a side that is not a record)."""
    return "".join(f"{terminal_line(line)}\n" for line in lines)


def render(result: DiffResult, options: RenderOptions) -> Iterator[str]:
    yield render_brief(result) if options.brief else render_text(result, colour=options.colour)


def external_text(path: str, new_path: str, result: DiffResult) -> str:
    """Git's external diff driver: a header with the repository paths, then every field change."""
    header = f"ccus-records diff a/{terminal_line(path)} b/{terminal_line(new_path)}\n"
    body = render_text(result, colour=False, summary=False, expand=True)
    return header + (body or "  (no field-level changes: only the front matter's formatting)\n")


def unmerged_text(path: str) -> str:
    return f"* Unmerged path {terminal_line(path)}\n"


def external_note(note: str) -> str:
    """Why git's driver shows a plain diff, for stderr (git shows it beside the diff)."""
    return f"ccus-records: {terminal_line(note)}; showing a plain diff\n"


def textconv_text(text: str) -> str:
    """A record as git's textconv: sorted `field = value` lines and its body."""
    return terminal(text)
