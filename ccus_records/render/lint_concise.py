"""Lint findings one line each, `path:line:col: CODE [severity] message (field)`: no summary, no colour, for grep."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ccus_records.engine.findings import Finding
from ccus_records.render.encode import terminal_line
from ccus_records.render.lint_view import LintView
from ccus_records.render.registry import RenderOptions


def concise_line(finding: Finding) -> str:
    where = finding.path
    if finding.line is not None:
        where += f":{finding.line}:{finding.column or 1}"
    suffix = f" ({finding.field})" if finding.field else ""
    text = f"{where}: {finding.code} [{finding.severity}] {finding.message}{suffix}"
    # One finding, one line: a line break quoted from a record must not start a new one.
    return terminal_line(text)


def render_concise(findings: Iterable[Finding]) -> str:
    return "".join(concise_line(finding) + "\n" for finding in findings)


def render(view: LintView, options: RenderOptions) -> Iterator[str]:
    yield render_concise(view.result.findings)
