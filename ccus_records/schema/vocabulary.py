"""Closed sets of the record model and the default open vocabularies.

The closed sets (status, reviewStatus, analysis dimensions, impact and regulatory fields) are part of the
schema and read from its table (table.py): a value outside them is invalid (S003). The open vocabularies
(category, legalWeight) are configuration: a value outside them is only unexpected (V001), because a corpus
may extend them.
"""

from __future__ import annotations

from ccus_records.schema.table import Group, member


def _choices(dotted: str) -> tuple[str, ...]:
    field = member(dotted)
    if isinstance(field, Group) or field.kind != "choice":
        raise TypeError(f"{dotted} is not a choice field of the table")
    return field.choices


def _names(dotted: str) -> tuple[str, ...]:
    field = member(dotted)
    if not isinstance(field, Group):
        raise TypeError(f"{dotted} is not a group of the table")
    return tuple(field.fields)


STATUSES: tuple[str, ...] = _choices("status")
REVIEW_STATUSES: tuple[str, ...] = _choices("reviewStatus")
ANALYSIS_DIMENSIONS: tuple[str, ...] = _names("analysis")
IMPACT_FIELDS: tuple[str, ...] = _names("impactAnalysis")
REGULATORY_FIELDS: tuple[str, ...] = _names("regulatory")

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "Regulatory",
    "Fiscal",
    "Legislative",
    "Market",
    "Strategic",
    "Standard",
    "Funding",
)
DEFAULT_LEGAL_WEIGHTS: tuple[str, ...] = (
    "Statute/Law",
    "Regulation",
    "Guideline/Policy",
    "Strategy/Plan",
    "Standard",
    "Executive Order",
    "International Agreement",
)
DEFAULT_ABSENCE_LABELS: tuple[str, ...] = (
    "Not specified",
    "Undefined",
    "None",
    "N/A",
    "Not applicable",
    "Unknown",
    "Absent",
)
DEFAULT_MACHINE_AUTHORS: tuple[str, ...] = (
    "Gemini",
    "GPT",
    "ChatGPT",
    "Claude",
    "Copilot",
    "Llama",
    "Mistral",
    "LLM",
    "AI",
)

# Jurisdictions that are not ISO 3166 countries, and the id prefix each takes.
EXTRA_JURISDICTIONS: dict[str, str] = {"european union": "eu", "international": "int"}
# Prefixes accepted besides the ISO alpha-2 code (the UK's ISO code is GB, but "uk" is what people write).
EXTRA_PREFIXES: dict[str, str] = {"GB": "uk"}
