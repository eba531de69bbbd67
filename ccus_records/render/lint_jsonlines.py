"""Lint findings as JSON Lines: one JSON object a finding (the keys of the `json` format's findings)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ccus_records.engine.findings import Finding
from ccus_records.render.encode import json_text
from ccus_records.render.lint_view import LintView
from ccus_records.render.registry import RenderOptions


def render_json_lines(findings: Iterable[Finding]) -> str:
    # JSON escapes control characters, line breaks included, so each object stays on its line.
    return "".join(json_text(finding.to_json(), indent=None) + "\n" for finding in findings)


def render(view: LintView, options: RenderOptions) -> Iterator[str]:
    yield render_json_lines(view.result.findings)
