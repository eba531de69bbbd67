"""Field-level history of one record on plain git: which commits changed which fields (`log`), and the last
commit that changed each field (`blame`).

The commits come from one `git log --follow --raw` through the one git runner (so renames are followed and
every commit says where the file stood and which blob it held); the versions of the file are read with one
`git cat-file --batch` (by blob id, no checkout) and compared as parsed data with the field-level
diff, so a reformat changes no field. A version that cannot be read (merge-conflict markers, broken JSON)
is shown as unreadable and skipped when values are compared: each version is compared with the last
readable one before it, so breaking and repairing a record changes no field.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ccus_records import suggest
from ccus_records.engine import git
from ccus_records.engine.config import Config
from ccus_records.engine.lookup import find_record
from ccus_records.errors import CcusRecordsError
from ccus_records.features.diff import field_changes, side_from_file
from ccus_records.features.diff_git import (
    GitError,
    check_revision_text,
    parse_revision_range,
    read_blobs,
    repository_root,
    resolve_commit,
    run_git,
)
from ccus_records.recordfile.canonical import canonical_body
from ccus_records.recordfile.reader import RecordFile, parse_record_bytes, read_record_file
from ccus_records.schema.dates import parse_iso_date
from ccus_records.schema.fields import group_fields, record_fields

HistoryOp = Literal["add", "remove", "replace"]
BODY = "body"  # the Markdown after the front matter, compared as one field

# Options git log must get whatever the repository's configuration says: no colour, no signature checks
# (which would run gpg), no diff drivers, UTF-8 text.
_LOG_OPTIONS = ("--no-color", "--no-show-signature", *git.NO_DRIVERS, "--encoding=UTF-8")
_FORMAT = "--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1f"


class HistoryError(CcusRecordsError):
    """The history cannot be read: no repository, an unknown revision, a record git never saw (exit 2)."""


@dataclass(frozen=True)
class HistoryChange:
    field: str  # dotted, `sectors[1]` for a list element, `body` for the Markdown body
    op: HistoryOp
    old: Any = None
    new: Any = None

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "op": self.op, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class HistoryCommit:
    commit: str
    author: str
    email: str
    date: str  # the author date, ISO 8601 with its offset
    subject: str
    path: str  # where the file stood in this commit (repository path)
    changes: tuple[HistoryChange, ...] = ()
    unreadable: str | None = None  # why this version holds no record
    created: bool = False  # the first readable version: every field is an addition
    removed: bool = False  # the commit deleted the file

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class RecordHistory:
    record: str
    path: str  # the record file's repository path now
    commits: tuple[HistoryCommit, ...]  # newest first
    data: dict[str, Any] = field(default_factory=dict)  # the newest readable version
    fields: tuple[str, ...] = ()  # the --field filters asked for


@dataclass(frozen=True)
class _LogEntry:
    commit: str
    author: str
    email: str
    date: str
    subject: str
    path: str
    removed: bool
    blob: str | None = None  # the file's content in this commit (None: a merge, read by commit and path)


def touches(change_field: str, wanted: str) -> bool:
    """Whether a change at `change_field` touches the field `wanted` (either may hold the other)."""
    if change_field == wanted:
        return True
    return any(
        inner.startswith(f"{outer}.") or inner.startswith(f"{outer}[")
        for outer, inner in ((wanted, change_field), (change_field, wanted))
    )


def _leaves(value: Any, prefix: str) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        found: list[tuple[str, Any]] = []
        for key, inner in value.items():
            found += _leaves(inner, f"{prefix}.{key}" if prefix else str(key))
        return found
    return [(prefix, value)]


def _changes(old: dict[str, Any] | None, new: dict[str, Any], old_body: str, new_body: str) -> list[HistoryChange]:
    if old is None:
        changes = [HistoryChange(name, "add", None, value) for name, value in _leaves(new, "")]
        return [*changes, HistoryChange(BODY, "add", None, new_body)] if new_body else changes
    found: list[HistoryChange] = []
    for change in field_changes(old, new):
        op: HistoryOp = "replace" if change.op == "change" else change.op
        found.append(
            HistoryChange(change.path, op, change.old if op != "add" else None, change.new if op != "remove" else None)
        )
    if old_body != new_body:
        found.append(HistoryChange(BODY, "replace", old_body, new_body))
    return found


def _parse_log(output: bytes, start_path: str) -> list[_LogEntry]:
    """The commits of `git log --follow --raw -z`, newest first, each with the path it left and its blob."""
    entries: list[_LogEntry] = []
    path = start_path
    for chunk in output.decode("utf-8", "surrogateescape").split("\x1e"):
        if not chunk:
            continue
        parts = chunk.split("\x1f", 5)
        if len(parts) < 6:
            raise HistoryError("git log answered in an unexpected form")
        commit, author, email, date, subject, rest = parts
        tokens = [token.strip("\n") for token in rest.split("\0")]
        tokens = [token for token in tokens if token]
        removed = False
        older = path
        blob: str | None = None
        # --follow limits the list to the followed file; a merge lists nothing (the path stays).
        if len(tokens) >= 2 and tokens[0].startswith(":"):
            meta = tokens[0][1:].split(" ")
            status, new_blob = meta[-1], meta[3] if len(meta) >= 5 else ""
            if status[:1] in ("R", "C") and len(tokens) >= 3:
                path = tokens[2]
                older = tokens[1] if status[:1] == "R" else tokens[2]
            else:
                path = older = tokens[1]
                removed = status[:1] == "D"
            blob = new_blob if new_blob.strip("0") else None
        entries.append(_LogEntry(commit, author, email, date, subject, path, removed, blob))
        path = older
    return entries


def _record_id(path: Path, max_bytes: int) -> str:
    try:
        file = read_record_file(path, path.name, max_bytes)
    except OSError:
        return path.stem
    return file.record_id.strip() if file.record_id and file.record_id.strip() else path.stem


@dataclass(frozen=True)
class _Walk:
    tip: str  # the newest commit asked for
    exclude: str | None  # commits reachable from this one are left out (A..B)


def _walk(rev: str | None, cwd: Path) -> _Walk:
    """The commits to walk, as verified commit ids only."""
    if rev is None:
        try:
            return _Walk(resolve_commit("HEAD", cwd), None)
        except GitError:
            raise HistoryError("the repository has no commits yet, so no record has a history") from None
    check_revision_text(rev)
    wanted = parse_revision_range(rev)
    old = resolve_commit(wanted.old, cwd)
    if wanted.new is None:
        return _Walk(old, None)
    new = resolve_commit(wanted.new, cwd)
    if wanted.symmetric:
        old = run_git(["merge-base", old, new], cwd).decode("ascii").strip()
    return _Walk(new, old)


def _exists_at(commit: str, location: str, root: Path) -> bool:
    listed = run_git(["--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", location], root)
    return bool(listed.strip(b"\0"))


def _in_range(walk: _Walk, root: Path) -> set[str]:
    arguments = [walk.tip, *([f"^{walk.exclude}"] if walk.exclude else [])]
    return set(run_git(["rev-list", *arguments], root).decode("ascii").split())


def _log_arguments(start: str, location: str) -> list[str]:
    """`git log` of one file from `start` back, renames followed, each commit with the file's blob id."""
    return [
        "--literal-pathspecs",
        "log",
        "--follow",
        "--raw",
        "--no-abbrev",
        "-M",
        "-z",
        *_LOG_OPTIONS,
        _FORMAT,
        start,
        "--",
        location,
    ]


