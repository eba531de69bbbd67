"""The lint cache: per-record results keyed by file content, the tool's version and the run's settings.

One JSON file per set of settings under `<corpus root>/.ccus-records-cache/` (the folder ignores itself in
git). A file whose size and modification time match its entry is a hit without being read, as git's index
does; one whose entry is "racy" (modified within a moment of the cache being written) or whose stat
changed is read and hashed, and is a hit if its content did not change. Each record's findings are kept
as a JSON string, so that a run reporting on five files decodes five findings lists, not the corpus's.

Cross-record rules are never cached: their result depends on other files. They are recomputed every run
from the small per-record summary stored here. JSON, never pickle: a cache planted in a repository can at
worst be wrong (and is then rebuilt), never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import ccus_records

CACHE_FOLDER = ".ccus-records-cache"
FORMAT = 1
# An entry whose file was modified this close to the cache's writing is verified by content.
RACY_NS = 2_000_000_000


def content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def code_stamp() -> str:
    """The tool's version and the modification times of its modules: a changed rule invalidates the cache."""
    package = Path(ccus_records.__file__).parent
    newest = max((entry.stat().st_mtime_ns for entry in package.rglob("*.py")), default=0)
    return f"{ccus_records.__version__}:{newest}"


class CacheEntry:
    __slots__ = ("digest", "findings", "mtime_ns", "parsed", "size", "summary")

    def __init__(
        self, mtime_ns: int, size: int, digest: str, summary: list[Any], parsed: bool, findings: str | None
    ) -> None:
        self.mtime_ns = mtime_ns
        self.size = size
        self.digest = digest
        self.summary = summary
        self.parsed = parsed
        self.findings = findings  # JSON text of the per-record findings, or None if never computed

    def to_json(self) -> list[Any]:
        return [self.mtime_ns, self.size, self.digest, self.summary, self.parsed, self.findings]


class LintCache:
    """Per-record lint results for one set of settings, loaded once and saved once per run."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.path = folder / f"lint-{fingerprint[:24]}.json"
        self.entries: dict[str, CacheEntry] = {}
        self.written_ns = 0
        self.changed = False
        self._load()

    def _load(self) -> None:
        try:
            document = json.loads(self.path.read_bytes())
            if document.get("format") != FORMAT:
                return
            self.written_ns = int(document["written_ns"])
            self.entries = {
                path: CacheEntry(int(e[0]), int(e[1]), str(e[2]), list(e[3]), bool(e[4]), e[5])
                for path, e in document["entries"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            self.entries = {}  # no cache, or one we cannot trust: start afresh

    def fresh_by_stat(self, entry: CacheEntry, stat: os.stat_result) -> bool:
        return (
            entry.mtime_ns == stat.st_mtime_ns
            and entry.size == stat.st_size
            and stat.st_mtime_ns < self.written_ns - RACY_NS
        )

    def put(self, path: str, entry: CacheEntry) -> None:
        self.entries[path] = entry
        self.changed = True

    def forget_missing(self, present: set[str]) -> None:
        stale = [path for path in self.entries if path not in present]
        for path in stale:
            del self.entries[path]
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        if not self.changed:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by ccus-records: the lint cache is never committed.\n*\n")
            document = {
                "format": FORMAT,
                "written_ns": time.time_ns(),
                "entries": {path: entry.to_json() for path, entry in self.entries.items()},
            }
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".lint-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(document, stream, separators=(",", ":"))
            os.replace(temporary, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs the next run its speed-up


def cache_folder(root: Path, has_config: bool) -> Path | None:
    """Where the cache of a corpus lives: beside its configuration, or beside its seeds/ folder."""
    if has_config or (root / "seeds").is_dir():
        return root / CACHE_FOLDER
    return None
