"""Where each field of a front matter stands in the file, computed only when a finding needs it."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from typing import Any

# One JSON token: a string, a punctuation mark, or a bare word (number, true, false, null).
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def join_field(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def json_field_offsets(text: str) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Map every dotted field of a JSON document to the offset of its key (or, for list items, its value).

    Also returns the duplicated keys, as (field, offset of the repeated occurrence). The scan is iterative,
    so a deeply nested document cannot exhaust the stack.
    """
    offsets: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    # Each frame: [is_object, path, current key or item index, expecting a key]
    stack: list[list[object]] = []
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in ",:}]":
            if first == "," and stack:
                top = stack[-1]
                if top[0]:
                    top[3] = True
                else:
                    top[2] = int(top[2]) + 1  # type: ignore[call-overload]
            elif first in "}]" and stack:
                stack.pop()
            continue
        if stack and stack[-1][0] and stack[-1][3] and first == '"':
            top = stack[-1]
            try:
                key = json.loads(token)
            except ValueError:
                key = token.strip('"')
            path = join_field(str(top[1]), str(key))
            if path in offsets:
                duplicates.append((path, match.start()))
            else:
                offsets[path] = match.start()
            top[2] = key
            top[3] = False
            continue
        # A value: its path follows from the innermost container.
        if not stack:
            path = ""
        else:
            top = stack[-1]
            path = join_field(str(top[1]), str(top[2])) if top[0] else f"{top[1]}[{top[2]}]"
        offsets.setdefault(path, match.start())
        if first == "{":
            stack.append([True, path, None, True])
        elif first == "[":
            stack.append([False, path, 0, True])
    return offsets, duplicates


class LineIndex:
    """Turns an offset in a text into a 1-based (line, column), shifted to where the text starts in the file."""

    def __init__(self, text: str, first_line: int) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._first_line = first_line

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_left(self._newlines, offset)
        line_start = self._newlines[index - 1] + 1 if index else 0
        return self._first_line + index, offset - line_start + 1


def parents(field: str) -> Iterator[str]:
    """The field itself, then each enclosing field, outermost last: `a.b[2].c`, `a.b[2]`, `a.b`, `a`."""
    current = field
    while current:
        yield current
        cut = max(current.rfind("."), current.rfind("["))
        current = current[:cut] if cut > 0 else ""


def canonical_positions(data: dict[str, Any], first_line: int) -> dict[str, tuple[int, int]]:
    """The (line, column) of every field of `data` in its canonical JSON, worked out from the data alone.

    Valid only for a front matter that is exactly `canonical_json(data)`: there every scalar takes one
    line, an empty list or object one, and any other list or object one line more than its items and a
    closing line, so a key's line follows from the sizes of the values before it — one walk of the data,
    no text searched. List items are placed where their value starts, as the token scan places them.
    Where two fields share a dotted name (a key holding a dot), the first in the file is kept, as there;
    the empty name is the whole document, at its opening brace.
    """
    positions: dict[str, tuple[int, int]] = {"": (first_line, 1)}
    place = positions.setdefault

    def walk(value: Any, dotted: str, line: int, column: int) -> int:
        """Place the fields inside `value` (a non-empty list or object whose key is on `line`); its lines."""
        current = line + 1
        # Two plain loops, not one over a generator: this runs for every field of the record.
        if type(value) is dict:
            for key in sorted(value):
                inner = f"{dotted}.{key}" if dotted else key
                place(inner, (current, column))
                item = value[key]
                kind = type(item)
                current += walk(item, inner, current, column + 2) if (kind is dict or kind is list) and item else 1
        else:
            for index, item in enumerate(value):
                inner = f"{dotted}[{index}]"
                place(inner, (current, column))
                kind = type(item)
                current += walk(item, inner, current, column + 2) if (kind is dict or kind is list) and item else 1
        return current - line + 1

    if data:
        walk(data, "", first_line, 3)
    return positions
