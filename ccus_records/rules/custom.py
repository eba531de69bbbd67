"""X: rules written in configuration as JSON Schemas, checked with jsonschema.

[[tool.ccus-records.rule]]
code = "X001"
name = "storage-needs-liability"
severity = "warning"
message = "storage regulations must say who holds long-term liability"
when = { properties = { category = { const = "Regulatory" } } }
require = { properties = { regulatory = { properties = { liability_transfer = { minLength = 1 } } } } }

A rule's schemas are checked when the configuration is loaded (`check_rule`), so that a bad one is a
configuration error naming the rule (exit 2), never a traceback or a hang in the middle of a run:

- each is a valid Draft 2020-12 schema;
- it refers only within itself: `$ref`s are resolved against a registry whose retrieval refuses every URI
  (jsonschema's default would fetch `https://` references and read `file://` ones), and every `$ref` in it
  is resolved once, so that one to nowhere is reported then;
- no chain of `$ref`s and in-place applicators (`allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
  `dependentSchemas`) leads back to where it started without going deeper into the record: `{"$ref": "#"}`
  and `$defs` that refer to each other would recurse for ever on any record;
- `pattern` and `patternProperties` are matched by the linear-time engine of `rules.patterns` (cut to
  `MAX_SCHEMA_SUBJECT` characters), and a pattern it refuses is reported; `format: regex` is checked with
  that engine too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any, ClassVar, Protocol

from ccus_records.errors import CcusRecordsError
from ccus_records.rules.base import RecordContext, Rule, Severity, Violation
from ccus_records.rules.patterns import MAX_SCHEMA_SUBJECT, UnsafePattern, compile_bounded
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
    """A custom rule's schema is not a valid JSON Schema (or not one this tool can run safely)."""


class CustomRule(Rule):
    """Base of the rules made from configuration; each instance class carries its spec."""

    spec: ClassVar[CustomRuleSpec]
    _when: ClassVar[Any]
    _require: ClassVar[Any]

    def check(self, context: RecordContext) -> Iterator[Violation]:
        try:
            if not self._when.is_valid(context.data):
                return
            errors = sorted(self._require.iter_errors(context.data), key=lambda error: list(error.absolute_path))
        except RecursionError:  # not reachable after `check_rule`; a guard all the same
            yield Violation(f"{self.spec.message} (the rule's schema recursed too deeply on this record)", None)
            return
        if errors:
            dotted = dotted_location(tuple(errors[0].absolute_path)) or None
            yield Violation(self.spec.message, dotted)


# --- keywords that match patterns, with the linear-time engine ------------------------------------------


def _matches(pattern: str, text: str) -> bool:
    return compile_bounded(pattern, limit=MAX_SCHEMA_SUBJECT).search(text)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _matches(pattern, instance):
        yield ValidationError(f"the text does not match {pattern!r}")


