"""Narrowing what a hook run reads: only git-tracked files, only given files inside the records folders.

pre-commit stashes unstaged edits but leaves untracked files on disk, so a scratch record lying in the
corpus folder would take part in cross-record rules (a duplicate id, a reference that resolves only
because of it). `tracked_only` drops every file git does not track, from the index used for the
cross-record rules and from the files reported on.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ccus_records.engine.config import Config
from ccus_records.engine.corpus import Corpus, CorpusError
from ccus_records.engine.git import GitFailure, run_git


def _git(arguments: Sequence[str], cwd: Path) -> bytes:
    try:
        return run_git(arguments, cwd)
    except GitFailure as error:
        raise CorpusError(f"--git-tracked: {cwd}: {error}") from None


def git_tracked_files(cwd: Path) -> frozenset[str]:
    """Absolute paths of the files in the index of the git repository holding `cwd`."""
    top = os.fsdecode(_git(["rev-parse", "--show-toplevel"], cwd)).rstrip("\r\n")
    # -z: names are NUL-separated and never quoted, whatever characters they hold.
    listing = _git(["ls-files", "-z", "--cached"], Path(top))
    return frozenset(os.path.normcase(os.path.join(top, os.fsdecode(name))) for name in listing.split(b"\0") if name)


def tracked_only(corpus: Corpus, cwd: Path) -> Corpus:
    """The corpus without the files git does not track (in the repository of the current folder)."""
    tracked = git_tracked_files(cwd)

    def is_tracked(path: Path) -> bool:
        # Paths are absolute but may pass through a symbolic link; git names the real location.
        return os.path.normcase(str(path)) in tracked or os.path.normcase(os.path.realpath(path)) in tracked

    files = tuple(path for path in corpus.files if is_tracked(path))
    kept = set(files)
    return Corpus(files, frozenset(path for path in corpus.targets if path in kept), corpus.roots)


def changed_only(corpus: Corpus, revision: str, cwd: Path) -> Corpus:
    """The corpus with only the records changed since the merge base of `revision` and HEAD as targets
    (`--changed-since`): every file stays in it, so the cross-record rules still see the whole corpus."""
    from ccus_records.engine.git import changed_files

    changed = changed_files(revision, cwd)

    def is_changed(path: str) -> bool:
        return os.path.normcase(path) in changed or os.path.normcase(os.path.realpath(path)) in changed

    return Corpus(corpus.paths, frozenset(path for path in corpus.target_paths if is_changed(path)), corpus.roots)


def inside_records(paths: Sequence[Path], config: Config, cwd: Path) -> list[Path]:
    """The given paths that lie inside the configured records folders (all of them when none is configured).

    A hook is handed every staged Markdown file, the README included; only the records are records.
    """
    folders = [os.path.normcase(os.path.abspath(folder)) for folder in config.records]
    if not folders:
        return list(paths)
    kept = []
    for path in paths:
        absolute = os.path.normcase(os.path.abspath(cwd / path))
        if any(absolute == folder or absolute.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders):
            kept.append(path)
    return kept
