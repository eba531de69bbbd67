"""A finding: one thing one rule found in one file, located as precisely as the file allows."""

from __future__ import annotations

from typing import Any, NamedTuple

from ccus_records.rules.base import Severity


class Finding(NamedTuple):
    code: str
    name: str
    severity: Severity
    path: str
    line: int | None
    column: int | None
    record: str | None
    field: str | None
    message: str
    fixable: bool
    fix: str = "none"  # the fix `lint --fix` offers: "safe", "unsafe" (with --unsafe-fixes) or "none"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.code, self.field or "")

    def to_json(self) -> dict[str, Any]:
        return self._asdict()
