"""The seed record is the reference: lint must report exactly what is wrong with it, nothing else."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

from tests.helpers import SEED_RECORD, TODAY

SHARED_SEED = SEED_RECORD.parent.parent.parent / "shared" / "seed-record.md"


def test_seed_record_findings_are_exactly_the_known_ones(cli, workdir: Path) -> None:
    shutil.copy(SEED_RECORD, workdir / SEED_RECORD.name)
    result = cli("lint", SEED_RECORD.name, "--today", TODAY, "--format", "json", "--isolated")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    codes = Counter(finding["code"] for finding in findings)
    assert codes == Counter({"A001": 1, "A002": 1, "A003": 1, "C003": 5, "C004": 1, "C005": 1, "A007": 2, "D002": 1})
    a007 = sorted(finding["field"] for finding in findings if finding["code"] == "A007")
    assert a007 == ["analysis.incentive.label", "analysis.statutory.label"]
    d002 = next(finding for finding in findings if finding["code"] == "D002")
    assert "2025" in d002["message"]


def test_seed_record_is_the_shared_reference_byte_for_byte() -> None:
    if SHARED_SEED.is_file():
        assert SEED_RECORD.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_record_is_canonical_json() -> None:
    from ccus_records.recordfile.canonical import canonical_text

    text = SEED_RECORD.read_text(encoding="utf-8")
    front, rest = text[4:].split("\n---\n", 1)
    assert canonical_text(json.loads(front), rest) == text
