"""One record for a person (rich): its fields, each group as a section, body, findings.

The layout is derived from the table of fields (schema/table.py), never from a list of its own, so a field
added to the model is shown: the title heads the page; every other top-level field is a row of the main
grid, or a paragraph when the table marks it as prose; each group is a section, a table when it is a group
of like groups (the analysis: a row per dimension, a column per field, prose fields as notes below) and a
grid of its fields otherwise. Prose fields are shown when filled, every other field always ("—" if empty).

Every piece of record text is passed to rich as a `Text` (or Markdown source) after `encode.terminal` (one-line
fields after `encode.terminal_line`, so that a line break in an id or a path cannot forge a line), so neither
rich markup such as `[link=...]` nor terminal control sequences in a record can take effect.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

from ccus_records.features.listing import Shown
from ccus_records.render.console import text_console
from ccus_records.render.encode import terminal, terminal_line
from ccus_records.render.registry import RenderOptions
from ccus_records.schema.table import RECORD, Leaf, leaves
from ccus_records.schema.table import Group as FieldGroup

_HEADING = "title"  # the field that heads the page
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) if value else "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value) if str(value).strip() else "—"


def _words(name: str) -> str:
    """`impactAnalysis` as `impact analysis`, `auditNote` as `audit note`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").lower()


def _title(name: str) -> str:
    words = _words(name)
    return words[:1].upper() + words[1:]


def _filled(value: Any) -> bool:
    return _text(value) not in ("", "—")


def _like_groups(group: FieldGroup) -> FieldGroup | None:
    """The one shape every member of `group` has, when its members are all groups of the same leaf fields."""
    members = list(group.fields.values())
    first = members[0] if members else None
    if not isinstance(first, FieldGroup) or not all(isinstance(leaf, Leaf) for leaf in first.fields.values()):
        return None
    if all(isinstance(item, FieldGroup) and list(item.fields) == list(first.fields) for item in members):
        return first
    return None


def _rows(group: FieldGroup, data: Any) -> Iterator[tuple[str, Any]]:
    """The (relative dotted name, value) rows of a group's grid: prose only when filled."""
    values = data if isinstance(data, dict) else {}
    for dotted, leaf in leaves(group):
        value: Any = values
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if not leaf.prose or _filled(value):
            yield dotted, value


def render_show(shown: Shown, colour: bool = False, width: int = 100) -> str:
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    data = shown.file.data or {}
    out = io.StringIO()
    console = text_console(out, width, colour)

    def safe(value: Any) -> Text:
        return Text(terminal_line(_text(value)))

    def block(value: Any) -> Text:
        return Text(terminal(_text(value)))

    def grid(rows: list[tuple[str, Any]]) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for name, value in rows:
            table.add_row(Text(name), safe(value))
        console.print(table)

    def section(name: str) -> None:
        console.print()
        console.print(Rule(Text(_title(name)), align="left"))

    def like_groups(name: str, group: FieldGroup, shape: FieldGroup, values: dict[str, Any]) -> None:
        section(name)
        columns = [(key, leaf) for key, leaf in shape.fields.items() if isinstance(leaf, Leaf) and not leaf.prose]
        columns.sort(key=lambda item: item[1].kind != "integer")  # numbers first, beside the row's name
        notes_of = [key for key, leaf in shape.fields.items() if isinstance(leaf, Leaf) and leaf.prose]
        table = Table(show_lines=False, box=None, pad_edge=False, header_style="bold")
        table.add_column(_words(shape.name))
        for key, leaf in columns:
            table.add_column(key, justify="right" if leaf.kind == "integer" else "left", overflow="fold")
        notes: list[tuple[str, str, Any]] = []
        for member in group.fields:
            row = values.get(member)
            if not isinstance(row, dict):
                continue
            table.add_row(Text(member), *(safe(row.get(key)) for key, _ in columns))
            notes.extend((key, member, row.get(key)) for key in notes_of if _filled(row.get(key)))
        console.print(table)
        for key, member, note in notes:
            console.print(Text.assemble((f"{_words(key)} ", "bold"), (f"({member}): ", "bold"), terminal(_text(note))))

    console.print(Text(terminal_line(str(data.get(_HEADING) or "(no title)")), style="bold"))
    console.print(Text(terminal_line(shown.file.display), style="dim"))
    console.print()

    top = {name: field for name, field in RECORD.fields.items() if name != _HEADING}
    grid([(name, data.get(name)) for name, field in top.items() if isinstance(field, Leaf) and not field.prose])
    for name, field in top.items():
        if isinstance(field, Leaf) and field.prose and _filled(data.get(name)):
            console.print()
            console.print(Text(name, style="bold"))
            console.print(Padding(block(data.get(name)), (0, 0, 0, 2)))

    for name, field in top.items():
        if not isinstance(field, FieldGroup):
            continue
        values = data.get(name)
        shape = _like_groups(field)
        if shape is not None and isinstance(values, dict):
            like_groups(name, field, shape, values)
            continue
        rows = list(_rows(field, values))
        if rows:
            section(name)
            grid(rows)

    body = shown.file.body
    if body:
        console.print()
        console.print(Rule(Text("Body"), align="left"))
        # Markdown source is parsed as Markdown, not as rich markup; inline HTML is shown as text.
        console.print(Markdown(terminal(body), hyperlinks=False))

    console.print()
    console.print(Rule(Text(f"Findings ({len(shown.findings)})"), align="left"))
    if not shown.findings:
        console.print(Text("No findings."))
    for finding in shown.findings:
        where = f"  line {finding.line}" if finding.line is not None else ""
        suffix = f" ({finding.field})" if finding.field else ""
        console.print(
            Group(
                Text.assemble(
                    (f"{finding.code} ", "bold"),
                    (f"[{finding.severity}] ", _SEVERITY_STYLE.get(finding.severity, "")),
                    terminal_line(f"{finding.message}{suffix}"),
                    (where, "dim"),
                )
            )
        )
    # Rich pads every cell to its column's width; trailing spaces are noise in a file or a pipe.
    return "".join(f"{line.rstrip()}\n" for line in out.getvalue().splitlines())


def render(shown: Shown, options: RenderOptions) -> Iterator[str]:
    yield render_show(shown, colour=options.colour, width=options.width)
