"""Lint findings as JSON Lines: one JSON object a finding (the keys of the `json` format's findings)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ccus_records.engine.findings import Finding


def render_json_lines(findings: Iterable[Finding]) -> str:
    # json.dumps escapes control characters, line breaks included, so each object stays on its line.
    return "".join(json.dumps(finding.to_json(), ensure_ascii=False) + "\n" for finding in findings)
