"""`--where FIELD OP VALUE`: conditions on records, typed by the record model.

Operators: `=` `!=` `<` `<=` `>` `>=` and `~` (case-insensitive substring). Numbers compare as numbers and
dates as dates; on a list field, `=` and `~` hold when some item matches, and `FIELD=` when it is empty.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ccus_records.errors import CcusRecordsError
from ccus_records.schema.dates import date_or_none, parse_iso_date
from ccus_records.schema.fields import FieldError, FieldKind, field_kind, get_path

OPERATORS = ("<=", ">=", "!=", "=", "<", ">", "~")
_CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|!=|=|<|>|~)(.*)$", re.DOTALL)


class QueryError(CcusRecordsError, ValueError):
    """A `--where` expression that cannot be used; the message says why."""


class Condition(NamedTuple):
    field: str
    operator: str
    value: Any  # typed: int, date, str, or "" for "empty"
    kind: FieldKind
    text: str

    def __str__(self) -> str:
        return self.text


def parse_condition(expression: str) -> Condition:
    match = _CONDITION.match(expression)
    if match is None:
        raise QueryError(f"--where {expression!r}: expected FIELD OP VALUE with OP one of {' '.join(OPERATORS)}")
    dotted, operator, raw = match.group(1), match.group(2), match.group(3).strip()
    try:
        kind = field_kind(dotted)
    except FieldError as error:
        raise QueryError(f"--where {expression!r}: {error}") from None
    value: Any = raw
    ordered = operator in ("<", "<=", ">", ">=")
    if kind.kind == "string-list" and ordered:
        raise QueryError(f"--where {expression!r}: {dotted} is a list; use = or ~")
    if kind.kind == "integer":
        try:
            value = int(raw)
        except ValueError:
            raise QueryError(f"--where {expression!r}: {dotted} is a number; {raw!r} is not") from None
    elif kind.kind in ("date", "date-or-empty") and (raw or ordered):
        try:
            value = parse_iso_date(raw)
        except ValueError:
            raise QueryError(f"--where {expression!r}: {dotted} is a date; {raw!r} is not YYYY-MM-DD") from None
    elif kind.kind == "choice" and operator in ("=", "!=") and raw and raw not in kind.choices:
        raise QueryError(f"--where {expression!r}: {dotted} is one of {', '.join(kind.choices)}")
    return Condition(dotted, operator, value, kind, expression.strip())


def _typed(value: Any, kind: FieldKind) -> Any:
    if kind.kind in ("date", "date-or-empty") and isinstance(value, str) and value.strip():
        return date_or_none(value)
    return value


def _compare(actual: Any, operator: str, wanted: Any) -> bool:
    if operator == "~":
        return isinstance(actual, str) and str(wanted).casefold() in actual.casefold()
    if operator == "=":
        if isinstance(actual, str) and isinstance(wanted, str):
            return actual.strip() == wanted.strip()
        return bool(actual == wanted)
    if operator == "!=":
        if isinstance(actual, str) and isinstance(wanted, str):
            return actual.strip() != wanted.strip()
        return bool(actual != wanted)
    if type(actual) is not type(wanted) or isinstance(actual, bool):
        return False
    if operator == "<":
        return bool(actual < wanted)
    if operator == "<=":
        return bool(actual <= wanted)
    if operator == ">":
        return bool(actual > wanted)
    return bool(actual >= wanted)


def matches(data: dict[str, Any], condition: Condition) -> bool:
    actual = get_path(data, condition.field)
    if condition.kind.kind == "string-list":
        items = actual if isinstance(actual, list) else []
        if condition.value == "":
            return (not items) if condition.operator == "=" else bool(items)
        hit = any(_compare(item, "~" if condition.operator == "~" else "=", condition.value) for item in items)
        return hit if condition.operator in ("=", "~") else not hit
    if condition.value == "" and condition.operator in ("=", "!="):
        empty = actual is None or (isinstance(actual, str) and not actual.strip())
        return empty if condition.operator == "=" else not empty
    typed = _typed(actual, condition.kind)
    if typed is None:
        return condition.operator == "!="
    return _compare(typed, condition.operator, condition.value)


def matches_all(data: dict[str, Any], conditions: list[Condition]) -> bool:
    return all(matches(data, condition) for condition in conditions)
