"""`ccus-records rules`, `rule CODE` and `schema`: what the tool checks, from the code that checks it."""

from typing import Annotated

import typer

from ccus_records.cli.common import fail, load, reported_errors, write_chunks, write_out
from ccus_records.cli.options import ConfigOption, IsolatedOption, format_option


def rules_command(
    output_format: Annotated[str, format_option("rules")] = "text",
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """List every rule: code, name, default severity, whether it can fix, and what it checks."""
    from ccus_records.engine.lint import available_rules
    from ccus_records.render import registry
    from ccus_records.render.catalog_text import Catalog

    config = load(config_file, isolated)
    with reported_errors():
        catalog = Catalog(available_rules(config), config.settings.severity)
    write_chunks(registry.render("rules", output_format, catalog, registry.RenderOptions()))


def rule_command(
    code: Annotated[str, typer.Argument(help="A rule code, such as A001.")],
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Explain one rule: what it checks, why an auditor cares, an example, how to fix it."""
    from ccus_records.engine.lint import available_rules
    from ccus_records.rules import no_rule_message, rule_by_code

    config = load(config_file, isolated)
    with reported_errors():
        rule = rule_by_code(available_rules(config), code)
    if rule is None:
        fail(no_rule_message(available_rules(config), code))
    from ccus_records.render.catalog_text import rule_text

    write_out(rule_text(rule, config.settings.severity.get(rule.code, rule.severity)))


def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of a record's front matter."""
    from ccus_records.schema.export import record_json_schema_text

    write_out(record_json_schema_text())
