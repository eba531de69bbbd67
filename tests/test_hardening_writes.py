"""Writes under pressure: concurrent writers, a full disk, a size limit. The record is never lost."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import clean_record, record_text

RECORD_ID = "us-example-act-2020"


def corpus(folder: Path) -> Path:
    (folder / "records").mkdir(parents=True, exist_ok=True)
    (folder / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    path = folder / "records" / f"{RECORD_ID}.md"
    path.write_text(record_text(clean_record(RECORD_ID)), encoding="utf-8")
    return path


def test_concurrent_writers_one_wins_the_other_is_told_and_nothing_is_lost(tmp_path: Path) -> None:
    """Two curators open the same record in their editors; both save. The first save is written; the
    second finds the record changed, is told so, and its text is kept in a file it names."""
    path = corpus(tmp_path)
    original = path.read_text(encoding="utf-8")
    editors = []
    started = tmp_path / "second-editor-started"
    for name in ("first", "second"):
        script = tmp_path / f"editor-{name}.py"
        # Both editors are open at once (so both processes read the same version); the first saves once
        # the second has started, the second saves once the first save is on disk.
        wait_for = (
            f"while not os.path.exists({str(started)!r}): time.sleep(0.02)"
            if name == "first"
            else f"open({str(started)!r}, 'w').close()\n"
            f"while 'Title by first' not in open({str(path)!r}, encoding='utf-8').read(): time.sleep(0.02)"
        )
        script.write_text(
            "import os, sys, time\n"
            f"{wait_for}\n"
            "path = sys.argv[1]\n"
            "text = open(path, encoding='utf-8').read()\n"
            "open(path, 'w', encoding='utf-8').write(text.replace('\"title\": \"Example Storage Act\"',"
            f' \'"title": "Title by {name}"\'))\n',
            encoding="utf-8",
        )
        env = {**os.environ, "VISUAL": f"{sys.executable} {script}", "NO_COLOR": "1"}
        editors.append(
            subprocess.Popen(
                [sys.executable, "-m", "ccus_records", "edit", RECORD_ID],
                cwd=tmp_path,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    results = [(process.wait(timeout=60), *process.communicate()) for process in editors]
    (first_code, _, _), (second_code, _, second_err) = results
    assert first_code == 0
    assert second_code != 0
    assert "changed" in second_err
    final = path.read_text(encoding="utf-8")
    assert '"title": "Title by first"' in final and final != original
    kept = [Path(word.strip(".,;:'\"")) for word in second_err.split() if word.strip(".,;:'\"").endswith(".md")]
    kept = [candidate for candidate in kept if candidate.is_file() and candidate != path]
    assert kept, second_err
    assert '"title": "Title by second"' in kept[0].read_text(encoding="utf-8")  # the loser's typing is kept


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def test_a_write_that_fails_midway_is_a_clear_error_and_the_original_is_intact(tmp_path: Path) -> None:
    """A process that may not write files over 1 KiB (RLIMIT_FSIZE): the write fails part-way, as on a
    full disk, and the record stays exactly as it was."""
    path = corpus(tmp_path)
    before = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "ccus_records", "edit", RECORD_ID, "--set", "title=A longer title than before"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "cannot be written" in result.stderr and "nothing written" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert [entry.name for entry in path.parent.iterdir()] == [path.name]  # no temporary file left behind


@pytest.fixture
def full_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 64 KiB tmpfs, mounted for the test where the test runs as root and may mount (CI does)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root: the RLIMIT_FSIZE test covers the failure path")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)], check=False)
    if mounted.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs: the RLIMIT_FSIZE test covers the failure path")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_full_disk_is_a_clear_error_and_the_original_is_intact(full_disk: Path) -> None:
    path = corpus(full_disk)
    before = path.read_bytes()
    descriptor = os.open(full_disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 512)
    except OSError:
        pass  # the disk is full now
    finally:
        os.close(descriptor)
    for command in (
        ["edit", RECORD_ID, "--set", "title=Changed"],
        ["fmt", "records"],
        ["review", RECORD_ID, "--reviewer", "C. Checker", "--status", "pending"],
    ):
        if command[0] == "fmt":
            path.write_bytes(before.replace(b"\n  ", b"\n    ", 1))  # something for fmt to rewrite
            expected = path.read_bytes()
        else:
            expected = path.read_bytes()
        result = subprocess.run(
            [sys.executable, "-m", "ccus_records", *command],
            cwd=full_disk,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0, (command, result.stdout)
        assert "No space left on device" in result.stderr or "cannot be written" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert path.read_bytes() == expected, command
        json.loads(path.read_text(encoding="utf-8")[4:].split("\n---\n")[0])  # still a whole record


# Every command that rewrites a record, given the record as the corpus finds it (by id, or its folder), on a
# record each of them changes (see `changeable_record`).
WRITING_COMMANDS = {
    "edit": ["edit", RECORD_ID, "--set", "year=2021"],
    "review": ["review", RECORD_ID, "--reviewer", "C. Checker", "--status", "pending", "--today", "2026-12-01"],
    "fmt": ["fmt", "records"],
    "lint --fix": ["lint", "records", "--fix", "--unsafe-fixes", "--today", "2026-12-01", "--no-cache"],
}


def by_path(name: str) -> list[str]:
    """The command with the record named by its path instead."""
    record = f"records/{RECORD_ID}.md"
    return [record if part in (RECORD_ID, "records") else part for part in WRITING_COMMANDS[name]]


def changeable_record(folder: Path) -> Path:
    """A project whose one record each writing command changes: a non-canonical layout (fmt, --fix), a cut
    description (--fix), a year (edit) and a review (review)."""
    path = corpus(folder)
    data = clean_record(RECORD_ID, description="The Example Storage Act sets up a licensing regime for the perm")
    path.write_bytes(record_text(data).replace('\n  "analysis"', '\n    "analysis"', 1).encode())
    return path


@pytest.mark.parametrize("name", sorted(WRITING_COMMANDS))
def test_a_writing_command_killed_at_a_random_point_leaves_the_old_or_the_new_file(tmp_path: Path, name: str) -> None:
    """The real command in a fresh interpreter, killed at random moments of its run: the record is always
    one whole version or the other (test_edit_writer.py kills the writer itself mid-write, many times)."""
    import random

    command = WRITING_COMMANDS[name]
    path = changeable_record(tmp_path)
    before = path.read_bytes()
    finished = subprocess.run(
        [sys.executable, "-m", "ccus_records", *command], cwd=tmp_path, capture_output=True, check=False
    )
    after = path.read_bytes()
    assert after != before, (name, finished.stderr)
    chances = random.Random(name)
    for _ in range(4):
        path.write_bytes(before)
        child = subprocess.Popen(
            [sys.executable, "-m", "ccus_records", *command],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(chances.uniform(0.05, 0.6))
        child.kill()
        child.wait()
        assert path.read_bytes() in (before, after), name


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX file modes")
@pytest.mark.parametrize("name", sorted(WRITING_COMMANDS))
def test_a_read_only_record_is_refused_by_every_writing_command_and_left_as_it_was(
    cli, workdir: Path, name: str
) -> None:
    path = changeable_record(workdir)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        result = cli(*WRITING_COMMANDS[name])
    finally:
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(0o644)
    assert result.exit_code == 2, result.stdout
    assert result.stderr == f"ccus-records: error: records/{RECORD_ID}.md: the file is read-only; nothing written\n"
    assert path.read_bytes() == before
    assert mode == 0o444


@pytest.mark.parametrize("given", ["by path", "by id or folder"])
@pytest.mark.parametrize("name", sorted(WRITING_COMMANDS))
def test_a_symlink_out_of_the_corpus_is_never_written_through(cli, workdir: Path, name: str, given: str) -> None:
    """Named by its path, the link is refused; found by walking the corpus, it is skipped, and said so."""
    outside = workdir / "elsewhere" / f"{RECORD_ID}.md"
    outside.parent.mkdir()
    project = workdir / "project"
    path = changeable_record(project)
    outside.write_bytes(path.read_bytes())
    before = outside.read_bytes()
    path.unlink()
    path.symlink_to(outside)
    os.chdir(project)
    result = cli(*(by_path(name) if given == "by path" else WRITING_COMMANDS[name]))
    link = f"{path}: is a symlink to {outside}, outside the corpus; not writing through it"
    skipped = f"ccus-records: warning: {path}: skipped: a symbolic link to {outside}, outside the project; not read\n"
    if given == "by path":
        assert result.exit_code == 2
        assert f"ccus-records: error: {link}\n" in result.stderr
    elif name == "fmt":
        assert result.exit_code == 0 and result.stderr == skipped
        assert result.stdout == "0 file(s) reformatted, 0 left unchanged\n"
    else:
        assert result.exit_code == 2
        assert result.stderr.startswith(skipped)
        refusal = "no record files in records" if name == "lint --fix" else f"no record with id {RECORD_ID!r}"
        assert f"ccus-records: error: {refusal}" in result.stderr
    assert outside.read_bytes() == before and path.is_symlink()
