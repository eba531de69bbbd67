"""The lint cache: per-record results keyed by file content, the tool's version and the run's settings.

One SQLite database under `<corpus root>/.ccus-records-cache/` (the folder ignores itself in git). It holds
two things:

- the index, one JSON document for the whole corpus: each file's size, modification time, content digest
  and the small summary the corpus rules need. A run reads it in one query and one `json.loads`, which is
  what a hook run on five files of a 10,000-file corpus can afford; a row a file cost three times as much.
- the overlay: the entries changed since the index was last written whole, one row each, so that a hook run
  that changed five files writes five rows rather than the index again (it is folded in past 500 rows).
- the findings, one row a file, as JSON text with the digest they were computed for, fetched only for the
  files a run reports on: a hook run reads five findings lists, not the corpus's.

A file whose size and modification time match its index entry is a hit without being read, as git's index
does; one whose entry is "racy" (the file was modified within a moment of the cache being written) or whose
stat changed is read and hashed, and is a hit if its content did not change.

Cross-record rules are never cached: their result depends on other files. They are recomputed every run
from the summaries in the index. SQLite and JSON, never pickle: a cache planted in a repository can at
worst be wrong (and is then rebuilt), never run code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import stat
import time
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, cast

import ccus_records
from ccus_records.recordfile.reader import utf8_encodable
from ccus_records.rules.base import RecordSummary

CACHE_FOLDER = ".ccus-records-cache"
DATABASE = "lint-v2.sqlite"
# An entry whose file was modified this close to the cache's writing is verified by content.
RACY_NS = 2_000_000_000
# Below this many files reported on, their findings are fetched one by one; above, all in one query.
FETCH_ONE_BY_ONE = 200
# Up to this many changed entries are written beside the index rather than into it: a hook run that changed
# five files writes five rows, not the corpus's index again.
OVERLAY_LIMIT = 500


# The database's whole schema; anything else in sqlite_master (a view, a trigger, another table) is not ours.
_SCHEMA = {
    "meta": "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    "findings": "CREATE TABLE IF NOT EXISTS findings (path TEXT PRIMARY KEY, digest TEXT, findings TEXT)",
    "overlay": "CREATE TABLE IF NOT EXISTS overlay (path TEXT PRIMARY KEY, row TEXT)",
}
# How many SQLite virtual-machine steps one statement may take (reading a 100,000-file index takes well under
# a million); past that the statement is interrupted, and the cache counts as unreadable.
MAX_STEPS = 200_000_000
_STEPS_PER_CHECK = 10_000


def _expected_schema() -> set[tuple[str, str, str]]:
    tables = {("table", name, name) for name in _SCHEMA}
    indexes = {("index", f"sqlite_autoindex_{name}_1", name) for name in _SCHEMA}
    return tables | indexes


def _schema_sql(sql: str) -> str:
    return " ".join(sql.replace("IF NOT EXISTS ", "").split())


def _bounded(connection: sqlite3.Connection) -> None:
    """Interrupt any statement that runs past MAX_STEPS steps of SQLite's virtual machine."""
    calls = 0

    def progress() -> int:
        nonlocal calls
        calls += 1
        if calls * _STEPS_PER_CHECK > MAX_STEPS:
            calls = 0
            return 1  # interrupts the statement: sqlite3.OperationalError, handled as no cache
        return 0

    connection.set_progress_handler(progress, _STEPS_PER_CHECK)


def _checked_schema(connection: sqlite3.Connection) -> bool:
    """Exactly our three tables (with their primary keys' indexes), as created, and nothing else."""
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    if not rows:
        return True  # a new, empty database
    found = {(kind, name, table) for kind, name, table, _ in rows}
    if found != _expected_schema() or len(rows) != len(found):
        return False
    return all(
        sql is None if kind == "index" else _schema_sql(str(sql)) == _schema_sql(_SCHEMA[name])
        for kind, name, _, sql in rows
    )


