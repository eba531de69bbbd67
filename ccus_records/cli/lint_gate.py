"""What `lint` adds for hooks and CI: narrowing the files read, the baseline, and the CI output formats.

Kept apart from cli/lint.py so that the command itself stays a list of options; nothing here imports
typer or rich. The output formats are in the renderer registry (render/registry.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccus_records.engine.config import Config
from ccus_records.engine.lint import LintRun

if TYPE_CHECKING:
    from ccus_records.engine.baseline import BaselineOutcome
    from ccus_records.render.lint_view import LintView


def baseline_path(option: Path | None, no_baseline: bool, config: Config) -> Path | None:
    """`--baseline FILE` (relative to the current folder), else `baseline` in configuration (relative to it)."""
    if no_baseline:
        return None
    if option is not None:
        return option
    if config.settings.baseline is not None:
        return config.root / config.settings.baseline
    return None


def write_baseline_file(path: Path, run: LintRun) -> str:
    """Write every current finding to the baseline; the line that tells the user so."""
    from ccus_records.engine.baseline import write_baseline
    from ccus_records.render.lint_baseline import wrote_baseline

    entries = write_baseline(path, run.result.findings, run.cwd, run.today.isoformat())
    return wrote_baseline(path, len(run.result.findings), entries, run.today.isoformat())


def apply_baseline_file(path: Path, run: LintRun) -> BaselineOutcome:
    """Hide the baseline's findings from `run.result` (in place); what it hid and which entries are fixed."""
    from ccus_records.engine.baseline import apply_baseline, load_baseline

    baseline = load_baseline(path)
    outcome = apply_baseline(baseline, run.result.findings, run.cwd, run.codes_in_force, run.roots)
    run.result = replace(run.result, findings=outcome.kept)
    return outcome


def baseline_notes(path: Path, outcome: BaselineOutcome) -> list[str]:
    from ccus_records.render.lint_baseline import baseline_notes as notes

    return notes(path, outcome)


def baseline_properties(path: Path, outcome: BaselineOutcome) -> dict[str, Any]:
    return {
        "baseline": {
            "file": str(path),
            "hidden": outcome.hidden,
            "fixed": [
                {"record": entry.record, "code": entry.code, "field": entry.field, "path": entry.path, "gone": gone}
                for entry, gone in outcome.stale
            ],
        }
    }


def lint_view(run: LintRun, run_properties: dict[str, Any] | None = None) -> LintView:
    """What the output formats show of a run."""
    from ccus_records.render.lint_view import LintView

    return LintView(
        result=run.result,
        rules=(*run.plan.rules, *run.plan.corpus_rules),
        severities=run.plan.severities,
        cwd=run.cwd,
        properties=run_properties,
        list_files=lambda: run.target_displays,
    )
