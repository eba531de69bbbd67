"""Running git itself: no shell, every argument a list item, git's own first error line when it fails.

Every git command the tool runs goes through `run_git` (or `Started`, the same command not waited for, or
`BlobReader`, one `git cat-file --batch` kept open for a whole command), which makes git run nothing but
itself and fetch nothing, whatever the repository's configuration says: a repository handed to the tool (a
tarball, a CI workspace, a colleague's folder) may carry a `.git/config` whose settings name programs to
run.

- `core.fsmonitor` (a hook git runs on every command that reads the index) is turned off with `-c`,
  which outranks every configuration file;
- `protocol.allow=never` and `GIT_NO_LAZY_FETCH`: a partial clone missing a blob fails instead of fetching
  it (and so no transport, ssh command, proxy command or credential helper ever runs);
- automatic maintenance and gc are off; optional locks are off (a read-only command takes no index.lock);
- `--no-pager`; the tool never runs `git show` or asks for a patch: its `git log` (features/history.py,
  features/report_history.py), `git diff-tree` and `git diff` list names and blob ids only, with
  `--no-ext-diff --no-textconv` (`NO_DRIVERS`), and `git log` with `--no-show-signature` (no gpg) and
  `--no-color`, so no external diff, textconv driver or signature program can run;
- of the inherited `GIT_*` variables only those that say which repository, work tree and index to use are
  kept (a pre-commit hook runs with GIT_INDEX_FILE and GIT_DIR set); those that inject configuration
  (GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT, ...), name programs (GIT_EXTERNAL_DIFF, GIT_SSH_COMMAND,
  GIT_ASKPASS, GIT_PAGER, GIT_EXEC_PATH, ...) or write files (GIT_TRACE*) are dropped.

Hooks (`core.hooksPath`) do not matter: none of the commands run here (rev-parse, ls-files, ls-tree,
cat-file, merge-base, log, diff-tree --raw) runs a hook.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from ccus_records.errors import CcusRecordsError


class GitFailure(CcusRecordsError):
    """Git could not answer: not a repository, an unknown revision, git missing."""


# Configuration that outranks the repository's own: nothing runs, nothing is fetched, nothing maintained.
SAFE_CONFIG: tuple[str, ...] = (
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "protocol.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
    "diff.external=",
)
# For any future `git diff`, `show` or `log -p`: no external diff program, no textconv driver.
NO_DRIVERS: tuple[str, ...] = ("--no-ext-diff", "--no-textconv")
# The inherited GIT_* variables kept: where the repository, its objects, its work tree and its index are.
_KEPT_GIT_VARIABLES = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_COMMON_DIR",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_QUARANTINE_PATH",
        "GIT_NAMESPACE",
        "GIT_CEILING_DIRECTORIES",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    }
)


def git_command(arguments: Sequence[str]) -> list[str]:
    """The full command line for git with `arguments`, its code-running configuration overridden."""
    command = ["git", "--no-pager"]
    for setting in SAFE_CONFIG:
        command += ["-c", setting]
    return [*command, *arguments]


def git_environment() -> dict[str, str]:
    """The environment git runs in: ours, less the GIT_* variables that could make it run or write things."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("GIT_") or name in _KEPT_GIT_VARIABLES
    }
    # Optional locks off: a read-only command must not take index.lock from under an editor or hook.
    environment.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1")
    # glibc's allocator gives each large buffer back to the kernel when it is freed and maps it afresh for
    # the next: the tree of a folder of 10,000 records is half a megabyte, and `git log` of one record read
    # it twice a commit, a third of its time in page faults. Kept in git's heap (up to 64 MiB), it is not.
    # Other C libraries ignore these names; values already set win.
    environment.setdefault("MALLOC_MMAP_THRESHOLD_", str(4 << 20))
    environment.setdefault("MALLOC_TRIM_THRESHOLD_", str(64 << 20))
    return environment


