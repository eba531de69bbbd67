"""Writing a record file safely: atomically, never over a change made since it was read, checked afterwards.

Every command that changes a record (edit, review, fmt, lint --fix) goes through `write_record_text`:

- the file is read once into a `Snapshot` (its bytes, size, modification time and mode);
- the new text goes to a temporary file in the same folder, is flushed and fsynced, given the old file's
  mode and renamed over the original (`os.replace` is atomic on POSIX and Windows), so that a process
  killed at any moment leaves either the old file or the new one, never a truncated mixture;
- just before the rename the file on disk is compared with the snapshot, so that a change made meanwhile
  (an editor left open while someone else committed) is refused instead of silently overwritten;
- afterwards the file is read back and must hold exactly the bytes intended.

A symlink is written through to its target (the link stays a link) only when the target lies inside one
of the allowed roots; a link pointing out of the corpus is refused.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ccus_records.errors import CcusRecordsError
from ccus_records.recordfile.reader import (
    BOM,
    DEFAULT_MAX_FILE_BYTES,
    RecordFile,
    parse_record_bytes,
    read_regular_file,
)


class WriteError(CcusRecordsError):
    """A record cannot be written; the message says why, and nothing was changed."""


@dataclass(frozen=True)
class Snapshot:
    """A file as it was read: what is compared just before writing over it."""

    path: Path  # the file actually written: the symlink's target when `path` was a link
    raw: bytes
    size: int
    mtime_ns: int
    mode: int
    # Keys the file holds more than once (S004): rewriting it from its data would drop all but one value.
    duplicate_keys: tuple[str, ...] = ()

    @property
    def had_bom(self) -> bool:
        return self.raw.startswith(BOM.encode("utf-8"))


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    for root in roots:
        try:
            path.relative_to(root)
            return True
        except ValueError:
            continue
    return False


def real_target(path: Path, roots: Iterable[Path]) -> Path:
    """The file a write to `path` lands in; a symlink leading out of every root is refused."""
    absolute = Path(os.path.abspath(path))
    resolved = absolute.resolve()
    if resolved != absolute:
        allowed = [Path(os.path.abspath(root)).resolve() for root in roots]
        if not _inside(resolved, allowed):
            raise WriteError(f"{path}: is a symlink to {resolved}, outside the corpus; not writing through it")
    return resolved


def read_snapshot(
    path: Path, display: str, roots: Iterable[Path] = (), max_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> tuple[RecordFile, Snapshot]:
    """Read a record for changing it: the parsed file and the snapshot a later write is checked against."""
    target = real_target(path, roots)
    try:
        info, read = read_regular_file(target, max_bytes)
    except OSError as error:
        raise WriteError(f"{display}: cannot be read: {error.strerror or error}") from None
    if read is None:
        raise WriteError(f"{display}: the file is {info.st_size:,} bytes, above the limit of {max_bytes:,}")
    raw = read
    file = parse_record_bytes(raw, RecordFile(path=path, display=display))
    duplicates = tuple(
        problem.field or (f"line {problem.line}" if problem.line else "?")
        for problem in file.problems
        if problem.code == "S004"
    )
    snapshot = Snapshot(target, raw, info.st_size, info.st_mtime_ns, stat.S_IMODE(info.st_mode), duplicates)
    return file, snapshot


def changed_since(snapshot: Snapshot) -> bool:
    """True when the file on disk is no longer the one read (size, mtime or content differ)."""
    try:
        info = snapshot.path.stat()
    except OSError:
        return True
    if info.st_size != snapshot.size or info.st_mtime_ns != snapshot.mtime_ns:
        return True
    try:
        return read_regular_file(snapshot.path, snapshot.size)[1] != snapshot.raw
    except OSError:
        return True


def encode_text(text: str, snapshot: Snapshot) -> bytes:
    """UTF-8, keeping a byte-order mark the file had (S006 reports it; an edit is not the place to drop it)."""
    data = text.encode("utf-8")
    if snapshot.had_bom and not text.startswith(BOM):
        data = BOM.encode("utf-8") + data
    return data


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not possible on every platform, and not needed for atomicity.
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def atomic_replace(target: Path, data: bytes, mode: int) -> None:
    """Put `data` at `target` atomically: temporary file in the same folder, fsync, rename over."""
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(target.parent)


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """An exclusive advisory lock on the file being replaced, for as long as the check and the rename take.

    Writers lock the inode they found at the path; one that waited on a file since replaced then sees
    the new content and refuses. Where advisory locks do not exist (Windows), the check alone remains.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        # Without blocking: a FIFO put in the file's place would otherwise wait here for a writer forever.
        descriptor = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        yield  # the check that follows reports the missing file
        return
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield  # anything else is no longer the file read: the check that follows refuses it
    finally:
        os.close(descriptor)


def inside_the_tool(path: Path) -> bool:
    """Whether `path` lies inside the installed tool (its demo corpus included), which is never written."""
    import ccus_records

    package = Path(ccus_records.__file__).resolve().parent
    return _inside(Path(os.path.abspath(path)).resolve(), [package])


def write_record_text(snapshot: Snapshot, text: str, display: str, by_hand: bool = False) -> None:
    """Write `text` over the file of `snapshot`, or raise `WriteError` having written nothing.

    A file that holds a key twice (S004) is never rewritten from its data: the parsed data kept one value
    and dropped the other, silently. Only text a person wrote (`by_hand`: the editor of `edit`, where the
    whole text, both keys included, was in front of them) may replace it, and only without the duplicate.
    """
    target = snapshot.path
    if inside_the_tool(target):
        raise WriteError(f"{display}: part of the installed tool (the demo corpus is read-only); nothing written")
    if snapshot.duplicate_keys:
        keys = ", ".join(f"`{key}`" for key in snapshot.duplicate_keys)
        if not by_hand:
            raise WriteError(
                f"{display}: holds the key {keys} more than once (S004); rewriting it would keep one value and "
                "silently drop the other. Resolve the duplicate by hand first; nothing written"
            )
        if any(
            problem.code == "S004"
            for problem in parse_record_bytes(
                text.encode("utf-8", "surrogatepass"), RecordFile(path=target, display=display)
            ).problems
        ):
            raise WriteError(f"{display}: the text still holds a key more than once (S004); nothing written")
    data = encode_text(text, snapshot)
    if not snapshot.mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise WriteError(f"{display}: the file is read-only; nothing written")
    with _locked(target):
        # Checked again under the lock: of two writers that read the same version, one replaces the file
        # and the other finds it changed and is told, instead of silently undoing the first one's work.
        if changed_since(snapshot):
            raise WriteError(f"{display}: the file changed on disk since it was read; nothing written (run again)")
        try:
            atomic_replace(target, data, snapshot.mode)
        except OSError as error:
            raise WriteError(f"{display}: cannot be written: {error.strerror or error}; nothing written") from None
    try:
        written = read_regular_file(target, len(data))[1]
    except OSError as error:
        raise WriteError(f"{display}: written, but cannot be read back: {error.strerror or error}") from None
    if written != data:
        raise WriteError(f"{display}: after writing, the file does not hold what was written (changed meanwhile?)")
