"""A listing as a table for a terminal (rich). Record text goes in as `Text`, never as markup."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from ccus_records.features.listing import Listing
from ccus_records.render.console import text_console
from ccus_records.render.encode import terminal_line
from ccus_records.render.registry import RenderOptions

_FREE_TEXT = frozenset(
    {"title", "description", "interpretation", "evidence", "citation", "auditNote", "label", "source", "path"}
    | {"economic", "environmental", "technical", "co2_definition", "cross_border_rules", "financial_assurance"}
    | {"liability_period", "liability_transfer", "permitting_lead_time", "pore_space_rights"}
)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def render_table(listing: Listing, colour: bool = False, width: int = 120, wrap: bool = True) -> str:
    """The table, fitted to `width` on a terminal (`wrap`); else, for a pipe or a file, one record a line with
    every value whole, however wide that makes the line."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    headers = [terminal_line(column) for column in listing.columns]
    rows = [[terminal_line(cell(record.value(column))) for column in listing.columns] for record in listing.records]
    if not wrap:
        widths = [max((cell_len(text) for text in column), default=0) for column in zip(headers, *rows, strict=True)]
        width = max(sum(widths) + 2 * len(widths), 40)  # two spaces between columns; room for the footer
    table = Table(box=None, header_style="bold" if colour else "", pad_edge=False, show_edge=False)
    for column, header in zip(listing.columns, headers, strict=True):
        numeric = column in ("year",) or column.endswith(".score")
        # Short fields stay on one line; the free text (a title, an evidence) takes the rest and wraps.
        wraps = wrap and column.split(".")[-1] in _FREE_TEXT
        table.add_column(header, justify="right" if numeric else "left", overflow="fold", no_wrap=not wraps)
    for row in rows:
        table.add_row(*(Text(text) for text in row))
    out = io.StringIO()
    console = text_console(out, width, colour)
    console.print(table)
    shown = len(listing.records)
    footer = f"{shown} record{'s' if shown != 1 else ''}"
    if listing.total > shown:
        footer += f" of {listing.total} (--limit)"
    console.print(Text(footer))
    # Rich pads every cell to its column's width; trailing spaces are noise in a file or a pipe.
    return "".join(f"{line.rstrip()}\n" for line in out.getvalue().splitlines())


def render(listing: Listing, options: RenderOptions) -> Iterator[str]:
    yield render_table(listing, colour=options.colour, width=options.width, wrap=options.wrap)
