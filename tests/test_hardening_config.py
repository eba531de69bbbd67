"""Configuration is outside text too: a malformed file or a runaway pattern is a clear error, never a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import TODAY, clean_record, write_record


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("[tool.ccus-records\nrecords = 1\n", "not valid TOML"),
        ('[tool.ccus-records]\nmachine-authors = ["(unclosed"]\n', "not a valid regular expression"),
        ('[tool.ccus-records]\nmachine-authors = ["(?=a)b"]\n', "lookahead"),
        ('[tool.ccus-records]\nmachine-authors = ["(?>(a+)+)b"]\n', "atomic"),
        ('[tool.ccus-records]\nmachine-authors = ["(.)\\\\1"]\n', "backreferences"),
        ("[tool.ccus-records]\nunknown-key = 1\n", "unknown key"),
    ],
)
def test_bad_configuration_is_a_one_line_error_exit_2(cli, workdir: Path, config: str, expected: str) -> None:
    (workdir / "pyproject.toml").write_text(config, encoding="utf-8")
    result = cli("lint", "--today", TODAY)
    assert result.exit_code == 2
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_a_long_author_cannot_make_a_pattern_run_away(cli, workdir: Path) -> None:
    """The worst pattern the check lets through (two unbounded repetitions, which backtrack against each
    other), on an author of 100,000 characters: cut to 120 before matching, it costs milliseconds."""
    (workdir / "ccus-records.toml").write_text('records = ["records"]\nmachine-authors = ["a*a*b"]\n', encoding="utf-8")
    write_record(workdir / "records", clean_record(**{"provenance.author": "a" * 100_000, "provenance.reviewer": ""}))
    started = time.perf_counter()
    result = cli("lint", "--today", TODAY, "--select", "A003", "--no-cache")
    assert time.perf_counter() - started < 5
    assert result.exit_code == 0 and result.stderr == ""
    assert " A003 " not in result.stdout  # the author is no machine: the pattern matched nothing
