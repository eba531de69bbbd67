"""What `lint` adds for hooks and CI: narrowing the files read, the baseline, and the CI output formats.

Kept apart from cli/lint.py so that the command itself stays a list of options; nothing here imports
typer or rich. The output formats are in the renderer registry (render/registry.py).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccus_records.engine.config import Config
from ccus_records.engine.corpus import Corpus
from ccus_records.engine.lint import LintPlan, LintResult

if TYPE_CHECKING:
    from ccus_records.engine.baseline import BaselineOutcome
    from ccus_records.render.lint_view import LintView


@dataclass
class LintRun:
    result: LintResult
    plan: LintPlan
    corpus: Corpus | None  # None when every given file lay outside the records folders
    cwd: Path
    today: dt.date
    roots: tuple[Path, ...] = ()  # the files and folders linted whole (absolute)

    @property
    def codes_in_force(self) -> frozenset[str]:
        return frozenset(rule.code for rule in (*self.plan.rules, *self.plan.corpus_rules))

    @property
    def target_displays(self) -> list[str]:
        from ccus_records.recordfile.reader import display_path

        if self.corpus is None:
            return []
        return [display_path(path, self.cwd) for path in self.corpus.files if self.corpus.is_target(path)]


def run_lint(
    config: Config,
    paths: Sequence[Path],
    today: dt.date,
    cwd: Path,
    select: Sequence[str] | None,
    ignore: Sequence[str],
    git_tracked: bool = False,
    records_only: bool = False,
    use_cache: bool = False,
) -> LintRun:
    """`lint_paths`, with the corpus narrowed first: the cross-record index is always the corpus on disk
    (configured records ∪ paths), whatever subset of files a hook passes in this call."""
    from ccus_records.engine.corpus import resolve_corpus
    from ccus_records.engine.lint import lint_corpus, make_plan, open_cache
    from ccus_records.engine.scope import inside_records, tracked_only

    plan = make_plan(config, today, cwd, select, ignore)
    given = inside_records(paths, config, cwd) if records_only else list(paths)
    if paths and not given:
        # Files were named and none is a record: nothing to report on (not "lint the whole corpus").
        return LintRun(LintResult(), plan, None, cwd, today)
    corpus = resolve_corpus(config, given, cwd)
    if git_tracked:
        corpus = tracked_only(corpus, cwd)
    if given:
        roots = tuple(Path(os.path.abspath(cwd / path)) for path in given)
    else:
        roots = tuple(Path(os.path.abspath(path)) for path in config.records) or _bundled()
    cache = open_cache(config, plan, len(corpus.target_paths)) if use_cache else None
    return LintRun(lint_corpus(corpus, plan, cache), plan, corpus, cwd, today, roots)


def _bundled() -> tuple[Path, ...]:
    from ccus_records.engine.corpus import bundled_seeds

    seeds = bundled_seeds()
    return (seeds,) if seeds is not None else ()


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
