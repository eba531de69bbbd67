"""Lint findings as one JSON document (format version 1)."""

from __future__ import annotations

import json
from typing import Any

from ccus_records.engine.lint import LintResult

FORMAT_VERSION = 1


def lint_document(result: LintResult, statistics: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "findings": [finding.to_json() for finding in result.findings],
        "summary": {
            "files": result.files,
            "records": result.records,
            "errors": result.count("error"),
            "warnings": result.count("warning"),
            "infos": result.count("info"),
        },
    }
    if statistics:
        counts: dict[str, int] = {}
        for finding in result.findings:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        document["statistics"] = dict(sorted(counts.items()))
    return document


def render_json(result: LintResult, statistics: bool = False) -> str:
    return json.dumps(lint_document(result, statistics), indent=2, ensure_ascii=False) + "\n"
