"""What a person meets in a repository laid out unlike this one, each case run as they run it: the installed
command in a subprocess, in a real temporary git repository whose records live in `records/`.

The corpus found from any folder, the hooks under the real pre-commit, diffs across a merge conflict and
Ctrl-C in a pseudo-terminal have their own modules (test_project_root, test_ci_precommit, test_diff_git,
test_interrupt); here are the rest: the tool's own files never written, a broken record never raising
coverage, fixes shown, and the smaller things a first day turns up.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ccus_records.engine.config import bundled_seeds
from tests.helpers import CLEAN_BODY, TODAY, clean_record, record_text, write_record

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}
CONFLICT = '<<<<<<< HEAD\n  "year": 2020\n=======\n  "year": 2021\n>>>>>>> theirs\n'


def environment(repo: Path) -> dict[str, str]:
    kept = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    return {**kept, **GIT_ENV, "HOME": str(repo.parent), "NO_COLOR": "1", "COLUMNS": "80"}


def run(repo: Path, *arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ccus_records", *arguments],
        cwd=cwd or repo,
        env=environment(repo),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )


def git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=repo, env=environment(repo), check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two committed records in `records/` and no configuration."""
    root = tmp_path / "project"
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    write_record(root / "records", clean_record("us-one-act-2020"))
    write_record(root / "records", clean_record("us-two-act-2020", **{"analysis.mrv.citation": ""}))
    (root / "README.md").write_text("# Our records\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    return root


def digest(folder: Path) -> str:
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return hashlib.sha256(b"".join(path.name.encode() + path.read_bytes() for path in files)).hexdigest()


def test_the_tools_own_records_are_never_written(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    git(tmp_path, "init", "-q", str(empty))
    demo = bundled_seeds()
    assert demo is not None
    before = digest(demo)
    for arguments in (("lint", "--fix", "--unsafe-fixes", "--select", "C005"), ("fmt",)):
        result = run(empty, *arguments)
        assert result.returncode == 2 and "no records folder" in result.stderr, arguments
    refused = run(empty, "lint", "--demo", "--fix", "--unsafe-fixes", "--select", "C005")
    assert refused.returncode == 2 and "read-only" in refused.stderr
    assert digest(demo) == before


def test_a_record_left_with_merge_markers_lowers_coverage_and_the_comparison_says_so(repo: Path) -> None:
    saved = repo.parent / "before.json"
    first = run(repo, "report", "--today", TODAY, "--format", "json", "--output", str(saved))
    assert first.returncode == 0, first.stderr
    record = repo / "records" / "us-one-act-2020.md"
    record.write_text(record.read_text(encoding="utf-8").replace('  "year": 2020\n', CONFLICT), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "a merge left markers")
    after = json.loads(run(repo, "report", "--today", TODAY, "--format", "json").stdout)
    assert after["coverage"]["percent"] < json.loads(saved.read_text(encoding="utf-8"))["coverage"]["percent"]
    assert after["corpus"]["unparsed"] == ["records/us-one-act-2020.md"]
    compared = run(repo, "report", "--today", TODAY, "--compare", str(saved))
    assert compared.returncode == 1, compared.stderr
    assert "coverage dropped" in compared.stdout and "coverage rose" not in compared.stdout
    marker = record.read_text(encoding="utf-8").splitlines().index("<<<<<<< HEAD") + 1
    lint = run(repo, "lint", "--today", TODAY, "--no-cache")
    assert f"records/us-one-act-2020.md:{marker}:1: S008 [error] unresolved merge conflict" in lint.stdout
    assert "S002" not in lint.stdout


def test_fixable_findings_are_marked_and_counted(repo: Path) -> None:
    truncated = clean_record("us-cut-act-2020", description="The Example Storage Act sets up a licensing regime for t")
    path = repo / "records" / "us-cut-act-2020.md"
    path.write_bytes(record_text(truncated, CLEAN_BODY).replace("\n", "\r\n").encode())
    result = run(repo, "lint", "--today", TODAY, "--no-cache")
    lines = result.stdout.splitlines()
    assert "records/us-cut-act-2020.md:1:1: F002 [*] [warning] CRLF line endings (first on line 1)" in lines
    assert any(line.startswith("records/us-cut-act-2020.md:") and ": C005 [-] [warning]" in line for line in lines)
    assert lines[-1] == "[*] 1 fixable with --fix (1 more with --unsafe-fixes)."
    preview = run(repo, "lint", "--today", TODAY, "--no-cache", "--fix", "--diff")
    assert preview.returncode == 1 and "\\r" not in preview.stdout and path.read_bytes().count(b"\r\n") > 1


def test_a_self_review_is_refused_whatever_the_status(repo: Path) -> None:
    before = (repo / "records" / "us-one-act-2020.md").read_bytes()
    for status in ("pending", "verified", "rejected"):
        result = run(repo, "review", "us-one-act-2020", "--reviewer", "A. Curator", "--status", status)
        assert result.returncode == 1, (status, result.stderr)
        assert "the reviewer 'A. Curator' is the record's author" in result.stderr
    assert (repo / "records" / "us-one-act-2020.md").read_bytes() == before


def test_a_pipe_gets_one_line_a_record_and_where_reads_countries_as_lint_does(repo: Path) -> None:
    write_record(repo / "records", clean_record("cn-long-title-2021", country="China", title="Carbon " * 40))
    listed = run(repo, "list", "--where", "country==China")
    assert listed.returncode == 0, listed.stderr
    header, row, footer = listed.stdout.splitlines()
    assert header.split()[:2] == ["id", "title"] and row.startswith("cn-long-title-2021")
    assert ("Carbon " * 40).strip() in row and footer == "1 record"
    assert run(repo, "list", "--where", "country=CN", "--format", "ids").stdout == "cn-long-title-2021\n"
    typo = run(repo, "list", "--where", "country==Chna")
    assert (typo.returncode, typo.stdout) == (2, "")
    assert typo.stderr == (
        "ccus-records: error: --where 'country==Chna': no record can match: 'Chna' is not a country name, nor the "
        "country of any record; did you mean China?\n"
    )


def test_errors_come_in_one_style_with_the_closest_name(repo: Path) -> None:
    assert run(repo, "lnit").stderr == "ccus-records: error: no such command 'lnit'; did you mean lint?\n" + (
        "Try 'ccus-records --help'.\n"
    )
    for arguments in (("lint", "--bogus"), ("show",), ("list", "--format", "xml"), ("list", "--sort", "titel")):
        result = run(repo, *arguments)
        assert result.returncode == 2, arguments
        assert result.stderr.startswith("ccus-records: error: ") and "╭" not in result.stderr, arguments
    listed = run(repo, "list", "--format", "xml")
    assert "'json-lines'" in listed.stderr and "jsonl" not in listed.stderr
    assert (
        run(repo, "list", "--format", "jsonl", "--columns", "id").stdout.splitlines()[0] == '{"id": "us-one-act-2020"}'
    )


def test_report_words_its_breaches_and_can_exit_zero(repo: Path) -> None:
    (repo / "ccus-records.toml").write_text(
        'records = ["records"]\n[report.fail-under]\noverall = 99\n"field:analysis.mrv.citation" = 100\n',
        encoding="utf-8",
    )
    breached = run(repo, "report", "--today", TODAY)
    assert breached.returncode == 1 and "Thresholds: 2 breaches (2 thresholds)." in breached.stdout
    assert run(repo, "report", "--today", TODAY, "--exit-zero").returncode == 0


def test_lint_fix_with_nothing_to_fix_says_nothing_of_fixing(repo: Path) -> None:
    result = run(repo, "lint", "--today", TODAY, "--fix", "--no-cache")
    assert result.returncode == 1 and "Fixed" not in result.stdout + result.stderr
    assert "fixable" not in result.stdout


def test_diff_names_the_duplicate_id_rule(repo: Path) -> None:
    other = repo / "elsewhere"
    write_record(other, clean_record("us-one-act-2020"))
    write_record(other, clean_record("us-one-act-2020"), name="copy.md")
    result = run(repo, "diff", "records", "elsewhere")
    assert result.returncode == 2 and "(run lint: I004)" in result.stderr and "I001" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_what_a_walk_leaves_out_is_said(repo: Path) -> None:
    os.mkfifo(repo / "records" / "pipe.md")
    (repo / "records" / "again").symlink_to(".")
    result = run(repo, "lint", "--today", TODAY, "--no-cache")
    assert result.returncode == 1, result.stderr
    warnings = result.stderr.splitlines()
    assert any(
        line.endswith("records/pipe.md: skipped: not a regular file (a FIFO, socket or device); not read")
        for line in warnings
    ), warnings
    assert any(
        line.endswith("records/again: skipped: a symbolic link to a folder already read; not followed")
        for line in warnings
    ), warnings


def answer_in_a_terminal(repo: Path, arguments: list[str], answer: bytes | None) -> tuple[int, str, bytes]:
    """Run the command with stdin and stdout on a pseudo-terminal; once it asks, type `answer` (None: Ctrl-C).

    Returns the exit code, stderr and what the terminal showed.
    """
    import pty
    import select
    import signal
    import time

    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ccus_records", *arguments],
        cwd=repo,
        stdin=secondary,
        stdout=secondary,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=environment(repo),
    )
    os.close(secondary)
    shown = bytearray()
    deadline = time.monotonic() + 60
    try:
        while b"Replace it?" not in shown and time.monotonic() < deadline and process.poll() is None:
            if select.select([primary], [], [], 0.05)[0]:
                shown.extend(os.read(primary, 65536))
        assert b"Replace it?" in shown, bytes(shown)
        if answer is None:
            os.killpg(process.pid, signal.SIGINT)
        else:
            os.write(primary, answer)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(primary)
    return process.returncode, stderr.decode(), bytes(shown)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")
def test_a_question_left_unanswered_changes_nothing_and_says_so_in_one_line(repo: Path) -> None:
    configuration = repo / "ccus-records.toml"
    configuration.write_text('records = ["records"]\nignore = ["A"]\n', encoding="utf-8")
    for answer, code, stderr in (
        (b"\x04", 1, "ccus-records: error: no answer: nothing done\n"),  # Ctrl-D: the end of the input
        (None, 130, "ccus-records: interrupted\n"),  # Ctrl-C
        (b"n\n", 1, ""),
    ):
        returned, written, _ = answer_in_a_terminal(repo, ["init"], answer)
        # Python's input() writes the question's last space to stderr on a terminal: the rest is the tool's.
        assert (returned, written.lstrip(" ")) == (code, stderr), answer
        assert configuration.read_text(encoding="utf-8").endswith('ignore = ["A"]\n')
