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
from typing import Any

_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def canonical_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def normalise_lines(text: str) -> str:
    """LF line endings and no trailing white space: what F002 asks for."""
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
