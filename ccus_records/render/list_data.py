"""A listing as data: JSON, JSON Lines, CSV and bare ids. Columns carry their full dotted values."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from ccus_records.features.listing import ListedRecord, Listing
from ccus_records.render.encode import csv_cell, id_line, json_text
from ccus_records.render.registry import RenderOptions


def row_object(record: ListedRecord, columns: tuple[str, ...]) -> dict[str, Any]:
    return {column: record.value(column) for column in columns}


def json_document(listing: Listing) -> str:
    rows = [row_object(record, listing.columns) for record in listing.records]
    return json_text(rows) + "\n"


def json_lines(listing: Listing) -> str:
    return "".join(json_text(row_object(record, listing.columns), indent=None) + "\n" for record in listing.records)


def cell_text(value: Any) -> str:
    """A value as one CSV cell: lists joined with `; `, objects as JSON, nothing for a missing value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def csv_text(listing: Listing) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(column) for column in listing.columns])
    for record in listing.records:
        row = []
        for column in listing.columns:
            value = record.value(column)
            text = cell_text(value)
            # Numbers are the record's own; only text can carry a formula.
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            # One line a record, control characters shown as escapes (a CSV is often read on a terminal
            # first), and no formula a spreadsheet would run.
            row.append(text if numeric else csv_cell(text))
        writer.writerow(row)
    return out.getvalue()


def ids_text(listing: Listing) -> str:
    """One id a line, for shell pipelines; a record without an id is left out.

    An id holding a line break prints as one line, with the break escaped: it cannot pass as several ids.
    """
    lines = []
    for record in listing.records:
        record_id = record.data.get("id")
        if isinstance(record_id, str) and record_id.strip():
            lines.append(id_line(record_id))
    return "".join(f"{line}\n" for line in lines)


def render_json(listing: Listing, options: RenderOptions) -> Iterator[str]:
    yield json_document(listing)


def render_json_lines(listing: Listing, options: RenderOptions) -> Iterator[str]:
    yield json_lines(listing)


def render_csv(listing: Listing, options: RenderOptions) -> Iterator[str]:
    yield csv_text(listing)


def render_ids(listing: Listing, options: RenderOptions) -> Iterator[str]:
    yield ids_text(listing)
