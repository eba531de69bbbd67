"""Bytes on disk to a `RecordFile`: decoded text, framing, front matter data and where each field stands.

Every malformed input becomes a `Problem` (reported by the S rules), never an exception: the reader is the
wall between the corpus and the rest of the tool.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat as stat_module
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from ccus_records.errors import CcusRecordsError
from ccus_records.recordfile.positions import (
    LineIndex,
    canonical_positions,
    join_field,
    json_field_offsets,
    parents,
)
from ccus_records.recordfile.problems import Problem

DEFAULT_MAX_FILE_BYTES = 1024 * 1024
# The most `max-file-bytes` may be: a record is a few kilobytes, and every file under the limit is read whole
# into memory (and its front matter parsed), so a larger limit only lets a planted file exhaust memory.
MAX_FILE_BYTES_LIMIT = 64 * 1024 * 1024
BOM = "\ufeff"
DELIMITER = "---"
# Control characters other than tab, LF and CR (C0, DEL and C1).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The bytes that are never part of a control character in UTF-8: deleting them leaves only suspects.
_HARMLESS_BYTES = bytes(b for b in range(256) if b in (9, 10, 13) or 32 <= b < 127 or b >= 128)

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
    # Positions are computed on first use: most records have findings on only a few fields.
    yaml_positions: dict[str, tuple[int, int]] | None = None

    @property
    def body(self) -> str:
        return self.rest.strip()

    @property
    def record_id(self) -> str | None:
        value = self.data.get("id") if self.data else None
        return value if isinstance(value, str) else None

    @cached_property
    def is_canonical_json(self) -> bool:
        """The front matter is JSON exactly as the canonical writer writes its data."""
        from ccus_records.recordfile.canonical import canonical_json

        return self.syntax == "json" and self.data is not None and self.front_matter == canonical_json(self.data) + "\n"

    @cached_property
    def _json_positions(self) -> dict[str, tuple[int, int]]:
        """The (line, column) of every field of a JSON front matter, worked out on the first finding.

        Canonical JSON (what the tool writes) is placed by a walk of its data (`canonical_positions`), any
        other JSON by a scan of its tokens. The walk pays: with the scan alone, `lint --no-cache` of 1,000
        generated records took 1.9 times the instructions (1.7 times where every field has a finding).
        """
        if self.is_canonical_json:
            assert self.data is not None
            return canonical_positions(self.data, self.front_matter_line)
        index = LineIndex(self.front_matter, self.front_matter_line)
        return {dotted: index.position(offset) for dotted, offset in json_field_offsets(self.front_matter)[0].items()}

    def locate_yaml(self, dotted: str | None) -> tuple[int, int]:
        positions = self.yaml_positions
        if positions is None:
            from ccus_records.recordfile.yamlread import yaml_key_positions

            positions = self.yaml_positions = yaml_key_positions(self.front_matter, self.front_matter_line)
        for candidate in parents(dotted or ""):
            if candidate in positions:
                return positions[candidate]
        return self.front_matter_line, 1

    def locate(self, dotted: str | None) -> tuple[int | None, int | None]:
        """The (line, column) of a field's key, or of its nearest enclosing field that exists."""
        if self.text is None or self.syntax is None:
            return None, None
        if self.syntax == "yaml":
            return self.locate_yaml(dotted)
        positions = self._json_positions
        for candidate in parents(dotted or ""):
            if candidate in positions:
                return positions[candidate]
        return positions.get("", (self.front_matter_line, 1))


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


class NotARegularFile(CcusRecordsError, OSError):
    """A path names a FIFO, a device, a socket or a folder: never read (a FIFO would block forever)."""


