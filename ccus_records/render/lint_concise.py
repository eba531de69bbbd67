"""Lint findings one line each, `path:line:col: CODE [severity] message (field)`: no summary, no colour, for grep."""

from __future__ import annotations

from collections.abc import Iterable

from ccus_records.engine.findings import Finding
from ccus_records.render.safe import inert


def concise_line(finding: Finding) -> str:
    where = finding.path
    if finding.line is not None:
        where += f":{finding.line}:{finding.column or 1}"
    suffix = f" ({finding.field})" if finding.field else ""
    text = f"{where}: {finding.code} [{finding.severity}] {finding.message}{suffix}"
    # One finding, one line: a line break quoted from a record must not start a new one.
    return inert(text.replace("\r", "\\r").replace("\n", "\\n"))


def render_concise(findings: Iterable[Finding]) -> str:
    return "".join(concise_line(finding) + "\n" for finding in findings)
