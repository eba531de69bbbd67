"""The small corpus the report tests count by hand (see test_report_figures.py for the arithmetic)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import clean_record, write_record

CITATIONS = {f"analysis.{name}.citation": "" for name in ("incentive", "market", "mrv", "statutory", "strategic")}


def write_corpus(folder: Path) -> dict[str, Path]:
    """Four records; with the default coverage fields (18) they fill 17, 15, 17 and 12 of them."""
    records = {
        # Clean but for `interpretation` (a clean record leaves it empty): 17 of 18. Audited 61 days ago.
        "us-alpha-2020": clean_record("us-alpha-2020"),
        # No interpretation, no mrv citation or evidence: 15 of 18. Pending, unreviewed, audited 548 days ago.
        "us-beta-2020": clean_record(
            "us-beta-2020",
            **{
                "category": "Fiscal",
                "analysis.mrv.citation": "",
                "analysis.mrv.evidence": "",
                "reviewStatus": "pending",
                "provenance.reviewer": "",
                "provenance.lastAuditDate": "2025-06-01",
            },
        ),
        # Interpretation filled, source empty: 17 of 18. Self-reviewed, never audited, one A007 contradiction.
        "cn-gamma-2020": clean_record(
            "cn-gamma-2020",
            **{
                "country": "China",
                "interpretation": "Read with the 2021 notice.",
                "source": "",
                "provenance.reviewer": "a. curator ",
                "provenance.lastAuditDate": "",
                "analysis.incentive.label": "Not specified",
                "analysis.incentive.score": 40,
            },
        ),
        # No interpretation and no citation at all: 12 of 18. Reviewed by someone else; audit dated in the future.
        "cn-delta-2020": clean_record(
            "cn-delta-2020",
            **{"country": "China", "provenance.reviewer": "C. Checker", "provenance.lastAuditDate": "2027-01-01"},
            **CITATIONS,
        ),
    }
    return {record_id: write_record(folder, data) for record_id, data in records.items()}
