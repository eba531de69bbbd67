"""Records as they stood at a git revision, read with git itself.

Git runs without a shell, with every argument a list item. A revision from the command line is refused when
it starts with `-` (so `--output=x` can never become an option of git), checked with
`git rev-parse --verify --end-of-options`, and used from then on only as the commit id git returned.
Paths go to git after `--` with `--literal-pathspecs`, so none of them is read as pathspec magic.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ccus_records.engine import git
from ccus_records.engine.corpus import SKIPPED_FOLDERS
from ccus_records.features.diff import DiffInputError, RecordSide, side_from_file, unreadable_side
from ccus_records.recordfile.reader import RecordFile, display_path, parse_record_bytes

_HEX = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


class GitError(DiffInputError):
    """Git could not answer: not a repository, an unknown revision, git missing (exit 2)."""


def run_git(arguments: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Git's standard output; a `GitError` (exit 2 for diff) when git cannot answer."""
    try:
        return git.run_git(arguments, cwd, stdin)
    except git.GitFailure as error:
        raise GitError(str(error)) from None


def repository_root(cwd: Path) -> Path:
    try:
        output = run_git(["rev-parse", "--show-toplevel"], cwd)
    except GitError as error:
        raise GitError(f"--rev needs a git repository: {error}") from None
    return Path(output.decode("utf-8", "surrogateescape").strip())


def check_revision_text(revision: str) -> None:
    """Refuse what must never reach git as a revision: empty, option-like, or with line breaks or NUL."""
    if not revision.strip():
        raise GitError("--rev: the revision is empty")
    if revision.startswith("-"):
        raise GitError(f"--rev {revision!r}: a revision cannot start with '-'")
    if any(character in revision for character in "\n\r\x00"):
        raise GitError(f"--rev {revision!r}: a revision cannot contain line breaks")


def resolve_commit(revision: str, cwd: Path) -> str:
    """The commit id a revision names, verified by git; raises `GitError` for anything else."""
    check_revision_text(revision)
    try:
        output = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"--rev {revision!r}: not a commit in this repository") from None
    commit = output.decode("ascii", "replace").strip()
    if not _HEX.match(commit):
        raise GitError(f"--rev {revision!r}: git answered {commit!r}, not a commit id")
    return commit


@dataclass(frozen=True)
class RevisionRange:
    """What `--rev` asked for: the old side's revision, and the new side's (None: the working tree)."""

    old: str
    new: str | None
    symmetric: bool = False  # A...B: from where B forked off A


def parse_revision_range(text: str) -> RevisionRange:
    """`REV`, `A..B` (`A..` and `..B` default the missing side to HEAD, as git does) or `A...B`."""
    check_revision_text(text)
    for separator, symmetric in (("...", True), ("..", False)):
        if separator in text:
            old, new = text.split(separator, 1)
            old, new = old or "HEAD", new or "HEAD"
            check_revision_text(old)
            check_revision_text(new)
            return RevisionRange(old, new, symmetric)
    return RevisionRange(text, None)


@dataclass(frozen=True)
class TreeEntry:
    path: str  # relative to the repository root, with `/`
    blob: str
    size: int


def _selected(path: str, scopes: Sequence[str]) -> bool:
    """Whether a repository path is a record file under one of the scopes, as `record_files` would find it."""
    if not path.endswith(".md"):
        return False
    for scope in scopes:
        if scope in ("", "."):
            inner = PurePosixPath(path).parts[:-1]
        elif path == scope:
            return True
        elif path.startswith(f"{scope}/"):
            inner = PurePosixPath(path[len(scope) + 1 :]).parts[:-1]
        else:
            continue
        if not any(part in SKIPPED_FOLDERS or part.startswith(".") for part in inner):
            return True
    return False


def tree_entries(commit: str, root: Path, scopes: Sequence[str]) -> list[TreeEntry]:
    """The record files of a commit under the scopes (repository paths; "" is the whole tree)."""
    pathspecs = [scope for scope in scopes if scope not in ("", ".")]
    whole = len(pathspecs) < len(scopes)
    arguments = ["--literal-pathspecs", "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--"]
    output = run_git([*arguments, *([] if whole else pathspecs)], root)
    entries: list[TreeEntry] = []
    for item in output.split(b"\0"):
        if not item:
            continue
        meta, _, raw_path = item.partition(b"\t")
        mode, kind, blob, size = meta.split()
        path = raw_path.decode("utf-8", "surrogateescape")
        # Symbolic links and submodules hold no record text.
        if kind != b"blob" or mode == b"120000" or not _selected(path, scopes):
            continue
        entries.append(TreeEntry(path, blob.decode("ascii"), int(size)))
    return entries


@dataclass(frozen=True)
class TreeChange:
    path: str  # relative to the repository root, with `/`
    blob: str | None  # None: no record file there any more (deleted, or now a link or a submodule)


