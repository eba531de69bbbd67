"""`edit` and `review`: changing the data of records, validated before anything is written.

The functions here work out what would change (`plan_edits`, `plan_review`) and write it (`write_edits`);
the command line only parses options and prints. Every write goes through `recordfile.writer`: the new text
is rendered (canonical JSON, or the YAML text spliced), checked to hold exactly the new data and the body
unchanged, validated against the record model, and written atomically over a file that has not changed
since it was read.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ccus_records.engine.config import Config
from ccus_records.engine.findings import Finding
from ccus_records.errors import CcusRecordsError
from ccus_records.recordfile.reader import RecordFile, display_path, parse_record_bytes, read_record_file
from ccus_records.recordfile.writer import Snapshot, WriteError, read_snapshot, write_record_text
from ccus_records.schema.fields import FieldError, field_kind, group_fields, parse_value, record_fields

Action = Literal["set", "unset", "append", "remove", "json"]
ACTIONS: tuple[Action, ...] = ("set", "unset", "append", "remove", "json")


class EditError(CcusRecordsError):
    """An edit cannot be made: bad input, a missing record, or a result that would be invalid (exit 2)."""


# --- operations -----------------------------------------------------------------------------------------


class Operation(NamedTuple):
    """One change asked for on the command line, its value already typed by the schema."""

    action: Action
    field: str
    value: Any
    text: str  # as given, for messages

    def __str__(self) -> str:
        return f"--{self.action} {self.text}"


def _split(action: Action, spec: str) -> tuple[str, str]:
    if "=" not in spec:
        raise EditError(f"--{action} {spec!r}: expected FIELD=VALUE")
    name, _, value = spec.partition("=")
    return name.strip(), value


def parse_operation(action: Action, spec: str) -> Operation:
    """`--set analysis.mrv.score=55` and the like, typed and checked against the record model."""
    try:
        if action == "unset":
            name = spec.strip()
            kind = field_kind(name)
            return Operation(action, name, kind.empty, spec)
        name, raw = _split(action, spec)
        if action == "json":
            if name not in record_fields() and name not in group_fields():
                field_kind(name)  # raises with a suggestion
            try:
                return Operation(action, name, json.loads(raw), spec)
            except ValueError as error:
                raise EditError(f"--json {spec!r}: not valid JSON ({error})") from None
        kind = field_kind(name)
        if action == "set":
            if kind.kind == "string-list":
                raise EditError(f"--set {spec!r}: {name} is a list; use --append, --remove, --unset or --json")
            return Operation(action, name, parse_value(name, raw), spec)
        if kind.kind != "string-list":
            raise EditError(f"--{action} {spec!r}: {name} is not a list; use --set")
        return Operation(action, name, raw, spec)
    except FieldError as error:
        raise EditError(f"--{action} {spec!r}: {error}") from None


def ordered_operations(values: dict[Action, Sequence[str]], order: Sequence[Action] | None) -> list[Operation]:
    """The operations in the order given on the command line (`order`: the action of each occurrence).

    Without a usable order (it does not account for every value), the actions apply in the order of ACTIONS.
    """
    counts = {action: len(values.get(action, ())) for action in ACTIONS}
    if order is None or any(list(order).count(action) != counts[action] for action in ACTIONS):
        order = [action for action in ACTIONS for _ in range(counts[action])]
    taken = dict.fromkeys(ACTIONS, 0)
    operations = []
    for action in order:
        spec = values[action][taken[action]]
        taken[action] += 1
        operations.append(parse_operation(action, spec))
    return operations


def _container_for(data: dict[str, Any], dotted: str) -> tuple[dict[str, Any], str]:
    parts = dotted.split(".")
    target = data
    for index, part in enumerate(parts[:-1]):
        child = target.get(part)
        if child is None:
            child = target[part] = {}
        if not isinstance(child, dict):
            raise EditError(f"{'.'.join(parts[: index + 1])} is not an object in this record; cannot set {dotted}")
        target = child
    return target, parts[-1]


def apply_operation(data: dict[str, Any], operation: Operation) -> str | None:
    """Apply one operation to `data` in place; returns a note when it changed nothing on purpose."""
    container, key = _container_for(data, operation.field)
    if operation.action in ("set", "unset", "json"):
        container[key] = copy.deepcopy(operation.value)
        return None
    current = container.get(key)
    if current is None:
        current = container[key] = []
    if not isinstance(current, list):
        raise EditError(f"{operation}: {operation.field} is not a list in this record")
    if operation.action == "append":
        if operation.value in current:
            return f"{operation.field} already holds {operation.value!r}"
        current.append(operation.value)
        return None
    if operation.value not in current:
        return f"{operation.field} does not hold {operation.value!r}"
    container[key] = [item for item in current if item != operation.value]
    return None


# --- field-level changes --------------------------------------------------------------------------------


class Change(NamedTuple):
    """One changed field: `~` changed, `+` added, `-` removed."""

    sign: Literal["~", "+", "-"]
    field: str
    old: Any
    new: Any

    def __str__(self) -> str:
        def show(value: Any) -> str:
            return json.dumps(value, ensure_ascii=False)

        if self.sign == "~":
            return f"~ {self.field}: {show(self.old)} → {show(self.new)}"
        if self.sign == "+":
            return f"+ {self.field}: {show(self.new)}"
        return f"- {self.field}: {show(self.old)}"


def _same(first: Any, second: Any) -> bool:
    return json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def field_changes(old: Any, new: Any, prefix: str = "") -> list[Change]:
    """The leaf-level differences between two versions of a record's data."""
    import difflib

    if isinstance(old, dict) and isinstance(new, dict):
        found: list[Change] = []
        for key in [*new, *(key for key in old if key not in new)]:
            name = f"{prefix}.{key}" if prefix else str(key)
            if key not in old:
                found.append(Change("+", name, None, new[key]))
            elif key not in new:
                found.append(Change("-", name, old[key], None))
            else:
                found.extend(field_changes(old[key], new[key], name))
        return found
    if isinstance(old, list) and isinstance(new, list):
        keys_old = [json.dumps(item, sort_keys=True) for item in old]
        keys_new = [json.dumps(item, sort_keys=True) for item in new]
        found = []
        matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for offset in range(i2 - i1):
                    found.extend(field_changes(old[i1 + offset], new[j1 + offset], f"{prefix}[{j1 + offset}]"))
                continue
            found.extend(Change("-", f"{prefix}[{index}]", old[index], None) for index in range(i1, i2))
            found.extend(Change("+", f"{prefix}[{index}]", None, new[index]) for index in range(j1, j2))
        return found
    return [] if _same(old, new) else [Change("~", prefix, old, new)]


