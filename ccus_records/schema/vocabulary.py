"""Closed sets of the record model and the default open vocabularies.

The closed sets (status, reviewStatus, analysis dimensions) are part of the schema: a value outside them
is invalid (S003). The open vocabularies (category, legalWeight) are configuration: a value outside them
is only unexpected (V001), because a corpus may extend them.
"""

from __future__ import annotations

STATUSES: tuple[str, ...] = ("Active", "Draft", "Proposed", "Superseded", "Repealed", "Expired")
REVIEW_STATUSES: tuple[str, ...] = ("draft", "pending", "verified", "rejected")
ANALYSIS_DIMENSIONS: tuple[str, ...] = ("incentive", "market", "mrv", "statutory", "strategic")
IMPACT_FIELDS: tuple[str, ...] = ("economic", "environmental", "technical")
REGULATORY_FIELDS: tuple[str, ...] = (
    "co2_definition",
    "cross_border_rules",
    "financial_assurance",
    "liability_period",
    "liability_transfer",
    "permitting_lead_time",
    "pore_space_rights",
)

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
