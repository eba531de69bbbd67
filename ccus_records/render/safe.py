"""Record text is data: control characters are shown as escapes, never sent to the terminal."""

from __future__ import annotations

import re

# C0 controls other than tab and LF, DEL, and C1 controls (ESC starts terminal sequences, CR rewrites lines).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def inert(text: str) -> str:
    """The text with every control character written as a visible escape such as `\\x1b`."""
    # Printable text and line breaks (multi-line output is made inert in one pass): nothing to escape. Every
    # character the pattern matches is a control character, which is never printable.
    if text.isprintable() or text.replace("\n", "").isprintable():
        return text
    return _UNSAFE.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
