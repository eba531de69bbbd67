"""Lint findings as GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=...::message`.

GitHub reads one command a line, so a message must never break the line, and a property value must not
end the property list early. Its escaping rules (the runner's `toCommandValue`/`toCommandProperties`):
in the message `%` → `%25`, CR → `%0D`, LF → `%0A`; in property values `:` → `%3A` and `,` → `%2C` too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ccus_records.engine.findings import Finding
from ccus_records.render.encode import workflow_command_data as escape_data
from ccus_records.render.encode import workflow_command_property as escape_property
from ccus_records.render.lint_view import LintView
from ccus_records.render.registry import RenderOptions

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def annotation(finding: Finding) -> str:
    properties = [f"file={escape_property(finding.path.replace(chr(92), '/'))}"]
    if finding.line is not None:
        properties.append(f"line={finding.line}")
        properties.append(f"col={finding.column or 1}")
    properties.append(f"title={escape_property(f'{finding.code} {finding.name}')}")
    message = finding.message + (f" ({finding.field})" if finding.field else "")
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def render_github(findings: Iterable[Finding]) -> str:
    return "".join(annotation(finding) + "\n" for finding in findings)


def render(view: LintView, options: RenderOptions) -> Iterator[str]:
    yield render_github(view.result.findings)
