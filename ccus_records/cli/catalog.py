"""`ccus-records rules`, `rule CODE` and `schema`: what the tool checks, from the code that checks it."""

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ccus_records.cli.common import fail, load, reported_errors, write_out


class CatalogFormat(str, Enum):
    text = "text"
    json = "json"


ConfigOption = Annotated[Path | None, typer.Option("--config", help="Use this configuration file.")]
IsolatedOption = Annotated[bool, typer.Option(help="Ignore configuration files.")]


def rules_command(
    output_format: Annotated[CatalogFormat, typer.Option("--format", help="Output format.")] = CatalogFormat.text,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """List every rule: code, name, default severity, whether it can fix, and what it checks."""
    from ccus_records.engine.lint import available_rules

    config = load(config_file, isolated)
    with reported_errors():
        catalog = available_rules(config)
    severities = config.settings.severity
    if output_format is CatalogFormat.json:
        rows = [
            {
                "code": rule.code,
                "name": rule.name,
                "severity": severities.get(rule.code, rule.severity),
                "default_severity": rule.severity,
                "fixable": rule.fixable,
                "summary": rule.summary(),
            }
            for rule in catalog
        ]
        write_out(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    lines = []
    for rule in catalog:
        fix = "fix" if rule.fixable else "   "
        level = severities.get(rule.code, rule.severity)
        lines.append(f"{rule.code}  {rule.name:<28} {level:<8} {fix}  {rule.summary()}")
    write_out("\n".join(lines) + "\n")


def rule_command(
    code: Annotated[str, typer.Argument(help="A rule code, such as A001.")],
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Explain one rule: what it checks, why an auditor cares, an example, how to fix it."""
    from ccus_records.engine.lint import available_rules
    from ccus_records.rules import rule_by_code

    config = load(config_file, isolated)
    with reported_errors():
        rule = rule_by_code(available_rules(config), code)
    if rule is None:
        fail(f"no rule {code!r} (see `ccus-records rules`)")
    level = config.settings.severity.get(rule.code, rule.severity)
    header = f"{rule.code} {rule.name} [{level}]{' (fixable)' if rule.fixable else ''}"
    write_out(f"{header}\n\n{rule.explanation()}\n")


def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of a record's front matter."""
    from ccus_records.schema.export import record_json_schema_text

    write_out(record_json_schema_text())
