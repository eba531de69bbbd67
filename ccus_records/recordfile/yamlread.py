"""YAML front matter to plain data, refusing what a record never needs, and where each key stands.

Data comes from ruamel.yaml's safe loader (its C parser where ruamel.yaml.clib is installed, about eight
times faster than the pure-Python round-trip loader): it never constructs Python objects for tags such as
`!!python/object` — it refuses them.

Anchors, aliases and merge keys (`<<`) are refused before anything is built: a record is plain data, and an
alias repeats what its anchor holds as often as it is written (120,000 aliases of a 500,000-character
title are sixty billion characters to whatever writes the data out). A cheap search of the text finds the
documents that may hold one; only those are read as parser events, and the first anchor, alias or merge key
is an S002 at its place. Nothing is expanded.

libyaml is stricter than the YAML spec in places (a colon inside a flow scalar such as `[http://x.org]`,
an anchor name used twice); a document it refuses is given to ruamel's pure-Python parser, and is refused
only when that one refuses it too (with libyaml's message). The common case, a document libyaml reads,
costs nothing more.

Positions are needed only for records with findings, and come from a scan of the lines (block-style
YAML, which is what records use), not from a second, round-trip parse.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import ComposerError
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.parser import ParserError
from ruamel.yaml.scanner import ScannerError

from ccus_records.recordfile.positions import join_field
from ccus_records.recordfile.problems import Problem

if TYPE_CHECKING:
    from ccus_records.recordfile.reader import RecordFile

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _RecordConstructor(SafeConstructor):
    """Safe constructor that keeps an impossible date such as 2024-02-30 as its text.

    The schema then reports it on its field, instead of the parser failing with no position.
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return str(node.value)


_RecordConstructor.add_constructor(_TIMESTAMP_TAG, _RecordConstructor.construct_yaml_timestamp)


@cache
def _loader(pure: bool) -> YAML:
    try:
        yaml = YAML(typ="safe", pure=pure)
    except Exception:  # pragma: no cover - no C extension on this interpreter
        yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _RecordConstructor
    return yaml


