"""A listing as data: JSON, JSON Lines, CSV and bare ids. Columns carry their full dotted values."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ccus_records.features.listing import ListedRecord, Listing
from ccus_records.render.inert_json import dumps_inert
from ccus_records.render.safe import inert

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def row_object(record: ListedRecord, columns: tuple[str, ...]) -> dict[str, Any]:
    return {column: record.value(column) for column in columns}


def render_json(listing: Listing) -> str:
    rows = [row_object(record, listing.columns) for record in listing.records]
    return dumps_inert(rows) + "\n"


def render_jsonl(listing: Listing) -> str:
    return "".join(dumps_inert(row_object(record, listing.columns), indent=None) + "\n" for record in listing.records)


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


def guard_formula(text: str) -> str:
    """A leading `'` for a cell a spreadsheet would otherwise evaluate (`=HYPERLINK(...)`, `@SUM(...)`)."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def render_csv(listing: Listing) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(listing.columns)
    for record in listing.records:
        row = []
        for column in listing.columns:
            value = record.value(column)
            text = cell_text(value)
            # Numbers are the record's own; only text can carry a formula.
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            # Control characters shown as escapes: a CSV is often read on a terminal first.
            row.append(text if numeric else guard_formula(inert(text)))
        writer.writerow(row)
    return out.getvalue()


def render_ids(listing: Listing) -> str:
    """One id a line, for shell pipelines; a record without an id is left out."""
    lines = []
    for record in listing.records:
        record_id = record.data.get("id")
        if isinstance(record_id, str) and record_id.strip():
            lines.append(inert(record_id.strip()))
    return "".join(f"{line}\n" for line in lines)
