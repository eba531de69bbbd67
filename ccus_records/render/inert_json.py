"""JSON that is safe to print on a terminal and still means exactly the same data.

`json.dumps(..., ensure_ascii=False)` escapes C0 controls but writes DEL and the C1 controls (U+0080 to
U+009F, among them CSI, which some terminals act on) as they are. They can only occur inside strings, where
`\\u009b` is the same character, so escaping them changes no value.
"""

from __future__ import annotations

import json
import re
from typing import Any

_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def dumps_inert(value: Any, indent: int | None = 2) -> str:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
