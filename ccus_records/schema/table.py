"""The record's fields, in one plain-data table: the one place a field is added, renamed or removed.

Everything else that knows the record's shape is built from `RECORD` below: the pydantic model
(model.py), the JSON Schema it exports (export.py), the fast pre-check that spares a hook run the model
(precheck.py), the dotted field list and kinds that `list`, `edit` and `report` use (fields.py), the closed
vocabularies (vocabulary.py), `show`'s layout (render/show_text.py) and the tests' clean records.

Why a table and not the model itself: the pre-commit hook must not import pydantic (building the model
costs a hook run more than the rest of it; see precheck.py), yet the pre-check must know every field. A
table in plain Python serves both without a generated copy to keep in step: model.py turns each entry into
a pydantic annotation, and precheck.py into an exact-type check. Importing this module costs next to
nothing and imports nothing outside the standard library.

A group is a nested object (a pydantic model of that name, a `$defs` entry of the JSON Schema); a leaf is a
value of one kind. Every field is required and no other key is allowed. The order of a group's fields is
the model's order: fields are listed, reported and checked in it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

Kind = Literal["string", "integer", "date", "date-or-empty", "choice", "string-list"]


class Leaf:
    """A field holding one value of one kind.

    `choices` closes a `choice` field's set; `minimum` and `maximum` bound an `integer`. `prose` marks long
    free text, which `show` sets as a paragraph (and leaves out when empty) rather than as a row of a grid.
    """

    # A plain class: a NamedTuple costs the hook about 0.2 ms to define, a dataclass its import besides.
    __slots__ = ("choices", "description", "kind", "maximum", "minimum", "prose")

    def __init__(
        self,
        kind: Kind,
        choices: tuple[str, ...] = (),
        minimum: int | None = None,
        maximum: int | None = None,
        prose: bool = False,
        description: str | None = None,
    ) -> None:
        self.kind: Kind = kind
        self.choices = choices
        self.minimum = minimum
        self.maximum = maximum
        self.prose = prose
        self.description = description

    def __repr__(self) -> str:
        return f"Leaf({self.kind!r})"


class Group:
    """A field holding an object: `name` is its model's name (and its JSON Schema definition's)."""

    __slots__ = ("fields", "name")

    def __init__(self, name: str, fields: Mapping[str, Field]) -> None:
        self.name = name
        self.fields = fields

    def __repr__(self) -> str:
        return f"Group({self.name!r})"


Field = Leaf | Group


STRING = Leaf("string")
PROSE = Leaf("string", prose=True)
STRING_LIST = Leaf("string-list")
INTEGER = Leaf("integer")
SCORE = Leaf("integer", minimum=0, maximum=100)
DATE = Leaf("date")
DATE_OR_EMPTY = Leaf("date-or-empty")


def choice(*choices: str) -> Leaf:
    return Leaf("choice", choices)


DIMENSION = Group(
    "Dimension",
    {
        "auditNote": PROSE,
        "citation": STRING,
        "evidence": STRING,
        "label": STRING,
        "score": SCORE,
    },
)

RECORD = Group(
    "Record",
    {
        "analysis": Group(
            "Analysis",
            {
                "incentive": DIMENSION,
                "market": DIMENSION,
                "mrv": DIMENSION,
                "statutory": DIMENSION,
                "strategic": DIMENSION,
            },
        ),
        "category": STRING,
        "country": STRING,
        "description": PROSE,
        "evolution": Group(
            "Evolution",
            {
                "clusters": STRING_LIST,
                "supersededBy": Leaf("string", description='The id of the record that replaces this one, or "".'),
                "supersedes": Leaf("string-list", description="The ids of the records this one replaces."),
            },
        ),
        "id": STRING,
        "impactAnalysis": Group(
            "ImpactAnalysis",
            {
                "economic": PROSE,
                "environmental": PROSE,
                "technical": PROSE,
            },
        ),
        "interpretation": PROSE,
        "legalWeight": STRING,
        "provenance": Group(
            "Provenance",
            {
                "author": STRING,
                "lastAuditDate": DATE_OR_EMPTY,
                "reviewer": STRING,
            },
        ),
        "pubDate": DATE,
        "regulatory": Group(
            "Regulatory",
            {
                "co2_definition": PROSE,
                "cross_border_rules": PROSE,
                "financial_assurance": PROSE,
                "liability_period": PROSE,
                "liability_transfer": PROSE,
                "permitting_lead_time": PROSE,
                "pore_space_rights": PROSE,
            },
        ),
        "relatedFacilities": STRING_LIST,
        "reviewStatus": choice("draft", "pending", "verified", "rejected"),
        "sectors": STRING_LIST,
        "source": STRING,
        "status": choice("Active", "Draft", "Proposed", "Superseded", "Repealed", "Expired"),
        "title": STRING,
        "year": INTEGER,
    },
)


def leaves(group: Group = RECORD, prefix: str = "") -> Iterator[tuple[str, Leaf]]:
    """Every leaf under `group` with its dotted name, in the model's order."""
    for name, field in group.fields.items():
        dotted = f"{prefix}.{name}" if prefix else name
        if isinstance(field, Group):
            yield from leaves(field, dotted)
        else:
            yield dotted, field


def groups(group: Group = RECORD, prefix: str = "") -> Iterator[tuple[str, Group]]:
    """Every group under `group` with its dotted name, in the model's order."""
    for name, field in group.fields.items():
        if isinstance(field, Group):
            dotted = f"{prefix}.{name}" if prefix else name
            yield dotted, field
            yield from groups(field, dotted)


def member(dotted: str) -> Field:
    """The field at a dotted name (`analysis.mrv`, `status`); KeyError when the record has none."""
    field: Field = RECORD
    for part in dotted.split("."):
        if not isinstance(field, Group):
            raise KeyError(dotted)
        field = field.fields[part]
    return field
