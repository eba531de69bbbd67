"""Finding one record by what a person types: a path, or the id of a record in the corpus."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ccus_records.engine.config import Config
from ccus_records.engine.corpus import resolve_corpus
from ccus_records.errors import CcusRecordsError
from ccus_records.recordfile.reader import (
    RecordFile,
    display_path,
    parse_record_bytes,
    read_record_file,
    read_regular_file,
)


class RecordNotFound(CcusRecordsError):
    """No record answers to the name given, or more than one does."""


def is_path(target: str, cwd: Path) -> bool:
    """Whether `target` names a file (not an id)."""
    return (cwd / target).is_file()


def matching_id(target: str) -> Callable[[RecordFile], Any]:
    """A lint run's `collect` that keeps the file whose id is `target` and skips every other."""
    from ccus_records.engine.lint import SKIP

    wanted = target.strip()

    def match(file: RecordFile) -> Any:
        return file if file.record_id is not None and file.record_id.strip() == wanted else SKIP

    return match


def find_record(config: Config, cwd: Path, target: str) -> Path:
    """The record file `target` names: the file itself when it is one, else the one record with that id in
    the corpus. Every command that takes one record finds it here, in the same corpus."""
    candidate = cwd / target
    if candidate.is_file():
        return Path(os.path.abspath(candidate))
    if candidate.is_dir():
        raise RecordNotFound(f"{target}: a folder; give a record id or a record file")
    return find_record_in(resolve_corpus(config, [], cwd).paths, cwd, target, config.settings.max_file_bytes)


def find_record_in(files: Sequence[Path | str], cwd: Path, target: str, max_bytes: int) -> Path:
    """The record file `target` names among `files`: a path, or the id of exactly one of them."""
    candidate = cwd / target
    if candidate.is_file():
        return Path(os.path.abspath(candidate))
    if candidate.is_dir():
        raise RecordNotFound(f"{target}: a folder; give a record id or a record file")
    only = _only_holder(files, cwd, target, max_bytes)
    if only is not None:
        return only
    found: list[Path] = []
    ids: list[str] = []
    unreadable: dict[str, RecordFile] = {}  # by file name: records whose id cannot be read
    for path in map(Path, files):
        try:
            file = read_record_file(path, display_path(path, cwd), max_bytes)
        except OSError:
            continue
        if file.record_id is not None:
            ids.append(file.record_id.strip())
            if file.record_id.strip() == target.strip():
                found.append(path)
        else:
            unreadable[path.stem] = file
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(display_path(path, cwd) for path in found)
        raise RecordNotFound(f"{target!r}: {len(found)} records have that id ({names}); give a path")
    broken = unreadable.get(target.strip().removesuffix(".md"))
    if broken is not None:
        # Its file is named after the id: the record is there, but cannot be read.
        raise RecordNotFound(f"{broken.display}: the record {target!r} cannot be read: {why_unreadable(broken)}")
    raise RecordNotFound(not_found_message(target, ids, len(files)))


def _only_holder(files: Sequence[Path | str], cwd: Path, target: str, max_bytes: int) -> Path | None:
    """The one file whose id is `target`, parsing only the files whose bytes can hold it; None when not
    exactly one does (the full search then says why), or when the id could be spelt in a way its bytes
    do not show.

    Without a backslash in the file (a JSON or YAML escape) an id is written out as it reads, and one with
    no space or quote cannot come from a folded or quoted YAML line: a file that holds `target` holds its
    bytes, so every other file is only read, never parsed.
    """
    wanted = target.strip()
    if not wanted or any(character.isspace() or character in "\\\"'" for character in wanted):
        return None
    try:
        needle = wanted.encode("utf-8")
    except UnicodeEncodeError:
        return None
    found: list[Path] = []
    for path in files:
        try:
            raw = read_regular_file(path, max_bytes)[1]
        except OSError:
            continue
        if raw is None or (needle not in raw and b"\\" not in raw):
            continue
        file = parse_record_bytes(raw, RecordFile(path=Path(path), display=display_path(Path(path), cwd)))
        if file.record_id is not None and file.record_id.strip() == wanted:
            found.append(Path(path))
    return found[0] if len(found) == 1 else None


def why_unreadable(file: RecordFile) -> str:
    """The first thing the reader met that keeps the file from being a record, with its line."""
    if not file.problems:
        return "its front matter is not a mapping"
    problem = file.problems[0]
    where = f" (line {problem.line})" if problem.line else ""
    return f"{problem.message}{where}"


def not_found_message(target: str, ids: list[str], searched: int) -> str:
    from ccus_records.suggest import hint

    return f"no record with id {target!r} and no such file ({searched} files searched){hint(target, ids)}"
