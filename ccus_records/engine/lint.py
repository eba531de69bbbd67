"""Running the rules over a corpus: per-record rules on the target files, corpus rules on every file."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ccus_records.engine.config import Config
from ccus_records.engine.corpus import Corpus, resolve_corpus
from ccus_records.engine.findings import Finding
from ccus_records.engine.selection import SelectionError, is_selected, normalise_selectors
from ccus_records.recordfile.reader import RecordFile, display_path, read_record_file
from ccus_records.rules import BUILTIN_RULES
from ccus_records.rules.base import (
    CorpusRule,
    RecordContext,
    RecordSummary,
    Rule,
    RuleOptions,
    Severity,
    Violation,
)


class LintSetupError(Exception):
    """The run cannot start: a bad selector, severity or custom rule (exit 2)."""


@dataclass(frozen=True)
class LintPlan:
    """Everything fixed for one run: the rules in force, their severities and the options they read."""

    rules: tuple[Rule, ...]
    corpus_rules: tuple[CorpusRule, ...]
    severities: dict[str, Severity]
    options: RuleOptions
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    root: Path
    cwd: Path
    max_file_bytes: int


def available_rules(config: Config) -> tuple[type[Rule], ...]:
    """The built-in rules and the configured custom rules."""
    from ccus_records.rules.custom import CustomRuleError, make_custom_rule

    custom: list[type[Rule]] = []
    builtin_codes = {rule.code for rule in BUILTIN_RULES}
    for spec in config.settings.rule:
        if spec.code in builtin_codes or any(rule.code == spec.code for rule in custom):
            raise LintSetupError(f"custom rule {spec.code}: the code is already taken")
        try:
            custom.append(make_custom_rule(spec))
        except CustomRuleError as error:
            raise LintSetupError(str(error)) from None
    return (*BUILTIN_RULES, *custom)


def rule_options(config: Config, today: dt.date) -> RuleOptions:
    settings = config.settings
    patterns = "|".join(f"(?:{pattern})" for pattern in settings.machine_authors) or r"(?!x)x"
    return RuleOptions(
        today=today,
        max_audit_age_days=settings.max_audit_age_days,
        absence_labels=frozenset(label.strip().casefold() for label in settings.absence_labels),
        absence_score_ceiling=settings.absence_score_ceiling,
        machine_authors=re.compile(rf"\b(?:{patterns})\b", re.IGNORECASE),
        categories=frozenset(settings.vocabulary.category),
        legal_weights=frozenset(settings.vocabulary.legalWeight),
    )


def make_plan(
    config: Config,
    today: dt.date,
    cwd: Path,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    rules: tuple[type[Rule], ...] | None = None,
) -> LintPlan:
    """The run's rules: `select` (when given) replaces the configured one; `ignore` adds to it."""
    catalog = rules if rules is not None else available_rules(config)
    codes = [rule.code for rule in catalog]
    settings = config.settings
    try:
        chosen = normalise_selectors(select if select is not None else settings.select, codes, "select")
        dropped = normalise_selectors((*settings.ignore, *ignore), codes, "ignore")
        per_file = tuple(
            (pattern, normalise_selectors(selectors, codes, f"per-file-ignores[{pattern!r}]"))
            for pattern, selectors in settings.per_file_ignores.items()
        )
    except SelectionError as error:
        raise LintSetupError(str(error)) from None
    for code in settings.severity:
        if code.upper() not in codes:
            raise LintSetupError(f"severity: {code!r} is not a rule code")
    severities = {rule.code: settings.severity.get(rule.code, rule.severity) for rule in catalog}
    enabled = [rule() for rule in catalog if is_selected(rule.code, chosen, dropped)]
    return LintPlan(
        rules=tuple(rule for rule in enabled if not isinstance(rule, CorpusRule)),
        corpus_rules=tuple(rule for rule in enabled if isinstance(rule, CorpusRule)),
        severities=severities,
        options=rule_options(config, today),
        per_file_ignores=per_file,
        root=config.root,
        cwd=cwd,
        max_file_bytes=settings.max_file_bytes,
    )


