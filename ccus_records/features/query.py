"""`--where FIELD OP VALUE`: conditions on records, typed by the record model.

Operators: `=` (or `==`) `!=` `<` `<=` `>` `>=` and `~` (case-insensitive substring). Numbers compare as
numbers and dates as dates; on a list field, `=` and `~` hold when some item matches, and `FIELD=` when it
is empty.

The fields whose values come from a vocabulary (country, category, legalWeight, status, reviewStatus) are
compared by `=` and `!=` as the linter reads them: in any case, and a country by any of its names or its ISO
codes (`country=CN` is `country=China`). A value that is neither in the field's vocabulary nor the value of
any record searched is an error with the closest values (`check_values`), never a filter that silently
matches nothing, or everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from ccus_records.errors import CcusRecordsError
from ccus_records.schema.dates import date_or_none, parse_iso_date
from ccus_records.schema.fields import FieldError, FieldKind, field_kind, get_path
from ccus_records.suggest import hint

OPERATORS = ("<=", ">=", "!=", "=", "<", ">", "~")
_CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|!=|==|=|<|>|~)(.*)$", re.DOTALL)
# The fields whose values come from a vocabulary: the schema's (status, reviewStatus), the configuration's
# (category, legalWeight), ISO 3166's (country).
VOCABULARY_FIELDS: tuple[str, ...] = ("country", "category", "legalWeight", "status", "reviewStatus")


class QueryError(CcusRecordsError, ValueError):
    """A `--where` expression that cannot be used; the message says why."""


class Condition(NamedTuple):
    field: str
    operator: str
    value: Any  # typed: int, date, str, or "" for "empty"
    kind: FieldKind
    text: str
    key: str | None = None  # a vocabulary field's value for `=` and `!=`, as `value_key` spells it

    def __str__(self) -> str:
        return self.text


def value_key(dotted: str, value: str) -> str:
    """A vocabulary field's value as `=` compares it: a country's ISO code for any of its names and codes,
    any other value case-folded."""
    if dotted == "country":
        from ccus_records.schema.countries import jurisdiction_key

        return jurisdiction_key(value) or value.strip().casefold()
    return value.strip().casefold()


def parse_condition(expression: str) -> Condition:
    match = _CONDITION.match(expression)
    if match is None:
        raise QueryError(f"--where {expression!r}: expected FIELD OP VALUE with OP one of {' '.join(OPERATORS)}")
    dotted, operator, raw = match.group(1), match.group(2).replace("==", "="), match.group(3).strip()
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
    key = value_key(dotted, raw) if dotted in VOCABULARY_FIELDS and operator in ("=", "!=") and raw else None
    return Condition(dotted, operator, value, kind, expression.strip(), key)


def check_values(
    conditions: Sequence[Condition],
    records: Iterable[dict[str, Any]],
    categories: Sequence[str],
    legal_weights: Sequence[str],
) -> None:
    """Refuse a vocabulary field's value that no record searched can have: neither in the field's vocabulary
    (`categories` and `legal_weights` as configured) nor the value of one of `records`. `=` with it would
    match nothing and `!=` everything; the error names the closest values instead."""
    asked = [condition for condition in conditions if condition.key is not None]
    if not asked:
        return
    from ccus_records.schema.vocabulary import REVIEW_STATUSES, STATUSES

    vocabulary: dict[str, Sequence[str]] = {
        "category": categories,
        "legalWeight": legal_weights,
        "status": STATUSES,
        "reviewStatus": REVIEW_STATUSES,
    }
    searched = list(records)
    for condition in asked:
        field = condition.field
        if field == "country":
            from ccus_records.schema.countries import country_names, jurisdiction_key

            allowed: Sequence[str] = country_names()
            if jurisdiction_key(condition.value) is not None:
                continue
            what = "a country name"
        else:
            allowed = vocabulary[field]
            if condition.key in {value_key(field, value) for value in allowed}:
                continue
            what = f"one of {', '.join(allowed)}" if allowed else f"in the {field} vocabulary (empty)"
        held = [value for data in searched if isinstance(value := get_path(data, field), str) and value.strip()]
        if condition.key in {value_key(field, value) for value in held}:
            continue
        outcome = "no record can match" if condition.operator == "=" else "every record matches"
        close = hint(condition.value, (*allowed, *sorted(set(held))))
        raise QueryError(
            f"--where {condition.text!r}: {outcome}: {condition.value.strip()!r} is not {what}, "
            f"nor the {field} of any record{close}"
        )


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
    if condition.key is not None:
        same = isinstance(actual, str) and value_key(condition.field, actual) == condition.key
        return same if condition.operator == "=" else not same
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
