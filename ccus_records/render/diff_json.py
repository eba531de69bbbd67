"""A diff as JSON: a list of records, each with its changes (`op`, `path`, `old`, `new`, `audit`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ccus_records.features.diff import DiffResult, RecordDiff
from ccus_records.render.encode import json_text
from ccus_records.render.registry import RenderOptions


def record_json(record: RecordDiff, brief: bool = False) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": record.record_id,
        "status": record.status,
        "old_path": record.old_display,
        "new_path": record.new_display,
        "renamed": record.renamed,
    }
    if record.problem is not None:
        item["problem"] = record.problem
    if brief:
        return item
    item["changes"] = [change.to_json() for change in record.changes]
    item["audit"] = [change.path for change in record.audit_changes]
    item["body_diff"] = list(record.body_diff)
    if record.status == "added" and record.new is not None:
        item["record"] = record.new.data
    elif record.status == "removed" and record.old is not None:
        item["record"] = record.old.data
    return item


def render_json(result: DiffResult, brief: bool = False) -> str:
    records = [record_json(record, brief) for record in result.records]
    return json_text(records) + "\n"


def render(result: DiffResult, options: RenderOptions) -> Iterator[str]:
    yield render_json(result, options.brief)
