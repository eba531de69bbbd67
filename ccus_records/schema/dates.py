"""Calendar dates as records write them (`YYYY-MM-DD`), read without pydantic.

The record model (model.py) validates dates with this function, and so does the pre-check (precheck.py),
which must never need pydantic: one definition of a valid date for both.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(value: Any) -> dt.date:
    """A calendar date, from a `YYYY-MM-DD` string or (YAML's unquoted dates) a date object."""
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time is required (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar date") from None
    raise ValueError("a date YYYY-MM-DD is required")


def date_or_none(value: Any) -> dt.date | None:
    """The calendar date `value` holds, or None where it holds none (blank, malformed, out of the calendar)."""
    try:
        return parse_iso_date(value)
    except ValueError:
        return None