def tree_changes(pairs: Sequence[tuple[str, str]], root: Path, scopes: Sequence[str]) -> dict[str, list[TreeChange]]:
    """For each (older, newer) pair of commits, the record files under the scopes that differ between them,
    keyed by the newer commit: one `git diff-tree --stdin` for every pair (raw form, no renames)."""
    if not pairs:
        return {}
    pathspecs = [scope for scope in scopes if scope not in ("", ".")]
    whole = len(pathspecs) < len(scopes)
    stdin = "".join(f"{newer} {older}\n" for older, newer in pairs).encode("ascii")
    output = run_git(
        [
            "--literal-pathspecs",
            "diff-tree",
            "--stdin",
            "-r",
            "-z",
            "--raw",
            "--no-renames",
            "--always",  # a line for each pair, changes or not
            *git.NO_DRIVERS,
            "--",
            *([] if whole else pathspecs),
        ],
        root,
        stdin,
    )
    changes: dict[str, list[TreeChange]] = {newer: [] for _, newer in pairs}
    tokens = iter(output.split(b"\0"))
    current: list[TreeChange] | None = None
    for token in tokens:
        token = token.strip(b"\n")
        if not token:
            continue
        if not token.startswith(b":"):
            current = changes.get(token.decode("ascii", "replace"))
            if current is None:
                raise GitError(f"git diff-tree answered in an unexpected form: {token[:80]!r}")
            continue
        raw_path = next(tokens, b"")
        if current is None:
            raise GitError("git diff-tree answered in an unexpected form")
        _, new_mode, _, new_blob, status = token[1:].split(b" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        if not _selected(path, scopes):
            continue
        gone = status.startswith(b"D") or not new_mode.startswith(b"100")  # 100644/100755: a regular file
        current.append(TreeChange(path, None if gone else new_blob.decode("ascii")))
    return changes


def read_blobs(blobs: Sequence[str], root: Path) -> dict[str, bytes]:
    """The contents of many blobs from one `git cat-file --batch`."""
    if not blobs:
        return {}
    unique = list(dict.fromkeys(blobs))
    output = run_git(
        ["cat-file", "--batch"], root, stdin="".join(f"{blob}\n" for blob in unique).encode("utf-8", "surrogateescape")
    )
    contents: dict[str, bytes] = {}
    offset = 0
    for blob in unique:
        header_end = output.index(b"\n", offset)
        header = output[offset:header_end].split()
        if len(header) != 3:
            raise GitError(f"cannot read blob {blob}: {output[offset:header_end].decode('ascii', 'replace')}")
        size = int(header[2])
        start = header_end + 1
        contents[blob] = output[start : start + size]
        offset = start + size + 1  # the content is followed by a newline
    return contents


def repository_scopes(paths: Sequence[Path], root: Path) -> list[str]:
    """The paths as repository paths (`seeds`, `seeds/x.md`; "" for the root); outside it is an error."""
    real_root = root.resolve()
    scopes: list[str] = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        # Resolve the deepest part that exists, so a folder deleted since the revision still maps.
        existing = absolute
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        real = existing.resolve() / absolute.relative_to(existing)
        try:
            relative = real.relative_to(real_root)
        except ValueError:
            raise GitError(f"{path}: outside the git repository at {root}") from None
        scopes.append(relative.as_posix() if relative.parts else "")
    return scopes


def sides_at_commit(
    commit: str, label: str, root: Path, scopes: Sequence[str], cwd: Path, max_bytes: int
) -> list[RecordSide]:
    """The records under the scopes as they stood at a commit, displayed as working-tree paths."""
    entries = tree_entries(commit, root, scopes)
    contents = read_blobs([entry.blob for entry in entries], root)
    sides: list[RecordSide] = []
    for entry in entries:
        display = display_path(root / entry.path, cwd)
        shown = f"{label}:{entry.path}"
        if entry.size > max_bytes:
            problem = f"the file is {entry.size:,} bytes, above the limit of {max_bytes:,}"
            sides.append(unreadable_side(display, entry.path, problem))
            continue
        file = parse_record_bytes(contents[entry.blob], RecordFile(path=root / entry.path, display=shown))
        side = side_from_file(file, entry.path)
        sides.append(dataclasses.replace(side, display=display))
    return sides


def diff_revisions(
    revision: str, paths: Sequence[Path], cwd: Path, max_bytes: int
) -> tuple[list[RecordSide], list[RecordSide], str, str]:
    """The two sides `--rev` compares: REV against the working tree, or A against B (`A..B`, `A...B`)."""
    from ccus_records.engine.corpus import record_files
    from ccus_records.features.diff import read_side

    wanted = parse_revision_range(revision)
    root = repository_root(cwd)
    real_cwd = cwd.resolve()
    scopes = repository_scopes(paths, root)
    old_commit = resolve_commit(wanted.old, cwd)
    if wanted.new is None:
        old = sides_at_commit(old_commit, wanted.old, root, scopes, real_cwd, max_bytes)
        existing = [Path(os.path.abspath(path)) for path in paths if Path(os.path.abspath(path)).exists()]
        if not existing and not old:
            raise GitError(f"{', '.join(str(path) for path in paths)}: in neither {wanted.old} nor the working tree")
        new = []
        for path in record_files(existing):
            real = path.resolve()
            location = real.relative_to(root.resolve()).as_posix()
            new.append(read_side(path, display_path(real, real_cwd), max_bytes, location))
        return old, new, wanted.old, "working tree"
    new_commit = resolve_commit(wanted.new, cwd)
    if wanted.symmetric:
        # A...B: what B did since it forked off A, as `git diff A...B` shows it.
        old_commit = run_git(["merge-base", old_commit, new_commit], cwd).decode("ascii").strip()
    old = sides_at_commit(old_commit, wanted.old, root, scopes, real_cwd, max_bytes)
    new = sides_at_commit(new_commit, wanted.new, root, scopes, real_cwd, max_bytes)
    return old, new, wanted.old, wanted.new
