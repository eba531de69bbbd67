"""The rule catalog (`rules`, `rule CODE`): what the tool checks. Custom rules' text comes from configuration,
so it goes through the encoders as record text does."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ccus_records.render.encode import json_text, terminal, terminal_line
from ccus_records.render.registry import RenderOptions

# The rules listing's fix column, and the note after `rule CODE`'s header.
FIX_COLUMN = {"safe": "fix   ", "unsafe": "unsafe", "none": "      "}
FIX_NOTE = {"safe": " (fixable)", "unsafe": " (fixable with --unsafe-fixes)", "none": ""}


@dataclass(frozen=True)
class Catalog:
    rules: Sequence[Any]  # the rules available (Rule classes or instances)
    severities: Mapping[str, str]  # the level in force of each code, where configured


def render_text(catalog: Catalog, options: RenderOptions) -> Iterator[str]:
    lines = []
    for rule in catalog.rules:
        level = catalog.severities.get(rule.code, rule.severity)
        lines.append(terminal_line(f"{rule.code}  {rule.name:<28} {level:<8} {FIX_COLUMN[rule.fix]}  {rule.summary()}"))
    yield "".join(line + "\n" for line in lines)


def render_json(catalog: Catalog, options: RenderOptions) -> Iterator[str]:
    rows = [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": catalog.severities.get(rule.code, rule.severity),
            "default_severity": rule.severity,
            "fixable": rule.fixable,
            "fix": rule.fix,
            "summary": rule.summary(),
        }
        for rule in catalog.rules
    ]
    yield json_text(rows) + "\n"


def rule_text(rule: Any, level: str) -> str:
    """One rule explained: its header line, then what it checks, why, an example and how to fix it."""
    header = terminal_line(f"{rule.code} {rule.name} [{level}]{FIX_NOTE[rule.fix]}")
    return f"{header}\n\n{terminal(rule.explanation())}\n"
