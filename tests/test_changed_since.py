"""`lint --changed-since REV` and `report --changed-since REV`: only records changed since the fork point."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import TODAY, clean_record, write_record


def git(folder: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *arguments],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def bad(record_id: str) -> dict[str, object]:
    return clean_record(record_id, **{"provenance.reviewer": ""})  # A001: verified without a reviewer


@pytest.fixture
def repo(workdir: Path) -> Path:
    """main: two records; branch `work` forked from it; main then moves on with a third."""
    records = workdir / "records"
    git(workdir, "init", "-q", "-b", "main")
    (workdir / ".gitignore").write_text("records/ignored-*.md\n")
    write_record(records, bad("us-old-a"), name="us-old-a.md")
    write_record(records, bad("us-old-b"), name="us-old-b.md")
    git(workdir, "add", ".")
    git(workdir, "commit", "-q", "-m", "base")
    git(workdir, "checkout", "-q", "-b", "work")
    write_record(records, bad("us-committed"), name="us-committed.md")
    git(workdir, "add", ".")
    git(workdir, "commit", "-q", "-m", "on the branch")
    git(workdir, "checkout", "-q", "main")
    write_record(records, bad("us-main-only"), name="us-main-only.md")
    git(workdir, "add", ".")
    git(workdir, "commit", "-q", "-m", "main moves on")
    git(workdir, "checkout", "-q", "work")
    write_record(records, bad("us-staged"), name="us-staged.md")
    git(workdir, "add", "records/us-staged.md")
    path = records / "us-old-b.md"
    path.write_text(path.read_text().replace('"title": "', '"title": "Changed '))  # unstaged
    write_record(records, bad("us-untracked"), name="us-untracked.md")
    write_record(records, bad("us-ignored"), name="ignored-x.md")
    return workdir


def linted_paths(output: str) -> set[str]:
    return {finding["path"] for finding in json.loads(output)["findings"]}


def test_lint_changed_since_reports_committed_staged_unstaged_and_untracked_records(cli, repo: Path) -> None:
    result = cli("lint", "--changed-since", "main", "--today", TODAY, "--isolated", "--format", "json")
    assert result.exit_code == 1, result.stderr
    assert linted_paths(result.stdout) == {
        "records/us-committed.md",
        "records/us-staged.md",
        "records/us-old-b.md",
        "records/us-untracked.md",
    }


def test_cross_record_rules_still_see_the_whole_corpus(cli, repo: Path) -> None:
    write_record(repo / "records", bad("us-old-a"), name="us-copy.md")  # a duplicate of an unchanged record
    result = cli("lint", "--changed-since", "main", "--today", TODAY, "--isolated", "--format", "json")
    copies = [f for f in json.loads(result.stdout)["findings"] if f["path"] == "records/us-copy.md"]
    assert "I004" in {finding["code"] for finding in copies}  # the duplicate id
    assert "records/us-old-a.md" not in linted_paths(result.stdout)


def test_nothing_changed_is_a_clean_run(cli, repo: Path) -> None:
    git(repo, "stash", "-q", "--include-untracked")
    result = cli("lint", "--changed-since", "HEAD", "--today", TODAY, "--isolated")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout


@pytest.mark.parametrize("revision", ["no-such-branch", "--output=x", ""])
def test_a_bad_revision_is_exit_2(cli, repo: Path, revision: str) -> None:
    result = cli("lint", f"--changed-since={revision}", "--today", TODAY, "--isolated")
    assert result.exit_code == 2
    assert result.stderr.startswith("ccus-records: error: --changed-since")
    assert not (repo / "x").exists()


def test_changed_since_outside_a_repository_is_exit_2(cli, workdir: Path) -> None:
    write_record(workdir / "records", clean_record())
    result = cli("lint", "--changed-since", "main", "--today", TODAY, "--isolated")
    assert result.exit_code == 2
    assert "git repository" in result.stderr


def test_report_changed_since_counts_only_the_changed_records(cli, repo: Path) -> None:
    result = cli("report", "--changed-since", "main", "--today", TODAY, "--isolated", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["corpus"]["records"] == 4
    assert {row["id"] for row in report["records"]} == {"us-committed", "us-staged", "us-old-b", "us-untracked"}


def test_report_exit_zero_passes_a_breached_threshold(cli, repo: Path) -> None:
    breached = cli("report", "--fail-under", "100", "--today", TODAY, "--isolated")
    assert breached.exit_code == 1
    assert "overall: coverage" in breached.stdout and "is below the threshold 100%" in breached.stdout
    result = cli("report", "--fail-under", "100", "--exit-zero", "--today", TODAY, "--isolated")
    assert result.exit_code == 0, result.stderr
    assert "is below the threshold 100%" in result.stdout  # still shown, only the exit code changes
