"""What the reader found wrong with a file before any rule looked at it."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """A structural problem: the code of the S-rule that reports it, and where it is."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
