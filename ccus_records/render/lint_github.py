"""Lint findings as GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=...::message`.

GitHub reads one command a line, so a message must never break the line, and a property value must not
end the property list early. Its escaping rules (the runner's `toCommandValue`/`toCommandProperties`):
in the message `%` → `%25`, CR → `%0D`, LF → `%0A`; in property values `:` → `%3A` and `,` → `%2C` too.
"""

from __future__ import annotations

from collections.abc import Iterable

from ccus_records.engine.findings import Finding
from ccus_records.render.safe import inert

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    # Other control characters (ESC above all) would reach the log as they are.
    return inert(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


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
