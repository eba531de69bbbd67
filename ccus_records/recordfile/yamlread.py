"""YAML front matter to plain data, with positions, refusing what a record never needs.

ruamel.yaml's round-trip loader is used because it reports where every key stands. It never constructs
Python objects for tags such as `!!python/object` (it keeps them as tagged data, which is refused here),
and an alias yields the very object its anchor made, so a billion-laughs document is refused the first time
a container is met twice — in time and memory bounded by the size of the text.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ccus_records.recordfile.positions import join_field
from ccus_records.recordfile.problems import Problem

if TYPE_CHECKING:
    from ccus_records.recordfile.reader import RecordFile

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _RecordConstructor(RoundTripConstructor):
    """Round-trip constructor that keeps an impossible date such as 2024-02-30 as its text.

    The schema then reports it on its field, instead of the parser failing with no position.
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return str(node.value)


_RecordConstructor.add_constructor(_TIMESTAMP_TAG, _RecordConstructor.construct_yaml_timestamp)


def _loader() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _RecordConstructor
    return yaml


class _Refused(Exception):
    def __init__(self, message: str, dotted: str) -> None:
        super().__init__(message)
        self.dotted = dotted


def load_front_matter(record: RecordFile) -> dict[str, Any] | None:
    first = record.front_matter_line
    try:
        loaded = _loader().load(record.front_matter)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first + mark.line if mark is not None else first
        column = mark.column + 1 if mark is not None else 1
        code = "S004" if type(error).__name__ == "DuplicateKeyError" else "S002"
        problem = (error.problem or "invalid YAML").strip()
        if code == "S004":
            problem = f"a key appears more than once in one mapping ({problem})"
        record.problems.append(Problem(code, f"invalid YAML: {problem}" if code == "S002" else problem, line, column))
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
    positions: dict[str, tuple[int, int]] = {"": (first, 1)}
    try:
        data = _plain(loaded, "", positions, set(), first)
    except _Refused as refused:
        line, column = positions.get(refused.dotted, (first, 1))
        record.problems.append(Problem("S002", str(refused), line, column, refused.dotted or None))
        return None
    except RecursionError:
        record.problems.append(Problem("S002", "invalid YAML: nested too deeply", first, 1))
        return None
    record.yaml_positions = positions
    assert isinstance(data, dict)
    for key_problem in _non_string_keys(loaded, first):
        record.problems.append(key_problem)
    return data


def _tag_of(value: Any) -> str | None:
    tag = getattr(value, "tag", None)
    text = getattr(tag, "value", None)
    return text if isinstance(text, str) else None


def _plain(value: Any, dotted: str, positions: dict[str, tuple[int, int]], seen: set[int], first: int) -> Any:
    """Plain JSON-compatible data from ruamel's round-trip types, dates as `YYYY-MM-DD` text."""
    tag = _tag_of(value)
    if tag is not None:
        raise _Refused(f"YAML tag `{tag}` is not allowed in a record", dotted)
    if isinstance(value, dict):
        if id(value) in seen:
            raise _Refused("YAML anchors and aliases are not allowed in a record", dotted)
        seen.add(id(value))
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                continue  # reported by _non_string_keys
            child = join_field(dotted, key)
            try:
                line, column = cast(Any, value).lc.key(key)
                positions[child] = (first + line, column + 1)
            except (AttributeError, KeyError, TypeError):
                pass
            result[str(key)] = _plain(item, child, positions, seen, first)
        return result
    if isinstance(value, list):
        if id(value) in seen:
            raise _Refused("YAML anchors and aliases are not allowed in a record", dotted)
        seen.add(id(value))
        items = []
        for index, item in enumerate(value):
            child = f"{dotted}[{index}]"
            try:
                line, column = cast(Any, value).lc.item(index)
                positions[child] = (first + line, column + 1)
            except (AttributeError, KeyError, TypeError, IndexError):
                pass
            items.append(_plain(item, child, positions, seen, first))
        return items
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()  # a time is not a date: the schema says so on its field
    if isinstance(value, dt.date):
        return value.isoformat()
    raise _Refused(f"a YAML {type(value).__name__} value is not allowed in a record", dotted)


def _non_string_keys(value: Any, first: int, dotted: str = "") -> list[Problem]:
    found: list[Problem] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                try:
                    line, column = cast(Any, value).lc.key(key)
                    where: tuple[int | None, int | None] = (first + line, column + 1)
                except (AttributeError, KeyError, TypeError):
                    where = (None, None)
                found.append(
                    Problem("S003", f"key {key!r} is not a string; keys must be strings", *where, dotted or None)
                )
            else:
                found.extend(_non_string_keys(item, first, join_field(dotted, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_non_string_keys(item, first, f"{dotted}[{index}]"))
    return found
