"""Git's external diff driver and textconv for record files.

Git calls an external diff command with 7 arguments (`path old-file old-hex old-mode new-file new-hex
new-mode`), 9 for a rename (`... new-path rename-info`) and 1 for an unmerged path; `/dev/null` stands for
the missing side of an added or deleted file. Git aborts with "external diff died" when the command fails,
so this never raises: a side that is not a record falls back to a plain text diff of the file.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ccus_records.features.diff import DiffInputError, DiffResult, RecordSide, diff_pair, diff_records, textconv_text
from ccus_records.recordfile.reader import DEFAULT_MAX_FILE_BYTES, read_record_file

NULL_FILE = "/dev/null"


@dataclass(frozen=True)
class ExternalDiff:
    """What to show for one path: a field-level result, or plain diff lines, or an unmerged notice."""

    path: str
    new_path: str
    result: DiffResult | None = None
    plain: tuple[str, ...] = ()
    unmerged: bool = False
    note: str | None = None  # why the plain diff was used, or a problem with the arguments


def _read_side(file: str, label: str, max_bytes: int) -> RecordSide | None:
    if file == NULL_FILE:
        return None
    from ccus_records.features.diff import read_side

    return read_side(Path(file), label, max_bytes, location=label)


def _raw_lines(file: str) -> list[str]:
    if file == NULL_FILE:
        return []
    try:
        data = Path(file).read_bytes()
    except OSError as error:
        return [f"(cannot be read: {error.strerror or error})"]
    return data.decode("utf-8", "replace").splitlines()


def plain_diff(old_file: str, new_file: str, path: str, new_path: str) -> tuple[str, ...]:
    old_label = NULL_FILE if old_file == NULL_FILE else f"a/{path}"
    new_label = NULL_FILE if new_file == NULL_FILE else f"b/{new_path}"
    return tuple(
        difflib.unified_diff(
            _raw_lines(old_file), _raw_lines(new_file), fromfile=old_label, tofile=new_label, lineterm=""
        )
    )


def external_diff(arguments: Sequence[str], max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> ExternalDiff:
    """The diff git asked for, by the argument conventions of GIT_EXTERNAL_DIFF."""
    if len(arguments) == 1:
        return ExternalDiff(arguments[0], arguments[0], unmerged=True)
    if len(arguments) not in (7, 9):
        shown = " ".join(arguments)
        return ExternalDiff(
            "", "", note=f"--git-external expects the 7, 9 or 1 arguments git passes, not {len(arguments)}: {shown}"
        )
    path, old_file, new_file = arguments[0], arguments[1], arguments[4]
    new_path = arguments[7] if len(arguments) == 9 else path
    old = _read_side(old_file, path, max_bytes)
    new = _read_side(new_file, new_path, max_bytes)
    problems = [f"{side.display}: {side.problem}" for side in (old, new) if side is not None and side.problem]
    if problems:
        return ExternalDiff(path, new_path, plain=plain_diff(old_file, new_file, path, new_path), note=problems[0])
    if old is not None and new is not None:
        result = diff_pair(old, new, f"a/{path}", f"b/{new_path}")
    else:
        found = diff_records(old, new)
        result = DiffResult((found,) if found else (), f"a/{path}", f"b/{new_path}", 1)
    return ExternalDiff(path, new_path, result=result)


@dataclass(frozen=True)
class Textconv:
    text: str
    parsed: bool


def textconv(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Textconv:
    """The record as sorted `field = value` lines and its body; the file's own text when it is no record.

    Raises `DiffInputError` only when the file cannot be read at all.
    """
    try:
        file = read_record_file(path, str(path), max_bytes)
    except OSError as error:
        raise DiffInputError(f"{path}: cannot be read: {error.strerror or error}") from None
    if file.data is None:
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise DiffInputError(f"{path}: cannot be read: {error.strerror or error}") from None
        return Textconv(raw.decode("utf-8", "replace"), False)
    return Textconv(textconv_text(RecordSide(file.record_id or "", str(path), file.data, file.rest)), True)
