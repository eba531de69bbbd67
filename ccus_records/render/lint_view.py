"""What every lint output format may show: the run's result and what it was judged against."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ccus_records.engine.lint import LintResult
from ccus_records.rules.base import Rule, Severity


class LintView(NamedTuple):
    result: LintResult
    cwd: Path
    rules: Sequence[type[Rule] | Rule] = ()  # the rules in force (SARIF describes each)
    severities: Mapping[str, Severity] = {}
    properties: Mapping[str, Any] | None = None  # run properties (the baseline's outcome, in SARIF)
    # The display paths of every record file linted, clean ones included: worked out only by the formats
    # that show every file (JUnit), since a large corpus pays for it on every run otherwise.
    list_files: Callable[[], Sequence[str]] = tuple

    @property
    def files(self) -> Sequence[str]:
        return self.list_files()
