"""What `lint` adds for hooks and CI: narrowing the files read, the baseline, and the CI output formats.

Kept apart from cli/lint.py so that the command itself stays a list of options; nothing here imports
typer or rich, and each renderer is imported only when its format is asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccus_records.engine.config import Config
from ccus_records.engine.lint import LintRun

if TYPE_CHECKING:
    from ccus_records.engine.baseline import BaselineOutcome

# Formats rendered here; `text` and `json` stay with cli/lint.py.
CI_FORMATS = ("github", "sarif", "junit", "gitlab", "json-lines", "concise")


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

    entries = write_baseline(path, run.result.findings, run.cwd, run.today.isoformat())
    findings = len(run.result.findings)
    return (
        f"Wrote baseline {path}: {findings} finding{'s' if findings != 1 else ''} "
        f"as {entries} entr{'ies' if entries != 1 else 'y'} (judged on {run.today.isoformat()})."
    )


def apply_baseline_file(path: Path, run: LintRun) -> BaselineOutcome:
    """Hide the baseline's findings from `run.result` (in place); what it hid and which entries are fixed."""
    from ccus_records.engine.baseline import apply_baseline, load_baseline

    baseline = load_baseline(path)
    outcome = apply_baseline(baseline, run.result.findings, run.cwd, run.codes_in_force, run.roots)
    run.result = replace(run.result, findings=outcome.kept)
    return outcome


def baseline_notes(path: Path, outcome: BaselineOutcome) -> list[str]:
    from ccus_records.render.safe import inert

    hidden = outcome.hidden
    lines = [f"Baseline {inert(str(path))}: {hidden} known finding{'s' if hidden != 1 else ''} hidden."]
    if outcome.stale:
        count = len(outcome.stale)
        lines.append(
            f"Baseline: {count} entr{'ies are' if count != 1 else 'y is'} fixed and can be dropped "
            "(regenerate with --write-baseline):"
        )
        for entry, gone in outcome.stale:
            times = f" ×{gone}" if gone != 1 else ""
            lines.append(f"  fixed: {inert(entry.describe())}{times}")
    return lines


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


def render_ci(output_format: str, run: LintRun, run_properties: dict[str, Any] | None = None) -> str:
    findings = run.result.findings
    if output_format == "github":
        from ccus_records.render.lint_github import render_github

        return render_github(findings)
    if output_format == "sarif":
        from ccus_records import __version__
        from ccus_records.render.lint_sarif import render_sarif

        rules = (*run.plan.rules, *run.plan.corpus_rules)
        return render_sarif(findings, rules, run.plan.severities, __version__, run.cwd, run_properties)
    if output_format == "junit":
        from ccus_records.render.lint_junit import render_junit

        return render_junit(findings, run.target_displays)
    if output_format == "gitlab":
        from ccus_records.render.lint_gitlab import render_gitlab

        return render_gitlab(findings)
    if output_format == "json-lines":
        from ccus_records.render.lint_jsonlines import render_json_lines

        return render_json_lines(findings)
    if output_format == "concise":
        from ccus_records.render.lint_concise import render_concise

        return render_concise(findings)
    raise ValueError(f"not a CI format: {output_format}")


def note(lines: Sequence[str]) -> None:
    """Notes beside machine-readable output go to stderr, so stdout stays one document."""
    for line in lines:
        sys.stderr.write(f"ccus-records: {line}\n")
