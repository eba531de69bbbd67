"""X: rules written in configuration as JSON Schemas, checked with jsonschema.

[[tool.ccus-records.rule]]
code = "X001"
name = "storage-needs-liability"
severity = "warning"
message = "storage regulations must say who holds long-term liability"
when = { properties = { category = { const = "Regulatory" } } }
require = { properties = { regulatory = { properties = { liability_transfer = { minLength = 1 } } } } }
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar, Protocol

from ccus_records.errors import CcusRecordsError
from ccus_records.rules.base import RecordContext, Rule, Severity, Violation
from ccus_records.schema.validation import dotted_location


class CustomRuleSpec(Protocol):
    """What a custom rule is made from: the configuration's `[[rule]]` table (engine/config.py)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def message(self) -> str: ...
    @property
    def when(self) -> dict[str, Any] | bool: ...
    @property
    def require(self) -> dict[str, Any] | bool: ...


class CustomRuleError(CcusRecordsError, ValueError):
    """A custom rule's schema is not a valid JSON Schema."""


class CustomRule(Rule):
    """Base of the rules made from configuration; each instance class carries its spec."""

    spec: ClassVar[CustomRuleSpec]
    _when: ClassVar[Any]
    _require: ClassVar[Any]

    def check(self, context: RecordContext) -> Iterator[Violation]:
        if not self._when.is_valid(context.data):
            return
        errors = sorted(self._require.iter_errors(context.data), key=lambda error: list(error.absolute_path))
        if errors:
            dotted = dotted_location(tuple(errors[0].absolute_path)) or None
            yield Violation(self.spec.message, dotted)


def make_custom_rule(spec: CustomRuleSpec) -> type[Rule]:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import SchemaError

    validators = []
    for part in ("when", "require"):
        schema = getattr(spec, part)
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as error:
            raise CustomRuleError(f"rule {spec.code}: `{part}` is not a valid JSON Schema: {error.message}") from None
        validators.append(Draft202012Validator(schema, format_checker=FormatChecker()))

    doc = (
        f"{spec.message}\n\n"
        "What it checks\n"
        f"    A rule from configuration ({spec.name}). Records matching this JSON Schema:\n"
        f"        {json.dumps(spec.when, sort_keys=True)}\n"
        "    must also match:\n"
        f"        {json.dumps(spec.require, sort_keys=True)}\n\n"
        "How to fix\n"
        "    Make the record satisfy the `require` schema, or change the rule in the configuration.\n"
    )
    attributes: dict[str, Any] = {
        "__doc__": doc,
        "code": spec.code,
        "name": spec.name,
        "severity": spec.severity,
        "spec": spec,
        "_when": validators[0],
        "_require": validators[1],
    }
    severity: Severity = spec.severity
    attributes["severity"] = severity
    return type(f"CustomRule_{spec.code}", (CustomRule,), attributes)