def _popen(arguments: Sequence[str], cwd: Path, stderr: int) -> subprocess.Popen[bytes]:
    """Git started with its input and output on pipes, and its errors on a pipe or nowhere."""
    try:
        return subprocess.Popen(
            git_command(arguments),
            cwd=cwd,
            env=git_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    except FileNotFoundError:
        raise GitFailure("git is not installed (or not on PATH)") from None
    except OSError as error:
        raise GitFailure(f"cannot run git: {error.strerror or error}") from None


class Started:
    """A git command started and not yet waited for: its output when asked for, or stopped unread.

    A command whose answer is likely to be wanted can run beside other work (on another core).
    """

    def __init__(self, arguments: Sequence[str], cwd: Path, stdin: bytes | None = None) -> None:
        self._stdin = stdin if stdin is not None else b""
        self._process = _popen(arguments, cwd, subprocess.PIPE)

    def output(self) -> bytes:
        """Git's standard output; a `GitFailure` with git's own first error line when it fails."""
        stdout, stderr = self._process.communicate(self._stdin)
        if self._process.returncode != 0:
            message = stderr.decode("utf-8", "replace").strip().splitlines()
            first = next((line for line in message if line.strip()), f"git exited with {self._process.returncode}")
            raise GitFailure(first.removeprefix("fatal: ").removeprefix("error: "))
        return stdout

    def stop(self) -> None:
        """End the command, if it is still running, without reading its answer."""
        if self._process.returncode is None:
            self._process.kill()
            self._process.communicate()


def run_git(arguments: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Git's standard output; a `GitFailure` with git's own first error line when it fails."""
    return Started(arguments, cwd, stdin).output()


def check_revision(revision: str, option: str) -> None:
    """Refuse what must never reach git as a revision: empty, option-like, or with line breaks or NUL."""
    if not revision.strip():
        raise GitFailure(f"{option}: the revision is empty")
    if revision.startswith("-"):
        raise GitFailure(f"{option} {revision!r}: a revision cannot start with '-'")
    if any(character in revision for character in "\n\r\x00"):
        raise GitFailure(f"{option} {revision!r}: a revision cannot contain line breaks")


def changed_files(revision: str, cwd: Path, option: str = "--changed-since") -> frozenset[str]:
    """Absolute paths of the files changed between the merge base of `revision` and HEAD, and the work
    tree: committed since, staged, unstaged, and untracked but not ignored (deleted files are left out).

    The revision is checked as every revision from the command line is (never an option), verified by
    git and used from then on only as the commit id git returned.
    """
    check_revision(revision, option)
    try:
        top = os.fsdecode(run_git(["rev-parse", "--show-toplevel"], cwd)).rstrip("\r\n")
    except GitFailure as error:
        raise GitFailure(f"{option} needs a git repository: {error}") from None
    root = Path(top)
    try:
        commit = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], root)
    except GitFailure:
        raise GitFailure(f"{option} {revision!r}: not a commit in this repository") from None
    commit_id = commit.decode("ascii", "replace").strip()
    try:
        base = run_git(["merge-base", commit_id, "HEAD"], root).decode("ascii", "replace").strip()
    except GitFailure as error:
        raise GitFailure(f"{option} {revision!r}: no common ancestor with HEAD ({error})") from None
    # The merge base against the work tree (the index's staged changes included); names only, so no diff
    # driver would run, and none can (NO_DRIVERS). -z: names NUL-separated and never quoted.
    changed = run_git(["diff", *NO_DRIVERS, "--name-only", "-z", "--no-renames", base, "--"], root)
    untracked = run_git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name"], root)
    names = [name for name in (changed + b"\0" + untracked).split(b"\0") if name]
    return frozenset(os.path.normcase(os.path.join(top, os.fsdecode(name))) for name in names)


_OBJECT_ID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
# Blobs above the caller's limit are read past in pieces of this size, never held whole.
_PIECE = 1 << 20


class BlobReader:
    """One `git cat-file --batch` kept open for a whole command: blobs by id, streamed as git writes them.

    The ids go to git on a thread of their own while the contents are read on the caller's, so a long list
    never leaves both pipes full; nothing is held but the blob being handed over. Use it in a `with` block.
    """

    def __init__(self, cwd: Path) -> None:
        self._process = _popen(["cat-file", "--batch"], cwd, subprocess.DEVNULL)

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    def close(self) -> None:
        process = self._process
        if process.poll() is None:
            if process.stdin is not None and not process.stdin.closed:
                with contextlib.suppress(BrokenPipeError):
                    process.stdin.close()  # git ends when its input does
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def read(self, blobs: Sequence[str], max_bytes: int | None = None) -> Iterator[tuple[str, int, bytes | None]]:
        """(id, size, content) of each blob, in the order asked; the content is None above `max_bytes`.

        A `GitFailure` for an id git does not hold as a blob.
        """
        import threading

        for blob in blobs:
            if not _OBJECT_ID.match(blob):
                raise GitFailure(f"{blob!r}: not an object id")
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None

        def send() -> None:
            try:
                stdin.write("".join(f"{blob}\n" for blob in blobs).encode("ascii"))
                stdin.flush()
            except (BrokenPipeError, ValueError):  # git ended (the reading side says why)
                pass

        writer = threading.Thread(target=send, daemon=True)
        writer.start()
        finished = False
        try:
            for blob in blobs:
                header = stdout.readline()
                parts = header.split()
                if len(parts) != 3 or parts[1] != b"blob":
                    answer = header.decode("ascii", "replace").strip() or "git ended"
                    raise GitFailure(f"cannot read blob {blob}: {answer}")
                size = int(parts[2])
                content: bytes | None = None
                if max_bytes is None or size <= max_bytes:
                    content = stdout.read(size)
                    if len(content) != size:
                        raise GitFailure(f"cannot read blob {blob}: git ended")
                else:
                    left = size
                    while left:
                        piece = stdout.read(min(left, _PIECE))
                        if not piece:
                            raise GitFailure(f"cannot read blob {blob}: git ended")
                        left -= len(piece)
                stdout.read(1)  # the newline after each content
                yield blob, size, content
            finished = True
        finally:
            if not finished:
                # Stopped part-way: git may be blocked writing what nobody reads, and the writer behind it.
                self._process.kill()
            writer.join()
