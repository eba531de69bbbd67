"""Which files make up the corpus, and which of them a command reports on."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path

from ccus_records.engine.config import Config
from ccus_records.errors import CcusRecordsError

SKIPPED_FOLDERS = frozenset({"node_modules", "venv", "__pycache__"})


class CorpusError(CcusRecordsError):
    """A path given to a command does not exist or cannot be listed."""


def _walk(folder: str, into: list[str]) -> None:
    """Every `*.md` file below a folder, skipping hidden folders (.git, the cache) and tool folders.

    os.scandir, not Path.rglob: a corpus of 10,000 files is listed in a few milliseconds, and the
    directory entries say which names are files without a stat call each.
    """
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as error:
            raise CorpusError(f"{current}: cannot be listed: {error.strerror or error}") from None
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir():
                    if not name.startswith(".") and name not in SKIPPED_FOLDERS:
                        pending.append(entry.path)
                elif name.endswith(".md") and entry.is_file():
                    into.append(entry.path)
            except OSError:
                continue


def record_paths(paths: Iterable[str]) -> list[str]:
    """Every record file under the paths, as absolute strings: a file as given, a folder searched for
    `*.md`. Sorted within each folder, unique."""
    found: dict[str, None] = {}
    for path in paths:
        if os.path.isdir(path):
            inside: list[str] = []
            _walk(path, inside)
            for candidate in sorted(inside):
                found.setdefault(candidate, None)
        elif os.path.exists(path):
            found.setdefault(path, None)
        else:
            raise CorpusError(f"{path}: no such file or folder")
    return list(found)


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
    config: Config, paths: Sequence[Path], cwd: Path, unsaved: Mapping[str, str] | None = None
) -> Corpus:
    """The union of the configured records and the given paths; targets are the given paths (or all).

    `unsaved` names files (absolute paths) whose text is held in memory: they are members of the corpus
    even where no file is on disk yet.
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
    all_files = record_paths([*configured, *on_disk])
    known = set(all_files)
    all_files += [path for path in unsaved if path not in known]
    targets = (
        frozenset(record_paths(on_disk) + [path for path in given if path in unsaved])
        if given
        else frozenset(all_files)
    )
    return Corpus(all_files, targets, [*configured, *given])
