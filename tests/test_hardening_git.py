"""Git is given revisions and paths only as arguments, never through a shell and never as options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import clean_record, write_record


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
    assert result.stderr.startswith("ccus-records: error: --rev 'HEAD;touch pwned.txt'")
    assert not (repo / "pwned.txt").exists()
