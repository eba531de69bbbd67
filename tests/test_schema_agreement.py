"""The exported JSON Schema accepts exactly the documents the model accepts (property-based)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from ccus_records.schema.export import record_json_schema
from ccus_records.schema.fields import group_fields, record_fields
from ccus_records.schema.model import Record
from tests.helpers import clean_record

VALIDATOR = Draft202012Validator(record_json_schema(), format_checker=FormatChecker())

TRICKY_VALUES = [
    "",
    "  ",
    "text",
    "2024-01-15",
    "2024-02-30",
    "2024-1-5",
    "20240115",
    "2024-01-15T00:00:00",
    "٢٠٢٤-٠١-١٥",
    "2024-01-15\n",
    "verified",
    "Active",
    "approved",
    0,
    40,
    100,
    101,
    -1,
    40.0,
    40.5,
    True,
    False,
    None,
    [],
    ["a"],
    [1],
    {},
    {"x": 1},
    10**30,
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)
FIELD_PATHS = sorted([*record_fields(), *group_fields()])


def _set(data: dict[str, Any], dotted: str, value: Any, delete: bool = False) -> None:
    parts = dotted.split(".")
    target: Any = data
    for part in parts[:-1]:
        if not isinstance(target, dict) or part not in target:
            return
        target = target[part]
    if not isinstance(target, dict):
        return
    if delete:
        target.pop(parts[-1], None)
    else:
        target[parts[-1]] = value


mutation = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(FIELD_PATHS), st.sampled_from(TRICKY_VALUES) | json_values),
    st.tuples(st.just("delete"), st.sampled_from(FIELD_PATHS), st.none()),
    st.tuples(st.just("extra"), st.sampled_from(["", *sorted(group_fields())]), st.text(min_size=1, max_size=6)),
)


def model_accepts(document: Any) -> bool:
    try:
        Record.model_validate(document)
    except Exception:
        return False
    return True


def schema_accepts(document: Any) -> bool:
    return VALIDATOR.is_valid(document)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, max_size=4))
def test_model_and_schema_agree_on_mutated_records(mutations: list[tuple[str, str, Any]]) -> None:
    document = clean_record()
    for kind, dotted, value in mutations:
        if kind == "set":
            _set(document, dotted, copy.deepcopy(value))
        elif kind == "delete":
            _set(document, dotted, None, delete=True)
        else:
            _set(document, f"{dotted}.{value}" if dotted else value, "extra")
    # The schema sees what a JSON file holds: round-trip through JSON as the reader does.
    document = json.loads(json.dumps(document))
    event("valid" if model_accepts(document) else "invalid")
    assert model_accepts(document) == schema_accepts(document), json.dumps(document)[:500]


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_model_and_schema_agree_on_arbitrary_json(document: Any) -> None:
    assert model_accepts(document) == schema_accepts(document)


def test_clean_record_is_valid_for_both() -> None:
    assert model_accepts(clean_record()) and schema_accepts(clean_record())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_fast_canonical_json_equals_json_dumps(document: dict[str, Any]) -> None:
    from ccus_records.recordfile.canonical import canonical_json

    assert canonical_json(document) == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
