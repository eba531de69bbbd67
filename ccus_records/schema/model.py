"""The record model, built from the table of fields (table.py): what a valid record is.

Validation is strict (no coercion of "50" to 50 or of true to 1), so that the model and the exported JSON
Schema accept exactly the same documents. Unknown keys are forbidden here and reported as S005 by lint.

The fields themselves are in table.py, which the pre-commit hook's pre-check reads without pydantic (see
that module's docstring); this module only says which pydantic annotation each kind of field becomes and
makes one model per group of the table: `Record`, `Analysis`, `Dimension`, ... as before, and with the
same JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema, create_model

from ccus_records.schema.dates import parse_iso_date
from ccus_records.schema.table import RECORD, Group, Leaf

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _date_or_empty(value: Any) -> dt.date | str:
    if value == "":
        return ""
    return parse_iso_date(value)


def _integral(value: Any) -> Any:
    # JSON Schema counts 40.0 as an integer; so does the model, to agree with every schema tool.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _date_text(value: dt.date | str) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value


_DATE_SCHEMA: dict[str, Any] = {"type": "string", "format": "date", "pattern": DATE_PATTERN}

IsoDate = Annotated[
    dt.date,
    BeforeValidator(parse_iso_date),
    PlainSerializer(_date_text, return_type=str),
    WithJsonSchema(_DATE_SCHEMA),
]
IsoDateOrEmpty = Annotated[
    dt.date | str,
    BeforeValidator(_date_or_empty),
    PlainSerializer(_date_text, return_type=str),
    WithJsonSchema({"anyOf": [{"const": ""}, _DATE_SCHEMA]}),
]
Integer = Annotated[int, BeforeValidator(_integral)]


def annotation(leaf: Leaf) -> Any:
    """The pydantic annotation of a leaf of the table."""
    if leaf.kind == "string":
        return str
    if leaf.kind == "string-list":
        return list[str]
    if leaf.kind == "date":
        return IsoDate
    if leaf.kind == "date-or-empty":
        return IsoDateOrEmpty
    if leaf.kind == "choice":
        return Literal[leaf.choices]
    if leaf.minimum is None and leaf.maximum is None:
        return Integer
    return Annotated[int, Field(ge=leaf.minimum, le=leaf.maximum), BeforeValidator(_integral)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _RecordBase(_Strict):
    model_config = ConfigDict(
        title="CCUS policy record",
        json_schema_extra={"$comment": "Generated from ccus_records.schema.model; do not edit by hand."},
    )


def _model(
    group: Group, base: type[BaseModel], doc: str | None, made: dict[str, tuple[Group, type[BaseModel]]]
) -> type[BaseModel]:
    if group.name in made:  # a group used in several places (an analysis dimension) is one model
        known, built = made[group.name]
        if known is not group:
            raise TypeError(f"two different groups of the table are named {group.name}")
        return built
    definitions: dict[str, Any] = {}
    for name, field in group.fields.items():
        if isinstance(field, Group):
            definitions[name] = (_model(field, _Strict, None, made), ...)
        elif field.description is not None:
            definitions[name] = (annotation(field), Field(description=field.description))
        else:
            definitions[name] = (annotation(field), ...)
    model: type[BaseModel] = create_model(group.name, __base__=base, __doc__=doc, __module__=__name__, **definitions)
    made[group.name] = (group, model)
    return model


_MODELS: dict[str, tuple[Group, type[BaseModel]]] = {}
Record = _model(RECORD, _RecordBase, "One CCUS policy record: the front matter of a record file.", _MODELS)