def _open(path: Path) -> tuple[sqlite3.Connection | None, bool]:
    """A connection to the database at `path` if it is one of ours (or new), else None and whether what is
    there is certainly not ours (another schema, not a database), rather than busy (locked by another run)."""
    connection = None
    odd = False
    try:
        connection = sqlite3.connect(path, timeout=5, isolation_level=None)
        _bounded(connection)
        # Functions in a schema are never run from views or triggers (there should be none anyway).
        connection.execute("PRAGMA trusted_schema = OFF")
        if _checked_schema(connection):
            return connection, False
        odd = True
    except sqlite3.OperationalError as error:
        odd = "interrupted" in str(error)  # "database is locked": another run's, left alone
    except (sqlite3.Error, ValueError):
        odd = True  # "file is not a database", a malformed schema
    except OSError:
        pass
    if connection is not None:
        connection.close()
    return None, odd


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _remove(path: Path) -> bool:
    """Remove what is at `path` (a link itself, never its target); False when that cannot be done."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            continue
        except OSError:
            return False
    return True


def _usable_folder(folder: Path, create: bool) -> bool:
    """The cache folder is a real folder (a link could lead the cache's writes anywhere)."""
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
    try:
        return stat.S_ISDIR(os.lstat(folder).st_mode)
    except OSError:
        return False


def _write_gitignore(folder: Path) -> None:
    """The folder ignores itself in git; an existing file (or link) of that name is left alone."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(folder / ".gitignore", flags, 0o644)
    except OSError:
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("# Created by ccus-records: the lint cache is never committed.\n*\n")


def storable(text: str) -> bool:
    """Whether SQLite can store the text: a path that is not valid UTF-8 (decoded with surrogate escapes)
    or a message quoting a lone surrogate from a record cannot, and that file is then not cached."""
    return utf8_encodable(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@functools.cache
def code_stamp() -> str:
    """The tool's version and the modification times of its modules: a changed rule invalidates the cache.

    Taken once a process: the code a process runs is the code it loaded (a long-lived server's modules may
    be changed on disk under it, and are not what it runs)."""
    newest = 0
    pending = [os.path.dirname(ccus_records.__file__)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    newest = max(newest, entry.stat().st_mtime_ns)
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


# The index is stored by column (one JSON list a field, in the order of `paths`): it loads as a few long
# lists rather than an object a file, and each column is checked with one pass at C speed.
_COLUMNS: dict[str, tuple[type, ...]] = {
    "mtime_ns": (int,),
    "size": (int,),
    "digest": (str,),
    "record_id": (str, type(None)),
    "superseded_by": (str,),
    "supersedes": (list,),
    "status": (str,),
    "parsed": (bool,),
    "has_findings": (bool,),
}


def _checked_index(document: Any) -> dict[str, list[Any]] | None:
    """The index's columns if every one is a list of the right length and types, else None."""
    if not isinstance(document, dict):
        return None
    paths = document.get("paths")
    if not isinstance(paths, list) or not set(map(type, paths)) <= {str}:
        return None
    for name, types in _COLUMNS.items():
        column = document.get(name)
        if not isinstance(column, list) or len(column) != len(paths) or not set(map(type, column)) <= set(types):
            return None
    if not set(map(type, chain.from_iterable(document["supersedes"]))) <= {str}:
        return None
    return cast("dict[str, list[Any]]", document)


def _checked_row(row: Any) -> list[Any] | None:
    """An overlay row (one file's columns, in `_COLUMNS` order) if its types are right, else None."""
    if not isinstance(row, list) or len(row) != len(_COLUMNS):
        return None
    for value, types in zip(row, _COLUMNS.values(), strict=True):
        if type(value) not in types:
            return None
    supersedes = row[list(_COLUMNS).index("supersedes")]
    if not all(type(item) is str for item in supersedes):
        return None
    return row


def _row_of(entry: CacheEntry) -> list[Any]:
    """The entry's index columns, in `_COLUMNS` order."""
    return [
        entry.mtime_ns,
        entry.size,
        entry.digest,
        entry.record_id,
        entry.superseded_by,
        list(entry.supersedes),
        entry.status,
        entry.parsed,
        entry.has_findings,
    ]


class LintCache:
    """Per-record lint results for one set of settings, read once and written back once per run."""

    def __init__(self, folder: Path, fingerprint: str, wanted: int = 0) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.written_ns = 0
        self._columns: dict[str, list[Any]] = {name: [] for name in ("paths", *_COLUMNS)}
        self._positions: dict[str, int] = {}
        self._findings: dict[str, tuple[str, str]] | None = None  # path -> (digest, JSON), when all loaded
        self._changed: dict[str, CacheEntry] = {}
        self._gone: set[str] = set()
        self._overlaid = 0  # entries read from the overlay (None: no index was read)
        self._has_index = False
        self._connection: sqlite3.Connection | None = None
        self._load(with_findings=wanted > FETCH_ONE_BY_ONE)
        # Bound once: the hot loop of a hook run reads these for every file of the corpus.
        self._mtimes = self._columns["mtime_ns"]
        self._sizes = self._columns["size"]

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        """The database, checked to be one this tool made; None (no cache) when it is anything else.

        A cache folder can be planted in a repository: the database may hold views over endless recursive
        queries, triggers, or be a link to a file elsewhere. It is used only when it is a regular file (not
        a link) in a real folder, its schema is exactly the tables below and nothing else, and every
        statement on it runs within a budget of SQLite steps. Anything else is no cache: a run that
        writes one replaces the file with a new database.
        """
        if self._connection is not None:
            return self._connection
        path = self.folder / DATABASE
        if not _usable_folder(self.folder, create):
            return None
        if not path.exists() and not path.is_symlink():
            if not create:
                return None
        elif not _regular(path):
            if not create:
                return None
            _remove(path)
        if create:
            _write_gitignore(self.folder)
        connection, odd = _open(path)
        if connection is None and odd and create and _remove(path):
            connection, _ = _open(path)  # what was there was no cache of ours: start afresh
        if connection is None:
            return None
        if create:
            connection.execute(_SCHEMA["meta"])
            connection.execute(_SCHEMA["findings"])
            # Entries changed since the index was last written whole (`row` NULL: the file is gone).
            connection.execute(_SCHEMA["overlay"])
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
            columns = _checked_index(json.loads(meta.get("index", "null")))
            if columns is None:
                return  # not an index this version wrote: start afresh
            written_ns = int(meta.get("written_ns", "0"))
            overlay = connection.execute("SELECT path, row FROM overlay").fetchall()
            findings = None
            if with_findings:
                findings = {
                    path: (digest, text)
                    for path, digest, text in connection.execute("SELECT path, digest, findings FROM findings")
                }
        except (sqlite3.Error, OSError, ValueError, TypeError):
            return  # a cache we cannot read is no cache: start afresh
        positions = {path: position for position, path in enumerate(columns["paths"])}
        names = list(_COLUMNS)
        try:
            for path, text in overlay:
                if text is None:
                    positions.pop(path, None)
                    continue
                row = _checked_row(json.loads(text)) if isinstance(path, str) else None
                if row is None:
                    return  # not an overlay this version wrote: start afresh
                position = positions.get(path)
                if position is None:
                    positions[path] = len(columns["paths"])
                    columns["paths"].append(path)
                    for name, value in zip(names, row, strict=True):
                        columns[name].append(value)
                else:
                    for name, value in zip(names, row, strict=True):
                        columns[name][position] = value
        except (ValueError, TypeError):
            return
        self._columns = columns
        self._positions = positions
        self.written_ns = written_ns
        self._findings = findings
        self._overlaid = len(overlay)
        self._has_index = True

    def position(self, path: str) -> int | None:
        """Where the index holds the file, or None when it does not."""
        return self._positions.get(path)

    def fresh_at(self, position: int, stat: os.stat_result) -> bool:
        """The file at this index position is unchanged, by its stat alone."""
        return self.fresh(self._mtimes[position], self._sizes[position], stat)

    def fresh(self, mtime_ns: int, size: int, stat: os.stat_result) -> bool:
        """A file cached with this modification time and size is unchanged, by its stat alone."""
        return mtime_ns == stat.st_mtime_ns and size == stat.st_size and stat.st_mtime_ns < self.written_ns - RACY_NS

    def summary_at(self, position: int, display: str) -> tuple[RecordSummary, bool]:
        """The corpus rules' summary of the file at this position, and whether its front matter parsed."""
        columns = self._columns
        summary = RecordSummary(
            display,
            columns["record_id"][position],
            columns["superseded_by"][position],
            tuple(columns["supersedes"][position]),
            columns["status"][position],
        )
        return summary, columns["parsed"][position]

    def entry(self, path: str) -> CacheEntry | None:
        changed = self._changed.get(path)
        if changed is not None:
            return changed
        position = self._positions.get(path)
        if position is None:
            return None
        columns = self._columns
        return CacheEntry(
            columns["mtime_ns"][position],
            columns["size"][position],
            columns["digest"][position],
            columns["record_id"][position],
            columns["superseded_by"][position],
            tuple(columns["supersedes"][position]),
            columns["status"][position],
            columns["parsed"][position],
            columns["has_findings"][position],
        )

    def findings_of(self, path: str, entry: CacheEntry) -> str | None:
        """The findings stored for the file's content (JSON text), or None when there are none for it."""
        if entry.findings is not None or not entry.has_findings:
            return entry.findings
        if self._findings is not None:
            stored = self._findings.get(path)
        else:
            try:
                connection = self._connect(create=False)
                found = (
                    connection.execute("SELECT digest, findings FROM findings WHERE path = ?", (path,)).fetchone()
                    if connection
                    else None
                )
            except sqlite3.Error:
                found = None
            stored = (found[0], found[1]) if found else None
        # Findings written for other content (a concurrent run's) are not this file's.
        entry.findings = stored[1] if stored is not None and stored[0] == entry.digest else None
        if entry.findings is None:
            entry.has_findings = False
        return entry.findings

    def put(self, path: str, entry: CacheEntry) -> None:
        if storable(path) and (entry.findings is None or storable(entry.findings)):
            self._changed[path] = entry
        elif path in self._positions:
            self._gone.add(path)  # what is stored for it is stale, and the new result cannot be stored

    def touch(self, path: str, entry: CacheEntry) -> None:
        """The file's stat changed but its content did not: remember the new stat."""
        self.put(path, entry)

    def forget_missing(self, present: set[str]) -> None:
        self._gone |= {path for path in self._positions if path not in present}

    def _index_document(self) -> str:
        old = self._columns
        kept = [
            position
            for path, position in self._positions.items()
            if path not in self._gone and path not in self._changed
        ]
        columns: dict[str, list[Any]] = {name: [column[position] for position in kept] for name, column in old.items()}
        for path, entry in self._changed.items():
            columns["paths"].append(path)
            for name, value in zip(_COLUMNS, _row_of(entry), strict=True):
                columns[name].append(value)
        return json.dumps(columns, ensure_ascii=False, separators=(",", ":"))  # every path is `storable`

    def save(self) -> None:
        """Write the changes back; a cache that cannot be written only costs the next run its speed-up.

        A few changes go to the overlay, beside the index; once the overlay has grown past OVERLAY_LIMIT
        entries (or there is no index yet), the index is written whole and the overlay emptied.
        """
        if not self._changed and not self._gone and self.written_ns:
            return
        try:
            connection = self._connect(create=True)
            assert connection is not None
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
                same_settings = meta.get("fingerprint") == self.fingerprint
                if not same_settings:
                    connection.execute("DELETE FROM findings")
                # An entry with findings but none loaded is a file whose stat changed and content did not:
                # its stored row still holds them, under the same digest.
                rows = [
                    (path, entry.digest, entry.findings)
                    for path, entry in self._changed.items()
                    if entry.findings is not None
                ]
                connection.executemany("INSERT OR REPLACE INTO findings VALUES (?, ?, ?)", rows)
                connection.executemany("DELETE FROM findings WHERE path = ?", [(path,) for path in self._gone])
                overlay = self._overlaid + len(self._changed) + len(self._gone)
                if self._has_index and same_settings and "index" in meta and overlay <= OVERLAY_LIMIT:
                    changes: list[tuple[str, str | None]] = [
                        (path, json.dumps(_row_of(entry), ensure_ascii=False)) for path, entry in self._changed.items()
                    ]
                    changes.extend((path, None) for path in self._gone)
                    connection.executemany("INSERT OR REPLACE INTO overlay VALUES (?, ?)", changes)
                    written = [("written_ns", str(time.time_ns()))]
                else:
                    connection.execute("DELETE FROM overlay")
                    written = [
                        ("fingerprint", self.fingerprint),
                        ("written_ns", str(time.time_ns())),
                        ("index", self._index_document()),
                    ]
                connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", written)
        except (sqlite3.Error, OSError, AssertionError, UnicodeEncodeError):
            # UnicodeEncodeError: a lone surrogate (a file name that is not UTF-8, a `\ud800` escape in a
            # record) that SQLite cannot store as text.
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
