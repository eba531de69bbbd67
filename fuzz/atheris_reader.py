"""Coverage-guided fuzzing of the reader and the rule engine with atheris (libFuzzer).

    python fuzz/atheris_reader.py -runs=20000            # a bounded run
    python fuzz/atheris_reader.py fuzz/corpus -max_total_time=600

The invariants are those of tests/test_fuzz.py: no exception escapes, and every finding has a known
code and a location inside the file. The seed records are the starting corpus when none is given.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from ccus_records.engine.config import Config, default_settings
    from ccus_records.engine.lint import check_record, make_plan
    from ccus_records.recordfile.reader import RecordFile, parse_record_bytes
    from ccus_records.rules import BUILTIN_RULES

CODES = {rule.code for rule in BUILTIN_RULES}
PLAN = make_plan(Config(default_settings(), Path("."), None), dt.date(2026, 12, 1), Path("."))


def test_one_input(raw: bytes) -> None:
    file = parse_record_bytes(raw, RecordFile(path=Path("us-example-act-2020.md"), display="x.md"))
    text = file.text if file.text is not None else raw.decode("utf-8", "replace")
    lines = text.split("\n")
    for finding in check_record(file, PLAN):
        if finding.code not in CODES:
            raise AssertionError(f"unknown code {finding.code}")
        if finding.line is not None:
            if not 1 <= finding.line <= len(lines):
                raise AssertionError(f"line outside the file: {finding}")
            if finding.column is None or not 1 <= finding.column <= len(lines[finding.line - 1]) + 1:
                raise AssertionError(f"column outside the line: {finding}")


def main() -> None:
    arguments = sys.argv[:]
    if not any(not argument.startswith("-") for argument in arguments[1:]):
        arguments.append(str(Path(__file__).resolve().parent.parent / "seeds"))
    atheris.Setup(arguments, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
