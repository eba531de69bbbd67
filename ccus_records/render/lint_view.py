"""What every lint output format may show: the run's result and what it was judged against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccus_records.engine.lint import LintResult
from ccus_records.rules.base import Rule, Severity


@dataclass(frozen=True)
class LintView:
    result: LintResult
    rules: Sequence[type[Rule] | Rule] = ()  # the rules in force (SARIF describes each)
    severities: Mapping[str, Severity] = field(default_factory=dict)
    cwd: Path = field(default_factory=Path.cwd)
    files: Sequence[str] = ()  # display paths of every record file linted, clean ones included (JUnit)
    properties: Mapping[str, Any] | None = None  # run properties (the baseline's outcome, in SARIF)
