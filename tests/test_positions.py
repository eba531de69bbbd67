"""Positions: the cheap locators agree with full parses on every field of every seed record."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ccus_records.recordfile.canonical import canonical_json
from ccus_records.recordfile.positions import canonical_positions, json_field_offsets
from ccus_records.recordfile.reader import RecordFile, read_record_file
from ccus_records.recordfile.yamlread import yaml_key_positions

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.md"))


def front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8")[4:].split("\n---\n", 1)[0]


def rt_positions(node: Any, dotted: str, into: dict[str, tuple[int, int]]) -> None:
    if isinstance(node, dict):
        for key in node:
            child = f"{dotted}.{key}" if dotted else str(key)
            line, column = node.lc.key(key)
            into[child] = (line + 2, column + 1)
            rt_positions(node[key], child, into)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            child = f"{dotted}[{index}]"
            line, column = node.lc.item(index)
            into[child] = (line + 2, column + 1)
            rt_positions(item, child, into)


@pytest.mark.parametrize("style", [(2, 2, 0), (2, 4, 2), (4, 4, 2)])
def test_yaml_line_scan_matches_the_round_trip_parser(style: tuple[int, int, int]) -> None:
    yaml = YAML()
    yaml.width = 100  # long strings fold onto continuation lines: the scan must skip them
    yaml.indent(mapping=style[0], sequence=style[1], offset=style[2])
    for path in SEEDS:
        stream = io.StringIO()
        yaml.dump(json.loads(front_matter(path)), stream)
        text = stream.getvalue()
        expected: dict[str, tuple[int, int]] = {}
        rt_positions(YAML().load(text), "", expected)
        found = yaml_key_positions(text, 2)
        for dotted, position in expected.items():
            assert found.get(dotted) == position, (path.name, style, dotted)


def scan_position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset), offset - (text.rfind("\n", 0, offset) + 1)


_ANY_KEYS = st.text(max_size=4)
_ANY_DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_ANY_KEYS, children, max_size=4),
    max_leaves=25,
)


@given(st.dictionaries(_ANY_KEYS, _ANY_DOCUMENTS, max_size=5))
def test_the_walk_of_canonical_data_places_every_field_as_the_token_scan_does(data: dict[str, Any]) -> None:
    # Any keys at all here, dots and brackets included: where two fields share a dotted name, both keep
    # the first in the file.
    text = canonical_json(data)
    offsets, _ = json_field_offsets(text)
    placed = canonical_positions(data, 1)
    expected = {dotted: scan_position(text, offset) for dotted, offset in offsets.items()}
    assert {dotted: (line - 1, column - 1) for dotted, (line, column) in placed.items()} == expected


def _record_file(tmp_path: Path, front_matter: str) -> RecordFile:
    path = tmp_path / "record.md"
    path.write_text(f"---\n{front_matter}\n---\n\nBody.\n", encoding="utf-8")
    return read_record_file(path, path.name)


@pytest.mark.parametrize("indent", [2, 4], ids=["canonical", "other-indentation"])
def test_a_field_is_located_at_its_key_whether_or_not_the_json_is_canonical(tmp_path: Path, indent: int) -> None:
    """Canonical JSON is placed by the walk of its data, other JSON by the token scan: both put every field
    at its key (a list item at its value) and a field that is not there at its nearest enclosing one."""
    for path in SEEDS:
        data = json.loads(front_matter(path))
        data["unexpected"] = {"nested": [1, {"deep": True}]}
        text = canonical_json(data) if indent == 2 else json.dumps(data, indent=indent, ensure_ascii=False)
        record = _record_file(tmp_path, text)
        assert record.is_canonical_json == (indent == 2)
        offsets, _ = json_field_offsets(record.front_matter)
        for dotted, offset in offsets.items():
            line, column = scan_position(record.front_matter, offset)
            assert record.locate(dotted) == (line + 2, column + 1), (path.name, dotted)
        root = (2, 1)
        assert record.locate(None) == root
        assert record.locate("nowhere") == root
        assert record.locate("title.missing") == record.locate("title")
        assert record.locate("unexpected.nested[7].deep") == record.locate("unexpected.nested")