@cache
def _c_loader_class() -> type | None:
    """A loader class over libyaml, made once, or None where ruamel.yaml has no C parser.

    ruamel.yaml's `YAML.load` builds the same class anew for every document it loads with the C parser
    (and keeps a record of each document on the YAML object): a type, a function and a cell a record, all
    in reference cycles, which a corpus-sized run then leaves to the garbage collector. This is that class,
    made once; its resolver answers the YAML version it would compute for every scalar (the C parser
    reports no `%YAML` directive, so it is always the same) once a document instead.
    """
    yaml = _loader(False)
    parser, resolver = yaml.Parser, yaml.Resolver
    if parser is None or not getattr(parser, "__module__", "").endswith("_ruamel_yaml"):
        return None

    class CLoader(parser, _RecordConstructor, resolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            parser.__init__(self, stream)
            self._parser = self._composer = self
            _RecordConstructor.__init__(self, loader=self)
            self.allow_duplicate_keys = False
            resolver.__init__(self, version=None, loadumper=self)
            self._version_once = resolver.processing_version.fget(self)

        @property
        def processing_version(self) -> Any:
            return self._version_once

    return CLoader


def _load(text: str) -> Any:
    deep = _looks_deep(text)
    loader_class = None if deep else _c_loader_class()
    if loader_class is None:
        return _loader(deep).load(text)
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    except (ScannerError, ParserError, ComposerError) as error:
        # libyaml refuses some YAML the spec allows: ask the pure-Python parser before refusing the record.
        try:
            return _pure_load(text)
        except YAMLError:
            raise error from None  # both refuse it: libyaml's message, as for every other refused document
    finally:
        loader.dispose()
        loader.__dict__.clear()  # its attributes point back at it: drop them, and the loader goes at once


def _pure_load(text: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ruamel warns on stderr about what the record is refused for anyway
        return _loader(True).load(text)


# Where an anchor (`&name`), an alias (`*name`), a merge key (`<<`) or a tag directive may be: a token starts
# a line or follows white space or a flow indicator. Plain text (`R&D`, `Oil & gas`) seldom matches.
_MAY_ANCHOR = re.compile(r"(?<![^\s\[{,])[&*][^\s\[\]{},]|<<|%TAG|!!merge")
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _events(text: str, pure: bool) -> Iterator[Any]:
    loader_class = None if pure else _c_loader_class()
    if loader_class is None:
        yield from _loader(True).parse(text)
        return
    loader = loader_class(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()
        loader.__dict__.clear()


def _first_anchor(events: Iterator[Any]) -> tuple[str, Any] | None:
    """What the first anchor, alias or merge key in the events is (a message), and its mark; None if none."""
    # One entry per open collection: for a mapping, whether its next node is a key; None for a sequence.
    open_collections: list[list[bool] | None] = []
    for event in events:
        if isinstance(event, AliasEvent):
            return f"YAML alias `*{event.anchor}` is not allowed in a record (no anchors or aliases)", event.start_mark
        if isinstance(event, (ScalarEvent, MappingStartEvent, SequenceStartEvent)):
            if event.anchor:
                message = f"YAML anchor `&{event.anchor}` is not allowed in a record (no anchors or aliases)"
                return message, event.start_mark
            parent = open_collections[-1] if open_collections else None
            is_key = parent is not None and parent[0]
            if parent is not None:
                parent[0] = not parent[0]
            merge = isinstance(event, ScalarEvent) and event.value == "<<" and event.implicit[0]
            if event.tag == _MERGE_TAG or (is_key and merge):
                return "YAML merge keys (`<<`) are not allowed in a record", event.start_mark
            if isinstance(event, MappingStartEvent):
                open_collections.append([True])
            elif isinstance(event, SequenceStartEvent):
                open_collections.append(None)
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)) and open_collections:
            open_collections.pop()
    return None


def _anchor_problem(text: str, first_line: int) -> Problem | None:
    """S002 at the first anchor, alias or merge key of the document, read as events (nothing is built)."""
    # Substring tests first (a few microseconds): most records hold none of these characters at all.
    if ("&" not in text and "*" not in text and "<" not in text and "%" not in text and "!" not in text) or (
        _MAY_ANCHOR.search(text) is None
    ):
        return None
    for pure in (_looks_deep(text), True):
        try:
            found = _first_anchor(_events(text, pure))
        except (YAMLError, RecursionError):
            continue  # not YAML to this parser: the other one, then the load, says so
        if found is None:
            return None
        message, mark = found
        return Problem("S002", message, first_line + mark.line, mark.column + 1)
    return None


# libyaml recurses on the C stack for every nesting level and crashes the process on deep documents,
# where the pure-Python parser raises RecursionError. A record nests three levels deep: text with many
# brackets or deep indentation goes to the pure parser, which refuses it cleanly.
_DEEP_INDENT = "\n" + " " * 64


def _looks_deep(text: str) -> bool:
    return text.count("[") + text.count("{") > 64 or _DEEP_INDENT in text or text.count("- ") > 2000


class _Refused(Exception):
    def __init__(self, message: str, dotted: str) -> None:
        super().__init__(message)
        self.dotted = dotted


def load_front_matter(record: RecordFile) -> dict[str, Any] | None:
    first = record.front_matter_line
    anchored = _anchor_problem(record.front_matter, first)
    if anchored is not None:
        record.problems.append(anchored)
        return None
    try:
        loaded = _load(record.front_matter)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first + mark.line if mark is not None else first
        column = mark.column + 1 if mark is not None else 1
        problem = (error.problem or "invalid YAML").strip()
        if type(error).__name__ == "DuplicateKeyError":
            record.problems.append(
                Problem("S004", f"a key appears more than once in one mapping ({problem})", line, column)
            )
        elif "could not determine a constructor for the tag" in problem:
            tag = problem.rsplit(" ", 1)[-1].strip("'\"")
            record.problems.append(Problem("S002", f"YAML tag `{tag}` is not allowed in a record", line, column))
        else:
            record.problems.append(Problem("S002", f"invalid YAML: {problem}", line, column))
        return None
    except (YAMLError, ValueError, TypeError, OverflowError) as error:
        record.problems.append(Problem("S002", f"invalid YAML: {error}", first, 1))
        return None
    except RecursionError:
        record.problems.append(Problem("S002", "invalid YAML: nested too deeply", first, 1))
        return None
    if loaded is None:
        record.problems.append(Problem("S003", "the front matter is empty; it must be a mapping", first, 1))
        return None
    if not isinstance(loaded, dict):
        record.problems.append(Problem("S003", "the front matter must be a mapping", first, 1))
        return None
    key_problems: list[tuple[str, str]] = []
    try:
        data = _plain(loaded, "", set(), key_problems)
    except _Refused as refused:
        line, column = record.locate_yaml(refused.dotted)
        record.problems.append(Problem("S002", str(refused), line, column, refused.dotted or None))
        return None
    except RecursionError:
        record.problems.append(Problem("S002", "invalid YAML: nested too deeply", first, 1))
        return None
    for parent, key in key_problems:
        line, column = record.locate_yaml(join_field(parent, key))
        record.problems.append(
            Problem("S003", f"key {key} is not a string; keys must be strings", line, column, parent or None)
        )
    assert isinstance(data, dict)
    return data


def _plain(value: Any, dotted: str, seen: set[int], key_problems: list[tuple[str, str]]) -> Any:
    """Plain JSON-compatible data from what the safe loader built, dates as `YYYY-MM-DD` text."""
    if isinstance(value, dict):
        if id(value) in seen:
            raise _Refused("YAML anchors and aliases are not allowed in a record", dotted)
        seen.add(id(value))
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                key_problems.append((dotted, str(key)))
                continue
            result[key] = _plain(item, join_field(dotted, key), seen, key_problems)
        return result
    if isinstance(value, list):
        if id(value) in seen:
            raise _Refused("YAML anchors and aliases are not allowed in a record", dotted)
        seen.add(id(value))
        return [_plain(item, f"{dotted}[{index}]", seen, key_problems) for index, item in enumerate(value)]
    if isinstance(value, (bool, str, int, float)) or value is None:
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()  # a time is not a date: the schema says so on its field
    if isinstance(value, dt.date):
        return value.isoformat()
    raise _Refused(f"a YAML {type(value).__name__} value is not allowed in a record", dotted)


_KEY = re.compile(
    r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{\[\]},&*!|>%@`-][^#:]*?|-[^\s#:][^#:]*?))\s*:(?:\s+|$)(.*)"""
)


def yaml_key_positions(text: str, first_line: int) -> dict[str, tuple[int, int]]:
    """(line, column) of every key and list item of block-style YAML, by dotted field, as ruamel reports them.

    A scan of indentation, not a parse: flow collections, multi-line scalars and exotic keys simply have
    no entry, and a finding about them is placed at the nearest enclosing field instead.
    """
    positions: dict[str, tuple[int, int]] = {"": (first_line, 1)}
    # Open containers: (indent, dotted path, whether it is a list item).
    stack: list[tuple[int, str, bool]] = [(-1, "", False)]
    counters: dict[str, int] = {}
    skip_deeper_than: int | None = None
    for number, line in enumerate(text.split("\n")):
        content = line.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        indent = len(line) - len(content)
        if skip_deeper_than is not None:
            if indent > skip_deeper_than:
                continue  # a continuation of a scalar
            skip_deeper_than = None
        is_item = content == "-" or content.startswith("- ")
        while len(stack) > 1 and (stack[-1][0] > indent or (stack[-1][0] == indent and (not is_item or stack[-1][2]))):
            stack.pop()
        while is_item:
            parent = stack[-1][1]
            index = counters.get(parent, 0)
            counters[parent] = index + 1
            item = f"{parent}[{index}]"
            content = content[1:].lstrip(" ")
            offset = len(line) - len(content)
            positions[item] = (first_line + number, offset + 1)  # where the item's value starts
            stack.append((indent, item, True))
            is_item = content == "-" or content.startswith("- ")
            if is_item:
                indent = offset
            elif content and _KEY.match(content) is None:
                skip_deeper_than = indent  # a scalar item, perhaps continued on the next lines
                content = ""
            else:
                indent = offset
        if not content:
            continue
        match = _KEY.match(content)
        if match is None:
            continue
        key = next(group for group in match.groups()[:3] if group is not None)
        dotted = join_field(stack[-1][1], key.strip())
        positions.setdefault(dotted, (first_line + number, indent + 1))
        value = match.group(4).strip()
        if not value or value.startswith("#") or (value[:1] in "&!" and " " not in value):
            stack.append((indent, dotted, False))
        else:
            skip_deeper_than = indent
    return positions
