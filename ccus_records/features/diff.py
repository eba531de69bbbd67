"""Field-level differences between records: what changed, where, and whether an auditor should look.

Records are compared as data (the parsed front matter), so the front matter's formatting never shows up;
bodies are compared as text, with line endings and trailing white space normalised. Lists of plain strings
are matched element by element (an inserted sector is one addition, not a shifted list). Folders and git
revisions are matched by record id, so a renamed file is one changed record, not a removal and an addition.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ccus_records.errors import CcusRecordsError
from ccus_records.recordfile.canonical import canonical_body
from ccus_records.recordfile.reader import DEFAULT_MAX_FILE_BYTES, RecordFile, read_record_file

ChangeOp = Literal["add", "remove", "change"]
RecordStatus = Literal["added", "removed", "changed", "unreadable"]
PathPart = str | int

# How far a review status has come: raising it is a claim an auditor checks.
_REVIEW_RANK = {"draft": 0, "rejected": 0, "pending": 1, "verified": 2}


class DiffInputError(CcusRecordsError):
    """A side of a diff cannot be read or parsed as a record (exit 2); the message names the file."""


@dataclass(frozen=True)
class RecordSide:
    """One version of one record: where it was read from, its front matter data and what follows it."""

    record_id: str
    display: str
    data: dict[str, Any]
    rest: str
    # Where the file stands within its side (a folder, a revision): a rename is a change of location.
    location: str = ""
    # Why the file holds no record that can be compared (None when it does), and its text as read.
    problem: str | None = None
    text: str = ""

    @property
    def body(self) -> str:
        return canonical_body(self.rest)


@dataclass(frozen=True)
class FieldChange:
    """One changed leaf: `path` is for people (`sectors[1]`), `pointer` an RFC 6901 pointer for a patch.

    The pointer is valid when the record's changes are applied in order (list indices already account for
    the additions and removals before it), which is what a JSON Patch does.
    """

    op: ChangeOp
    path: str
    pointer: str
    old: Any = None  # meaningless for "add"
    new: Any = None  # meaningless for "remove"
    audit: str | None = None  # why an auditor cares, when they do

    def to_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.op != "add":
            item["old"] = self.old
        if self.op != "remove":
            item["new"] = self.new
        if self.audit:
            item["audit"] = self.audit
        return item


@dataclass(frozen=True)
class RecordDiff:
    """How one record differs between two sides; `old` is None for an added record, `new` for a removed one."""

    record_id: str
    status: RecordStatus
    old: RecordSide | None
    new: RecordSide | None
    changes: tuple[FieldChange, ...] = ()
    body_diff: tuple[str, ...] = ()  # unified diff lines of the body (of the whole file when unreadable)
    problem: str | None = None  # why a side could not be read, for an unreadable record

    @property
    def renamed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.location != self.new.location

    @property
    def audit_changes(self) -> tuple[FieldChange, ...]:
        return tuple(change for change in self.changes if change.audit)

    @property
    def old_display(self) -> str | None:
        return self.old.display if self.old else None

    @property
    def new_display(self) -> str | None:
        return self.new.display if self.new else None


@dataclass(frozen=True)
class DiffResult:
    """Every record that differs, in id order, and labels for the two sides."""

    records: tuple[RecordDiff, ...]
    old_label: str = "old"
    new_label: str = "new"
    compared: int = 0  # records present on either side

    @property
    def has_differences(self) -> bool:
        return bool(self.records)

    def count(self, status: RecordStatus) -> int:
        return sum(1 for record in self.records if record.status == status)

    @property
    def unreadable(self) -> int:
        """Records shown as a line diff because a side could not be read: the diff is incomplete."""
        return self.count("unreadable")

    @property
    def audit_count(self) -> int:
        return sum(len(record.audit_changes) for record in self.records)


# ---------------------------------------------------------------------------------------------- reading


def describe_unparsed(file: RecordFile) -> str:
    """Why a file gave no record data, in one line."""
    if file.problems:
        # The reader stops at the problem that kept it from the data, so that one is last.
        problem = file.problems[-1]
        where = f" (line {problem.line})" if problem.line else ""
        return f"{file.display}: not a record: {problem.message}{where}"
    return f"{file.display}: not a record: the front matter is not an object"


def side_from_file(file: RecordFile, location: str = "") -> RecordSide:
    """The record a parsed file holds; a file that holds none, or one without an id, is an unreadable side."""
    text = file.text or ""
    if file.data is None:
        return unreadable_side(file.display, location, describe_unparsed(file).split(": ", 1)[1], text)
    record_id = file.record_id
    if not record_id or not record_id.strip():
        return unreadable_side(file.display, location, "the record has no id, so it cannot be matched", text)
    return RecordSide(record_id.strip(), file.display, file.data, file.rest, location, text=text)


def unreadable_side(display: str, location: str, problem: str, text: str = "") -> RecordSide:
    """A file that holds no record to compare; it is matched by its place, never by an id."""
    return RecordSide("", display, {}, "", location, problem, text)


def read_side(path: Path, display: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, location: str = "") -> RecordSide:
    try:
        file = read_record_file(path, display, max_bytes)
    except OSError as error:
        return unreadable_side(display, location, f"cannot be read: {error.strerror or error}")
    return side_from_file(file, location)


def index_by_id(sides: Iterable[RecordSide], label: str) -> dict[str, RecordSide]:
    """Records keyed by id; two files with one id cannot be matched, which is an error, not a guess."""
    found: dict[str, RecordSide] = {}
    for side in sides:
        if side.record_id in found:
            raise DiffInputError(
                f"{label}: {found[side.record_id].display} and {side.display} both have id "
                f"{side.record_id!r}; records are matched by id (run lint: I004)"
            )
        found[side.record_id] = side
    return found


# ---------------------------------------------------------------------------------------------- values


def same_value(first: Any, second: Any) -> bool:
    """Equality as JSON sees it: `1` is not `true` and `40` is not `"40"`."""
    if type(first) is not type(second):
        return False
    if isinstance(first, dict):
        return first.keys() == second.keys() and all(same_value(first[key], second[key]) for key in first)
    if isinstance(first, list):
        return len(first) == len(second) and all(same_value(a, b) for a, b in zip(first, second, strict=True))
    return bool(first == second)


def _escape_pointer(part: PathPart) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer_of(parts: Sequence[PathPart]) -> str:
    return "".join(f"/{_escape_pointer(part)}" for part in parts)


def dotted_of(parts: Sequence[PathPart]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _plain_strings(values: list[Any]) -> bool:
    return all(isinstance(value, str) for value in values)


def field_changes(old: Any, new: Any, prefix: tuple[PathPart, ...] = ()) -> list[FieldChange]:
    """The changes that turn `old` into `new`, leaf by leaf, keys in sorted order."""
    return list(_walk(old, new, prefix, prefix))


def _walk(old: Any, new: Any, shown: tuple[PathPart, ...], applied: tuple[PathPart, ...]) -> Iterator[FieldChange]:
    # `shown` names the element as the reader knows it (old index for a removal, new index otherwise);
    # `applied` is where it stands in the document while the patch is being applied.
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if key not in new:
                yield FieldChange("remove", dotted_of((*shown, key)), pointer_of((*applied, key)), old=old[key])
            elif key not in old:
                yield FieldChange("add", dotted_of((*shown, key)), pointer_of((*applied, key)), new=new[key])
            else:
                yield from _walk(old[key], new[key], (*shown, key), (*applied, key))
        return
    if isinstance(old, list) and isinstance(new, list):
        if _plain_strings(old) and _plain_strings(new):
            yield from _string_list(old, new, shown, applied)
        else:
            yield from _list_by_position(old, new, shown, applied)
        return
    if not same_value(old, new):
        yield FieldChange("change", dotted_of(shown), pointer_of(applied), old=old, new=new)


# Above this many cells the exact alignment costs too much; difflib's matching blocks are close enough.
_EXACT_ALIGNMENT_CELLS = 250_000

Opcode = tuple[str, int, int, int, int]


def string_list_opcodes(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    """The fewest additions, removals and in-place changes turning `old` into `new` (difflib's opcodes)."""
    if len(old) * len(new) > _EXACT_ALIGNMENT_CELLS:
        return list(difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes())
    rows, columns = len(old), len(new)
    # cost[i][j]: the fewest edits turning old[i:] into new[j:], so the walk below reads front to back.
    cost = [[0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows, -1, -1):
        for j in range(columns, -1, -1):
            if i == rows or j == columns:
                cost[i][j] = (rows - i) + (columns - j)
            elif old[i] == new[j]:
                cost[i][j] = cost[i + 1][j + 1]
            else:
                cost[i][j] = 1 + min(cost[i + 1][j + 1], cost[i + 1][j], cost[i][j + 1])
    steps: list[Opcode] = []
    i = j = 0
    while i < rows or j < columns:
        if i < rows and j < columns and old[i] == new[j] and cost[i][j] == cost[i + 1][j + 1]:
            steps.append(("equal", i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
        elif i < rows and j < columns and cost[i][j] == 1 + cost[i + 1][j + 1]:
            steps.append(("replace", i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
        elif i < rows and cost[i][j] == 1 + cost[i + 1][j]:
            steps.append(("delete", i, i + 1, j, j))
            i += 1
        else:
            steps.append(("insert", i, i, j, j + 1))
            j += 1
    return steps


def _string_list(
    old: list[str], new: list[str], shown: tuple[PathPart, ...], applied: tuple[PathPart, ...]
) -> Iterator[FieldChange]:
    # While applying in order, the list reads new[:j1] + old[i1:], so old[i1] stands at index j1.
    for tag, i1, i2, j1, j2 in string_list_opcodes(old, new):
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(paired):
            yield FieldChange(
                "change",
                dotted_of((*shown, j1 + offset)),
                pointer_of((*applied, j1 + offset)),
                old=old[i1 + offset],
                new=new[j1 + offset],
            )
        for offset in range(paired, i2 - i1):
            yield FieldChange(
                "remove", dotted_of((*shown, i1 + offset)), pointer_of((*applied, j1 + paired)), old=old[i1 + offset]
            )
        for offset in range(paired, j2 - j1):
            yield FieldChange(
                "add", dotted_of((*shown, j1 + offset)), pointer_of((*applied, j1 + offset)), new=new[j1 + offset]
            )


def _list_by_position(
    old: list[Any], new: list[Any], shown: tuple[PathPart, ...], applied: tuple[PathPart, ...]
) -> Iterator[FieldChange]:
    common = min(len(old), len(new))
    for index in range(common):
        yield from _walk(old[index], new[index], (*shown, index), (*applied, index))
    for index in range(common, len(old)):
        yield FieldChange("remove", dotted_of((*shown, index)), pointer_of((*applied, common)), old=old[index])
    for index in range(common, len(new)):
        yield FieldChange("add", dotted_of((*shown, index)), pointer_of((*applied, index)), new=new[index])


# ---------------------------------------------------------------------------------------------- audit


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _lookup(data: dict[str, Any], *parts: str) -> Any:
    current: Any = data
    for part in parts:
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def audit_note(change: FieldChange, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """Why this change matters to an audit, or None: review claims, reviewers, unsupported score moves."""
    if change.path == "reviewStatus":
        before = _REVIEW_RANK.get(change.old) if isinstance(change.old, str) else None
        after = _REVIEW_RANK.get(change.new) if isinstance(change.new, str) else None
        if change.op == "change" and before is not None and after is not None:
            if after > before:
                return f"review status raised to {change.new}"
            if change.old == "verified":
                return "verification withdrawn"
        return "review status changed"
    if change.path == "provenance.reviewer":
        before_blank = change.op == "add" or _blank(change.old)
        after_blank = change.op == "remove" or _blank(change.new)
        if before_blank and not after_blank:
            return "reviewer added"
        if after_blank and not before_blank:
            return "reviewer removed"
        if not before_blank and not after_blank:
            return "reviewer changed"
        return None
    parts = change.path.split(".")
    if len(parts) == 3 and parts[0] == "analysis" and parts[2] == "score" and change.op == "change":
        dimension = parts[1]
        unchanged = all(
            same_value(_lookup(old, "analysis", dimension, name), _lookup(new, "analysis", dimension, name))
            for name in ("evidence", "citation")
        )
        if unchanged:
            return "score changed while its evidence and citation stayed the same"
    return None


# ---------------------------------------------------------------------------------------------- records


def body_diff(old: RecordSide, new: RecordSide) -> tuple[str, ...]:
    before, after = old.body, new.body
    if before == after:
        return ()
    lines = difflib.unified_diff(
        before.splitlines(),
        after.splitlines(),
        fromfile=f"a/{old.display}",
        tofile=f"b/{new.display}",
        lineterm="",
    )
    return tuple(lines)


def diff_records(old: RecordSide | None, new: RecordSide | None) -> RecordDiff | None:
    """How a record changed, or None when the two sides hold the same record at the same place."""
    if old is None and new is None:
        return None
    if old is None:
        assert new is not None
        return RecordDiff(new.record_id, "added", None, new)
    if new is None:
        return RecordDiff(old.record_id, "removed", old, None)
    changes = tuple(
        FieldChange(
            change.op, change.path, change.pointer, change.old, change.new, audit_note(change, old.data, new.data)
        )
        for change in field_changes(old.data, new.data)
    )
    text = body_diff(old, new)
    if not changes and not text and old.location == new.location:
        return None
    return RecordDiff(new.record_id, "changed", old, new, changes, text)


def unreadable_diff(old: RecordSide | None, new: RecordSide | None) -> RecordDiff:
    """A record one side of which cannot be read: why, and a line diff of the two files as they are."""
    import difflib

    problem = "; ".join(
        f"{side.display}: {side.problem}" for side in (old, new) if side is not None and side.problem is not None
    )
    either = new if new is not None else old
    assert either is not None
    name = either.location or either.display
    before = (old.text if old is not None else "").splitlines()
    after = (new.text if new is not None else "").splitlines()
    lines = tuple(
        difflib.unified_diff(
            before, after, old.display if old else "/dev/null", new.display if new else "/dev/null", lineterm=""
        )
    )
    return RecordDiff(name, "unreadable", old, new, (), lines, problem)


def diff_sides(
    old: Sequence[RecordSide], new: Sequence[RecordSide], old_label: str = "old", new_label: str = "new"
) -> DiffResult:
    """Two collections of records matched by id: changed, added and removed records, in id order.

    A file that holds no readable record is matched by its place with the file at the same place on the
    other side, and shown as a line diff with the reason; every other record is compared as usual.
    """
    broken_old = {side.location or side.display: side for side in old if side.problem is not None}
    broken_new = {side.location or side.display: side for side in new if side.problem is not None}
    places = set(broken_old) | set(broken_new)
    # The readable counterpart of an unreadable file (same place) is part of its line diff, not a removal.
    counterpart_old = {side.location: side for side in old if side.problem is None and side.location in places}
    counterpart_new = {side.location: side for side in new if side.problem is None and side.location in places}
    before = index_by_id(
        (side for side in old if side.problem is None and side.location not in counterpart_old), old_label
    )
    after = index_by_id(
        (side for side in new if side.problem is None and side.location not in counterpart_new), new_label
    )
    found: list[RecordDiff] = []
    for record_id in sorted(set(before) | set(after)):
        result = diff_records(before.get(record_id), after.get(record_id))
        if result is not None:
            found.append(result)
    for place in sorted(places):
        found.append(
            unreadable_diff(
                broken_old.get(place) or counterpart_old.get(place), broken_new.get(place) or counterpart_new.get(place)
            )
        )
    return DiffResult(tuple(found), old_label, new_label, len(set(before) | set(after)) + len(places))


def diff_pair(old: RecordSide, new: RecordSide, old_label: str = "old", new_label: str = "new") -> DiffResult:
    """Two files compared as one record, whatever their ids (a changed id is a change like any other)."""
    if old.problem is not None or new.problem is not None:
        return DiffResult((unreadable_diff(old, new),), old_label, new_label, 1)
    result = diff_records(old, new)
    return DiffResult((result,) if result else (), old_label, new_label, 1)


# ---------------------------------------------------------------------------------------------- patch


def json_patch(record: RecordDiff) -> list[dict[str, Any]]:
    """An RFC 6902 JSON Patch turning the old record into the new one.

    Every removal and replacement is preceded by a `test` of the value it expects, so a patch made against
    another version of the record fails instead of applying wrongly. An added record is one `add` of the
    whole document; a removed one tests the whole document, then removes it.
    """
    if record.status == "added":
        assert record.new is not None
        return [{"op": "add", "path": "", "value": record.new.data}]
    if record.status == "removed":
        assert record.old is not None
        return [{"op": "test", "path": "", "value": record.old.data}, {"op": "remove", "path": ""}]
    operations: list[dict[str, Any]] = []
    for change in record.changes:
        if change.op == "add":
            operations.append({"op": "add", "path": change.pointer, "value": change.new})
        elif change.op == "remove":
            operations.append({"op": "test", "path": change.pointer, "value": change.old})
            operations.append({"op": "remove", "path": change.pointer})
        else:
            operations.append({"op": "test", "path": change.pointer, "value": change.old})
            operations.append({"op": "replace", "path": change.pointer, "value": change.new})
    return operations


# ---------------------------------------------------------------------------------------------- textconv


def field_lines(data: Any, prefix: tuple[PathPart, ...] = (), indexed: bool = True) -> list[tuple[str, Any]]:
    """Every leaf of the data as (dotted path, value), keys sorted and list items in order.

    `indexed=False` writes list items as `sectors[]`, so that in a line diff an inserted item is one added
    line rather than every later item renumbered.
    """
    lines: list[tuple[str, Any]] = []
    if isinstance(data, dict) and data:
        for key in sorted(data):
            lines.extend(field_lines(data[key], (*prefix, key), indexed))
    elif isinstance(data, list) and data:
        for index, item in enumerate(data):
            lines.extend(field_lines(item, (*prefix, index), indexed))
    else:
        path = dotted_of(prefix)
        lines.append((path if indexed else re.sub(r"\[\d+\]", "[]", path), data))
    return lines


def value_text(value: Any) -> str:
    """A value as it is shown in a diff line: JSON, so that strings are quoted and `""` is visible."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def textconv_text(side: RecordSide) -> str:
    """The record as sorted `field = value` lines (list items as `sectors[] = ...`), a blank line, the body."""
    lines = [f"{path} = {value_text(value)}" for path, value in field_lines(side.data, indexed=False)]
    body = side.body
    return "\n".join(lines) + "\n" + (f"\n{body}\n" if body else "")


# ---------------------------------------------------------------------------------------------- sources


def sides_under(folder: Path, cwd: Path, max_bytes: int) -> list[RecordSide]:
    """Every record under a folder, as `lint` finds them; any file that is not a record is an error."""
    from ccus_records.engine.corpus import record_files
    from ccus_records.recordfile.reader import display_path

    return [
        read_side(path, display_path(path, cwd), max_bytes, path.relative_to(folder).as_posix())
        for path in record_files([folder])
    ]


def diff_paths(old: Path, new: Path, cwd: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> DiffResult:
    """Two record files, or two folders whose records are matched by id."""
    from ccus_records.recordfile.reader import display_path

    for path in (old, new):
        if not path.exists():
            raise DiffInputError(f"{path}: no such file or folder")
    old_label, new_label = display_path(old.absolute(), cwd), display_path(new.absolute(), cwd)
    if old.is_dir() and new.is_dir():
        before_sides, after_sides = (
            sides_under(old.absolute(), cwd, max_bytes),
            sides_under(new.absolute(), cwd, max_bytes),
        )
        return diff_sides(before_sides, after_sides, old_label, new_label)
    if old.is_dir() or new.is_dir():
        raise DiffInputError(f"{old_label} and {new_label}: compare two files or two folders, not one of each")
    before = read_side(old, old_label, max_bytes)
    after = read_side(new, new_label, max_bytes)
    return diff_pair(before, after, old_label, new_label)
