"""The small corpus the report tests count, and its figures, worked out from the schema's coverage fields.

Every record is clean but for the coverage fields MISSING lists (a clean record leaves `interpretation`
empty). With C coverage fields (`default_coverage_fields()`: every top-level string field, then evidence
and citation of each analysis dimension) and D analysis dimensions, the records fill:

    record          country        category    fills   missing coverage fields
    us-alpha-2020   United States  Regulatory  C - 1   interpretation
    us-beta-2020    United States  Fiscal      C - 3   interpretation, mrv.citation, mrv.evidence
    cn-gamma-2020   China          Regulatory  C - 1   source
    cn-delta-2020   China          Regulatory  C - 1 - D  interpretation, every citation

So overall coverage is (4C - 6 - D) of 4C cells, the United States' (2C - 4) of 2C, China's (2C - 2 - D) of
2C, Regulatory's (3C - 3 - D) of 3C, Fiscal's (C - 3) of C, and the citations' (3D - 1) of 4D. `coverage`
works each of these out, so that no figure in the tests is a number the schema decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ccus_records.features.report import default_coverage_fields
from ccus_records.schema.vocabulary import ANALYSIS_DIMENSIONS
from tests.helpers import clean_record, write_record

CITATIONS = {f"analysis.{name}.citation": "" for name in ANALYSIS_DIMENSIONS}
COVERAGE: tuple[str, ...] = default_coverage_fields()

MISSING: dict[str, frozenset[str]] = {
    "us-alpha-2020": frozenset({"interpretation"}),
    "us-beta-2020": frozenset({"interpretation", "analysis.mrv.citation", "analysis.mrv.evidence"}),
    "cn-gamma-2020": frozenset({"source"}),
    "cn-delta-2020": frozenset({"interpretation", *CITATIONS}),
}
RECORDS = tuple(MISSING)
UNITED_STATES = ("us-alpha-2020", "us-beta-2020")
CHINA = ("cn-gamma-2020", "cn-delta-2020")
REGULATORY = ("us-alpha-2020", "cn-gamma-2020", "cn-delta-2020")
FISCAL = ("us-beta-2020",)


def filled(records: Iterable[str], fields: Iterable[str] = COVERAGE) -> int:
    """The (record, field) cells of `fields` the records fill."""
    names = list(fields)
    return sum(1 for record in records for name in names if name not in MISSING[record])


def share(filled: int, total: int) -> dict[str, Any]:
    """A coverage figure as the JSON report writes it."""
    return {"filled": filled, "total": total, "percent": round(100 * filled / total, 1)}


def coverage(records: Iterable[str] = RECORDS, fields: Iterable[str] = COVERAGE) -> dict[str, Any]:
    """The coverage of `fields` over `records`, worked out from MISSING."""
    chosen, names = list(records), list(fields)
    return share(filled(chosen, names), len(chosen) * len(names))


def shown(figure: dict[str, Any]) -> str:
    """A figure's percentage as the text report shows it: `84.7%`."""
    return f"{figure['percent']:.1f}%"


def write_corpus(folder: Path) -> dict[str, Path]:
    """The four records of MISSING."""
    records = {
        # Audited 61 days ago.
        "us-alpha-2020": clean_record("us-alpha-2020"),
        # Pending, unreviewed, audited 548 days ago.
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
        # Interpretation filled. Self-reviewed, never audited, one A007 contradiction.
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
        # Reviewed by someone else; audit dated in the future.
        "cn-delta-2020": clean_record(
            "cn-delta-2020",
            **{"country": "China", "provenance.reviewer": "C. Checker", "provenance.lastAuditDate": "2027-01-01"},
            **CITATIONS,
        ),
    }
    return {record_id: write_record(folder, data) for record_id, data in records.items()}
