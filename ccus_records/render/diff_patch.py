"""A diff as RFC 6902 JSON Patches, one per record, with a `test` before every removal and replacement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ccus_records.features.diff import DiffResult, json_patch
from ccus_records.render.encode import json_text
from ccus_records.render.registry import RenderOptions


def render_patch(result: DiffResult) -> str:
    """A JSON list: for each record that differs, its id, status, paths and `patch` (the RFC 6902 document)."""
    items: list[dict[str, Any]] = [
        {
            "id": record.record_id,
            "status": record.status,
            "old_path": record.old_display,
            "new_path": record.new_display,
            # An unreadable record has no patch: its problem says why.
            **(
                {"problem": record.problem, "patch": []}
                if record.problem is not None
                else {"patch": json_patch(record)}
            ),
        }
        for record in result.records
    ]
    return json_text(items) + "\n"


def render(result: DiffResult, options: RenderOptions) -> Iterator[str]:
    yield render_patch(result)