@dataclass(frozen=True)
class _LogAhead:
    start: str
    location: str
    started: git.Started


_PLAIN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _log_ahead(config: Config, cwd: Path, target: str) -> _LogAhead | None:
    """`git log` started for the file named after the id (a records folder's `ID.md`, as I003 asks) while
    the corpus is searched for the one record that holds it: on a large corpus each takes about a third of
    a second, and side by side they take one. Its answer is used only for the file the search finds."""
    name = target.strip()
    if not _PLAIN_ID.match(name) or (cwd / target).exists():
        return None
    try:
        root = repository_root(cwd).resolve()
        for folder in config.records:
            candidate = Path(os.path.abspath(folder)) / f"{name}.md"
            if candidate.is_file():
                location = candidate.resolve().relative_to(root).as_posix()
                start = resolve_commit("HEAD", cwd)
                return _LogAhead(start, location, git.Started(_log_arguments(start, location), root))
    except (CcusRecordsError, OSError, ValueError):
        pass  # no guess: the search says what is wrong
    return None


def record_history(
    config: Config, cwd: Path, target: str, fields: Sequence[str] = (), rev: str | None = None
) -> RecordHistory:
    """The commits that changed the record `target` (an id or a path), newest first, with their changes."""
    ahead = _log_ahead(config, cwd, target) if rev is None else None
    try:
        return _record_history(config, cwd, target, fields, rev, ahead)
    finally:
        if ahead is not None:
            ahead.started.stop()