def _pattern_properties(validator: Any, patterns: dict[str, Any], instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _matches(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(validator: Any, additional: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extras = [
        key for key in instance if key not in properties and not any(_matches(pattern, key) for pattern in patterns)
    ]
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        yield ValidationError(f"additional properties are not allowed ({', '.join(sorted(map(repr, extras)))})")


@cache
def _validator_class() -> Any:
    from jsonschema import Draft202012Validator, validators

    return validators.extend(
        Draft202012Validator,
        {
            "pattern": _pattern,
            "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties,
        },
    )


def _refuse(uri: str) -> Any:
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]


def _registry(schema: Any) -> Any:
    """A registry holding only the rule's own schema; retrieving anything else is refused."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    return Registry(retrieve=_refuse).with_resource("", DRAFT202012.create_resource(schema))  # type: ignore[call-arg]


def _format_checker() -> Any:
    import re

    from jsonschema import FormatChecker

    checker = FormatChecker()

    def is_regex(instance: object) -> bool:
        return not isinstance(instance, str) or compile_bounded(instance[:MAX_SCHEMA_SUBJECT]) is not None

    checker.checks("regex", raises=(UnsafePattern, re.error, OverflowError, RecursionError))(is_regex)
    return checker


# --- the checks made when the configuration is loaded ---------------------------------------------------

# Keywords whose value is a subschema; one a list of them; one a mapping of names to them.
_ONE = ("additionalProperties", "unevaluatedProperties", "items", "contains", "propertyNames", "not", "if", "then",
        "else", "unevaluatedItems", "contentSchema", "additionalItems")  # fmt: skip
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
# What is applied to the same place of the record: a cycle through these alone never ends.
_IN_PLACE_ONE = ("not", "if", "then", "else")
_IN_PLACE_LIST = ("allOf", "anyOf", "oneOf")


def _subschemas(schema: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    """Every direct subschema, and whether it applies to the same place of the record (in place)."""
    for keyword in _ONE:
        if keyword in schema:
            yield schema[keyword], keyword in _IN_PLACE_ONE
    for keyword in _LIST:
        if isinstance(schema.get(keyword), list):
            for item in schema[keyword]:
                yield item, keyword in _IN_PLACE_LIST
    for keyword in _MAP:
        if isinstance(schema.get(keyword), dict):
            for item in schema[keyword].values():
                yield item, keyword == "dependentSchemas"


def _check_schema(schema: Any, part: str, code: str) -> None:
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    def fail(message: str) -> CustomRuleError:
        return CustomRuleError(f"rule {code}: `{part}` {message}")

    resolvers: dict[int, Any] = {}
    in_place: dict[int, list[int]] = {}
    objects: dict[int, Any] = {}
    uses_pattern_properties = uses_unevaluated = False
    pending: list[tuple[Any, Any]] = [(schema, _registry(schema).resolver())]
    while pending:
        current, resolver = pending.pop()
        if not isinstance(current, dict) or id(current) in resolvers:
            continue
        if "$id" in current and current is not schema:
            resolver = resolver.in_subresource(DRAFT202012.create_resource(current))
        resolvers[id(current)] = resolver
        objects[id(current)] = current
        edges = in_place.setdefault(id(current), [])
        for keyword in ("$ref", "$dynamicRef"):
            reference = current.get(keyword)
            if not isinstance(reference, str):
                continue
            try:
                resolved = resolver.lookup(reference)
            except Unresolvable:
                raise fail(
                    f"refers to {reference!r}, which is not in the rule's own schema (a rule's schema may refer "
                    "only within itself; nothing is fetched or read)"
                ) from None
            pending.append((resolved.contents, resolved.resolver))
            edges.append(id(resolved.contents))
            objects[id(resolved.contents)] = resolved.contents
        for subschema, same_place in _subschemas(current):
            pending.append((subschema, resolver))
            if same_place:
                edges.append(id(subschema))
        if isinstance(current.get("pattern"), str):
            _check_pattern(current["pattern"], fail)
        if isinstance(current.get("patternProperties"), dict):
            uses_pattern_properties = True
            for pattern in current["patternProperties"]:
                _check_pattern(pattern, fail)
        uses_unevaluated = uses_unevaluated or "unevaluatedProperties" in current
    if uses_pattern_properties and uses_unevaluated:
        raise fail("uses `patternProperties` with `unevaluatedProperties`, which this tool does not support")
    _check_no_cycle(in_place, fail)


def _check_pattern(pattern: str, fail: Any) -> None:
    import re

    try:
        compile_bounded(pattern, limit=MAX_SCHEMA_SUBJECT)
    except re.error as error:
        raise fail(f"has the pattern {pattern!r}, which is not a valid regular expression: {error}") from None
    except UnsafePattern as error:
        raise fail(f"has the pattern {pattern!r}, which is refused: {error}") from None


def _check_no_cycle(edges: dict[int, list[int]], fail: Any) -> None:
    """No chain of references and in-place applicators comes back to where it started (iterative DFS)."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if state.get(start):
            continue
        stack = [(start, iter(edges.get(start, ())))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                raise fail(
                    "refers to itself without going deeper into the record (through `$ref`, `allOf`, `anyOf`, "
                    "`oneOf`, `not` or `if`): it would never finish"
                )
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(edges.get(child, ()))))


def check_rule(spec: CustomRuleSpec) -> tuple[Any, Any]:
    """The rule's two validators; `CustomRuleError` naming the rule when a schema cannot be used."""
    from jsonschema.exceptions import SchemaError

    validator_class = _validator_class()
    validators = []
    for part in ("when", "require"):
        schema = getattr(spec, part)
        try:
            validator_class.check_schema(schema)
        except SchemaError as error:
            raise CustomRuleError(f"rule {spec.code}: `{part}` is not a valid JSON Schema: {error.message}") from None
        except RecursionError:
            raise CustomRuleError(f"rule {spec.code}: `{part}` is nested too deeply") from None
        try:
            _check_schema(schema, part, spec.code)
        except RecursionError:
            raise CustomRuleError(f"rule {spec.code}: `{part}` is nested too deeply") from None
        validators.append(validator_class(schema, format_checker=_format_checker(), registry=_registry(schema)))
    return validators[0], validators[1]


def make_custom_rule(spec: CustomRuleSpec) -> type[Rule]:
    when, require = check_rule(spec)
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
        "_when": when,
        "_require": require,
    }
    severity: Severity = spec.severity
    attributes["severity"] = severity
    return type(f"CustomRule_{spec.code}", (CustomRule,), attributes)
