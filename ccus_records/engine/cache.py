"""The lint cache: per-record results keyed by file content, the tool's version and the run's settings.

One SQLite database under `<corpus root>/.ccus-records-cache/` (the folder ignores itself in git), one row
a file. A file whose size and modification time match its row is a hit without being read, as git's index
does; one whose row is "racy" (the file was modified within a moment of the cache being written) or whose
stat changed is read and hashed, and is a hit if its content did not change. Each row keeps the file's
findings as JSON text, fetched only for the files a run reports on, so a hook run on five files reads five
findings lists, not the corpus's; and a run writes back only the rows that changed.

Cross-record rules are never cached: their result depends on other files. They are recomputed every run
from the small per-record summary kept in each row. SQLite and JSON, never pickle: a cache planted in a
repository can at worst be wrong (and is then rebuilt), never run code.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import ccus_records

CACHE_FOLDER = ".ccus-records-cache"
DATABASE = "lint-v1.sqlite"
# A row whose file was modified this close to the cache's writing is verified by content.
RACY_NS = 2_000_000_000
# Below this many files reported on, their findings are fetched one by one; above, all in one query.
FETCH_ONE_BY_ONE = 200
_SEPARATOR = "\x1f"  # between the ids of `supersedes`; an id never holds a control character


def content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def code_stamp() -> str:
    """The tool's version and the modification times of its modules: a changed rule invalidates the cache."""
    package = Path(ccus_records.__file__).parent
    newest = max((entry.stat().st_mtime_ns for entry in package.rglob("*.py")), default=0)
    return f"{ccus_records.__version__}:{newest}"


@dataclass(slots=True)
class CacheEntry:
    mtime_ns: int
    size: int
    digest: str
    record_id: str | None
    superseded_by: str
    supersedes: tuple[str, ...]
    status: str
    parsed: bool
    has_findings: bool
    findings: str | None = None  # JSON text, when loaded or freshly computed


class LintCache:
    """Per-record lint results for one set of settings, read once and written back once per run."""

    def __init__(self, folder: Path, fingerprint: str, wanted: int = 0) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.entries: dict[str, CacheEntry] = {}
        self.written_ns = 0
        self._changed: dict[str, CacheEntry] = {}
        self._gone: set[str] = set()
        self._connection: sqlite3.Connection | None = None
        self._load(with_findings=wanted > FETCH_ONE_BY_ONE)

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._connection is not None:
            return self._connection
        path = self.folder / DATABASE
        if not create and not path.exists():
            return None
        if create:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by ccus-records: the lint cache is never committed.\n*\n")
        connection = sqlite3.connect(path, timeout=5, isolation_level=None)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, "
            "digest TEXT, record_id TEXT, superseded_by TEXT, supersedes TEXT, status TEXT, parsed INTEGER, "
            "findings TEXT)"
        )
        connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self._connection = connection
        return connection

    def _load(self, with_findings: bool) -> None:
        try:
            connection = self._connect(create=False)
            if connection is None:
                return
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("fingerprint") != self.fingerprint:
                return  # other settings or another version of the tool: nothing here applies
            self.written_ns = int(meta.get("written_ns", "0"))
            findings = "findings" if with_findings else "NULL"
            rows = connection.execute(
                "SELECT path, mtime_ns, size, digest, record_id, superseded_by, supersedes, status, parsed, "
                f"findings IS NOT NULL, {findings} FROM entries"
            )
            for path, mtime_ns, size, digest, record_id, successor, older, status, parsed, has, text in rows:
                self.entries[path] = CacheEntry(
                    mtime_ns,
                    size,
                    digest,
                    record_id,
                    successor,
                    tuple(older.split(_SEPARATOR)) if older else (),
                    status,
                    bool(parsed),
                    bool(has),
                    text,
                )
        except (sqlite3.Error, OSError, ValueError, TypeError, AttributeError):
            self.entries = {}  # a cache we cannot read is no cache: start afresh
            self.written_ns = 0

    def findings_of(self, path: str, entry: CacheEntry) -> str | None:
        if entry.findings is not None or not entry.has_findings:
            return entry.findings
        try:
            connection = self._connect(create=False)
            row = (
                connection.execute("SELECT findings FROM entries WHERE path = ?", (path,)).fetchone()
                if connection
                else None
            )
        except sqlite3.Error:
            row = None
        entry.findings = row[0] if row else None
        return entry.findings

    def fresh_by_stat(self, entry: CacheEntry, stat: os.stat_result) -> bool:
        return (
            entry.mtime_ns == stat.st_mtime_ns
            and entry.size == stat.st_size
            and stat.st_mtime_ns < self.written_ns - RACY_NS
        )

    def put(self, path: str, entry: CacheEntry) -> None:
        self.entries[path] = entry
        self._changed[path] = entry

    def touch(self, path: str, entry: CacheEntry) -> None:
        """The file's stat changed but its content did not: remember the new stat."""
        self._changed[path] = entry

    def forget_missing(self, present: set[str]) -> None:
        self._gone = {path for path in self.entries if path not in present}

    def save(self) -> None:
        """Write the changed rows back; a cache that cannot be written only costs the next run its speed-up."""
        if not self._changed and not self._gone and self.written_ns:
            return
        try:
            connection = self._connect(create=True)
            assert connection is not None
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
                if meta.get("fingerprint") != self.fingerprint:
                    connection.execute("DELETE FROM entries")
                for path, entry in self._changed.items():
                    findings = entry.findings
                    if findings is None and entry.has_findings:
                        findings = self.findings_of(path, entry)
                    connection.execute(
                        "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            path,
                            entry.mtime_ns,
                            entry.size,
                            entry.digest,
                            entry.record_id,
                            entry.superseded_by,
                            _SEPARATOR.join(entry.supersedes),
                            entry.status,
                            int(entry.parsed),
                            findings,
                        ),
                    )
                connection.executemany("DELETE FROM entries WHERE path = ?", [(path,) for path in self._gone])
                connection.executemany(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    [("fingerprint", self.fingerprint), ("written_ns", str(time.time_ns()))],
                )
        except (sqlite3.Error, OSError, AssertionError):
            pass
        finally:
            self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def cache_folder(root: Path, has_config: bool) -> Path | None:
    """Where the cache of a corpus lives: beside its configuration, or beside its seeds/ folder."""
    if has_config or (root / "seeds").is_dir():
        return root / CACHE_FOLDER
    return None
