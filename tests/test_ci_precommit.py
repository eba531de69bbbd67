"""The hooks run by the real pre-commit, against temporary git repositories of records.

`pre-commit try-repo` clones the hook repository, so it needs one with a commit: the working tree
(uncommitted files included) is copied to a temporary folder and committed there. Installing the hook's
environment happens once per test session (a shared PRE_COMMIT_HOME); it fetches the project's
dependencies from the package index like any pre-commit user would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import clean_record, record_text, write_record

ROOT = Path(__file__).resolve().parent.parent
SKIP_IN_COPY = {
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    ".ccus-records-cache",
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def _ignore(folder: str, names: list[str]) -> set[str]:
    skipped = {name for name in names if name in SKIP_IN_COPY or name.endswith(".egg-info")}
    if Path(folder).name == "benchmarks":
        skipped.add("out")
    return skipped


def git(folder: Path, *arguments: str) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    completed = subprocess.run(
        ["git", *arguments], cwd=folder, check=True, capture_output=True, text=True, env={**env, **GIT_ENV}
    )
    return completed.stdout


def snapshot_of_working_tree(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=_ignore)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot of the working tree")
    return target


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_of_working_tree(tmp_path_factory.mktemp("hooks") / "ccus-records")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


class PreCommit:
    def __init__(self, home: Path) -> None:
        self.home = home

    def __call__(self, folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
        # `language: system` hooks find the ccus-records of the environment running the tests.
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        env.update(GIT_ENV, PRE_COMMIT_HOME=str(self.home), NO_COLOR="1")
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *arguments],
            cwd=folder,
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=900,
            check=False,
        )


@pytest.fixture
def pre_commit(pre_commit_home: Path) -> PreCommit:
    return PreCommit(pre_commit_home)


@pytest.fixture
def records_repo(tmp_path: Path) -> Iterator[Path]:
    """A repository of records with one committed, clean record in seeds/."""
    repo = tmp_path / "records"
    write_record(repo / "seeds", clean_record("us-committed-act"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a clean record")
    yield repo


def try_repo(pre_commit: PreCommit, repo: Path, hook_repo: Path, hook: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo`: what a user runs first. It installs the hook afresh every time (a private store)."""
    result = pre_commit(repo, "try-repo", str(hook_repo), hook, "--verbose", "--color", "never")
    assert "An unexpected error has occurred" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def run_hook(pre_commit: PreCommit, repo: Path, hook_repo: Path, hook: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit run HOOK` with a configuration naming the hook repository at its commit, as users write it;
    its environment is installed once into the session's store and reused."""
    revision = git(hook_repo, "rev-parse", "HEAD").strip()
    config = repo.parent / "pre-commit-config.yaml"  # outside the repository: not itself a staged file
    config.write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {revision}\n    hooks:\n      - id: {hook}\n", encoding="utf-8"
    )
    result = pre_commit(repo, "run", hook, "--config", str(config), "--verbose", "--color", "never")
    assert "An unexpected error has occurred" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def test_lint_hook_blocks_a_bad_record_and_passes_a_good_one(pre_commit, records_repo: Path, hook_repo: Path) -> None:
    write_record(records_repo / "seeds", clean_record("us-good-act"))
    (records_repo / "README.md").write_text("# Records\n", encoding="utf-8")  # staged, not a record
    git(records_repo, "add", "-A")
    good = try_repo(pre_commit, records_repo, hook_repo, "ccus-records-lint")
    assert good.returncode == 0, good.stdout
    assert "Passed" in good.stdout

    write_record(records_repo / "seeds", clean_record("us-bad-act", **{"provenance.reviewer": ""}))
    git(records_repo, "add", "-A")
    bad = try_repo(pre_commit, records_repo, hook_repo, "ccus-records-lint")
    assert bad.returncode == 1, bad.stdout
    assert "Failed" in bad.stdout
    assert "seeds/us-bad-act.md" in bad.stdout and "A001 [error]" in bad.stdout
    assert "README.md" not in bad.stdout.replace("- files were modified", "")


def test_installed_hook_blocks_a_real_commit(pre_commit, records_repo: Path, hook_repo: Path) -> None:
    revision = git(hook_repo, "rev-parse", "HEAD").strip()
    (records_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {revision}\n    hooks:\n      - id: ccus-records-lint\n",
        encoding="utf-8",
    )
    installed = pre_commit(records_repo, "install")
    assert installed.returncode == 0, installed.stderr
    write_record(records_repo / "seeds", clean_record("us-bad-act", **{"provenance.reviewer": ""}))
    git(records_repo, "add", "-A")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(pre_commit.home), NO_COLOR="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    commit = subprocess.run(
        ["git", "commit", "-m", "a bad record"],
        cwd=records_repo,
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=900,
        check=False,
    )
    assert commit.returncode != 0, commit.stdout
    assert "A001 [error]" in commit.stdout + commit.stderr
    assert git(records_repo, "rev-list", "--count", "HEAD").strip() == "1"  # nothing was committed


def test_lint_hook_ignores_untracked_records(pre_commit, records_repo: Path, hook_repo: Path) -> None:
    """pre-commit leaves untracked files on disk; a scratch copy must not make a duplicate id."""
    write_record(records_repo / "seeds", clean_record("us-new-act"))
    git(records_repo, "add", "-A")
    write_record(records_repo / "seeds", clean_record("us-new-act"), name="scratch.md")  # untracked
    result = run_hook(pre_commit, records_repo, hook_repo, "ccus-records-lint")
    assert result.returncode == 0, result.stdout
    assert "I004" not in result.stdout


def test_corpus_hook_rechecks_every_record_when_configuration_changes(
    pre_commit, records_repo: Path, hook_repo: Path
) -> None:
    committed = clean_record("us-gappy-act", **{"analysis.mrv.citation": "", "reviewStatus": "pending"})
    write_record(records_repo / "seeds", committed)
    git(records_repo, "add", "-A")
    git(records_repo, "commit", "-q", "-m", "a record with a warning")
    # Only the configuration is staged; the record it now fails is not.
    (records_repo / "ccus-records.toml").write_text('severity = { C003 = "error" }\n', encoding="utf-8")
    git(records_repo, "add", "ccus-records.toml")
    result = run_hook(pre_commit, records_repo, hook_repo, "ccus-records-corpus")
    assert result.returncode == 1, result.stdout
    assert "seeds/us-gappy-act.md" in result.stdout and "C003 [error]" in result.stdout
    # The lint hook on the same staged files has no record to check and passes.
    assert run_hook(pre_commit, records_repo, hook_repo, "ccus-records-lint").returncode == 0


def test_corpus_hook_is_skipped_when_nothing_it_watches_is_staged(
    pre_commit, records_repo: Path, hook_repo: Path
) -> None:
    (records_repo / "notes.txt").write_text("not a record\n", encoding="utf-8")
    git(records_repo, "add", "-A")
    result = run_hook(pre_commit, records_repo, hook_repo, "ccus-records-corpus")
    assert result.returncode == 0
    assert "(no files to check)Skipped" in result.stdout


def _has_fmt() -> bool:
    listed = subprocess.run(
        [sys.executable, "-m", "ccus_records", "fmt", "--help"], capture_output=True, text=True, check=False
    )
    return listed.returncode == 0


@pytest.mark.skipif(not _has_fmt(), reason="this tree has no `fmt` command")
def test_fmt_hook_checks_canonical_form(pre_commit, records_repo: Path, hook_repo: Path) -> None:
    path = write_record(records_repo / "seeds", clean_record("us-fmt-act"))
    git(records_repo, "add", "-A")
    assert run_hook(pre_commit, records_repo, hook_repo, "ccus-records-fmt").returncode == 0
    path.write_text(record_text(clean_record("us-fmt-act")).replace("\n", "\r\n"), encoding="utf-8")
    git(records_repo, "add", "-A")
    result = run_hook(pre_commit, records_repo, hook_repo, "ccus-records-fmt")
    assert result.returncode == 1, result.stdout
    assert "seeds/us-fmt-act.md" in result.stdout and "error:" not in result.stdout
    assert path.read_bytes().count(b"\r\n") > 1  # --check: reported, not rewritten


def test_the_projects_own_hooks_gate_its_seeds(pre_commit, tmp_path: Path) -> None:
    """.pre-commit-config.yaml of this repository: its seeds pass against the baseline, a new gap fails."""
    repo = snapshot_of_working_tree(tmp_path / "project")
    passing = pre_commit(repo, "run", "--all-files", "--color", "never")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "ccus-records lint (whole seed corpus)" in passing.stdout

    seed = repo / "seeds" / "cn-zero-carbon-parks.md"
    text = seed.read_text(encoding="utf-8")
    assert '"year": 2024' in text
    seed.write_text(text.replace('"year": 2024', '"year": 2019'), encoding="utf-8")  # D001, not in the baseline
    git(repo, "add", "-A")
    failing = pre_commit(repo, "run", "--color", "never")
    assert failing.returncode == 1, failing.stdout
    assert "seeds/cn-zero-carbon-parks.md" in failing.stdout and "D001 [error]" in failing.stdout
    assert "known findings hidden" in failing.stdout


def test_hooks_never_pass_without_checking_and_never_read_a_file_name_as_an_option(
    pre_commit, tmp_path: Path, hook_repo: Path
) -> None:
    # Records in a folder no configuration names: the hooks fail and say how to set one up.
    repo = tmp_path / "unconfigured"
    write_record(repo / "policy", clean_record("us-one-act"))
    (repo / "README.md").write_text("# Records\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    for hook in ("ccus-records-corpus", "ccus-records-lint"):
        result = run_hook(pre_commit, repo, hook_repo, hook)
        assert result.returncode != 0, (hook, result.stdout)
        assert "no records folder" in result.stdout and "All clear" not in result.stdout, hook

    # Conventional records/: a staged README is not a record; a file named like an option is only a file.
    repo = tmp_path / "conventional"
    write_record(repo / "records", clean_record("us-good-act"))
    write_record(repo / "records", clean_record("us-bad-act", **{"provenance.reviewer": ""}))
    (repo / "--write-baseline=notes.md").write_text("# a file named like an option\n", encoding="utf-8")
    (repo / "--baseline=x.md").write_text("# another\n", encoding="utf-8")
    (repo / "README.md").write_text("# Records\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    result = run_hook(pre_commit, repo, hook_repo, "ccus-records-lint")
    assert result.returncode == 1, result.stdout
    assert "records/us-bad-act.md" in result.stdout and "A001 [error]" in result.stdout
    assert "README.md:1:1" not in result.stdout and "baseline" not in result.stdout.lower()
    assert not (repo / "notes.md").exists()
    corpus = run_hook(pre_commit, repo, hook_repo, "ccus-records-corpus")
    assert corpus.returncode == 1 and "A001 [error]" in corpus.stdout
    git(repo, "rm", "-q", "--cached", "--", "--write-baseline=notes.md", "--baseline=x.md")

    # Only a README staged: the lint hook has no record to check, says so, and passes.
    write_record(repo / "records", clean_record("us-bad-act"))
    git(repo, "add", "records")
    git(repo, "commit", "-q", "-m", "records")
    (repo / "README.md").write_text("# Records, again\n", encoding="utf-8")
    git(repo, "add", "-A")
    readme = run_hook(pre_commit, repo, hook_repo, "ccus-records-lint")
    assert readme.returncode == 0, readme.stdout
    assert "lies in a records folder" in readme.stdout
