"""Which files make up the corpus, and which of them a command reports on."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ccus_records.engine.config import Config
from ccus_records.errors import CcusRecordsError

if TYPE_CHECKING:
    from ccus_records.engine.state import CorpusState

SKIPPED_FOLDERS = frozenset({"node_modules", "venv", "__pycache__"})


class CorpusError(CcusRecordsError):
    """A path given to a command does not exist or cannot be listed."""


def _inside(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


class _Walk:
    """One walk of the corpus folders: each real folder listed once, links followed only inside the roots.

    A symbolic link to a folder already walked (`ln -s . again`) would list every record once more for each
    way to reach it (and three such links make the walk exponential); a link out of the project
    (`/proc/self/root`, `../../`) would walk whatever it reaches. Folders are known by device and inode, and
    a link is followed only when its target lies inside a root: the project's folder or a folder given.
    What is left out is said in `skipped` (a note on stderr), never silently.
    """

    def __init__(self, roots: Sequence[str]) -> None:
        self.roots = [os.path.realpath(root) for root in roots]
        self.seen: set[tuple[int, int]] = set()
        self.skipped: list[str] = []

    def _skip(self, path: str, why: str) -> None:
        self.skipped.append(f"{path}: skipped: {why}")

    def _enter(self, path: str, is_link: bool) -> bool:
        """Whether to list this folder: not seen before, and (for a link) leading inside a root."""
        if is_link:
            target = os.path.realpath(path)
            if not _inside(target, self.roots):
                self._skip(path, f"a symbolic link to {target}, outside the project; not followed")
                return False
        try:
            info = os.stat(path)
        except OSError as error:
            self._skip(path, f"cannot be read: {error.strerror or error}")
            return False
        key = (info.st_dev, info.st_ino)
        if key in self.seen:
            if is_link:
                self._skip(path, "a symbolic link to a folder already read; not followed")
            return False
        self.seen.add(key)
        return True

    def walk(self, folder: str, into: list[str]) -> None:
        """Every `*.md` file below a folder, skipping hidden folders (.git, the cache) and tool folders.

        os.scandir, not Path.rglob: a corpus of 10,000 files is listed in a few milliseconds, and the
        directory entries say which names are files and links without a stat call each.
        """
        if not self._enter(folder, False):
            return
        pending = [folder]
        # Links to folders are followed last, so that a folder reachable both ways is listed by its real path.
        links: list[str] = []
        while pending or links:
            if pending:
                current = pending.pop()
            else:
                current = links.pop()
                if not self._enter(current, True):
                    continue
            try:
                entries = list(os.scandir(current))
            except OSError as error:
                raise CorpusError(f"{current}: cannot be listed: {error.strerror or error}") from None
            for entry in entries:
                name = entry.name
                try:
                    if entry.is_dir():
                        if name.startswith(".") or name in SKIPPED_FOLDERS:
                            continue
                        if entry.is_symlink():
                            links.append(entry.path)
                        elif self._enter(entry.path, False):
                            pending.append(entry.path)
                    elif name.endswith(".md"):
                        self._file(entry, into)
                except OSError:
                    continue

    def _file(self, entry: os.DirEntry[str], into: list[str]) -> None:
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if not _inside(target, self.roots):
                self._skip(entry.path, f"a symbolic link to {target}, outside the project; not read")
                return
            if not os.path.exists(entry.path):
                self._skip(entry.path, "a broken symbolic link")
                return
        if entry.is_file():
            into.append(entry.path)
        else:
            self._skip(entry.path, "not a regular file (a FIFO, socket or device); not read")


def record_paths(paths: Iterable[str], roots: Sequence[str] = (), skipped: list[str] | None = None) -> list[str]:
    """Every record file under the paths, as absolute strings: a file as given, a folder searched for
    `*.md`. Sorted within each folder, unique. Links are followed only inside `roots` and the paths given;
    what the walk leaves out is added to `skipped` (or written to stderr as a note when it is None)."""
    paths = list(paths)
    walk = _Walk([*roots, *(path for path in paths if os.path.isdir(path))])
    found: dict[str, None] = {}
    for path in paths:
        if os.path.isdir(path):
            inside: list[str] = []
            walk.walk(path, inside)
            for candidate in sorted(inside):
                found.setdefault(candidate, None)
        elif os.path.exists(path):
            found.setdefault(path, None)
        else:
            raise CorpusError(f"{path}: no such file or folder")
    if skipped is not None:
        skipped.extend(walk.skipped)
    else:
        note_skipped(walk.skipped)
    return list(found)


def note_skipped(skipped: Iterable[str]) -> None:
    """Say what a walk left out, as a warning of the `ccus_records` logger (the command line shows each as
    one escaped line on stderr)."""
    import logging

    log = logging.getLogger("ccus_records")
    for line in dict.fromkeys(skipped):
        log.warning("%s", line)


def record_files(paths: Iterable[Path]) -> list[Path]:
    """`record_paths` as Path objects."""
    return [Path(path) for path in record_paths(os.path.abspath(path) for path in paths)]


class Corpus:
    """The files the corpus holds, and the subset a command reports on.

    Kept as strings: the engine handles tens of thousands of files and needs no Path object for most of
    them; `files` builds them on first use for the commands that want them.
    """

    def __init__(
        self, files: Iterable[Path | str], targets: Iterable[Path | str], roots: Iterable[Path | str] = ()
    ) -> None:
        self.paths: tuple[str, ...] = tuple(os.fspath(path) for path in files)
        self.target_paths: frozenset[str] = frozenset(os.fspath(path) for path in targets)
        # The folders and files the corpus was gathered from (absolute).
        self.roots: tuple[str, ...] = tuple(os.fspath(path) for path in roots)

    @cached_property
    def files(self) -> tuple[Path, ...]:
        return tuple(Path(path) for path in self.paths)

    @property
    def targets(self) -> frozenset[Path]:
        return frozenset(Path(path) for path in self.target_paths)

    def is_target(self, path: Path | str) -> bool:
        return os.fspath(path) in self.target_paths


def resolve_corpus(
    config: Config,
    paths: Sequence[Path],
    cwd: Path,
    unsaved: Mapping[str, str] | None = None,
    state: CorpusState | None = None,
) -> Corpus:
    """The union of the configured records and the given paths; targets are the given paths (or all).

    `unsaved` names files (absolute paths) whose text is held in memory: they are members of the corpus
    even where no file is on disk yet. With a `state`, the folders are walked as it last saw them.
    """
    unsaved = unsaved or {}
    # abspath, not resolve: one spelling for each file without a system call per path.
    configured = [os.path.abspath(path) for path in config.records]
    given = [os.path.abspath(cwd / path) for path in paths]
    for path in given:
        if not os.path.exists(path) and path not in unsaved:
            raise CorpusError(f"{path}: no such file or folder")
    if not configured and not given:
        raise CorpusError(config.no_records_message())
    on_disk = [path for path in given if path not in unsaved or os.path.exists(path)]
    skipped: list[str] = []
    if state is not None:
        all_files = state.record_paths(record_paths, [*configured, *on_disk], [str(config.root)], skipped)
    else:
        all_files = record_paths([*configured, *on_disk], [str(config.root)], skipped)
    known = set(all_files)
    all_files += [path for path in unsaved if path not in known]
    targets = (
        frozenset(record_paths(on_disk, [str(config.root)], []) + [path for path in given if path in unsaved])
        if given
        else frozenset(all_files)
    )
    note_skipped(skipped)
    return Corpus(all_files, targets, [*configured, *given])