def summarise(file: RecordFile) -> RecordSummary:
    data = file.data or {}
    evolution = data.get("evolution")
    evolution = evolution if isinstance(evolution, dict) else {}
    superseded_by = evolution.get("supersededBy")
    supersedes = evolution.get("supersedes")
    status = data.get("status")
    return RecordSummary(
        display=file.display,
        record_id=file.record_id,
        superseded_by=superseded_by.strip() if isinstance(superseded_by, str) else "",
        supersedes=tuple(item.strip() for item in supersedes if isinstance(item, str) and item.strip())
        if isinstance(supersedes, list)
        else (),
        status=status if isinstance(status, str) else "",
    )


def to_finding(rule: Rule, violation: Violation, file: RecordFile, plan: LintPlan) -> Finding:
    line, column = violation.line, violation.column
    if line is None and file.data is not None:
        line, column = file.locate(violation.field)
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=plan.severities[rule.code],
        path=file.display,
        line=line,
        column=column,
        record=file.record_id,
        field=violation.field,
        message=violation.message,
        fixable=rule.fixable,
    )


def check_record(file: RecordFile, plan: LintPlan) -> list[Finding]:
    """The findings of every per-record rule of the plan on one file."""
    context = RecordContext(file, plan.options)
    parsed = file.data is not None
    findings = []
    for rule in plan.rules:
        if rule.needs_data and not parsed:
            continue
        for violation in rule.check(context):
            findings.append(to_finding(rule, violation, file, plan))
    return findings


def _ignored_codes(path: Path, plan: LintPlan) -> tuple[str, ...]:
    if not plan.per_file_ignores:
        return ()
    names = {
        display_path(path, plan.root).replace("\\", "/"),
        display_path(path, plan.cwd).replace("\\", "/"),
    }
    codes: list[str] = []
    for pattern, selectors in plan.per_file_ignores:
        if any(fnmatch.fnmatch(name, pattern) for name in names):
            codes.extend(selectors)
    return tuple(codes)


def _keep(code: str, ignored: Iterable[str]) -> bool:
    return not any(selector == "ALL" or code.startswith(selector) for selector in ignored)


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0  # files reported on
    records: int = 0  # of those, files whose front matter parsed to a mapping
    corpus_files: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)


def lint_corpus(corpus: Corpus, plan: LintPlan) -> LintResult:
    result = LintResult(corpus_files=len(corpus.files))
    summaries: list[RecordSummary] = []
    paths: list[Path] = []
    for path in corpus.files:
        display = display_path(path, plan.cwd)
        try:
            file = read_record_file(path, display, plan.max_file_bytes)
        except OSError as error:
            file = RecordFile(path=path, display=display)
            from ccus_records.recordfile.problems import Problem

            file.problems.append(Problem("S001", f"cannot be read: {error.strerror or error}", None, None))
        summaries.append(summarise(file))
        paths.append(path)
        if corpus.is_target(path):
            result.files += 1
            result.records += file.data is not None
            ignored = _ignored_codes(path, plan)
            result.findings.extend(f for f in check_record(file, plan) if _keep(f.code, ignored))
    result.findings.extend(_corpus_findings(corpus, plan, summaries, paths))
    result.findings.sort(key=Finding.sort_key)
    return result


def _corpus_findings(
    corpus: Corpus, plan: LintPlan, summaries: list[RecordSummary], paths: list[Path]
) -> list[Finding]:
    found: list[Finding] = []
    reread: dict[int, RecordFile] = {}
    for rule in plan.corpus_rules:
        for index, violation in rule.check_corpus(summaries):
            path = paths[index]
            if not corpus.is_target(path):
                continue
            if not _keep(rule.code, _ignored_codes(path, plan)):
                continue
            # Only files with a cross-record finding are read again, to place it.
            if index not in reread:
                try:
                    reread[index] = read_record_file(path, summaries[index].display, plan.max_file_bytes)
                except OSError:
                    reread[index] = RecordFile(path=path, display=summaries[index].display)
            found.append(to_finding(rule, violation, reread[index], plan))
    return found


def lint_paths(
    config: Config,
    paths: Sequence[Path],
    today: dt.date,
    cwd: Path,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
) -> LintResult:
    plan = make_plan(config, today, cwd, select, ignore)
    return lint_corpus(resolve_corpus(config, paths, cwd), plan)
