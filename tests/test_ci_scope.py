"""What a hook run reads: the whole corpus on disk for cross-record rules, `--git-tracked`, `--records-only`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.helpers import TODAY, clean_record, write_record

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def git(folder: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=folder, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def findings(cli, *arguments: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    result = cli("lint", "--today", TODAY, "--format", "json", *arguments)
    assert result.exit_code in (0, 1), result.stderr
    return sorted((f["path"], f["code"]) for f in json.loads(result.stdout)["findings"])


def configured(workdir: Path) -> Path:
    (workdir / "ccus-records.toml").write_text('records = ["corpus"]\n', encoding="utf-8")
    return workdir / "corpus"


def test_cross_record_rules_see_the_corpus_on_disk_not_the_file_list(cli, workdir: Path) -> None:
    corpus = configured(workdir)
    write_record(corpus, clean_record("us-old-act", status="Superseded", **{"evolution.supersededBy": "us-new-act"}))
    write_record(corpus, clean_record("us-new-act", **{"evolution.supersedes": ["us-old-act"]}))
    write_record(corpus, clean_record("us-twin-act"))
    write_record(corpus, clean_record("us-twin-act"), name="us-twin-act-copy.md")
    # A hook call handed only one file (pre-commit splits long lists): the reference still resolves,
    # and the duplicate id held by a file it was not handed is still found.
    assert findings(cli, "corpus/us-old-act.md") == []
    assert ("corpus/us-twin-act.md", "I004") in findings(cli, "corpus/us-twin-act.md")
    assert all(path == "corpus/us-twin-act.md" for path, _ in findings(cli, "corpus/us-twin-act.md"))
    (corpus / "us-new-act.md").unlink()
    assert ("corpus/us-old-act.md", "I005") in findings(cli, "corpus/us-old-act.md")


def test_git_tracked_leaves_untracked_records_out(cli, workdir: Path) -> None:
    corpus = configured(workdir)
    write_record(corpus, clean_record("us-kept-act"))
    git(workdir, "init", "-q")
    git(workdir, "add", "-A")
    git(workdir, "commit", "-q", "-m", "records")
    write_record(corpus, clean_record("us-kept-act"), name="scratch-copy.md")  # untracked
    write_record(corpus, clean_record("us-staged-act", **{"provenance.reviewer": ""}))
    git(workdir, "add", "corpus/us-staged-act.md")  # staged, not committed: part of the commit

    on_disk = findings(cli)
    assert ("corpus/us-kept-act.md", "I004") in on_disk
    assert any(path == "corpus/scratch-copy.md" for path, _ in on_disk)
    tracked = findings(cli, "--git-tracked")
    assert tracked == [("corpus/us-staged-act.md", "A001")]
    # Given files are narrowed too, while the cross-record index stays the tracked corpus.
    # A run given only a record file git does not track checks nothing: it says so and fails.
    untracked = cli("lint", "--today", TODAY, "--git-tracked", "corpus/scratch-copy.md")
    assert untracked.exit_code == 2 and "none of the 1 record path(s) given" in untracked.stderr
    assert findings(cli, "--git-tracked", "corpus/us-kept-act.md") == []


def test_git_tracked_reads_awkward_names_from_a_subfolder(cli, workdir: Path) -> None:
    corpus = configured(workdir)
    write_record(corpus, clean_record("us-odd-act", **{"provenance.reviewer": ""}), name="un é\tnamed.md")
    git(workdir, "init", "-q")
    git(workdir, "add", "-A")
    (workdir / "sub").mkdir()
    os.chdir(workdir / "sub")
    assert findings(cli, "--git-tracked", "--select", "A001") == [("../corpus/un é\tnamed.md", "A001")]


def test_git_tracked_outside_a_repository_is_a_usage_error(cli, workdir: Path) -> None:
    write_record(configured(workdir), clean_record())
    result = cli("lint", "--today", TODAY, "--git-tracked", env={"GIT_CEILING_DIRECTORIES": str(workdir.parent)})
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ccus-records: error: --git-tracked: ")
    assert len(result.stderr.splitlines()) == 1


def test_records_only_skips_files_outside_the_records_folders(cli, workdir: Path) -> None:
    corpus = configured(workdir)
    write_record(corpus, clean_record(**{"provenance.reviewer": ""}))
    (workdir / "README.md").write_text("# Not a record\n", encoding="utf-8")
    assert findings(cli, "--records-only", "README.md", "corpus/us-example-act-2020.md") == [
        ("corpus/us-example-act-2020.md", "A001")
    ]
    # Only non-records handed in: nothing to check, not "check the whole corpus".
    result = cli("lint", "--today", TODAY, "--records-only", "README.md")
    assert result.exit_code == 0
    assert result.stdout == "All clear: 0 files checked, no findings.\n"
    # Without the option the README is linted as the record it is not.
    assert ("README.md", "S001") in findings(cli, "README.md")


def test_records_only_without_a_records_folder_is_an_error(cli, workdir: Path) -> None:
    """No records folder to judge by: the hook fails and says how to set one up (never a pass, never S001)."""
    (workdir / "notes.md").write_text("# Not a record\n", encoding="utf-8")
    result = cli("lint", "--isolated", "--records-only", "notes.md")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("ccus-records: error: --records-only: no records folder")
