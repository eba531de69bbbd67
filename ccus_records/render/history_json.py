"""`log` and `blame` as JSON documents (format version 1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ccus_records.features.history import Blame, HistoryCommit, RecordHistory
from ccus_records.render.encode import json_text
from ccus_records.render.registry import RenderOptions

if TYPE_CHECKING:
    from ccus_records.features.report_history import HistorySeries


def commit_json(item: HistoryCommit) -> dict[str, Any]:
    found: dict[str, Any] = {
        "commit": item.commit,
        "author": item.author,
        "email": item.email,
        "date": item.date,
        "subject": item.subject,
        "path": item.path,
        "changes": [change.to_json() for change in item.changes],
    }
    if item.unreadable is not None:
        found["unreadable"] = item.unreadable
    if item.removed:
        found["removed"] = True
    return found


def log_json(history: RecordHistory) -> dict[str, Any]:
    return {"version": 1, "record": history.record, "commits": [commit_json(item) for item in history.commits]}


def render(history: RecordHistory, options: RenderOptions) -> Iterator[str]:
    yield json_text(log_json(history)) + "\n"


def blame_json(blame: Blame) -> dict[str, Any]:
    return {
        "version": 1,
        "record": blame.record,
        "fields": [
            {
                "field": line.field,
                "commit": line.commit,
                "author": line.author,
                "date": line.date,
                "subject": line.subject,
                "since_audit": line.since_audit,
            }
            for line in blame.fields
        ],
    }


def render_blame(blame: Blame, options: RenderOptions) -> Iterator[str]:
    yield json_text(blame_json(blame)) + "\n"


def series_json(series: HistorySeries) -> dict[str, Any]:
    return {
        "version": 1,
        "range": series.range,
        "commits": [
            {
                "commit": point.commit,
                "date": point.date,
                "subject": point.subject,
                "records": point.records,
                "coverage": point.coverage.percent,
                "human_verified": point.human_verified.percent,
                "findings": point.findings,
                "changed_files": point.changed,
                **(
                    {
                        "groups": {
                            grouping: {value: share.percent for value, share in values.items()}
                            for grouping, values in point.groups.items()
                        }
                    }
                    if series.by
                    else {}
                ),
            }
            for point in series.points
        ],
    }


def render_series(series: HistorySeries, options: RenderOptions) -> Iterator[str]:
    yield json_text(series_json(series)) + "\n"
