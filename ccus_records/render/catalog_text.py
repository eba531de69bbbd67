"""The rule catalog (`rules`, `rule CODE`): what the tool checks. Custom rules' text comes from configuration,
so it goes through the encoders as record text does."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ccus_records.render.encode import json_text, terminal, terminal_line
from ccus_records.render.registry import RenderOptions


@dataclass(frozen=True)
class Catalog:
    rules: Sequence[Any]  # the rules available (Rule classes or instances)
    severities: Mapping[str, str]  # the level in force of each code, where configured


def render_text(catalog: Catalog, options: RenderOptions) -> Iterator[str]:
    lines = []
    for rule in catalog.rules:
        fix = "fix" if rule.fixable else "   "
        level = catalog.severities.get(rule.code, rule.severity)
        lines.append(terminal_line(f"{rule.code}  {rule.name:<28} {level:<8} {fix}  {rule.summary()}"))
    yield "".join(line + "\n" for line in lines)


def render_json(catalog: Catalog, options: RenderOptions) -> Iterator[str]:
    rows = [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": catalog.severities.get(rule.code, rule.severity),
            "default_severity": rule.severity,
            "fixable": rule.fixable,
            "summary": rule.summary(),
        }
        for rule in catalog.rules
    ]
    yield json_text(rows) + "\n"


def rule_text(rule: Any, level: str) -> str:
    """One rule explained: its header line, then what it checks, why, an example and how to fix it."""
    header = terminal_line(f"{rule.code} {rule.name} [{level}]{' (fixable)' if rule.fixable else ''}")
    return f"{header}\n\n{terminal(rule.explanation())}\n"
