"""The record model's verdict on a record's data, and where in the data each complaint points."""

from __future__ import annotations

from typing import Any


def dotted_location(location: tuple[Any, ...]) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text = f"{text}.{part}" if text else str(part)
    return text


def validation_errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The record model's complaints about `data`, as pydantic reports them (empty when valid)."""
    from ccus_records.schema.precheck import EXTRA_FORBIDDEN, unknown_keys

    # Where the model's answer is known, building the model (more than a hook run's budget) is not needed.
    unknown = unknown_keys(data)
    if unknown is not None:
        return [{"type": "extra_forbidden", "loc": location, "msg": EXTRA_FORBIDDEN} for location in unknown]
    from pydantic import ValidationError

    from ccus_records.schema.model import Record

    try:
        Record.model_validate(data)
    except ValidationError as error:
        return [dict(item) for item in error.errors(include_url=False, include_input=False)]
    return []