def _kind(mode: int) -> str:
    if stat_module.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat_module.S_ISDIR(mode):
        return "a folder"
    if stat_module.S_ISSOCK(mode):
        return "a socket"
    if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_regular_file(path: str | os.PathLike[str], max_bytes: int) -> tuple[os.stat_result, bytes | None]:
    """The stat of a regular file and its bytes (None when it is above `max_bytes`, and then not read).

    Opened without blocking (a FIFO opened for reading waits for a writer, forever) and checked with fstat
    on the descriptor itself, so what is read is what was checked. Raises `NotARegularFile` for anything
    but a regular file, and OSError when it cannot be opened.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat_module.S_ISREG(info.st_mode):
            raise NotARegularFile(errno.EINVAL, f"{_kind(info.st_mode)}, not a regular file; not read")
        if info.st_size > max_bytes:
            return info, None
        chunks = []
        wanted = min(info.st_size, max_bytes) + 1  # never a buffer of the limit's size for a small file
        while wanted > 0:
            chunk = os.read(descriptor, min(wanted, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return info, b"".join(chunks)
    finally:
        os.close(descriptor)


def _too_large(record: RecordFile, size: int, max_bytes: int) -> RecordFile:
    record.problems.append(Problem("S007", f"the file is {size:,} bytes, above the limit of {max_bytes:,} bytes", 1, 1))
    return record


def read_record_file(path: Path, display: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> RecordFile:
    """Read one record file. Raises OSError only when the file cannot be read at all (or is no regular file)."""
    record = RecordFile(path=path, display=display)
    info, raw = read_regular_file(path, max_bytes)
    if raw is None:
        return _too_large(record, info.st_size, max_bytes)
    return parse_record_bytes(raw, record)


def parse_unsaved_text(text: str, path: Path, display: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> RecordFile:
    """An unsaved version of a record file (an editor's buffer), read as the file would be: above
    `max_bytes` it is not parsed (S007)."""
    raw = text.encode("utf-8", "surrogatepass")
    record = RecordFile(path=path, display=display)
    if len(raw) > max_bytes:
        return _too_large(record, len(raw), max_bytes)
    return parse_record_bytes(raw, record)


def load_record_file(path: Path, display: str, max_bytes: int) -> tuple[RecordFile, os.stat_result, bytes]:
    """Read one record file with its stat and raw bytes (for the cache). Raises OSError if unreadable."""
    record = RecordFile(path=path, display=display)
    info, raw = read_regular_file(path, max_bytes)
    if raw is None:
        return _too_large(record, info.st_size, max_bytes), info, b""
    return parse_record_bytes(raw, record), info, raw


def parse_record_bytes(raw: bytes, record: RecordFile) -> RecordFile:
    text = _decode(raw, record.problems)
    if text is None:
        return record
    record.text = text
    conflict = conflict_line(text)
    if conflict is not None:
        # What a parser would say of the markers is noise: the file is two versions, and a person picks.
        record.problems.append(
            Problem("S008", f"unresolved merge conflict: `<<<<<<<` at line {conflict}; resolve it first", conflict, 1)
        )
        return record
    _frame(text, record)
    return record


_CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.MULTILINE)
_CONFLICT_MIDDLE = re.compile(r"^={7}$", re.MULTILINE)
_CONFLICT_END = re.compile(r"^>{7}(?: |$)", re.MULTILINE)


def conflict_line(text: str) -> int | None:
    """The line of the first `<<<<<<<` of a merge conflict git left in `text` (its `=======` and `>>>>>>>`
    follow), or None."""
    if "<<<<<<<" not in text:  # the common case, at C speed
        return None
    start = _CONFLICT_START.search(text)
    if start is None:
        return None
    middle = _CONFLICT_MIDDLE.search(text, start.end())
    if middle is None or _CONFLICT_END.search(text, middle.end()) is None:
        return None
    return text.count("\n", 0, start.start()) + 1


def _decode(raw: bytes, problems: list[Problem]) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem("S006", "the file is UTF-16 (it has a UTF-16 byte-order mark); use UTF-8", 1, 1))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        # Columns count characters, as everywhere else; the bytes before the bad one decode cleanly.
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
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
    # A C0 control or DEL is a byte of its own; a C1 control is encoded after 0xC2. Both tests run in C.
    suspect = bool(raw.translate(None, _HARMLESS_BYTES)) or b"\xc2" in raw
    control = _CONTROL.search(text) if suspect else None
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
    closing = _closing_delimiter(text, start) if first_end >= 0 else -1
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
    if record.data is not None and ("\\u" in record.front_matter or "\\U" in record.front_matter):
        # Only an escape (`"\\ud800"`, in JSON or a double-quoted YAML scalar) can make a lone surrogate.
        dotted = _unencodable(record.data, "")
        if dotted is not None:
            line, column = record.locate(dotted or None)
            record.problems.append(
                Problem(
                    "S006",
                    "a key or value holds a lone surrogate escape (such as `\\ud800`): it is no character, and "
                    "UTF-8 cannot encode it",
                    line,
                    column,
                    dotted or None,
                )
            )
            record.data = None
            return
    if record.data is not None and _may_be_deep(record.front_matter) and _depth(record.data) > MAX_DEPTH:
        record.problems.append(
            Problem(
                "S002", f"the front matter is nested more than {MAX_DEPTH} levels deep", record.front_matter_line, 1
            )
        )
        record.data = None


def utf8_encodable(text: str) -> bool:
    """Whether UTF-8 can encode the text: one holding a lone surrogate (a `\\ud800` escape, or a file name
    that is not valid UTF-8, decoded with surrogate escapes) cannot."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unencodable(data: Any, dotted: str) -> str | None:
    """The dotted field of the first key or string UTF-8 cannot encode (a lone surrogate), or None.

    Walked without recursion; a field whose key itself cannot be encoded is named by its parent.
    """
    stack: list[tuple[Any, str]] = [(data, dotted)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, str):
            if not utf8_encodable(value):
                return at
        elif isinstance(value, dict):
            for key, item in value.items():
                if not utf8_encodable(key):
                    return at
                stack.append((item, join_field(at, key)))
        elif isinstance(value, list):
            stack.extend((item, f"{at}[{index}]") for index, item in enumerate(value))
    return None


# A record is three levels deep; anything far deeper is an attack on whatever walks the data recursively.
MAX_DEPTH = 32


def _may_be_deep(text: str) -> bool:
    """Cheap gate for the depth walk: canonical records hold fewer than twenty brackets."""
    return text.count("{") + text.count("[") > MAX_DEPTH or "\n" + " " * (2 * MAX_DEPTH) in text


def _depth(data: Any) -> int:
    """How deeply lists and mappings nest, walked without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        if isinstance(value, dict):
            stack.extend((item, level + 1) for item in value.values() if isinstance(item, (dict, list)))
        elif isinstance(value, list):
            stack.extend((item, level + 1) for item in value if isinstance(item, (dict, list)))
    return deepest


def _closing_delimiter(text: str, start: int) -> int:
    """The offset of the first line after `start` that is `---` (white space around it allowed), or -1."""
    if text.startswith(DELIMITER, start):
        candidate = start
    else:
        candidate = text.find("\n" + DELIMITER, start - 1)
        candidate = candidate + 1 if candidate >= 0 else -1
    while candidate >= 0:
        end = text.find("\n", candidate)
        line = text[candidate:] if end < 0 else text[candidate:end]
        if line.rstrip() == DELIMITER:
            return candidate
        following = text.find("\n" + DELIMITER, candidate)
        candidate = following + 1 if following >= 0 else -1
    return -1


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


__all__ = [
    "NotARegularFile",
    "RecordFile",
    "display_path",
    "join_field",
    "parse_record_bytes",
    "read_record_file",
    "read_regular_file",
]
