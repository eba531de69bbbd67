"""Building records and corpora for tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from ccus_records.engine.findings import Finding
from ccus_records.recordfile.canonical import canonical_json, frame

SEED_RECORD = Path(__file__).resolve().parent.parent / "seeds" / "cn-zero-carbon-parks.md"
TODAY = "2026-12-01"

CLEAN_BODY = (
    "The Example Storage Act sets up a licensing regime for the permanent geological storage of carbon "
    "dioxide. It names the regulator and the permits a storage operator needs.\n\n"
    "Operators must monitor the storage site and report leaks."
)


def clean_record(record_id: str = "us-example-act-2020", **overrides: Any) -> dict[str, Any]:
    """A record that passes every rule on TODAY; `overrides` take dotted keys (`provenance.reviewer`)."""
    dimension = {
        "auditNote": "",
        "citation": "Example Storage Act 2020, s. 3",
        "evidence": "Section 3 requires a storage permit.",
        "label": "Permit regime",
        "score": 60,
    }
    data: dict[str, Any] = {
        "analysis": {name: dict(dimension) for name in ("incentive", "market", "mrv", "statutory", "strategic")},
        "category": "Regulatory",
        "country": "United States",
        "description": "The Example Storage Act sets up a licensing regime for the permanent geological storage "
        "of carbon dioxide.",
        "evolution": {"clusters": [], "supersededBy": "", "supersedes": []},
        "id": record_id,
        "impactAnalysis": {"economic": "Lower cost.", "environmental": "Less CO2.", "technical": "Wells."},
        "interpretation": "",
        "legalWeight": "Statute/Law",
        "provenance": {"author": "A. Curator", "lastAuditDate": "2026-10-01", "reviewer": "B. Reviewer"},
        "pubDate": "2020-03-01",
        "regulatory": {
            name: "Defined in s. 2."
            for name in (
                "co2_definition",
                "cross_border_rules",
                "financial_assurance",
                "liability_period",
                "liability_transfer",
                "permitting_lead_time",
                "pore_space_rights",
            )
        },
        "relatedFacilities": [],
        "reviewStatus": "verified",
        "sectors": ["Power"],
        "source": "U.S. Congress",
        "status": "Active",
        "title": "Example Storage Act",
        "year": 2020,
    }
    for dotted, value in overrides.items():
        set_path(data, dotted, value)
    return data


def set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    target = data
    for part in parts[:-1]:
        target = target[part]
    if value is DELETE:
        del target[parts[-1]]
    else:
        target[parts[-1]] = copy.deepcopy(value)


DELETE = object()


def record_text(data: dict[str, Any], body: str = CLEAN_BODY) -> str:
    return frame(canonical_json(data), body)


def write_record(folder: Path, data: dict[str, Any], body: str = CLEAN_BODY, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{data['id']}.md")
    path.write_text(record_text(data, body), encoding="utf-8")
    return path


def json_findings(output: str) -> list[dict[str, Any]]:
    return list(json.loads(output)["findings"])


# Lists of findings with every odd value a renderer or a sort meets: no line or column, line 0, no field or
# an empty one, escapes in paths and messages, and repeated messages (ties on the sort key).
FINDINGS = st.lists(
    st.builds(
        Finding,
        code=st.sampled_from(["A001", "C002", "S002"]),
        name=st.just("name"),
        severity=st.sampled_from(["error", "warning", "info"]),
        path=st.sampled_from(["a.md", "dir/b\x1b.md"]),
        line=st.none() | st.integers(0, 9),
        column=st.none() | st.integers(0, 9),
        record=st.none() | st.just("id"),
        field=st.none() | st.sampled_from(["", "title", "a%sb"]),
        message=st.sampled_from(["one", "two"]) | st.text(max_size=8),
        fixable=st.booleans(),
    ),
    max_size=12,
)
