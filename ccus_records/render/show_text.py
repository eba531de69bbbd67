"""One record for a person (rich): the main fields, the analysis as a table, provenance, body, findings.

Every piece of record text is passed to rich as a `Text` (or Markdown source) after `encode.terminal` (one-line
fields after `encode.terminal_line`, so that a line break in an id or a path cannot forge a line), so neither
rich markup such as `[link=...]` nor terminal control sequences in a record can take effect.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from ccus_records.features.listing import Shown
from ccus_records.render.console import text_console
from ccus_records.render.encode import terminal, terminal_line
from ccus_records.render.registry import RenderOptions
from ccus_records.schema.fields import get_path
from ccus_records.schema.vocabulary import ANALYSIS_DIMENSIONS

_MAIN_FIELDS = (
    "id",
    "country",
    "category",
    "legalWeight",
    "status",
    "reviewStatus",
    "year",
    "pubDate",
    "source",
    "sectors",
    "relatedFacilities",
    "evolution.clusters",
    "evolution.supersedes",
    "evolution.supersededBy",
)
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) if value else "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value) if str(value).strip() else "—"


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

    console.print(Text(terminal_line(str(data.get("title") or "(no title)")), style="bold"))
    console.print(Text(terminal_line(shown.file.display), style="dim"))
    console.print()

    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold")
    fields.add_column(overflow="fold")
    for dotted in _MAIN_FIELDS:
        fields.add_row(Text(dotted), safe(get_path(data, dotted)))
    console.print(fields)
    for name in ("description", "interpretation"):
        if _text(data.get(name)) != "—":
            console.print()
            console.print(Text(name, style="bold"))
            console.print(Padding(block(data.get(name)), (0, 0, 0, 2)))

    console.print()
    console.print(Rule(Text("Analysis"), align="left"))
    analysis = Table(show_lines=False, box=None, pad_edge=False, header_style="bold")
    analysis.add_column("dimension")
    analysis.add_column("score", justify="right")
    analysis.add_column("label", overflow="fold")
    analysis.add_column("citation", overflow="fold")
    analysis.add_column("evidence", overflow="fold", ratio=2)
    notes: list[tuple[str, str]] = []
    for dimension in ANALYSIS_DIMENSIONS:
        values = get_path(data, f"analysis.{dimension}")
        if not isinstance(values, dict):
            continue
        analysis.add_row(
            Text(dimension),
            safe(values.get("score")),
            safe(values.get("label")),
            safe(values.get("citation")),
            safe(values.get("evidence")),
        )
        note = values.get("auditNote")
        if isinstance(note, str) and note.strip():
            notes.append((dimension, note))
    console.print(analysis)
    for dimension, note in notes:
        console.print(Text.assemble(("audit note ", "bold"), (f"({dimension}): ", "bold"), terminal(note)))

    filled = [
        (f"{group}.{key}", value)
        for group in ("impactAnalysis", "regulatory")
        for key, value in sorted((get_path(data, group) or {}).items())
        if isinstance(value, str) and value.strip()
    ]
    if filled:
        console.print()
        console.print(Rule(Text("Impact and regulatory"), align="left"))
        details = Table.grid(padding=(0, 2))
        details.add_column(style="bold")
        details.add_column(overflow="fold")
        for dotted, value in filled:
            details.add_row(Text(terminal_line(dotted)), block(value))
        console.print(details)

    console.print()
    console.print(Rule(Text("Provenance"), align="left"))
    provenance = Table.grid(padding=(0, 2))
    provenance.add_column(style="bold")
    provenance.add_column(overflow="fold")
    for key in ("author", "reviewer", "lastAuditDate"):
        provenance.add_row(Text(key), safe(get_path(data, f"provenance.{key}")))
    console.print(provenance)

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
