"""A sound pre-check of the record model, written without pydantic: "surely valid", or "ask the model".

Building the pydantic model costs a hook run more than the rest of it (importing pydantic and building the
record's validators: about 0.15 s, against a budget of about 0.25 s for the whole run). Most records a hook
sees are valid, and for those the model's answer is known without it: every key present, no key more, every
value of exactly the right type. `surely_valid` says True only then; on anything else (a missing key, a
float score, a string subclass, a date out of the calendar) it says False and the caller asks the model,
which alone words the errors. It is never a second validator: a wrong True would hide a finding, so
tests/test_schema_precheck.py checks that its fields are the model's fields and that nothing it passes is
refused by the model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ccus_records.schema.dates import parse_iso_date
from ccus_records.schema.vocabulary import (
    ANALYSIS_DIMENSIONS,
    IMPACT_FIELDS,
    REGULATORY_FIELDS,
    REVIEW_STATUSES,
    STATUSES,
)

_STATUSES = frozenset(STATUSES)
_REVIEW_STATUSES = frozenset(REVIEW_STATUSES)


def _string(value: Any) -> bool:
    return type(value) is str


def _score(value: Any) -> bool:
    return type(value) is int and 0 <= value <= 100


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


def _status(value: Any) -> bool:
    return type(value) is str and value in _STATUSES


def _review_status(value: Any) -> bool:
    return type(value) is str and value in _REVIEW_STATUSES


Check = Callable[[Any], bool]
# The kind of each leaf, by the name tests compare with the model's (schema/fields.py).
KINDS: dict[Check, str] = {
    _string: "string",
    _score: "integer",
    _integer: "integer",
    _string_list: "string-list",
    _date: "date",
    _date_or_empty: "date-or-empty",
    _status: "choice",
    _review_status: "choice",
}

_DIMENSION: dict[str, Any] = {
    "auditNote": _string,
    "citation": _string,
    "evidence": _string,
    "label": _string,
    "score": _score,
}
# The record's shape: a mapping is a nested model (its keys exactly), anything else checks a leaf value.
SHAPE: dict[str, Any] = {
    "analysis": {name: _DIMENSION for name in ANALYSIS_DIMENSIONS},
    "category": _string,
    "country": _string,
    "description": _string,
    "evolution": {"clusters": _string_list, "supersededBy": _string, "supersedes": _string_list},
    "id": _string,
    "impactAnalysis": {name: _string for name in IMPACT_FIELDS},
    "interpretation": _string,
    "legalWeight": _string,
    "provenance": {"author": _string, "lastAuditDate": _date_or_empty, "reviewer": _string},
    "pubDate": _date,
    "regulatory": {name: _string for name in REGULATORY_FIELDS},
    "relatedFacilities": _string_list,
    "reviewStatus": _review_status,
    "sectors": _string_list,
    "source": _string,
    "status": _status,
    "title": _string,
    "year": _integer,
}


def _fits(value: Any, shape: dict[str, Any]) -> bool:
    if type(value) is not dict or value.keys() != shape.keys():
        return False
    for key, expected in shape.items():
        if type(expected) is dict:
            if not _fits(value[key], expected):
                return False
        elif not expected(value[key]):
            return False
    return True


def surely_valid(data: Any) -> bool:
    """True only when the record model accepts `data` (False: the model must be asked)."""
    return _fits(data, SHAPE)
