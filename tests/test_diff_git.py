"""`diff --rev` and the git integration (external diff driver, textconv) on real repositories in tmp folders."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CLEAN_BODY, clean_record, write_record

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TOOL = f"{shlex.quote(sys.executable)} -m ccus_records"


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """No user or system git configuration, a fixed identity, no pager, no colour."""
    home = tmp_path / "home"
    home.mkdir()
    values = {
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "NO_COLOR": "1",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_EXTERNAL_DIFF"):
        monkeypatch.delenv(key, raising=False)
    return {**os.environ}


def git(repo: Path, *arguments: str) -> str:
    completed = subprocess.run(
        ["git", *arguments], cwd=repo, capture_output=True, text=True, check=False, env={**os.environ}
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@pytest.fixture
def repo(workdir: Path, git_env: dict[str, str]) -> Path:
    """A repository with seeds/ committed as `base`; the working tree then edits, renames, removes, adds."""
    git(workdir, "init", "-q", "-b", "main")
    write_record(workdir / "seeds", clean_record("us-edited-2020", **{"provenance.reviewer": ""}))
    write_record(workdir / "seeds", clean_record("us-renamed-2020"), name="old-name.md")
    write_record(workdir / "seeds", clean_record("us-removed-2020"))
    write_record(workdir / "seeds", clean_record("us-same-2020"))
    write_record(workdir / "notes" / ".hidden", clean_record("us-hidden-2020"))
    git(workdir, "add", ".")
    git(workdir, "commit", "-q", "-m", "base")
    git(workdir, "tag", "base")
    write_record(
        workdir / "seeds",
        clean_record("us-edited-2020", **{"provenance.reviewer": "J. Doe", "sectors": ["Power", "Cement"]}),
    )
    git(workdir, "mv", "seeds/old-name.md", "seeds/new-name.md")
    git(workdir, "rm", "-q", "seeds/us-removed-2020.md")
    write_record(workdir / "seeds", clean_record("us-added-2020"))
    return workdir


def test_rev_against_working_tree(cli, repo: Path) -> None:
    result = cli("diff", "--rev", "base")
    assert result.exit_code == 1, result.stderr
    out = result.stdout
    assert '~ provenance.reviewer: "" → "J. Doe"  [audit: reviewer added]' in out
    assert '+ sectors[1]: "Cement"' in out
    assert "~ us-renamed-2020  seeds/old-name.md → seeds/new-name.md  (renamed)" in out
    assert "- us-removed-2020  seeds/us-removed-2020.md  (removed)" in out
    assert "+ us-added-2020  seeds/us-added-2020.md  (added)" in out
    assert "us-same-2020" not in out and "us-hidden-2020" not in out
    assert "(base → working tree)" in out


def test_rev_range_between_two_commits(cli, repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "edit")
    write_record(repo / "seeds", clean_record("us-same-2020", title="Changed after the commit"))
    result = cli("diff", "--rev", "base..HEAD", "--format", "json")
    assert result.exit_code == 1, result.stderr
    records = {record["id"]: record["status"] for record in json.loads(result.stdout)}
    assert records == {
        "us-added-2020": "added",
        "us-edited-2020": "changed",
        "us-removed-2020": "removed",
        "us-renamed-2020": "changed",
    }
    # A.. is A..HEAD, as in git; the uncommitted title change is in neither revision.
    assert cli("diff", "--rev", "base..", "--brief").stdout == cli("diff", "--rev", "base..HEAD", "--brief").stdout
    assert cli("diff", "--rev", "HEAD..HEAD").exit_code == 0
    # Against the working tree, the uncommitted change is there.
    assert "Changed after the commit" in cli("diff", "--rev", "HEAD").stdout


def test_rev_three_dots_compares_from_the_fork_point(cli, repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "branch work")
    git(repo, "branch", "topic")
    git(repo, "checkout", "-q", "base")
    git(repo, "checkout", "-q", "-b", "other")
    write_record(repo / "seeds", clean_record("us-same-2020", title="Changed on the other branch"))
    git(repo, "commit", "-q", "-am", "other work")
    two_dots = cli("diff", "--rev", "topic..other", "--brief").stdout
    three_dots = cli("diff", "--rev", "topic...other", "--brief").stdout
    assert "us-same-2020" in two_dots and "us-added-2020" in two_dots
    assert three_dots.splitlines() == ["~ us-same-2020  seeds/us-same-2020.md"]


def test_rev_paths_narrow_the_comparison(cli, repo: Path) -> None:
    result = cli("diff", "--rev", "base", "seeds/us-edited-2020.md", "--brief")
    assert result.stdout.splitlines() == ["~ us-edited-2020  seeds/us-edited-2020.md"]
    # A file deleted since the revision can still be named.
    removed = cli("diff", "--rev", "base", "seeds/us-removed-2020.md", "--brief")
    assert removed.exit_code == 1 and removed.stdout.startswith("- us-removed-2020")


def test_rev_from_a_subfolder_with_a_configured_corpus(cli, repo: Path) -> None:
    (repo / "ccus-records.toml").write_text('records = ["seeds"]\n', encoding="utf-8")
    (repo / "work").mkdir()
    os.chdir(repo / "work")
    result = cli("diff", "--rev", "base", "--brief")
    assert result.exit_code == 1, result.stderr
    assert "~ us-edited-2020  ../seeds/us-edited-2020.md" in result.stdout.splitlines()


@pytest.mark.parametrize("value", ["--output=pwned.txt", "-p", "--exec=touch pwned.txt", "-", "--"])
def test_option_like_revision_is_refused_and_never_reaches_git(cli, repo: Path, value: str) -> None:
    result = cli("diff", f"--rev={value}")
    assert result.exit_code == 2
    assert "cannot start with '-'" in result.stderr
    assert not (repo / "pwned.txt").exists()
    spaced = cli("diff", "--rev", value)
    assert spaced.exit_code == 2 and not (repo / "pwned.txt").exists()
    assert spaced.stdout == "" and spaced.stderr.startswith("ccus-records: error: ")


@pytest.mark.parametrize("value", ["base..--output=pwned.txt", "--output=x..base", "no-such-branch", "base^{tree}", ""])
def test_bad_revisions_are_exit_2(cli, repo: Path, value: str) -> None:
    result = cli("diff", "--rev", value)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("ccus-records: error: --rev")
    assert not (repo / "pwned.txt").exists()


def test_rev_outside_a_repository_is_exit_2(cli, workdir: Path, git_env: dict[str, str]) -> None:
    (workdir / "ceiling").mkdir()
    os.environ["GIT_CEILING_DIRECTORIES"] = str(workdir)
    os.chdir(workdir / "ceiling")
    write_record(workdir / "ceiling" / "seeds", clean_record())
    result = cli("diff", "--rev", "HEAD")
    assert result.exit_code == 2 and "needs a git repository" in result.stderr


def test_rev_with_an_unparseable_record_at_the_revision_is_exit_2(cli, repo: Path) -> None:
    (repo / "seeds" / "broken.md").write_text("---\n{oops\n---\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "broken")
    (repo / "seeds" / "broken.md").unlink()
    result = cli("diff", "--rev", "HEAD")
    assert result.exit_code == 2 and "could not be read" in result.stderr
    assert "seeds/broken.md: not a record: invalid JSON" in result.stdout


def test_a_commit_with_a_merge_conflict_in_one_record_still_shows_every_other_change(cli, repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the working tree's edits")
    conflicted = repo / "seeds" / "us-same-2020.md"
    text = conflicted.read_text(encoding="utf-8")
    conflicted.write_text(
        text.replace('  "year": 2020\n', '<<<<<<< HEAD\n  "year": 2020\n=======\n  "year": 2021\n>>>>>>> x\n')
    )
    git(repo, "commit", "-q", "-am", "a merge left markers")
    for arguments in (("--rev", "HEAD~1"), ("--rev", "base", "--brief"), ("--rev", "HEAD~1..HEAD", "--format", "json")):
        result = cli("diff", *arguments)
        assert result.exit_code == 2, (arguments, result.stderr)
        assert "us-same-2020" in result.stdout and "could not be read" in result.stderr, arguments
    everything = cli("diff", "--rev", "base").stdout
    # base → HEAD: the readable changes are all there, beside the conflicted record.
    assert "us-edited-2020" in everything and "us-removed-2020" in everything
    assert "unresolved merge conflict" in everything
    lint = cli("lint", "seeds/us-same-2020.md", "--isolated", "--no-cache")
    assert "S008" in lint.stdout and "S002" not in lint.stdout
    shown = cli("show", "us-same-2020")
    assert shown.exit_code == 2 and "unresolved merge conflict" in shown.stderr and "us-same-2020.md" in shown.stderr
    edited = cli("edit", "us-same-2020", "--set", "year=2022")
    assert edited.exit_code == 2 and "unresolved merge conflict" in edited.stderr


# ------------------------------------------------------------------------------- git's external diff driver


def configure_driver(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.md diff=ccus-records\n", encoding="utf-8")
    git(repo, "config", "diff.ccus-records.command", f"{TOOL} diff --git-external")


def test_external_driver_through_real_git_diff(repo: Path) -> None:
    configure_driver(repo)
    git(repo, "add", "-A")
    out = git(repo, "diff", "--cached", "-M", "base")
    assert "ccus-records diff a/seeds/us-edited-2020.md b/seeds/us-edited-2020.md" in out
    assert '~ provenance.reviewer: "" → "J. Doe"  [audit: reviewer added]' in out
    assert '+ sectors[1]: "Cement"' in out
    # A rename (git passes 9 arguments), an added and a deleted file (one side is /dev/null).
    assert "ccus-records diff a/seeds/old-name.md b/seeds/new-name.md" in out
    assert "~ us-renamed-2020  seeds/old-name.md → seeds/new-name.md  (renamed)" in out
    # Not the raw JSON lines git would show without the driver.
    assert '+    "reviewer": "J. Doe"' not in out
    # Git may pair the removed and the added record as a rename; without rename detection they stand apart.
    apart = git(repo, "diff", "--cached", "--no-renames", "base")
    assert "ccus-records diff a/seeds/us-added-2020.md b/seeds/us-added-2020.md" in apart
    assert "+ us-added-2020  seeds/us-added-2020.md  (added)" in apart
    assert '    + provenance.reviewer: "B. Reviewer"' in apart
    assert "- us-removed-2020  seeds/us-removed-2020.md  (removed)" in apart
    assert '    - id: "us-removed-2020"' in apart


def test_external_driver_falls_back_to_plain_diff_and_exits_zero(repo: Path) -> None:
    configure_driver(repo)
    (repo / "seeds" / "us-edited-2020.md").write_text("---\n{not json\n---\n\nBody.\n", encoding="utf-8")
    completed = subprocess.run(
        ["git", "diff", "base", "--", "seeds/us-edited-2020.md"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "external diff died" not in completed.stderr
    assert "--- a/seeds/us-edited-2020.md" in completed.stdout and "+{not json" in completed.stdout
    assert "not a record: invalid JSON" in completed.stderr


def test_external_driver_shows_formatting_only_changes_as_such(repo: Path) -> None:
    configure_driver(repo)
    path = repo / "seeds" / "us-same-2020.md"
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    out = git(repo, "diff", "base", "--", "seeds/us-same-2020.md")
    assert "only the front matter's formatting" in out


def test_external_driver_reports_unmerged_paths(repo: Path) -> None:
    configure_driver(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "ours")
    git(repo, "checkout", "-q", "-b", "theirs", "base")
    write_record(repo / "seeds", clean_record("us-edited-2020", **{"provenance.reviewer": "K. Roe"}))
    git(repo, "commit", "-q", "-am", "theirs")
    subprocess.run(["git", "merge", "-q", "main"], cwd=repo, capture_output=True, check=False)
    # Git passes one argument for an unmerged path when it compares the index (plain `git diff` shows --cc).
    out = git(repo, "diff", "--cached", "--", "seeds/us-edited-2020.md")
    assert out == "* Unmerged path seeds/us-edited-2020.md\n"


@pytest.mark.parametrize("count", [0, 2, 5, 8])
def test_external_driver_with_wrong_argument_count_still_exits_zero(cli, workdir: Path, count: int) -> None:
    result = cli("diff", "--git-external", *[f"arg{index}" for index in range(count)])
    assert result.exit_code == 0
    assert "7, 9 or 1 arguments" in result.stderr


def test_external_driver_with_unreadable_side_exits_zero(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(), name="new.md")
    args = ["r.md", str(workdir / "gone.md"), "abc", "100644", str(workdir / "new.md"), "def", "100644"]
    result = cli("diff", "--git-external", *args)
    assert result.exit_code == 0
    assert "(cannot be read:" in result.stdout and "cannot be read" in result.stderr


# ------------------------------------------------------------------------------- textconv


def configure_textconv(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.md diff=ccus-records\n", encoding="utf-8")
    git(repo, "config", "diff.ccus-records.textconv", f"{TOOL} diff --textconv")


def test_textconv_through_real_git_log_and_diff(repo: Path) -> None:
    configure_textconv(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "review")
    log = git(repo, "log", "-p", "-1", "--format=%s", "--", "seeds/us-edited-2020.md")
    assert '-provenance.reviewer = ""' in log
    assert '+provenance.reviewer = "J. Doe"' in log
    assert '+sectors[] = "Cement"' in log and '-sectors[] = "Power"' not in log
    assert '"reviewer":' not in log
    word = git(repo, "diff", "--word-diff", "base", "HEAD", "--", "seeds/us-edited-2020.md")
    assert 'provenance.reviewer = [-""-]{+"J. Doe"+}' in word


def test_textconv_output_and_bad_inputs(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record(**{"sectors": ["Power", "Cement"]}), body="Body \x1b[2J text.")
    result = cli("diff", "--textconv", str(path))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == 'analysis.incentive.auditNote = ""' and 'sectors[] = "Cement"' in lines
    assert lines[-1] == "Body \\x1b[2J text."
    # Not a record: git still gets the file's own text, so `git log -p` keeps working.
    (workdir / "plain.md").write_text("# Just notes\n", encoding="utf-8")
    plain = cli("diff", "--textconv", "plain.md")
    assert (plain.exit_code, plain.stdout) == (0, "# Just notes\n")
    missing = cli("diff", "--textconv", "missing.md")
    assert missing.exit_code == 2 and "missing.md: cannot be read" in missing.stderr


def test_body_of_added_record_is_listed_by_the_driver(repo: Path) -> None:
    configure_driver(repo)
    git(repo, "add", "-A")
    out = git(repo, "diff", "--cached", "base", "--", "seeds/us-added-2020.md")
    first_line = CLEAN_BODY.splitlines()[0]
    assert f"      +{first_line}" in out


def test_rev_path_in_neither_side_is_exit_2(cli, repo: Path) -> None:
    result = cli("diff", "--rev", "base", "nowhere")
    assert result.exit_code == 2 and "in neither base nor the working tree" in result.stderr


def test_external_driver_after_double_dash_takes_a_path_starting_with_a_dash(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.md diff=ccus-records\n", encoding="utf-8")
    git(repo, "config", "diff.ccus-records.command", f"{TOOL} diff --git-external --")
    write_record(repo, clean_record("us-dash-2020"), name="-dash.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "dash")
    write_record(repo, clean_record("us-dash-2020", title="Dashed"), name="-dash.md")
    out = git(repo, "diff", "--", "-dash.md")
    expected = ["ccus-records diff a/-dash.md b/-dash.md", "~ us-dash-2020  -dash.md"]
    assert out.splitlines()[:3] == [*expected, '    ~ title: "Example Storage Act" → "Dashed"']
