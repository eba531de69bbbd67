"""Positions: the cheap locators agree with full parses on every field of every seed record; findings are
ordered by position at C speed as their sort key orders them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ccus_records.engine.findings import Finding
from ccus_records.engine.lint import sort_findings
from ccus_records.recordfile.canonical import canonical_json
from ccus_records.recordfile.positions import (
    ObjectSpan,
    canonical_key_position,
    canonical_positions,
    json_field_offsets,
)
from ccus_records.recordfile.reader import WALK_FROM, RecordFile, read_record_file
from ccus_records.recordfile.yamlread import yaml_key_positions
from tests.helpers import FINDINGS

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


def canonical_position(text: str, dotted: str, spans: dict[str, ObjectSpan] | None = None) -> tuple[int, int] | None:
    """Where the canonical locator puts a field, as 0-based line and column."""
    found = canonical_key_position(text, dotted, {} if spans is None else spans)
    return None if found is None else (found[0], found[1] - 1)


def scan_position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset), offset - (text.rfind("\n", 0, offset) + 1)


def test_canonical_json_locator_matches_the_token_scan() -> None:
    for path in SEEDS:
        text = front_matter(path)
        offsets, _ = json_field_offsets(text)
        spans: dict[str, ObjectSpan] = {}
        for dotted, offset in offsets.items():
            if dotted and "[" not in dotted:
                expected = scan_position(text, offset)
                assert canonical_position(text, dotted) == expected, (path.name, dotted)
                assert canonical_position(text, dotted, spans) == expected, (path.name, dotted)


def test_canonical_json_locator_stays_inside_the_parent_object() -> None:
    text = json.dumps({"a": {"x": 1}, "b": {"y": 2}, "y": 3}, indent=2, sort_keys=True)
    assert canonical_position(text, "a.y") is None
    assert canonical_position(text, "y") == scan_position(text, text.index('"y": 3'))
    assert canonical_position(text, "b.y") == scan_position(text, text.index('"y": 2'))


def test_remembered_spans_do_not_widen_a_search() -> None:
    text = json.dumps({"a": {"x": 1}, "b": {"y": 2}}, indent=2, sort_keys=True)
    spans: dict[str, ObjectSpan] = {}
    assert canonical_position(text, "a", spans) == scan_position(text, text.index('"a"'))
    assert canonical_position(text, "a.y", spans) is None
    assert canonical_position(text, "a.x", spans) == scan_position(text, text.index('"x"'))
    assert canonical_position(text, "b.y", spans) == scan_position(text, text.index('"y"'))


def test_canonical_json_locator_refuses_what_is_not_an_open_object() -> None:
    # A scalar, a list and an empty object have no key lines: a child found after them would be a later
    # sibling's.
    text = json.dumps({"a": {}, "b": 1, "c": [1], "d": {"x": 1}}, indent=2, sort_keys=True)
    for parent in "abc":
        assert canonical_position(text, f"{parent}.x") is None
    assert canonical_position(text, "d.x") == scan_position(text, text.index('"x"'))
    for odd in (".x", "d.", "d..x", "", "c[0]"):
        assert canonical_position(text, odd) is None, odd


def test_other_indentation_is_left_to_the_token_scan() -> None:
    text = json.dumps({"a": {"x": 1}}, indent=4)
    assert canonical_position(text, "a") is None
    assert canonical_position(text, "a.x") is None


_KEYS = st.text(st.characters(blacklist_characters=".["), min_size=1, max_size=4)
_DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=20,
)


@given(_DOCUMENTS)
def test_canonical_json_locator_matches_the_token_scan_on_any_document(data: Any) -> None:
    # Keys of any characters (quotes, escapes, non-ASCII) but a dot or a bracket, which a dotted name
    # cannot tell from nesting; one memo for the whole document, as a record's findings share one.
    text = json.dumps({"root": data}, indent=2, sort_keys=True, ensure_ascii=False)
    offsets, _ = json_field_offsets(text)
    spans: dict[str, ObjectSpan] = {}
    for dotted, offset in offsets.items():
        if dotted and "[" not in dotted:
            assert canonical_position(text, dotted, spans) == scan_position(text, offset), dotted
        for missing in (f"{dotted}.zz", f"{dotted}zz"):
            if missing not in offsets and "[" not in missing:
                assert canonical_position(text, missing, spans) is None, missing


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


def _canonical_record_file(tmp_path: Path, data: dict[str, Any]) -> RecordFile:
    path = tmp_path / "record.md"
    path.write_text(f"---\n{canonical_json(data)}\n---\n\nBody.\n", encoding="utf-8")
    return read_record_file(path, path.name)


def test_many_positions_at_once_are_the_positions_one_by_one(tmp_path: Path) -> None:
    """`locate_all` walks the data for a canonical record with many findings; each answer is `locate`'s."""
    for path in SEEDS:
        data = json.loads(front_matter(path))
        data["unexpected"] = {"nested": [1, {"deep": True}]}
        record = _canonical_record_file(tmp_path, data)
        assert record.is_canonical_json  # as F001 finds it first
        offsets, _ = json_field_offsets(record.front_matter)
        fields: list[str | None] = [*offsets, None, "title.missing", "provenance.nobody", "nowhere", "sectors[9]"]
        assert len(fields) >= WALK_FROM
        one_by_one = [record.locate(dotted) for dotted in fields]
        assert record.locate_all(fields) == one_by_one, path.name
        fresh = _canonical_record_file(tmp_path, data)  # canonical not yet known: the searches answer
        assert "is_canonical_json" not in fresh.__dict__
        assert fresh.locate_all(fields) == one_by_one


@given(FINDINGS)
def test_findings_sorted_at_c_speed_are_in_the_sort_keys_order(findings: list[Finding]) -> None:
    expected = sorted(findings, key=Finding.sort_key)
    sort_findings(findings)
    assert findings == expected