# --- finding the records --------------------------------------------------------------------------------


def corpus_roots(config: Config, cwd: Path) -> list[Path]:
    """The folders a write may land in through a symlink: the records folders and the project root."""
    return [Path(os.path.abspath(root)) for root in (config.root, *config.records)]


def _corpus_files(config: Config, cwd: Path, paths: Sequence[Path] = ()) -> tuple[list[Path], frozenset[Path]]:
    """The corpus an edit looks in: the project's, as for every command."""
    from ccus_records.engine.corpus import resolve_corpus

    corpus = resolve_corpus(config, paths, cwd)
    return list(corpus.files), corpus.targets


def find_record(config: Config, cwd: Path, target: str) -> Path:
    """A record by path or by id, in the project's corpus (as `show` finds it)."""
    from ccus_records.engine.lookup import find_record as lookup

    return lookup(config, cwd, target)


def select_records(
    config: Config,
    cwd: Path,
    target: str | None,
    where: Sequence[str],
    has: Sequence[str],
    today: dt.date,
) -> list[Path]:
    """The records an edit applies to: one by id or path, or every record matching --where and --has."""
    from ccus_records.features.query import QueryError, check_values, matches_all, parse_condition

    if target is not None and not where and not has:
        return [find_record(config, cwd, target)]
    if target is None and not where and not has:
        raise EditError("give a record id or path, or select records with --where or --has")
    try:
        conditions = [parse_condition(expression) for expression in where]
    except QueryError as error:
        raise EditError(str(error)) from None
    paths: Sequence[Path] = [Path(target)] if target is not None else []
    if target is not None and not (cwd / target).exists():
        paths = [find_record(config, cwd, target)]
    files, targets = _corpus_files(config, cwd, paths)
    flagged = _records_with_findings(config, cwd, paths, has, today) if has else None
    searched: list[tuple[Path, dict[str, Any]]] = []
    for path in files:
        if path not in targets or (flagged is not None and path not in flagged and not conditions):
            continue
        try:
            file = read_record_file(path, display_path(path, cwd), config.settings.max_file_bytes)
        except OSError:
            continue
        if file.data is not None:
            searched.append((path, file.data))
    vocabulary = config.settings.vocabulary
    try:
        # Against every record searched, --has or not: a value some record has is a filter, never an error.
        check_values(conditions, (data for _, data in searched), vocabulary.category, vocabulary.legalWeight)
    except QueryError as error:
        raise EditError(str(error)) from None
    return [path for path, data in searched if (flagged is None or path in flagged) and matches_all(data, conditions)]


