"""The writer: atomic under SIGKILL, refusing a file that changed since it was read, checked after writing."""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from ccus_records.recordfile.writer import WriteError, read_snapshot, write_record_text
from tests.helpers import clean_record, record_text, write_record


def _rewrite_forever(path: Path, versions: tuple[str, str], ready: int) -> None:
    """The child: rewrite one file over and over, alternating two versions of about a megabyte each, so
    that a kill at a random moment lands inside a write far more often than between two."""
    os.write(ready, b"r")
    turn = 0
    while True:
        _, snapshot = read_snapshot(path, path.name, max_bytes=10**8)
        write_record_text(snapshot, versions[turn % 2], path.name)
        turn += 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_a_write_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    padding = "Operators must monitor the storage site and report leaks. " * 18_000
    old_text = record_text(clean_record(title="Old"), padding)
    new_text = record_text(clean_record(title="New"), padding + "A final sentence.")
    folder = tmp_path / "records"
    folder.mkdir()
    target = folder / "record.md"
    allowed = {old_text.encode("utf-8"), new_text.encode("utf-8")}
    chances = random.Random(20261201)
    mid_write = 0
    for _ in range(60):
        target.write_text(old_text, encoding="utf-8")
        ready_read, ready_write = os.pipe()
        # A forked process (not a fresh interpreter) so that many kills fit in a fraction of a second.
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns; it is killed
            try:
                os.close(ready_read)
                _rewrite_forever(target, (old_text, new_text), ready_write)
            finally:
                os._exit(1)
        os.close(ready_write)
        assert os.read(ready_read, 1) == b"r"
        os.close(ready_read)
        time.sleep(chances.uniform(0.0, 0.01))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        assert target.read_bytes() in allowed  # never truncated, never a mixture
        leftovers = [name for name in os.listdir(folder) if name != "record.md"]
        mid_write += bool(leftovers)
        for name in leftovers:  # what a killed write leaves: its temporary file, never a record
            assert name.startswith(".record.md.") and name.endswith(".tmp")
            (folder / name).unlink()
    assert mid_write > 0, "no kill landed inside a write: the test proved nothing"


def test_a_change_between_read_and_write_is_refused(tmp_path: Path) -> None:
    path = write_record(tmp_path, clean_record())
    file, snapshot = read_snapshot(path, path.name)
    theirs = path.read_text(encoding="utf-8").replace('"year": 2020', '"year": 2021')
    path.write_text(theirs, encoding="utf-8")
    with pytest.raises(WriteError, match="changed on disk since it was read"):
        write_record_text(snapshot, (file.text or "").replace("Example Storage Act", "Ours"), path.name)
    assert path.read_text(encoding="utf-8") == theirs


def test_a_same_size_change_with_the_same_mtime_is_still_caught(tmp_path: Path) -> None:
    path = write_record(tmp_path, clean_record())
    file, snapshot = read_snapshot(path, path.name)
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace('"year": 2020', '"year": 2021'), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    with pytest.raises(WriteError, match="changed on disk"):
        write_record_text(snapshot, file.text or "", path.name)


def test_a_file_removed_since_it_was_read_is_refused(tmp_path: Path) -> None:
    path = write_record(tmp_path, clean_record())
    file, snapshot = read_snapshot(path, path.name)
    path.unlink()
    with pytest.raises(WriteError):
        write_record_text(snapshot, file.text or "", path.name)
    assert not path.exists()


def test_byte_order_mark_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_bytes(b"\xef\xbb\xbf" + record_text(clean_record()).encode("utf-8"))
    file, snapshot = read_snapshot(path, path.name)
    write_record_text(snapshot, (file.text or "").replace('"year": 2020', '"year": 2021'), path.name)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf---\n")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into any folder")
    path = write_record(tmp_path / "locked", clean_record())
    file, snapshot = read_snapshot(path, path.name)
    path.parent.chmod(0o555)
    try:
        with pytest.raises(WriteError, match="cannot be written"):
            write_record_text(snapshot, (file.text or "") + "x", path.name)
    finally:
        path.parent.chmod(0o755)
