"""Configuration and git, the two ways outside text reaches a process: neither can hang it or steer it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import TODAY, clean_record, write_record


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("[tool.ccus-records\nrecords = 1\n", "not valid TOML"),
        ('[tool.ccus-records]\nmachine-authors = ["(unclosed"]\n', "not a valid regular expression"),
        ('[tool.ccus-records]\nmachine-authors = ["(a+)+$"]\n', "exponential"),
        ('[tool.ccus-records]\nmachine-authors = ["(x|xy)*z"]\n', "exponential"),
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
    assert result.exit_code == 0


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    def git(*arguments: str) -> None:
        subprocess.run(["git", *arguments], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "T")
    write_record(tmp_path / "seeds", clean_record())
    git("add", "-A")
    git("commit", "-qm", "one")
    return tmp_path


@pytest.mark.parametrize(
    "value", ["--output=pwned.txt", "-o pwned.txt", "--output=pwned.txt..HEAD", "HEAD..--output=pwned.txt"]
)
def test_revisions_never_become_git_options(repo: Path, value: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ccus_records", "diff", f"--rev={value}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stdout
    assert not (repo / "pwned.txt").exists()
    assert "Traceback" not in result.stderr


def test_git_runs_without_a_shell(repo: Path) -> None:
    """A revision full of shell syntax is only ever a name git cannot find."""
    result = subprocess.run(
        [sys.executable, "-m", "ccus_records", "diff", "--rev", "HEAD;touch pwned.txt"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert not (repo / "pwned.txt").exists()