def _record_history(
    config: Config, cwd: Path, target: str, fields: Sequence[str], rev: str | None, ahead: _LogAhead | None
) -> RecordHistory:
    path = find_record(config, cwd, target)
    max_bytes = config.settings.max_file_bytes
    root = repository_root(cwd)
    try:
        location = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise HistoryError(f"{target!r}: outside the git repository at {root}") from None
    if any(character in location for character in "\n\r\x00"):
        raise HistoryError(f"{target!r}: a path with a line break cannot be looked up in git")
    record = _record_id(path, max_bytes)
    walk = _walk(rev, cwd)
    # The file may have stood elsewhere at an older tip: then follow it back from HEAD and keep the range.
    start = walk.tip
    if rev is not None and not _exists_at(walk.tip, location, root):
        start = resolve_commit("HEAD", cwd)
    if ahead is not None and (ahead.start, ahead.location) == (start, location):
        try:
            output = ahead.started.output()
        except git.GitFailure as error:
            raise GitError(str(error)) from None
    else:
        output = run_git(_log_arguments(start, location), root)
    entries = _parse_log(output, location)
    # The whole history is compared (a range's first commit is compared with the version before it).
    keep = _in_range(walk, root) if rev is not None else None
    if not entries:
        where = f" in {rev}" if rev else ""
        raise HistoryError(f"{target!r}: no history{where} (the file {location!r} was never committed)")
    # By blob id where the log gave one (no tree to walk), else by commit and path.
    names = [entry.blob or f"{entry.commit}:{entry.path}" for entry in entries if not entry.removed]
    contents = read_blobs(names, root) if names else {}
    commits: list[HistoryCommit] = []
    last: dict[str, Any] | None = None
    last_body = ""
    state: dict[str, dict[str, Any] | None] = {}  # the last readable data as of each commit
    for entry in reversed(entries):
        state[entry.commit] = last
        base = HistoryCommit(entry.commit, entry.author, entry.email, entry.date, entry.subject, entry.path)
        if entry.removed:
            commits.append(dataclasses.replace(base, removed=True))
            continue
        raw = contents[entry.blob or f"{entry.commit}:{entry.path}"]
        if len(raw) > max_bytes:
            problem = f"the file is {len(raw):,} bytes, above the limit of {max_bytes:,}"
            commits.append(dataclasses.replace(base, unreadable=problem))
            continue
        file = parse_record_bytes(raw, RecordFile(path=root / entry.path, display=f"{entry.commit[:7]}:{entry.path}"))
        side = side_from_file(file, entry.path)
        if side.problem is not None:
            problem = side.problem.removeprefix("not a record: ")
            if file.data is None and file.problems:
                cause = file.problems[-1]
                where = f" (line {cause.line})" if cause.line and f"line {cause.line}" not in cause.message else ""
                problem = f"{cause.code}: {cause.message}{where}"
            commits.append(dataclasses.replace(base, unreadable=problem))
            continue
        body = canonical_body(side.rest)
        changes = _changes(last, side.data, last_body, body)
        commits.append(dataclasses.replace(base, changes=tuple(changes), created=last is None))
        last, last_body = side.data, body
        state[entry.commit] = last
    commits.reverse()
    if keep is not None:
        commits = [item for item in commits if item.commit in keep]
        if not commits:
            raise HistoryError(f"{target!r}: no history in {rev!r}")
    newest = (state[commits[0].commit] if commits else None) or {}
    if fields:
        commits = [
            item
            for item in commits
            if any(touches(change.field, wanted) for change in item.changes for wanted in fields)
        ]
        commits = [
            dataclasses.replace(
                item, changes=tuple(change for change in item.changes if any(touches(change.field, w) for w in fields))
            )
            for item in commits
        ]
    return RecordHistory(record, location, tuple(commits), newest, tuple(fields))


def check_fields(fields: Sequence[str]) -> None:
    """Refuse a `--field` that names no field of the record model (`body` is the Markdown body)."""
    known = record_fields()
    for name in fields:
        base = name.split("[", 1)[0]
        if base == BODY or base in known or any(known_name.startswith(f"{base}.") for known_name in known):
            continue
        hint = suggest.hint(base, (*known, *group_fields(), BODY))
        raise HistoryError(f"--field {name!r}: not a field of the record model{hint}")


# ---------------------------------------------------------------------------------------------- blame


@dataclass(frozen=True)
class BlameLine:
    field: str
    commit: str
    author: str
    date: str
    subject: str
    since_audit: bool
    reason: str | None = None  # why it is marked


@dataclass(frozen=True)
class Blame:
    record: str
    path: str
    last_audit: str | None
    fields: tuple[BlameLine, ...]


def _field_order(data: dict[str, Any]) -> list[str]:
    present = {name for name, _ in _leaves(data, "")}
    ordered = [name for name in record_fields() if name in present or any(p.startswith(f"{name}.") for p in present)]
    extra = sorted(present - set(ordered))
    return [*ordered, *extra, BODY]


def _audit_day(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_iso_date(value.strip()).isoformat()
    except ValueError:
        return None


def record_blame(history: RecordHistory) -> Blame:
    """For every field of the newest readable version, the last commit that changed it."""
    data = history.data
    provenance = data.get("provenance") if isinstance(data.get("provenance"), dict) else {}
    last_audit = provenance.get("lastAuditDate") if isinstance(provenance, dict) else None
    audit = _audit_day(last_audit)
    author = provenance.get("author") if isinstance(provenance, dict) else None
    lines: list[BlameLine] = []
    for name in _field_order(data):
        item = next(
            (entry for entry in history.commits if any(touches(change.field, name) for change in entry.changes)),
            None,
        )
        if item is None:
            continue
        reason: str | None = None
        if audit is not None and item.day > audit:
            reason = "changed since the last audit"
        if (
            name == "reviewStatus"
            and data.get("reviewStatus") == "verified"
            and isinstance(author, str)
            and author.strip()
            and item.author.strip() == author.strip()
        ):
            reason = "set to verified by the record's own author"
        lines.append(BlameLine(name, item.commit, item.author, item.date, item.subject, reason is not None, reason))
    return Blame(history.record, history.path, audit, tuple(lines))
