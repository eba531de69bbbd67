"""Property-based fuzzing of the reader and the rule engine (Hypothesis, a fixed example budget).

Invariants: no exception escapes; every finding has a known code and a location inside the file; and on
valid records, parse → canonical write → parse is the identity. The number of examples run is printed at
the end of the test session. `CCUS_FUZZ_EXAMPLES` raises the budget for a longer local run.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccus_records.engine.config import Config, default_settings
from ccus_records.engine.lint import check_record, make_plan
from ccus_records.recordfile.canonical import canonical_text
from ccus_records.recordfile.reader import RecordFile, parse_record_bytes
from ccus_records.rules import BUILTIN_RULES
from tests.helpers import CLEAN_BODY, SEED_RECORD, clean_record, record_text

BUDGET = int(os.environ.get("CCUS_FUZZ_EXAMPLES", "600"))
EXAMPLES = {"count": 0}
CODES = {rule.code for rule in BUILTIN_RULES}
PLAN = make_plan(Config(default_settings(), Path("."), None), dt.date(2026, 12, 1), Path("."))
SAMPLES = [SEED_RECORD.read_bytes(), record_text(clean_record()).encode()]
FUZZ = settings(max_examples=BUDGET, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def check_invariants(raw: bytes) -> RecordFile:
    EXAMPLES["count"] += 1
    file = parse_record_bytes(raw, RecordFile(path=Path("us-example-act-2020.md"), display="x.md"))
    findings = check_record(file, PLAN)
    text = file.text if file.text is not None else raw.decode("utf-8", "replace")
    lines = text.split("\n")
    for finding in findings:
        assert finding.code in CODES
        if finding.line is not None:
            assert 1 <= finding.line <= len(lines), finding
            assert finding.column is not None
            assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, finding
    return file


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes(raw: bytes) -> None:
    check_invariants(raw)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_with_front_matter(text: str) -> None:
    check_invariants(f"---\n{text}\n---\n\nBody.\n".encode("utf-8", "surrogatepass"))


mutations = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace", "truncate", "duplicate"]),
        st.floats(min_value=0, max_value=1),
        st.binary(min_size=1, max_size=8)
        | st.sampled_from([b"\n---\n", b"{", b"}", b'"', b",", b"\r\n", b"\x00", b": &a", b"*a"]),
    ),
    min_size=1,
    max_size=5,
)


@FUZZ
@given(st.sampled_from(SAMPLES), mutations)
def test_mutated_records(sample: bytes, edits: list[tuple[str, float, bytes]]) -> None:
    raw = bytearray(sample)
    for kind, where, chunk in edits:
        at = int(where * len(raw))
        if kind == "insert":
            raw[at:at] = chunk
        elif kind == "delete":
            del raw[at : at + len(chunk)]
        elif kind == "replace":
            raw[at : at + len(chunk)] = chunk
        elif kind == "truncate":
            del raw[at:]
        else:
            raw[at:at] = raw[max(0, at - 40) : at]
    check_invariants(bytes(raw))


field_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)


@FUZZ
@given(
    title=field_text,
    description=field_text,
    author=field_text,
    sectors=st.lists(field_text, max_size=3),
    score=st.integers(min_value=0, max_value=100),
    body=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=200),
)
def test_canonical_round_trip_is_identity(
    title: str, description: str, author: str, sectors: list[str], score: int, body: str
) -> None:
    data: dict[str, Any] = clean_record(
        title=title,
        description=description,
        sectors=sectors,
        **{"provenance.author": author, "analysis.mrv.score": score},
    )
    rest = f"\n{body or CLEAN_BODY}\n"
    text = canonical_text(data, rest)
    file = check_invariants(text.encode())
    assert file.data == data
    assert canonical_text(file.data, file.rest) == text


REGRESSIONS = sorted((Path(__file__).resolve().parent / "fixtures" / "fuzz").glob("*.bin"))


@pytest.mark.parametrize("sample", REGRESSIONS, ids=[path.name for path in REGRESSIONS])
def test_inputs_the_fuzzers_once_broke_on(sample: Path) -> None:
    """Each file here made a fuzzer fail once (cr-line-endings-f001: F001 placed beyond the last line of
    a file with bare CR line endings, found by the atheris target)."""
    check_invariants(sample.read_bytes())
