"""A sound pre-check of the record model, written without pydantic: "surely valid", or "ask the model".

Building the pydantic model costs a hook run more than the rest of it (importing pydantic and building the
record's validators: about 0.15 s, against a budget of about 0.25 s for the whole run). Most records a hook
sees are valid, and for those the model's answer is known without it: every key present, no key more, every
value of exactly the right type. `surely_valid` says True only then; on anything else (a missing key, a
float score, a string subclass, a date out of the calendar) it says False and the caller asks the model,
which alone words the errors. It is never a second validator: a wrong True would hide a finding, so
tests/test_schema_precheck.py checks that nothing it passes is refused by the model.

Its shape is built from the table of fields (table.py) that the model is built from, so a field added there
is checked here too, without pydantic: each leaf becomes an exact-type check of its kind.
tests/test_schema_single_source.py holds the model equal to the table, field for field and kind for kind.

One kind of error it does know: a record right in every field but holding keys the model does not define
(S005's findings). `unknown_keys` lists where they are, in the model's order, and the caller words them as
the model does; the tests hold the result equal to the model's errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ccus_records.schema.dates import parse_iso_date
from ccus_records.schema.table import RECORD, Group, Leaf


def _string(value: Any) -> bool:
    return type(value) is str


def _integer(value: Any) -> bool:
    return type(value) is int


def _string_list(value: Any) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def _date(value: Any) -> bool:
    # Exact types only (a datetime is a date subclass, and refused), then the model's own date parser.
    if type(value) is not str and type(value) is not dt.date:
        return False
    try:
        parse_iso_date(value)
    except ValueError:
        return False
    return True


def _date_or_empty(value: Any) -> bool:
    return (value == "" and type(value) is str) or _date(value)


Check = Callable[[Any], bool]
# The kind of each leaf's check, by the name tests compare with the model's (schema/fields.py).
KINDS: dict[Check, str] = {
    _string: "string",
    _integer: "integer",
    _string_list: "string-list",
    _date: "date",
    _date_or_empty: "date-or-empty",
}
_PLAIN: dict[str, Check] = {kind: check for check, kind in KINDS.items()}


def _bounded(minimum: int | None, maximum: int | None) -> Check:
    if minimum is not None and maximum is not None:
        low, high = minimum, maximum

        def within(value: Any) -> bool:
            return type(value) is int and low <= value <= high

        return within

    def check(value: Any) -> bool:
        return type(value) is int and (minimum is None or minimum <= value) and (maximum is None or value <= maximum)

    return check


def _one_of(choices: tuple[str, ...]) -> Check:
    allowed = frozenset(choices)

    def check(value: Any) -> bool:
        return type(value) is str and value in allowed

    return check


def _check(leaf: Leaf) -> Check:
    if leaf.kind == "choice":
        check = _one_of(leaf.choices)
    elif leaf.kind == "integer" and (leaf.minimum is not None or leaf.maximum is not None):
        check = _bounded(leaf.minimum, leaf.maximum)
    else:
        return _PLAIN[leaf.kind]
    KINDS[check] = leaf.kind
    return check


def _shape(group: Group, made: dict[int, dict[str, Any]]) -> dict[str, Any]:
    if id(group) not in made:  # a group used in several places (an analysis dimension) is one shape
        made[id(group)] = {
            name: _shape(field, made) if isinstance(field, Group) else _check(field)
            for name, field in group.fields.items()
        }
    return made[id(group)]


# The record's shape: a mapping is a nested model (its keys exactly), anything else checks a leaf value.
SHAPE: dict[str, Any] = _shape(RECORD, {})


# How the model words an unknown key (pydantic's `extra_forbidden`); the tests compare it with the model's.
EXTRA_FORBIDDEN = "Extra inputs are not permitted"


def _fits(value: Any, shape: dict[str, Any], location: tuple[str, ...], unknown: list[tuple[str, ...]]) -> bool:
    """Whether `value` fits `shape` but for unknown keys, whose locations are added to `unknown`."""
    if type(value) is not dict:
        return False
    keys = value.keys()
    extra: list[Any] = []
    if keys != shape.keys():
        if not keys >= shape.keys():
            return False  # a key is missing: the model words that
        extra = [key for key in value if key not in shape]
    for key, expected in shape.items():
        if type(expected) is dict:
            if not _fits(value[key], expected, (*location, key), unknown):
                return False
        elif not expected(value[key]):
            return False
    # The model checks every field first, then the keys it does not know, in the order they were written.
    for key in extra:
        if type(key) is not str:
            return False
        unknown.append((*location, key))
    return True


def unknown_keys(data: Any) -> list[tuple[str, ...]] | None:
    """Where `data` holds keys the model does not define, when every field it defines is right ([] when the
    model accepts it); None when anything else may be wrong and the model must be asked."""
    unknown: list[tuple[str, ...]] = []
    return unknown if _fits(data, SHAPE, (), unknown) else None


def surely_valid(data: Any) -> bool:
    """True only when the record model accepts `data` (False: the model must be asked)."""
    return unknown_keys(data) == []
