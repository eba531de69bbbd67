"""Hostile inputs fed in through the command line: each ends in a finding or a one-line error with the
right exit code, in bounded time, with nothing written, fetched or run that should not be."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import TODAY, clean_record, write_record


def _one_line_error(result, expected: str, code: int = 2) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# --- max-file-bytes is bounded -------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["100000000000", "9223372036854775807", "67108865"])
def test_a_huge_max_file_bytes_is_a_configuration_error(cli, workdir: Path, limit: str) -> None:
    (workdir / "ccus-records.toml").write_text(f'records = ["records"]\nmax-file-bytes = {limit}\n', encoding="utf-8")
    write_record(workdir / "records", clean_record())
    result = cli("lint", "--today", TODAY, "--no-cache")
    _one_line_error(result, "max-file-bytes")


def test_the_largest_max_file_bytes_allowed_still_reads_small_records(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text('records = ["records"]\nmax-file-bytes = 67108864\n', encoding="utf-8")
    write_record(workdir / "records", clean_record())
    result = cli("lint", "--today", TODAY, "--no-cache")
    assert result.exit_code == 0, result.stdout
