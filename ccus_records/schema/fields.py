"""Every dotted field of a record and the kind of value it holds, derived from the model.

`list --where`, `edit --set` and `report` type their values by these kinds, so that a score compares as a
number and a date as a date, and so that no command keeps a field list of its own.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from functools import cache
from typing import Any, Literal, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel

from ccus_records.errors import CcusRecordsError
from ccus_records.schema.dates import parse_iso_date


class FieldKind(NamedTuple):
    """What a leaf field holds: `string`, `integer`, `date`, `date-or-empty`, `choice` or `string-list`."""

    kind: Literal["string", "integer", "date", "date-or-empty", "choice", "string-list"]
    choices: tuple[str, ...] = ()

    @property
    def empty(self) -> Any:
        """The field's empty value, as `edit --unset` writes it."""
        return [] if self.kind == "string-list" else ""


def _kind_of(annotation: Any) -> FieldKind:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _kind_of(get_args(annotation)[0])
    if origin is Literal:
        return FieldKind("choice", tuple(str(choice) for choice in get_args(annotation)))
    if origin is list:
        return FieldKind("string-list")
    if origin in (Union, types.UnionType):
        members = set(get_args(annotation))
        if dt.date in members:
            return FieldKind("date-or-empty")
    if annotation is dt.date:
        return FieldKind("date")
    if annotation is int:
        return FieldKind("integer")
    return FieldKind("string")


def _walk(model: type[BaseModel], prefix: str, into: dict[str, FieldKind], groups: set[str]) -> None:
    for name, info in model.model_fields.items():
        dotted = f"{prefix}.{name}" if prefix else name
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            groups.add(dotted)
            _walk(annotation, dotted, into, groups)
        else:
            into[dotted] = _kind_of(info.rebuild_annotation() if hasattr(info, "rebuild_annotation") else annotation)


@cache
def record_fields() -> dict[str, FieldKind]:
    """Leaf fields in model order: `title`, `analysis.mrv.score`, `provenance.lastAuditDate`, ..."""
    from ccus_records.schema.model import Record

    leaves: dict[str, FieldKind] = {}
    _walk(Record, "", leaves, set())
    return leaves


@cache
def group_fields() -> frozenset[str]:
    """The fields that hold objects: `analysis`, `analysis.mrv`, `provenance`, ..."""
    from ccus_records.schema.model import Record

    groups: set[str] = set()
    _walk(Record, "", {}, groups)
    return frozenset(groups)


class FieldError(CcusRecordsError, ValueError):
    """A field name or value does not fit the record model."""


def field_kind(dotted: str) -> FieldKind:
    kinds = record_fields()
    if dotted not in kinds:
        close = [name for name in kinds if name.endswith(f".{dotted}") or dotted in name][:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise FieldError(f"unknown field {dotted!r}{hint}")
    return kinds[dotted]


def parse_value(dotted: str, text: str) -> Any:
    """A command-line value for a field, typed by the model: `55` for a score, `2024-01-15` for a date."""
    kind = field_kind(dotted)
    if kind.kind == "integer":
        try:
            return int(text.strip())
        except ValueError:
            raise FieldError(f"{dotted}: {text!r} is not an integer") from None
    if kind.kind in ("date", "date-or-empty"):
        if kind.kind == "date-or-empty" and text.strip() == "":
            return ""
        try:
            return parse_iso_date(text.strip()).isoformat()
        except ValueError:
            raise FieldError(f"{dotted}: {text!r} is not a date YYYY-MM-DD") from None
    if kind.kind == "choice" and text not in kind.choices:
        raise FieldError(f"{dotted}: {text!r} is not one of {', '.join(kind.choices)}")
    return text


def get_path(data: Any, dotted: str) -> Any:
    current = data
    for part in dotted.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current
