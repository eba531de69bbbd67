"""Lint findings as one JSON document (format version 1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ccus_records.engine.lint import LintResult
from ccus_records.render.encode import json_safe
from ccus_records.render.lint_view import LintView
from ccus_records.render.registry import RenderOptions

FORMAT_VERSION = 1


def _tail(result: LintResult, statistics: bool) -> dict[str, Any]:
    """Everything in the document after the findings: the summary, and the counts per code if asked."""
    tail: dict[str, Any] = {
        "summary": {
            "files": result.files,
            "records": result.records,
            "errors": result.count("error"),
            "warnings": result.count("warning"),
            "infos": result.count("info"),
        }
    }
    if statistics:
        counts: dict[str, int] = {}
        for finding in result.findings:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        tail["statistics"] = dict(sorted(counts.items()))
    return tail


def lint_document(result: LintResult, statistics: bool = False) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "findings": [finding.to_json() for finding in result.findings],
        **_tail(result, statistics),
    }


def json_chunks(result: LintResult, statistics: bool = False) -> Iterator[str]:
    """The same document as `lint_document`, one finding a line, written in pieces.

    Each finding is encoded on its own by the C encoder: the document is never held in memory as
    objects, which for a large corpus would be many times the size of its text.
    """
    yield f'{{\n  "version": {FORMAT_VERSION},\n  "findings": ['
    batch: list[str] = []
    separator = "\n    "
    for finding in result.findings:
        batch.append(separator + json.dumps(finding._asdict(), ensure_ascii=False))
        separator = ",\n    "
        if len(batch) >= 2000:
            yield json_safe("".join(batch))
            batch = []
    batch.append("\n  ]" if result.findings else "]")
    for key, value in _tail(result, statistics).items():
        batch.append(f",\n  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    batch.append("\n}\n")
    yield json_safe("".join(batch))


def render_json(result: LintResult, statistics: bool = False) -> str:
    return "".join(json_chunks(result, statistics))


def render(view: LintView, options: RenderOptions) -> Iterator[str]:
    return json_chunks(view.result, options.statistics)
