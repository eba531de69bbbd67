"""Every dotted field of a record and the kind of value it holds, derived from the table of fields.

`list --where`, `edit --set` and `report` type their values by these kinds, so that a score compares as a
number and a date as a date, and so that no command keeps a field list of its own. The table (table.py) is
the one the model is built from, so reading it here needs no pydantic.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from ccus_records.errors import CcusRecordsError
from ccus_records.schema.dates import parse_iso_date
from ccus_records.schema.table import Kind, groups, leaves


class FieldKind(NamedTuple):
    """What a leaf field holds: `string`, `integer`, `date`, `date-or-empty`, `choice` or `string-list`."""

    kind: Kind
    choices: tuple[str, ...] = ()

    @property
    def empty(self) -> Any:
        """The field's empty value, as `edit --unset` writes it."""
        return [] if self.kind == "string-list" else ""


@cache
def record_fields() -> dict[str, FieldKind]:
    """Leaf fields in model order: `title`, `analysis.mrv.score`, `provenance.lastAuditDate`, ..."""
    return {dotted: FieldKind(leaf.kind, leaf.choices) for dotted, leaf in leaves()}


@cache
def group_fields() -> frozenset[str]:
    """The fields that hold objects: `analysis`, `analysis.mrv`, `provenance`, ..."""
    return frozenset(dotted for dotted, _ in groups())


class FieldError(CcusRecordsError, ValueError):
    """A field name or value does not fit the record model."""


def field_kind(dotted: str) -> FieldKind:
    kinds = record_fields()
    if dotted not in kinds:
        from ccus_records.suggest import hint

        raise FieldError(f"unknown field {dotted!r}{hint(dotted, kinds)}")
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
        from ccus_records.suggest import hint

        raise FieldError(f"{dotted}: {text!r} is not one of {', '.join(kind.choices)}{hint(text, kind.choices)}")
    return text


def get_path(data: Any, dotted: str) -> Any:
    current = data
    for part in dotted.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current
