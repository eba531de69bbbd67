"""The one canonical form of a record file, as black has one form of a Python file.

---
<json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)>
---
<blank line>
<body>
<one final newline>
"""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring
from typing import Any

_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def canonical_json(data: dict[str, Any]) -> str:
    """Exactly `json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)`, about twice as fast.

    The standard library's encoder drops to pure Python whenever `indent` is set; F001 dumps every record,
    so this writer does the same walk with fewer layers. A test holds it equal to json.dumps.
    """
    out: list[str] = []
    try:
        _emit(data, out, "\n")
    except _Unusual:
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return "".join(out)


class _Unusual(Exception):
    """A value this writer leaves to json.dumps (a non-string key, an unknown type)."""


def _emit(value: Any, out: list[str], newline: str) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key in sorted(value):
            if not isinstance(key, str):
                raise _Unusual
            out.append(separator)
            separator = "," + inner
            out.append(encode_basestring(key))
            out.append(": ")
            _emit(value[key], out, inner)
        out.append(newline + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            separator = "," + inner
            _emit(item, out, inner)
        out.append(newline + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, (int, float)):
        out.append(json.dumps(value))
    else:
        raise _Unusual


def has_untidy_lines(text: str) -> bool:
    """CR line endings or trailing white space anywhere (plain substring tests: cheap on every record)."""
    return "\r" in text or " \n" in text or "\t\n" in text or text.endswith((" ", "\t"))


def normalise_lines(text: str) -> str:
    """LF line endings and no trailing white space: what F002 asks for."""
    if not has_untidy_lines(text):
        return text
    return _TRAILING_SPACE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def canonical_body(rest: str) -> str:
    """The body as it stands after the closing delimiter, without the blank lines around it."""
    return normalise_lines(rest).strip("\n")


def frame(front_matter: str, body: str) -> str:
    """A record file from its front matter text (no final newline) and its body."""
    head = f"---\n{front_matter}\n---\n"
    return f"{head}\n{body}\n" if body.strip() else head


def canonical_text(data: dict[str, Any], rest: str) -> str:
    return frame(canonical_json(data), canonical_body(rest))