def _records_with_findings(
    config: Config, cwd: Path, paths: Sequence[Path], codes: Sequence[str], today: dt.date
) -> set[Path]:
    from ccus_records.engine.config import split_codes
    from ccus_records.engine.lint import LintSetupError, lint

    wanted = [code for text in codes for code in split_codes(text)]
    try:
        run = lint(config, paths, today, cwd, select=wanted, use_cache=True)
    except LintSetupError as error:
        raise EditError(f"--has: {error}") from None
    displays = {finding.path for finding in run.findings}
    files, _ = _corpus_files(config, cwd, paths)
    return {path for path in files if display_path(path, cwd) in displays}


# --- planning and writing -------------------------------------------------------------------------------


@dataclass
class RecordEdit:
    """What an edit does to one record: the new data, the changes, the text to write."""

    file: RecordFile
    snapshot: Snapshot
    new_data: dict[str, Any]
    changes: list[Change]
    new_text: str
    notes: list[str] = field(default_factory=list)

    @property
    def display(self) -> str:
        return self.file.display

    @property
    def record_id(self) -> str:
        return str(self.new_data.get("id") or self.file.record_id or "")


def schema_reasons(data: dict[str, Any]) -> list[str]:
    """Why `data` is not a valid record, one reason per problem (empty when it is valid)."""
    from ccus_records.schema.validation import dotted_location, validation_errors

    reasons = []
    for error in validation_errors(data):
        dotted = dotted_location(tuple(error["loc"])) or "(record)"
        if error["type"] == "missing":
            reasons.append(f"`{dotted}` is required")
        elif error["type"] == "extra_forbidden":
            reasons.append(f"`{dotted}` is not a field of a record")
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            reasons.append(f"`{dotted}`: {message[:1].lower()}{message[1:]}")
    return reasons


def render_data(file: RecordFile, new_data: dict[str, Any]) -> str:
    """The file's text with its front matter holding `new_data`; everything after the front matter kept."""
    from ccus_records.recordfile.canonical import canonical_json
    from ccus_records.recordfile.yamledit import YamlEditError, line_ending, update_front_matter

    text = file.text or ""
    start = text.find("\n") + 1
    end = start + len(file.front_matter)
    newline = line_ending(text[:end])
    if file.syntax == "json":
        front_matter = canonical_json(new_data) + "\n"
        if newline != "\n":
            front_matter = front_matter.replace("\n", newline)
    else:
        try:
            front_matter = update_front_matter(file.front_matter, file.data or {}, new_data)
        except YamlEditError as error:
            raise WriteError(f"{file.display}: {error}") from None
    return text[:start] + front_matter + text[end:]


def check_rendered(file: RecordFile, new_text: str, new_data: dict[str, Any]) -> None:
    """The rendered text must read back as exactly the new data, with the body byte for byte as it was."""
    again = parse_record_bytes(new_text.encode("utf-8"), RecordFile(path=file.path, display=file.display))
    if again.data is None or not _same(again.data, new_data):
        raise WriteError(f"{file.display}: the rewritten front matter would not hold the intended data; not written")
    if again.rest != file.rest:
        raise WriteError(f"{file.display}: the rewrite would change the body; not written")


def read_for_edit(path: Path, config: Config, cwd: Path) -> tuple[RecordFile, Snapshot]:
    """The record and the snapshot a later write is checked against; an unreadable file is an EditError."""
    try:
        return read_snapshot(path, display_path(path, cwd), corpus_roots(config, cwd), config.settings.max_file_bytes)
    except WriteError as error:
        raise EditError(str(error)) from None


def open_for_edit(path: Path, config: Config, cwd: Path) -> tuple[RecordFile, Snapshot]:
    file, snapshot = read_for_edit(path, config, cwd)
    display = file.display
    if file.data is None:
        problem = file.problems[0].message if file.problems else "no front matter"
        raise EditError(f"{display}: cannot edit a record whose front matter does not parse ({problem})")
    return file, snapshot


def plan_change(file: RecordFile, snapshot: Snapshot, new_data: dict[str, Any], notes: list[str]) -> RecordEdit:
    """The edit that turns `file` into `new_data`; refused (EditError) when the result would be invalid."""
    reasons = schema_reasons(new_data)
    if reasons:
        raise EditError(f"{file.display}: refused, the record would be invalid: {'; '.join(reasons)}")
    changes = field_changes(file.data or {}, new_data)
    new_text = file.text or ""
    if changes:
        try:
            new_text = render_data(file, new_data)
            check_rendered(file, new_text, new_data)
        except WriteError as error:
            raise EditError(str(error)) from None
    return RecordEdit(file, snapshot, new_data, changes, new_text, notes)


