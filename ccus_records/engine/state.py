"""What a long-lived caller keeps between runs of the lint API over one corpus (the language server, while
records of the corpus are open): `lint(..., state=...)` reads it and fills it.

- the listing of the records folders, walked once;
- what was read of each file on disk as a member of the corpus (its summary for the cross-record rules),
  with the file's size and modification time;
- the outcome of each unsaved text (its own findings), for the text it was computed from;
- the last verdict of the cross-record rules, for the summaries it was computed from.

A run with a state gives exactly the findings of a run without one, as long as the caller says what
changed on disk: `changed(path)` for a file written, `listing_changed()` for files or folders created,
deleted or renamed, or `check_disk()` to have the next run walk the folders again and compare every file
it keeps with the disk (its size and modification time; a file modified within two seconds of being read
is read again, as the lint cache does). Outcomes that depend on the rules in force (a text's findings,
the verdict) are kept for one plan: a run with another plan starts them afresh.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Container, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ccus_records.engine.lint import FileOutcome
    from ccus_records.rules.base import RecordSummary

# A listing: (the paths and roots the walk was given) -> (the files found, the notes on what it skipped).
_Listing = tuple[list[str], list[str]]


class CorpusState:
    """The corpus as last seen by the runs of one caller. Not thread-safe: one caller, one thread."""

    def __init__(self) -> None:
        self._listings: dict[tuple[tuple[str, ...], tuple[str, ...]], _Listing] = {}
        self._files: dict[str, FileOutcome] = {}  # on disk, as corpus members (no findings)
        self._racy: set[str] = set()  # kept files modified within RACY_NS of being read
        self._texts: dict[str, tuple[str, FileOutcome]] = {}  # path -> (unsaved text, its outcome)
        self._verdict: tuple[list[RecordSummary], list[Any]] | None = None
        self._files_for: tuple[str, int] | None = None  # (cwd, max_file_bytes) the files were read with
        self._plan: str | None = None  # the plan the texts' outcomes and the verdict are for
        self._check_stats = False
        self._run_ns = 0

    # --- what the caller says about the disk ------------------------------------------------------------

    def changed(self, path: str | os.PathLike[str]) -> None:
        """The file at `path` (absolute) was written, created or deleted: it is read again when needed."""
        self._files.pop(os.fspath(path), None)

    def changed_under(self, folder: str | os.PathLike[str]) -> None:
        """Something below `folder` changed (a folder created, deleted or renamed): every kept file there is
        read again when needed, and the folders are walked again."""
        prefix = os.path.join(os.fspath(folder), "")
        for path in [path for path in self._files if path.startswith(prefix)]:
            del self._files[path]
        self.listing_changed()

    def listing_changed(self) -> None:
        """Files were created, deleted or renamed: the next run walks the records folders again."""
        self._listings.clear()

    def check_disk(self) -> None:
        """The next run walks the folders again and compares each kept file with the disk."""
        self._listings.clear()
        self._check_stats = True

    def __len__(self) -> int:
        """How many files on disk the state holds."""
        return len(self._files)

    # --- what the lint API asks ---------------------------------------------------------------------------

    def record_paths(
        self,
        walk: Callable[[Iterable[str], Sequence[str], list[str]], list[str]],
        paths: Iterable[str],
        roots: Sequence[str],
        skipped: list[str],
    ) -> list[str]:
        """`walk(paths, roots, skipped)`, walked once for the same paths and roots."""
        paths = tuple(paths)
        key = (paths, tuple(roots))
        listing = self._listings.get(key)
        if listing is None:
            notes: list[str] = []
            listing = (walk(paths, roots, notes), notes)
            self._listings[key] = listing
        skipped.extend(listing[1])
        return list(listing[0])

    def begin(self, plan_key: str, cwd: str, max_file_bytes: int) -> None:
        """A run starts with this plan: keep what holds for it, check the disk if asked to."""
        from ccus_records.engine.cache import RACY_NS

        self._run_ns = time.time_ns() - RACY_NS
        if self._files_for != (cwd, max_file_bytes):
            self._files_for = (cwd, max_file_bytes)
            self._files.clear()
            self._racy.clear()
        if self._plan != plan_key:
            self._plan = plan_key
            self._texts.clear()
            self._verdict = None
        if self._check_stats:
            self._check_stats = False
            for path in list(self._files):
                kept = self._files[path]
                try:
                    info = os.stat(path)
                except OSError:
                    info = None
                if path in self._racy or info is None or (info.st_mtime_ns, info.st_size) != (kept.mtime_ns, kept.size):
                    del self._files[path]
            self._racy.clear()

    def missing(self, paths: Iterable[str], texts: Iterable[str]) -> int:
        """How many of the corpus's files on disk the state does not hold."""
        return len(set(paths).difference(self._files, texts))

    def members(self, paths: Sequence[str], skip: Container[str]) -> list[FileOutcome | None]:
        """What the state holds of each file (None where it holds nothing, or the file is in `skip`)."""
        files = self._files
        return [None if path in skip else files.get(path) for path in paths]

    def kept(self, path: str, text: str | None) -> FileOutcome | None:
        """What was read of the file (text None) or found in this unsaved text of it, if the state has it."""
        if text is None:
            return self._files.get(path)
        found = self._texts.get(path)
        if found is None or found[0] != text:
            return None
        outcome = found[1]
        return outcome if outcome.findings is None else outcome._replace(findings=list(outcome.findings))

    def keep(self, path: str, text: str | None, outcome: FileOutcome) -> None:
        """Remember what a run read of a file on disk (as a member of the corpus), or of an unsaved text."""
        if text is not None:
            findings = outcome.findings
            self._texts[path] = (text, outcome if findings is None else outcome._replace(findings=list(findings)))
            return
        if outcome.size < 0:
            return  # the file could not be read: try again next time
        self._files[path] = outcome if outcome.findings is None else outcome._replace(findings=None)
        if outcome.mtime_ns >= self._run_ns:
            self._racy.add(path)
        else:
            self._racy.discard(path)

    def forget_texts(self, keep: Iterable[str]) -> None:
        """Drop the outcomes of unsaved texts other than those of `keep` (the buffers still open)."""
        wanted = set(keep)
        for path in [path for path in self._texts if path not in wanted]:
            del self._texts[path]

    def verdict(self, summaries: list[RecordSummary], compute: Callable[[], list[Any]]) -> list[Any]:
        """The cross-record rules' violations for these summaries: computed again only when they changed."""
        if self._verdict is not None and self._verdict[0] == summaries:
            return self._verdict[1]
        found = compute()
        self._verdict = (summaries, found)
        return found
