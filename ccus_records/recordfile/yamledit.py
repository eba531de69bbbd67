"""Changing a YAML front matter while keeping its comments, key order, quoting, indentation and line endings.

ruamel.yaml's round-trip dump alone re-indents, re-wraps long lines and turns CRLF into LF. So:

- a changed scalar (a string, number or date replaced by another) is spliced into the original text at the
  span ruamel's composer reports for it, written in the style it had (plain, single- or double-quoted),
  falling back to double quotes where the plain or single-quoted form would read back differently;
- only a structural change (a key added or removed, a list grown or shrunk, a block scalar) goes through a
  full round-trip dump, configured from the indentation detected in the file, with no line wrapping, and
  with the file's line endings put back.

Either way the result is parsed again and must hold exactly the intended data, or `YamlEditError` is raised.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ccus_records.errors import CcusRecordsError
from ccus_records.schema.dates import date_or_none

PathPart = str | int
FieldPath = tuple[PathPart, ...]
_NO_WRAP = 1_000_000


class YamlEditError(CcusRecordsError):
    """The change cannot be written into this YAML text without changing other data."""


def load_plain(text: str) -> dict[str, Any] | None:
    """The plain data of a YAML front matter as the reader sees it (None when it does not parse)."""
    from ccus_records.recordfile import yamlread
    from ccus_records.recordfile.reader import RecordFile

    holder = RecordFile(path=Path(), display="")
    holder.front_matter = text
    data = yamlread.load_front_matter(holder)
    if any(problem.code in ("S002", "S003", "S004") for problem in holder.problems):
        return None
    return data


def same_data(first: Any, second: Any) -> bool:
    """Equal as JSON data: `true` is not `1`, and `1.0` is not `1`."""
    return json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _scalar_changes(old: Any, new: Any, path: FieldPath = ()) -> list[tuple[FieldPath, Any]] | None:
    """Each scalar replaced by another scalar, or None when the change is structural."""
    if isinstance(old, dict) and isinstance(new, dict):
        if list(old) != list(new):
            return None
        changes: list[tuple[FieldPath, Any]] = []
        for key in old:
            found = _scalar_changes(old[key], new[key], (*path, key))
            if found is None:
                return None
            changes.extend(found)
        return changes
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return None
        changes = []
        for index, (left, right) in enumerate(zip(old, new, strict=True)):
            found = _scalar_changes(left, right, (*path, index))
            if found is None:
                return None
            changes.extend(found)
        return changes
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return None
    if same_data(old, new):
        return []
    return [(path, new)]


def _node_at(root: Node, path: FieldPath) -> Node | None:
    node: Node | None = root
    for part in path:
        if isinstance(node, MappingNode) and isinstance(part, str):
            node = next((value for key, value in node.value if getattr(key, "value", None) == part), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


def _reads_back(rendered: str, value: Any) -> bool:
    loaded = load_plain(f"k: {rendered}\n")
    return loaded is not None and same_data(loaded.get("k"), value)


def _double_quoted(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar (same escapes, \uXXXX included).
    return json.dumps(value, ensure_ascii=False)


def render_scalar(value: Any, style: str | None) -> str | None:
    """The text of a scalar in the given style, or None when it needs a structural dump (block scalars)."""
    if style in ("|", ">"):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if not isinstance(value, str):
        return None
    if style == "'" and "\n" not in value and "\r" not in value:
        rendered = "'" + value.replace("'", "''") + "'"
        if _reads_back(rendered, value):
            return rendered
    if style is None and "\n" not in value and value == value.strip() and _reads_back(value, value):
        return value
    return _double_quoted(value)


def _common_scalar_changes(old: Any, new: Any, path: FieldPath = ()) -> list[tuple[FieldPath, Any]]:
    """The scalar-for-scalar changes at places both versions share, leaving structural ones aside."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [
            change for key in old if key in new for change in _common_scalar_changes(old[key], new[key], (*path, key))
        ]
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return []
        return [
            change
            for index, (left, right) in enumerate(zip(old, new, strict=True))
            for change in _common_scalar_changes(left, right, (*path, index))
        ]
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)) or same_data(old, new):
        return []
    return [(path, new)]


def _splice(text: str, changes: list[tuple[FieldPath, Any]]) -> str | None:
    """The text with each scalar replaced at the span the composer gives it; None when one cannot be."""
    if not changes:
        return text
    root = YAML(typ="rt").compose(text)
    if root is None:
        return None
    spans: list[tuple[int, int, str]] = []
    for path, value in changes:
        node = _node_at(root, path)
        if not isinstance(node, ScalarNode):
            return None
        rendered = render_scalar(value, node.style)
        if rendered is None:
            return None
        spans.append((node.start_mark.index, node.end_mark.index, rendered))
    result = text
    for start, end, rendered in sorted(spans, reverse=True):
        result = result[:start] + rendered + result[end:]
    return result


