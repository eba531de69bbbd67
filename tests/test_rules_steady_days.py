"""`Rule.steady_days`: the days over which a rule's verdict on a record stands, for `report --history`.

Inside the span a rule finds as many violations as on the day it was asked about; just outside a bounded
side, it finds another number (the span is as long as it can be). Every rule that reads the date says so.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
from pathlib import Path

import pytest

from ccus_records.engine.config import Config, default_settings
from ccus_records.engine.lint import rule_options
from ccus_records.recordfile.reader import RecordFile, parse_record_bytes
from ccus_records.rules import BUILTIN_RULES
from ccus_records.rules.base import RecordContext, Rule
from tests.helpers import clean_record, record_text

DAYS = [dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2025, 7, 1), dt.date(2026, 5, 2), dt.date(2027, 3, 3)]
DATED = [rule for rule in BUILTIN_RULES if rule.steady_days is not Rule.steady_days]


def records() -> list[RecordFile]:
    made = []
    for published, audited, status, text in itertools.product(
        ["2020-03-01", "2025-07-01", ""],
        ["", "2025-05-01", "2025-07-01", "2026-05-01"],
        ["verified", "pending"],
        ["No year.", "In 2025 it was amended.", "Amended in 2026 and again in 2031."],
    ):
        data = clean_record("us-example-act-2020", pubDate=published, reviewStatus=status, description=text)
        data["provenance"]["lastAuditDate"] = audited
        raw = record_text(data).encode("utf-8")
        made.append(parse_record_bytes(raw, RecordFile(path=Path("x.md"), display="x.md")))
    return made


def context(file: RecordFile, day: dt.date) -> RecordContext:
    return RecordContext(file, rule_options(Config(default_settings(), Path("."), None), day))


def found(rule: Rule, file: RecordFile, day: dt.date) -> int:
    return len(list(rule.check(context(file, day))))


@pytest.mark.parametrize("rule_class", DATED, ids=lambda rule: rule.code)
def test_the_verdict_stands_inside_the_span_and_changes_just_outside(rule_class: type[Rule]) -> None:
    rule = rule_class()
    one_day = dt.timedelta(days=1)
    bounded = 0
    for file, day in itertools.product(records(), DAYS):
        first, last = rule.steady_days(context(file, day))
        here = found(rule, file, day)
        assert first is None or first <= day, (first, day)
        assert last is None or day <= last, (day, last)
        if first is not None:
            assert found(rule, file, first) == here
            assert found(rule, file, first - one_day) != here
            bounded += 1
        if last is not None:
            assert found(rule, file, last) == here
            assert found(rule, file, last + one_day) != here
            bounded += 1
    assert bounded > 10


def test_every_rule_that_reads_the_date_says_when_its_verdict_changes() -> None:
    reads = {rule.code for rule in BUILTIN_RULES if "options.today" in inspect.getsource(rule.check)}
    assert reads == {rule.code for rule in DATED} == {"A005", "A006", "D002", "D003"}
