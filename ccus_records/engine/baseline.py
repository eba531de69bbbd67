"""A baseline: the findings a corpus already had when a gate was switched on, so that only new ones fail.

A finding's identity is its record id, rule code and field, never its line or message: reformatting a
record, or editing it elsewhere, moves lines and rewords messages (an audit's age grows every day) but
leaves the same gap in the same field. A record without an id (its front matter did not parse) is known
by its path relative to the baseline file instead. Several findings with one identity are counted, so
a second occurrence of a known gap is still new.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccus_records.engine.findings import Finding
from ccus_records.errors import CcusRecordsError

BASELINE_VERSION = 1
_NOTE = (
    "Known findings that `ccus-records lint --baseline` hides. A finding is known by its record id, code "
    "and field; `path` and `message` are for people reading this file. Regenerate with --write-baseline."
)

Identity = tuple[str, str, str]  # (record id or "path:<path>", code, field or "")


class BaselineError(CcusRecordsError):
    """The baseline file cannot be read or is not a baseline (exit 2)."""


@dataclass(frozen=True)
class BaselineEntry:
    record: str | None
    code: str
    field: str | None
    count: int
    path: str  # relative to the baseline file's folder, with `/`
    message: str

    @property
    def identity(self) -> Identity:
        return (self.record if self.record is not None else f"path:{self.path}", self.code, self.field or "")

    def describe(self) -> str:
        who = self.record if self.record is not None else self.path
        return f"{who} {self.code}" + (f" ({self.field})" if self.field else "")


@dataclass(frozen=True)
class Baseline:
    path: Path
    entries: tuple[BaselineEntry, ...]
    today: str | None  # the --today it was written with, for people


@dataclass(frozen=True)
class BaselineOutcome:
    """What applying a baseline did: the findings still reported, how many it hid, which entries are fixed."""

    kept: list[Finding]
    hidden: int
    stale: list[tuple[BaselineEntry, int]]  # (entry, how many of its findings are gone)


def _relative_to(path_text: str, cwd: Path, folder: Path) -> str:
    absolute = os.path.abspath(os.path.join(cwd, path_text))
    try:
        relative = os.path.relpath(absolute, folder)
    except ValueError:  # another drive on Windows
        relative = absolute
    return relative.replace(os.sep, "/")


def finding_identity(finding: Finding, cwd: Path, folder: Path) -> Identity:
    record = finding.record if finding.record else f"path:{_relative_to(finding.path, cwd, folder)}"
    return (record, finding.code, finding.field or "")


def baseline_document(findings: Iterable[Finding], cwd: Path, baseline_path: Path, today: str) -> dict[str, Any]:
    """The JSON document of a baseline holding `findings`, sorted so that regenerating it diffs cleanly."""
    folder = Path(os.path.abspath(baseline_path)).parent
    counts: Counter[Identity] = Counter()
    first: dict[Identity, Finding] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        key = finding_identity(finding, cwd, folder)
        counts[key] += 1
        first.setdefault(key, finding)
    entries = []
    for key in sorted(counts):
        finding = first[key]
        entries.append(
            {
                "record": finding.record or None,
                "code": finding.code,
                "field": finding.field,
                "count": counts[key],
                "path": _relative_to(finding.path, cwd, folder),
                "message": finding.message,
            }
        )
    return {"version": BASELINE_VERSION, "tool": "ccus-records", "today": today, "note": _NOTE, "findings": entries}


def write_baseline(path: Path, findings: Sequence[Finding], cwd: Path, today: str) -> int:
    """Write the baseline atomically (a reader never sees half a file); the number of entries written."""
    document = baseline_document(findings, cwd, path, today)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    folder = Path(os.path.abspath(path)).parent
    if not folder.is_dir():
        raise BaselineError(f"{path}: the folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except OSError as error:
        raise BaselineError(f"{path}: cannot be written: {error.strerror or error}") from None
    return len(document["findings"])


def _entry(item: Any, index: int, path: Path) -> BaselineEntry:
    where = f"{path}: findings[{index}]"
    if not isinstance(item, dict):
        raise BaselineError(f"{where} is not an object")
    code, record, field, count = item.get("code"), item.get("record"), item.get("field"), item.get("count", 1)
    if not isinstance(code, str) or not code:
        raise BaselineError(f"{where}: `code` must be a rule code")
    if record is not None and not isinstance(record, str):
        raise BaselineError(f"{where}: `record` must be a string or null")
    if field is not None and not isinstance(field, str):
        raise BaselineError(f"{where}: `field` must be a string or null")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise BaselineError(f"{where}: `count` must be a whole number of at least 1")
    entry_path, message = item.get("path", ""), item.get("message", "")
    if not isinstance(entry_path, str) or not isinstance(message, str):
        raise BaselineError(f"{where}: `path` and `message` must be strings")
    if record is None and not entry_path:
        raise BaselineError(f"{where}: an entry without a record needs its `path`")
    return BaselineEntry(record or None, code, field or None, count, entry_path, message)


def load_baseline(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create it with `lint --write-baseline {path}`)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: the baseline cannot be read: {error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: the baseline is not valid JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise BaselineError(f"{path}: not a ccus-records baseline (no `findings` list)")
    if document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: baseline version {document.get('version')!r} is not {BASELINE_VERSION}")
    entries = tuple(_entry(item, index, path) for index, item in enumerate(document["findings"]))
    today = document.get("today")
    return Baseline(path, entries, today if isinstance(today, str) else None)


def apply_baseline(
    baseline: Baseline,
    findings: Sequence[Finding],
    cwd: Path,
    codes_in_force: frozenset[str],
    linted_roots: Sequence[Path],
) -> BaselineOutcome:
    """Hide the known findings; list the entries whose findings are gone.

    Only entries the run could have seen count as fixed: their rule ran, and their file is one of the
    files or lies in one of the folders linted (`linted_roots`, absolute), so an entry for a record
    deleted from a linted folder is fixed too. A hook that lints three staged files must not call the
    rest of the baseline fixed.
    """
    folder = Path(os.path.abspath(baseline.path)).parent
    allowance: dict[Identity, int] = defaultdict(int)
    for entry in baseline.entries:
        allowance[entry.identity] += entry.count
    seen: Counter[Identity] = Counter()
    kept: list[Finding] = []
    hidden = 0
    linted_records: set[str] = set()
    for finding in findings:
        key = finding_identity(finding, cwd, folder)
        if finding.record:
            linted_records.add(finding.record)
        seen[key] += 1
        if seen[key] <= allowance.get(key, 0):
            hidden += 1
        else:
            kept.append(finding)
    roots = {os.path.normcase(os.path.abspath(root)) for root in linted_roots}
    under = tuple(root.rstrip(os.sep) + os.sep for root in roots)

    def was_linted(entry: BaselineEntry) -> bool:
        if entry.record is not None and entry.record in linted_records:
            return True
        entry_file = os.path.normcase(os.path.normpath(os.path.join(folder, entry.path)))
        return entry_file in roots or entry_file.startswith(under)

    stale: list[tuple[BaselineEntry, int]] = []
    remaining = dict(seen)
    for entry in baseline.entries:
        key = entry.identity
        matched = min(entry.count, remaining.get(key, 0))
        remaining[key] = remaining.get(key, 0) - matched
        if matched == entry.count or entry.code not in codes_in_force or not was_linted(entry):
            continue
        stale.append((entry, entry.count - matched))
    return BaselineOutcome(kept, hidden, stale)
