"""Building records and corpora for tests."""

from __future__ import annotations

import copy
import fnmatch
import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from ccus_records.engine.findings import Finding
from ccus_records.recordfile.canonical import canonical_json, frame
from ccus_records.schema.fields import FieldKind, record_fields

SEED_RECORD = Path(__file__).resolve().parent.parent / "seeds" / "cn-zero-carbon-parks.md"
TODAY = "2026-12-01"

CLEAN_BODY = (
    "The Example Storage Act sets up a licensing regime for the permanent geological storage of carbon "
    "dioxide. It names the regulator and the permits a storage operator needs.\n\n"
    "Operators must monitor the storage site and report leaks."
)


# The values that make a record clean, by dotted field name or glob (the first pattern that matches wins).
# The record's shape is the model's: every field the model has is in a clean record, one missing here with
# its kind's clean value (KIND_VALUES), so a field added to the model needs nothing here.
CLEAN_VALUES: dict[str, Any] = {
    "analysis.*.auditNote": "",
    "analysis.*.citation": "Example Storage Act 2020, s. 3",
    "analysis.*.evidence": "Section 3 requires a storage permit.",
    "analysis.*.label": "Permit regime",
    "analysis.*.score": 60,
    "category": "Regulatory",
    "country": "United States",
    "description": "The Example Storage Act sets up a licensing regime for the permanent geological storage "
    "of carbon dioxide.",
    "evolution.supersededBy": "",
    "impactAnalysis.economic": "Lower cost.",
    "impactAnalysis.environmental": "Less CO2.",
    "impactAnalysis.technical": "Wells.",
    "interpretation": "",
    "legalWeight": "Statute/Law",
    "provenance.author": "A. Curator",
    "provenance.lastAuditDate": "2026-10-01",
    "provenance.reviewer": "B. Reviewer",
    "pubDate": "2020-03-01",
    "regulatory.*": "Defined in s. 2.",
    "reviewStatus": "verified",
    "sectors": ["Power"],
    "source": "U.S. Congress",
    "status": "Active",
    "title": "Example Storage Act",
    "year": 2020,
}
KIND_VALUES: dict[str, Any] = {
    "string": "Set out in s. 4.",
    "string-list": [],
    "integer": 1,
    "date": "2020-03-01",
    "date-or-empty": "",
}


def clean_value(dotted: str, kind: FieldKind) -> Any:
    """The value of a field in a clean record: its CLEAN_VALUES entry, else its kind's clean value."""
    for pattern, value in CLEAN_VALUES.items():
        if fnmatch.fnmatchcase(dotted, pattern):
            return copy.deepcopy(value)
    if kind.kind == "choice":
        return kind.choices[0]
    return copy.deepcopy(KIND_VALUES[kind.kind])


def clean_record(record_id: str = "us-example-act-2020", **overrides: Any) -> dict[str, Any]:
    """A record that passes every rule on TODAY; `overrides` take dotted keys (`provenance.reviewer`)."""
    data: dict[str, Any] = {}
    for dotted, kind in record_fields().items():
        *parents, name = dotted.split(".")
        target = data
        for part in parents:
            target = target.setdefault(part, {})
        target[name] = clean_value(dotted, kind)
    data["id"] = record_id
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


def isolate_git(patch: Any, home: Path) -> None:
    """Run git (through `patch`, a pytest MonkeyPatch) with no configuration but its own, no colour, and no
    repository or index inherited from the environment."""
    home.mkdir(exist_ok=True)
    patch.setenv("HOME", str(home))
    patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    patch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    patch.setenv("NO_COLOR", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        patch.delenv(name, raising=False)


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
