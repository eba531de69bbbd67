"""Bytes on disk to a `RecordFile`: decoded text, framing, front matter data and where each field stands.

Every malformed input becomes a `Problem` (reported by the S rules), never an exception: the reader is the
wall between the corpus and the rest of the tool.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from ccus_records.recordfile.positions import LineIndex, join_field, json_field_offsets, parents
from ccus_records.recordfile.problems import Problem

DEFAULT_MAX_FILE_BYTES = 1024 * 1024
BOM = "\ufeff"
DELIMITER = "---"
# Control characters other than tab, LF and CR (C0, DEL and C1).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

Syntax = Literal["json", "yaml"]


@dataclass(eq=False)
class RecordFile:
    """One record file as read: what it holds and where, plus the problems met while reading it."""

    path: Path
    display: str
    text: str | None = None
    syntax: Syntax | None = None
    data: dict[str, Any] | None = None
    # The front matter as written, and the 1-based line of the file it starts on.
    front_matter: str = ""
    front_matter_line: int = 2
    # Everything after the closing delimiter line, byte for byte (normally a blank line, then the body).
    rest: str = ""
    problems: list[Problem] = field(default_factory=list)
    # YAML positions are known from parsing; JSON positions are computed on first use.
    yaml_positions: dict[str, tuple[int, int]] | None = None

    @property
    def body(self) -> str:
        return self.rest.strip()

    @property
    def record_id(self) -> str | None:
        value = self.data.get("id") if self.data else None
        return value if isinstance(value, str) else None

    @cached_property
    def _json_offsets(self) -> dict[str, int]:
        return json_field_offsets(self.front_matter)[0]

    @cached_property
    def _line_index(self) -> LineIndex:
        return LineIndex(self.front_matter, self.front_matter_line)

    def locate(self, dotted: str | None) -> tuple[int | None, int | None]:
        """The (line, column) of a field's key, or of its nearest enclosing field that exists."""
        if self.text is None or self.syntax is None:
            return None, None
        if self.syntax == "yaml":
            positions = self.yaml_positions or {}
            for candidate in parents(dotted or ""):
                if candidate in positions:
                    return positions[candidate]
            return self.front_matter_line, 1
        offsets = self._json_offsets
        for candidate in parents(dotted or ""):
            if candidate in offsets:
                return self._line_index.position(offsets[candidate])
        root = offsets.get("")
        if root is not None:
            return self._line_index.position(root)
        return self.front_matter_line, 1


def display_path(path: Path, cwd: Path) -> str:
    """The path relative to the current folder where they share more than the file-system root."""
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        pass
    try:
        if os.path.commonpath([path, cwd]) != os.path.dirname(os.path.commonpath([path, cwd])):
            return os.path.relpath(path, cwd)
    except ValueError:
        pass
    return str(path)


def read_record_file(path: Path, display: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> RecordFile:
    """Read one record file. Raises OSError only when the file cannot be read at all."""
    record = RecordFile(path=path, display=display)
    size = path.stat().st_size
    if size > max_bytes:
        record.problems.append(
            Problem("S007", f"the file is {size:,} bytes, above the limit of {max_bytes:,} bytes", 1, 1)
        )
        return record
    with path.open("rb") as handle:
        raw = handle.read(max_bytes + 1)
    return parse_record_bytes(raw, record)


def parse_record_bytes(raw: bytes, record: RecordFile) -> RecordFile:
    text = _decode(raw, record.problems)
    if text is None:
        return record
    record.text = text
    _frame(text, record)
    return record


def _decode(raw: bytes, problems: list[Problem]) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem("S006", "the file is UTF-16 (it has a UTF-16 byte-order mark); use UTF-8", 1, 1))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Problem(
                "S006",
                f"not valid UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start}",
                line,
                column,
            )
        )
        return None
    if text.startswith(BOM):
        problems.append(Problem("S006", "the file starts with a byte-order mark", 1, 1))
        text = text[1:]
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        problems.append(Problem("S006", f"control character U+{ord(control.group()):04X} in the file", line, column))
    return text


def _frame(text: str, record: RecordFile) -> None:
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if first_line.rstrip() != DELIMITER:
        record.problems.append(Problem("S001", "the file does not start with a `---` line", 1, 1))
        return
    start = first_end + 1
    offset = start
    closing = -1
    while offset <= len(text) and first_end >= 0:
        end = text.find("\n", offset)
        line = text[offset:] if end < 0 else text[offset:end]
        if line.rstrip() == DELIMITER:
            closing = offset
            break
        if end < 0:
            break
        offset = end + 1
    if closing < 0:
        record.problems.append(Problem("S001", "the front matter is never closed by a `---` line", 1, 1))
        return
    record.front_matter = text[start:closing]
    close_end = text.find("\n", closing)
    record.rest = "" if close_end < 0 else text[close_end + 1 :]
    if record.front_matter.lstrip().startswith("{"):
        record.syntax = "json"
        record.data = _parse_json(record)
    else:
        record.syntax = "yaml"
        record.data = _parse_yaml(record)


def _parse_json(record: RecordFile) -> dict[str, Any] | None:
    duplicated = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicated
        result = dict(pairs)
        if len(result) != len(pairs):
            duplicated = True
        return result

    try:
        data = json.loads(record.front_matter, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as error:
        line = record.front_matter_line + error.lineno - 1
        record.problems.append(Problem("S002", f"invalid JSON: {error.msg}", line, error.colno))
        return None
    except RecursionError:
        record.problems.append(Problem("S002", "invalid JSON: nested too deeply", record.front_matter_line, 1))
        return None
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        record.problems.append(Problem("S002", f"invalid JSON: {error}", record.front_matter_line, 1))
        return None
    if duplicated:
        _, duplicates = json_field_offsets(record.front_matter)
        index = LineIndex(record.front_matter, record.front_matter_line)
        for dotted, offset in duplicates:
            line, column = index.position(offset)
            record.problems.append(
                Problem("S004", f"key `{dotted}` appears more than once; the last one wins", line, column, dotted)
            )
    if not isinstance(data, dict):
        record.problems.append(Problem("S003", "the front matter must be an object", record.front_matter_line, 1))
        return None
    return data


def _parse_yaml(record: RecordFile) -> dict[str, Any] | None:
    from ccus_records.recordfile import yamlread

    return yamlread.load_front_matter(record)


def iso(value: dt.date) -> str:
    return value.isoformat()


__all__ = ["RecordFile", "display_path", "join_field", "parse_record_bytes", "read_record_file"]