def plan_edits(paths: Iterable[Path], operations: Sequence[Operation], config: Config, cwd: Path) -> list[RecordEdit]:
    """The edit of each record, all worked out (and all refusals collected) before anything is written."""
    edits: list[RecordEdit] = []
    refusals: list[str] = []
    for path in paths:
        try:
            file, snapshot = open_for_edit(path, config, cwd)
            data = copy.deepcopy(file.data or {})
            notes = []
            for operation in operations:
                note = apply_operation(data, operation)
                if note:
                    notes.append(note)
            edits.append(plan_change(file, snapshot, data, notes))
        except EditError as error:
            refusals.append(str(error))
    if refusals:
        raise EditError(" | ".join(refusals) if len(refusals) > 1 else refusals[0])
    return edits


def write_edits(edits: Iterable[RecordEdit]) -> list[RecordEdit]:
    """Write each edit that changes something; the ones written, in order. Stops at the first failure."""
    written = []
    for edit in edits:
        if not edit.changes:
            continue
        try:
            write_record_text(edit.snapshot, edit.new_text, edit.display)
        except WriteError as error:
            raise EditError(str(error)) from None
        written.append(edit)
    return written


# --- review ---------------------------------------------------------------------------------------------


ReviewStatus = Literal["verified", "pending", "rejected"]
NOTE_DIMENSION = "statutory"


@dataclass
class ReviewPlan:
    edit: RecordEdit
    status: ReviewStatus
    reviewer: str
    blockers: list[str]


def blocking_findings(edit: RecordEdit, config: Config, cwd: Path, today: dt.date) -> list[Finding]:
    """The error-level findings the record would still have after the review (its own and cross-record)."""
    from ccus_records.engine.corpus import CorpusError
    from ccus_records.engine.lint import LintSetupError, lint

    # The record as it would be after the review, laid over the corpus: its own findings and the
    # cross-record ones, in one run.
    try:
        run = lint(config, [edit.file.path], today, cwd, texts={edit.file.path: edit.new_text})
    except (LintSetupError, CorpusError) as error:
        raise EditError(str(error)) from None
    shown = display_path(edit.file.path, cwd)
    return [f for f in run.findings if f.severity == "error" and f.path == shown]


def plan_review(
    config: Config,
    cwd: Path,
    target: str,
    reviewer: str,
    status: ReviewStatus,
    note: str | None,
    today: dt.date,
) -> ReviewPlan:
    """The review of one record: reviewer, reviewStatus and lastAuditDate set, and what blocks it."""
    from ccus_records.rules.audit import same_person

    name = reviewer.strip()
    if not name:
        raise EditError("--reviewer: a reviewer's name is required")
    file, snapshot = open_for_edit(find_record(config, cwd, target), config, cwd)
    data = copy.deepcopy(file.data or {})
    for operation in (
        Operation("set", "provenance.reviewer", name, name),
        Operation("set", "reviewStatus", status, status),
        Operation("set", "provenance.lastAuditDate", today.isoformat(), today.isoformat()),
    ):
        apply_operation(data, operation)
    if note and note.strip():
        dotted = f"analysis.{NOTE_DIMENSION}.auditNote"
        container, key = _container_for(data, dotted)
        previous = container.get(key)
        entry = f"{today.isoformat()} {name}: {note.strip()}"
        container[key] = f"{previous.rstrip()} {entry}" if isinstance(previous, str) and previous.strip() else entry
    edit = plan_change(file, snapshot, data, [])
    blockers: list[str] = []
    # A self-review is refused whatever the outcome recorded (A004 holds for every status).
    provenance = data.get("provenance")
    author = provenance.get("author", "") if isinstance(provenance, dict) else ""
    self_review = isinstance(author, str) and same_person(name, author)
    if self_review:
        blockers.append(f"the reviewer {name!r} is the record's author")
    if status == "verified":
        for finding in blocking_findings(edit, config, cwd, today):
            if self_review and finding.code == "A004":
                continue  # said above, whatever A004's configured severity
            where = f" ({finding.field})" if finding.field else ""
            blockers.append(f"{finding.code} {finding.message}{where}")
    return ReviewPlan(edit, status, name, blockers)
