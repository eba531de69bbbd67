"""Lint findings as a GitLab code-quality report (the JSON array `artifacts:reports:codequality` reads)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ccus_records.engine.findings import Finding
from ccus_records.render.encode import json_text
from ccus_records.render.lint_view import LintView
from ccus_records.render.registry import RenderOptions

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def fingerprint(finding: Finding, occurrence: int) -> str:
    """Stable across runs for the same gap (record, code, field), so merge requests show new and fixed ones."""
    who = finding.record or finding.path
    text = "\0".join((who, finding.code, finding.field or "", str(occurrence)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def gitlab_issues(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for finding in findings:
        key = (finding.record or finding.path, finding.code, finding.field or "")
        seen[key] += 1
        suffix = f" ({finding.field})" if finding.field else ""
        issues.append(
            {
                "description": f"{finding.code} {finding.message}{suffix}",
                "check_name": finding.code,
                "fingerprint": fingerprint(finding, seen[key]),
                "severity": SEVERITIES[finding.severity],
                "location": {"path": finding.path.replace("\\", "/"), "lines": {"begin": finding.line or 1}},
            }
        )
    return issues


def render_gitlab(findings: Iterable[Finding]) -> str:
    return json_text(gitlab_issues(findings)) + "\n"


def render(view: LintView, options: RenderOptions) -> Iterator[str]:
    yield render_gitlab(view.result.findings)