def splice_scalars(text: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """The text with each changed scalar replaced in place, or None when the change is not only scalars."""
    changes = _scalar_changes(old, new)
    return None if changes is None else _splice(text, changes)


def _top_level_blocks(text: str) -> tuple[str, dict[str, str]] | None:
    """The text before the first key, and each top-level key's block of lines (comments after it included).

    None unless the front matter is a block mapping whose keys all start a line.
    """
    root = YAML(typ="rt").compose(text)
    if not isinstance(root, MappingNode) or root.flow_style:
        return None
    starts = []
    for key, _ in root.value:
        index = key.start_mark.index
        if key.start_mark.column != 0 or not isinstance(getattr(key, "value", None), str):
            return None
        starts.append((str(key.value), index))
    if not starts:
        return None
    blocks = {}
    for position, (name, start) in enumerate(starts):
        end = starts[position + 1][1] if position + 1 < len(starts) else len(text)
        blocks[name] = text[start:end]
    return text[: starts[0][1]], blocks


def _hybrid(base: str, base_data: dict[str, Any], dumped: str, new: dict[str, Any]) -> str | None:
    """The dump's blocks for the top-level keys that changed, the original text for every other one."""
    original = _top_level_blocks(base)
    rewritten = _top_level_blocks(dumped)
    if original is None or rewritten is None:
        return None
    prefix, kept = original
    _, changed = rewritten
    if list(changed) != list(new):
        return None
    parts = [prefix]
    for key in new:
        unchanged = key in base_data and key in kept and same_data(base_data[key], new[key])
        block = kept[key] if unchanged else changed[key]
        parts.append(block if block.endswith("\n") else block + line_ending(base))
    return "".join(parts)


def _as_plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _as_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def _yaml_value(value: Any, old: Any) -> Any:
    """A new value dressed as the old one was: a date stays an unquoted date, a quoted string stays quoted."""
    if isinstance(value, str):
        if isinstance(old, dt.date) and not isinstance(old, dt.datetime):
            return date_or_none(value) or value
        if isinstance(old, str) and type(old) is not str:
            return type(old)(value)  # SingleQuoted/DoubleQuoted/Literal/FoldedScalarString
    return value


def _merge_mapping(node: Any, new: dict[str, Any]) -> None:
    for key in [key for key in node if key not in new]:
        del node[key]
    for key, value in new.items():
        if key not in node:
            node[key] = value
            continue
        _merge_item(node, key, value)


def _merge_item(container: Any, key: Any, value: Any) -> None:
    current = container[key]
    if isinstance(current, dict) and isinstance(value, dict):
        _merge_mapping(current, value)
    elif isinstance(current, list) and isinstance(value, list):
        _merge_sequence(current, value)
    elif not same_data(_as_plain(current), value):
        container[key] = _yaml_value(value, current)


def _merge_sequence(node: Any, new: list[Any]) -> None:
    old = [json.dumps(_as_plain(item), sort_keys=True) for item in node]
    wanted = [json.dumps(item, sort_keys=True) for item in new]
    opcodes = difflib.SequenceMatcher(a=old, b=wanted, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(opcodes):
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for offset in range(i2 - i1):
                _merge_item(node, i1 + offset, new[j1 + offset])
            continue
        for index in range(i2 - 1, i1 - 1, -1):
            del node[index]
        for offset, item in enumerate(new[j1:j2]):
            node.insert(i1 + offset, item)


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file uses them, ruamel's defaults otherwise."""
    from ruamel.yaml.util import load_yaml_guess_indent

    try:
        _, indent, dash_offset = load_yaml_guess_indent(text)
    except Exception:  # the text parsed before; guessing is only a nicety
        indent, dash_offset = None, None
    mapping = indent if isinstance(indent, int) and indent > 0 else 2
    offset = dash_offset if isinstance(dash_offset, int) and dash_offset >= 0 else 0
    return mapping, max(mapping, offset + 2), offset


class _KeepImpossibleDates(RoundTripConstructor):
    """Round-trip constructor that keeps an impossible date such as 2024-02-30 as its text, as the reader does."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return str(node.value)


_KeepImpossibleDates.add_constructor("tag:yaml.org,2002:timestamp", _KeepImpossibleDates.construct_yaml_timestamp)


def dump_changed(text: str, new: dict[str, Any]) -> str:
    """A full round-trip: load with comments and quotes, merge the new data in, dump as the file was laid out."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _KeepImpossibleDates
    yaml.preserve_quotes = True
    yaml.width = _NO_WRAP
    mapping, sequence, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    document = yaml.load(text)
    _merge_mapping(document, new)
    out = io.StringIO()
    yaml.dump(document, out)
    dumped = out.getvalue().replace("\r\n", "\n")
    newline = line_ending(text)
    return dumped.replace("\n", newline) if newline != "\n" else dumped


def update_front_matter(text: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """The YAML text holding `new`, changed as little as it can be from `text` (which holds `old`).

    Scalar changes are spliced in place. A structural change is dumped by ruamel, but only the top-level
    keys it touches take the dumped text; every other key keeps its lines as they were.
    """
    spliced = splice_scalars(text, old, new)
    if spliced is not None and same_data(load_plain(spliced), new):
        return spliced
    base = _splice(text, _common_scalar_changes(old, new)) or text
    base_data = load_plain(base)
    if base_data is None:
        base, base_data = text, old
    dumped = dump_changed(base, new)
    hybrid = _hybrid(base, base_data, dumped, new)
    if hybrid is not None and same_data(load_plain(hybrid), new):
        return hybrid
    if not same_data(load_plain(dumped), new):
        raise YamlEditError("the change cannot be written in this YAML front matter without changing other data")
    return dumped
