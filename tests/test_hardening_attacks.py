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


# --- git runs nothing the repository's configuration names --------------------------------------------


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    """A repository whose .git/config names an fsmonitor hook (and more) that would write a marker file."""
    import subprocess

    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*arguments: str) -> None:
        subprocess.run(["git", *arguments], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "T")
    (repo / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    write_record(repo / "records", clean_record())
    git("add", "-A")
    git("commit", "-qm", "one")
    write_record(repo / "records", clean_record(title="Changed title"), name="us-example-act-2020.md")
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch '{tmp_path / 'MARKER'}'\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    git("config", "core.fsmonitor", str(hook))
    git("config", "diff.external", str(hook))
    git("config", "core.pager", str(hook))
    return repo


def test_lint_git_tracked_never_runs_the_repositorys_fsmonitor(cli, hostile_repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(hostile_repo)
    result = cli("lint", "--today", TODAY, "--no-cache", "--git-tracked")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert not (hostile_repo.parent / "MARKER").exists()


def test_diff_rev_never_runs_the_repositorys_programs(cli, hostile_repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(hostile_repo)
    result = cli("diff", "--rev", "HEAD")
    assert result.exit_code in (0, 1), (result.stdout, result.stderr)
    assert "Changed title" in result.stdout
    assert not (hostile_repo.parent / "MARKER").exists()


def test_git_ignores_configuration_injected_through_the_environment(cli, hostile_repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(hostile_repo)
    hook = str(hostile_repo.parent / "hook.sh")
    env = {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "core.fsmonitor",
        "GIT_CONFIG_VALUE_0": hook,
        "GIT_CONFIG_PARAMETERS": f"'core.fsmonitor'='{hook}'",
        "GIT_EXTERNAL_DIFF": hook,
        "GIT_TRACE": str(hostile_repo.parent / "TRACE"),
    }
    result = cli("lint", "--today", TODAY, "--no-cache", "--git-tracked", env=env)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert not (hostile_repo.parent / "MARKER").exists()
    assert not (hostile_repo.parent / "TRACE").exists()
