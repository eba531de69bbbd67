"""Where each field of a front matter stands in the file, computed only when a finding needs it."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator

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


def find_canonical_key(text: str, dotted: str, spans: dict[str, tuple[int, int]] | None = None) -> int | None:
    """The offset of a field's key in JSON indented as the canonical form is, or None.

    In canonical JSON a key at depth d is the first thing on its line after 2·d spaces, and strings hold
    no raw newline, so a plain search bounded by the parent object's closing brace finds it — a few
    `str.find` calls instead of tokenising the whole document. Anything else falls back to the scan.
    `spans` remembers each enclosing field found (its key offset and where its object ends), so that the
    five citations of one record search for `analysis` once.
    """
    start, end, depth = 0, len(text), 1
    found = -1
    parts = dotted.split(".")
    path = ""
    for position, part in enumerate(parts):
        if not part or "[" in part:
            return None
        path = f"{path}.{part}" if path else part
        known = spans.get(path) if spans is not None and position < len(parts) - 1 else None
        indent = "  " * depth
        if known is not None:
            found, end = known
        else:
            quoted = f'"{part}"' if part.isidentifier() else json.dumps(part, ensure_ascii=False)
            found = text.find(f"\n{indent}{quoted}: ", start, end)
            if found < 0:
                return None
            if position < len(parts) - 1:
                # Only an enclosing field's span is remembered: a leaf's end was never looked for.
                closing = text.find(f"\n{indent}}}", found + 1, end)
                end = closing if closing >= 0 else end
                if spans is not None:
                    spans[path] = (found, end)
        start = found + 1
        depth += 1
    return found + 1 + 2 * (depth - 1)
