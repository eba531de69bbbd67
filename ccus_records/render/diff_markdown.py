"""A diff as Markdown for a pull-request comment: a summary, a table of field changes per record, the body.

Record text is data: every value is escaped so that it cannot open a link, an image, HTML or a new table
cell, and the body diff sits in a fence longer than any run of backticks inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ccus_records.features.diff import DiffResult, FieldChange, RecordDiff, value_text
from ccus_records.render.encode import markdown as escape
from ccus_records.render.encode import terminal_line
from ccus_records.render.registry import RenderOptions

_SYMBOL = {"add": "+", "remove": "−", "change": "~"}
_STATUS = {"added": "added", "removed": "removed", "changed": "changed", "unreadable": "cannot be read"}


def _fence(lines: tuple[str, ...]) -> str:
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _change_row(change: FieldChange) -> str:
    old = escape(value_text(change.old)) if change.op != "add" else ""
    new = escape(value_text(change.new)) if change.op != "remove" else ""
    audit = f"⚠️ {escape(change.audit)}" if change.audit else ""
    return f"| {_SYMBOL[change.op]} | {escape(change.path)} | {old} | {new} | {audit} |"


def _where(record: RecordDiff) -> str:
    if record.old_display and record.new_display and record.old_display != record.new_display:
        return f"{escape(str(record.old_display))} → {escape(str(record.new_display))}"
    return escape(str(record.new_display or record.old_display))


def record_markdown(record: RecordDiff) -> list[str]:
    title = f"#### {escape(record.record_id)} ({_STATUS[record.status]}{', renamed' if record.renamed else ''})"
    lines = [title, "", _where(record), ""]
    if record.problem is not None:
        lines.extend([f"⚠️ {escape(record.problem)}", ""])
    if record.changes:
        lines.extend(["| | Field | Old | New | Audit |", "|---|---|---|---|---|"])
        lines.extend(_change_row(change) for change in record.changes)
        lines.append("")
    if record.body_diff:
        fence = _fence(record.body_diff)
        part = "File" if record.status == "unreadable" else "Body"
        lines.append(f"<details><summary>{part}</summary>")
        lines.append("")
        lines.append(f"{fence}diff")
        lines.extend(terminal_line(line) for line in record.body_diff)
        lines.append(fence)
        lines.append("")
        lines.append("</details>")
        lines.append("")
    return lines


def summary(result: DiffResult) -> str:
    if not result.records:
        return f"**No differences** ({result.compared} records compared)."
    audit = result.audit_count
    return (
        f"**{len(result.records)} record{' differs' if len(result.records) == 1 else 's differ'}** "
        f"({escape(result.old_label)} → {escape(result.new_label)}): {result.count('changed')} changed, "
        f"{result.count('added')} added, {result.count('removed')} removed"
        f"{f', {result.unreadable} cannot be read' if result.unreadable else ''}; "
        f"**{audit} audit-relevant change{'s' if audit != 1 else ''}**."
    )


def render_markdown(result: DiffResult, brief: bool = False) -> str:
    lines = ["### Record changes", "", summary(result), ""]
    if brief:
        lines.extend(f"- {_STATUS[record.status]}: {escape(record.record_id)}" for record in result.records)
        if result.records:
            lines.append("")
    else:
        audit = [(record, change) for record in result.records for change in record.audit_changes]
        if audit:
            lines.append("Audit-relevant:")
            lines.append("")
            lines.extend(
                f"- ⚠️ {escape(record.record_id)}: {escape(change.path)} — {escape(str(change.audit))}"
                for record, change in audit
            )
            lines.append("")
        for record in result.records:
            lines.extend(record_markdown(record))
    return "\n".join(lines).rstrip("\n") + "\n"


def render(result: DiffResult, options: RenderOptions) -> Iterator[str]:
    yield render_markdown(result, options.brief)
