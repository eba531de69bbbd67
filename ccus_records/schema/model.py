"""The record model: the single source of truth for what a valid record is.

Validation is strict (no coercion of "50" to 50 or of true to 1), so that the model and the exported JSON
Schema accept exactly the same documents. Unknown keys are forbidden here and reported as S005 by lint.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from ccus_records.schema.dates import parse_iso_date
from ccus_records.schema.vocabulary import REVIEW_STATUSES, STATUSES

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
Score = Annotated[int, Field(ge=0, le=100), BeforeValidator(_integral)]
Year = Annotated[int, BeforeValidator(_integral)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Dimension(_Strict):
    auditNote: str
    citation: str
    evidence: str
    label: str
    score: Score


class Analysis(_Strict):
    incentive: Dimension
    market: Dimension
    mrv: Dimension
    statutory: Dimension
    strategic: Dimension


class ImpactAnalysis(_Strict):
    economic: str
    environmental: str
    technical: str


class Regulatory(_Strict):
    co2_definition: str
    cross_border_rules: str
    financial_assurance: str
    liability_period: str
    liability_transfer: str
    permitting_lead_time: str
    pore_space_rights: str


class Evolution(_Strict):
    clusters: list[str]
    supersededBy: str = Field(description='The id of the record that replaces this one, or "".')
    supersedes: list[str] = Field(description="The ids of the records this one replaces.")


class Provenance(_Strict):
    author: str
    lastAuditDate: IsoDateOrEmpty
    reviewer: str


Status = Literal["Active", "Draft", "Proposed", "Superseded", "Repealed", "Expired"]
ReviewStatus = Literal["draft", "pending", "verified", "rejected"]


class Record(_Strict):
    """One CCUS policy record: the front matter of a record file."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        title="CCUS policy record",
        json_schema_extra={"$comment": "Generated from ccus_records.schema.model; do not edit by hand."},
    )

    analysis: Analysis
    category: str
    country: str
    description: str
    evolution: Evolution
    id: str
    impactAnalysis: ImpactAnalysis
    interpretation: str
    legalWeight: str
    provenance: Provenance
    pubDate: IsoDate
    regulatory: Regulatory
    relatedFacilities: list[str]
    reviewStatus: ReviewStatus
    sectors: list[str]
    source: str
    status: Status
    title: str
    year: Year


assert set(STATUSES) == set(Status.__args__)  # type: ignore[attr-defined]
assert set(REVIEW_STATUSES) == set(ReviewStatus.__args__)  # type: ignore[attr-defined]
