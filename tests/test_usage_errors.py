"""Usage errors (an unknown command or option, a missing argument, a value an option does not take) come in the one
style of every error: `ccus-records: error: MESSAGE` on stderr, where the help is, exit 2; never a box."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import clean_record, write_record

PROGRAM = f"{sys.executable} -m ccus_records".split()
# The program's name in its usage lines, also when it is run as `python -m ccus_records`.
NAME = "ccus-records"


def run(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PROGRAM, *arguments], cwd=folder, capture_output=True, text=True, check=False)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_record(tmp_path / "records", clean_record())
    return tmp_path


@pytest.mark.parametrize(
    ("arguments", "stderr"),
    [
        (("lnit",), f"ccus-records: error: no such command 'lnit'; did you mean lint?\nTry '{NAME} --help'.\n"),
        (("shwo", "x"), f"ccus-records: error: no such command 'shwo'; did you mean show?\nTry '{NAME} --help'.\n"),
        (("frobnicate",), f"ccus-records: error: no such command 'frobnicate'\nTry '{NAME} --help'.\n"),
        (("--bogus",), f"ccus-records: error: no such option: --bogus\nTry '{NAME} --help'.\n"),
        (
            ("lint", "--selct", "C"),
            f"ccus-records: error: no such option: --selct; did you mean --select?\nTry '{NAME} lint --help'.\n",
        ),
        (("show",), f"ccus-records: error: missing argument 'record'\nTry '{NAME} show --help'.\n"),
        (
            ("list", "--format", "jsn"),
            "ccus-records: error: --format: 'jsn' is not one of 'table', 'json', 'json-lines', 'csv', 'ids'; "
            f"did you mean json?\nTry '{NAME} list --help'.\n",
        ),
        (
            ("report", "--by", "contry"),
            "ccus-records: error: --by: 'contry' is not one of 'country', 'category', 'legalWeight', 'status', "
            f"'reviewStatus'; did you mean country?\nTry '{NAME} report --help'.\n",
        ),
        (
            ("review", "us-example-act-2020", "--status", "verifed"),
            "ccus-records: error: --status: 'verifed' is not one of 'verified', 'pending', 'rejected'; "
            f"did you mean verified?\nTry '{NAME} review --help'.\n",
        ),
        (("list", "--limit"), "ccus-records: error: option '--limit' requires an argument\n"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(repository: Path, arguments: tuple[str, ...], stderr: str) -> None:
    result = run(repository, *arguments)
    assert (result.returncode, result.stderr, result.stdout) == (2, stderr, "")


def test_help_and_no_arguments_still_show_the_help(repository: Path) -> None:
    for arguments in (("--help",), ("-h",), ("lint", "--help")):
        shown = run(repository, *arguments)
        assert shown.returncode == 0 and "Usage:" in shown.stdout and shown.stderr == ""
    bare = run(repository)
    assert bare.returncode == 2 and "Usage:" in bare.stdout and "lint" in bare.stdout and bare.stderr == ""
    assert run(repository, "--version").stdout.startswith("ccus-records ")


def test_the_errors_of_a_command_keep_their_exit_codes(repository: Path) -> None:
    # What a command decides (findings: 1; a refusal of its own: 2) is not disturbed by the usage handling.
    clean = run(repository, "lint", "--today", "2026-12-01", "--no-cache")
    assert clean.returncode == 0, clean.stderr
    write_record(repository / "records", clean_record("us-other-act-2020", **{"provenance.reviewer": ""}))
    findings = run(repository, "lint", "--today", "2026-12-01", "--no-cache")
    assert findings.returncode == 1 and "A001" in findings.stdout
    refused = run(repository, "lint", "--today", "tomorrow")
    assert (refused.returncode, refused.stderr) == (
        2,
        "ccus-records: error: --today: 'tomorrow' is not a date YYYY-MM-DD\n",
    )


def test_in_process_runs_give_the_same_line(cli, workdir: Path) -> None:
    result = cli("lnit")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "ccus-records: error: no such command 'lnit'; did you mean lint?"
    assert "╭" not in result.stderr and "│" not in result.stderr
