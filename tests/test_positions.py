"""Positions: the cheap locators agree with full parses on every field of every seed record."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ccus_records.recordfile.positions import find_canonical_key, json_field_offsets
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


def test_canonical_json_locator_matches_the_token_scan() -> None:
    for path in SEEDS:
        text = front_matter(path)
        offsets, _ = json_field_offsets(text)
        for dotted, offset in offsets.items():
            if dotted and "[" not in dotted:
                assert find_canonical_key(text, dotted) == offset, (path.name, dotted)


def test_canonical_json_locator_stays_inside_the_parent_object() -> None:
    text = json.dumps({"a": {"x": 1}, "b": {"y": 2}, "y": 3}, indent=2, sort_keys=True)
    assert find_canonical_key(text, "a.y") is None
    assert find_canonical_key(text, "y") == text.index('"y": 3')


def test_remembered_spans_do_not_widen_a_search() -> None:
    text = json.dumps({"a": {"x": 1}, "b": {"y": 2}}, indent=2, sort_keys=True)
    spans: dict[str, tuple[int, int]] = {}
    assert find_canonical_key(text, "a", spans) == text.index('"a"')
    assert find_canonical_key(text, "a.y", spans) is None
    assert find_canonical_key(text, "a.x", spans) == text.index('"x"')
    assert find_canonical_key(text, "b.y", spans) == text.index('"y"')
