"""Running the rules over a corpus: per-record rules on the target files, corpus rules on every file."""

from __future__ import annotations

import datetime as dt
import fnmatch
import gc
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from sys import intern
from typing import TYPE_CHECKING, Any, NamedTuple

from ccus_records.engine.config import Config
from ccus_records.engine.corpus import Corpus, resolve_corpus
from ccus_records.engine.findings import Finding
from ccus_records.engine.selection import SelectionError, is_selected, normalise_selectors
from ccus_records.errors import CcusRecordsError
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
from ccus_records.rules.patterns import machine_author_pattern

if TYPE_CHECKING:
    from ccus_records.engine.cache import LintCache
    from ccus_records.engine.state import CorpusState


class LintSetupError(CcusRecordsError):
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

    @cached_property
    def rule_by_code(self) -> dict[str, Rule]:
        """The per-record rules by code (decoding cached findings looks one up per finding)."""
        return {rule.code: rule for rule in self.rules}


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
    return RuleOptions(
        today=today,
        max_audit_age_days=settings.max_audit_age_days,
        absence_labels=frozenset(label.strip().casefold() for label in settings.absence_labels),
        absence_score_ceiling=settings.absence_score_ceiling,
        machine_authors=machine_author_pattern(settings.machine_authors),
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
            from ccus_records.suggest import hint

            raise LintSetupError(f"severity: {code!r} is not a rule code{hint(code.upper(), codes)}")
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


def to_finding(
    rule: Rule,
    violation: Violation,
    file: RecordFile,
    plan: LintPlan,
    record_id: str | None = None,
) -> Finding:
    """The finding of a violation, at the rule's own position, else at its field's."""
    line, column = violation.line, violation.column
    if line is None and file.data is not None:
        line, column = file.locate(violation.field)
    record = record_id if record_id is not None else file.record_id
    return _finding(rule, plan, file.display, line, column, record, violation.field, violation.message)


def _finding(
    rule: Rule,
    plan: LintPlan,
    display: str,
    line: int | None,
    column: int | None,
    record: str | None,
    dotted: str | None,
    message: str,
) -> Finding:
    """A finding of `rule`, made from checking a file or decoded from the cache.

    Its field and message are interned: they recur across thousands of records, and a corpus-sized result
    (or a worker's chunk on its way back) then holds each once.
    """
    code = rule.code
    # Built as a tuple of exactly Finding's eleven fields, through tuple.__new__: the named tuple's own
    # constructor is a Python frame per finding, 13 % of a warm `lint` of 10,000 records (1.17 s against
    # 1.03 s, benchmarks.run). Nothing else builds a Finding this way: decoded tuples go through `_make`,
    # which checks their length.
    return tuple.__new__(
        Finding,
        (
            code,
            rule.name,
            plan.severities[code],
            display,
            line,
            column,
            record,
            intern(dotted) if dotted is not None else None,
            intern(message),
            rule.fixable,
            rule.fix,
        ),
    )


def check_record(file: RecordFile, plan: LintPlan) -> list[Finding]:
    """The findings of every per-record rule of the plan on one file."""
    context = RecordContext(file, plan.options)
    parsed = file.data is not None
    record_id = file.record_id
    return [
        to_finding(rule, violation, file, plan, record_id)
        for rule in plan.rules
        if parsed or not rule.needs_data
        for violation in rule.check(context)
    ]


def ignored_codes(path: Path, plan: LintPlan) -> tuple[str, ...]:
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


def kept(code: str, ignored: Iterable[str]) -> bool:
    return not any(selector == "ALL" or code.startswith(selector) for selector in ignored)


_SEVERITY = operator.attrgetter("severity")


def sort_findings(findings: list[Finding]) -> None:
    """Sort findings in place by path, line, column, code and field (`Finding.sort_key`)."""
    findings.sort(key=Finding.sort_key)


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0  # files reported on
    records: int = 0  # of those, files whose front matter parsed to a mapping
    corpus_files: int = 0
    cache_hits: int = 0
    # What the run's `collect` made of each file it reported on, by absolute path, in corpus order.
    collected: dict[str, Any] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        # At C speed (a corpus can have hundreds of thousands of findings): Finding is a tuple.
        return operator.countOf(map(_SEVERITY, self.findings), severity)


# How often (in files checked) a run tells its `progress` how far it is.
PROGRESS_EVERY = 64
# Told how many of the files to check are checked: (done, total).
Progress = Callable[[int, int], None]

# Below this many files to check, starting worker processes costs more than it saves.
POOL_THRESHOLD = 1500
# Up to this many files a corpus state lacks are read without opening the lint cache.
STATE_READS = 64


class _Skip:
    """What a run's `collect` returns for a file that is only a member of the corpus, not reported on."""

    def __repr__(self) -> str:
        return "SKIP"


SKIP: Any = _Skip()
# What a run makes of each file it reports on, where it reads the file (in a worker, on a large corpus):
# a record row for `report`, the file itself for `show`; SKIP for a file not to report on.
Collect = Callable[[RecordFile], Any]
# A file to check: its path, display path, whether it is reported on, its unsaved text (or None: read it
# from disk) and the cache's (digest, findings) of it (or None).
Job = tuple[str, str, bool, "str | None", "tuple[str, str] | None"]


class FileOutcome(NamedTuple):
    """What checking one file gives: its summary for the corpus rules, and its own findings."""

    summary: RecordSummary
    parsed: bool
    findings: list[Finding] | None  # None when the file is not reported on
    mtime_ns: int
    size: int
    digest: str
    # The findings as JSON, as the cache stores them (made in a worker when there is a cache).
    encoded: str | None = None
    # The findings as plain tuples, on their way back from a worker (see `_check_chunk`).
    plain: list[tuple[Any, ...]] | None = None
    # What the run's `collect` made of the file (see `lint`), where the run collects.
    collected: Any = None


def _unreadable(path: Path, display: str, error: OSError) -> RecordFile:
    from ccus_records.recordfile.problems import Problem

    file = RecordFile(path=path, display=display)
    file.problems.append(Problem("S001", f"cannot be read: {error.strerror or error}", None, None))
    return file


def check_file(
    path: Path,
    display: str,
    plan: LintPlan,
    is_target: bool,
    collect: Collect | None = None,
    text: str | None = None,
    known: tuple[str, str] | None = None,
) -> FileOutcome:
    """Read one file (or parse `text`, an unsaved version of it) and, when it is reported on, run the
    per-record rules on it. With `collect`, the file is read for what `collect` makes of it; where `collect`
    says SKIP, the file is only a member of the corpus. `known` is the cache's (digest, findings) of the
    file: where the content is the same, those findings stand and the rules do not run again."""
    from ccus_records.engine.cache import content_digest
    from ccus_records.recordfile.reader import load_record_file, parse_unsaved_text

    try:
        if text is not None:
            file = parse_unsaved_text(text, path, display, plan.max_file_bytes)
            mtime_ns, size, digest = 0, len(text), ""  # an unsaved text is never cached
        else:
            file, stat, raw = load_record_file(path, display, plan.max_file_bytes)
            mtime_ns, size, digest = stat.st_mtime_ns, stat.st_size, content_digest(raw)
    except OSError as error:
        file, mtime_ns, size, digest = _unreadable(path, display, error), 0, -1, ""
    collected = None
    if collect is not None and is_target:
        collected = collect(file)
        is_target = collected is not SKIP
    findings = None
    if is_target:
        if known is not None and digest and known[0] == digest:
            findings = _decode_findings(known[1], display, file.record_id, plan)
        else:
            findings = check_record(file, plan)
    if findings:
        sort_findings(findings)  # here, in the worker: the parent then only merges
    return FileOutcome(summarise(file), file.data is not None, findings, mtime_ns, size, digest, collected=collected)


# The plan of the run in progress, inherited by forked workers instead of being pickled to each.
_WORKER_PLAN: LintPlan | None = None
# Whether workers also encode each file's findings as the cache stores them (only when there is a cache).
_WORKER_ENCODES = False
# The run's `collect`, inherited by forked workers likewise.
_WORKER_COLLECT: Collect | None = None


def _check_chunk(chunk: list[Job]) -> list[FileOutcome]:
    """Check a chunk of files in a worker. The findings travel as plain tuples: pickle writes each string
    the chunk repeats (codes, names, display paths, interned messages) once, and plain tuples pickle at C
    speed, where a named tuple costs a Python call (`__getnewargs__`) each. The parent makes them findings
    again (`_received`)."""
    assert _WORKER_PLAN is not None
    outcomes = []
    for path, display, is_target, text, known in chunk:
        outcome = check_file(Path(path), display, _WORKER_PLAN, is_target, _WORKER_COLLECT, text, known)
        if outcome.findings is not None:
            encoded = _encode_findings(outcome.findings) if _WORKER_ENCODES else None
            outcome = outcome._replace(findings=None, encoded=encoded, plain=list(map(tuple, outcome.findings)))
        outcomes.append(outcome)
    return outcomes


def _received(outcome: FileOutcome) -> FileOutcome:
    if outcome.plain is None:
        return outcome
    return outcome._replace(findings=list(map(Finding._make, outcome.plain)), plain=None)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _check_many(
    jobs: list[Job], plan: LintPlan, encode: bool = False, collect: Collect | None = None
) -> Iterator[FileOutcome]:
    """Check files in order, on every core when there are enough of them and the platform can fork.

    Outcomes are yielded as they come back, so that a caller can let go of each before the next arrives.
    """
    workers = min(os.cpu_count() or 1, 8)
    # multiprocessing is imported only when a pool may pay: a hook run on five files never needs it.
    if len(jobs) < POOL_THRESHOLD or workers < 2 or not _can_fork():
        for path, display, is_target, text, known in jobs:
            yield check_file(Path(path), display, plan, is_target, collect, text, known)
        return
    import multiprocessing
    import signal

    global _WORKER_PLAN, _WORKER_ENCODES, _WORKER_COLLECT
    _WORKER_PLAN, _WORKER_ENCODES, _WORKER_COLLECT = plan, encode, collect
    # Small chunks: results come back as they are made, so few wait in memory at once.
    size = max(64, min(500, len(jobs) // (workers * 4)))
    chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
    # Objects made so far are left out of garbage collection, which would otherwise write to every one of
    # them in each forked worker and copy the parent's memory page by page (gc.freeze's documented use).
    gc.freeze()
    # Ctrl-C is held back while the workers are forked (they start with it blocked, and ignore it before
    # they unblock it); one pressed meanwhile reaches the parent as soon as the pool stands.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_leave_interrupts_to_the_parent)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        for outcomes in pool.imap(_check_chunk, chunks):
            yield from map(_received, outcomes)
        pool.close()
    except BaseException:
        # Ctrl-C (or a consumer that stops early): the workers are ended at once, not waited for; a worker
        # blocked writing a result to the pipe would otherwise hold the parent forever.
        pool.terminate()
        raise
    finally:
        pool.join()
        _WORKER_PLAN, _WORKER_ENCODES, _WORKER_COLLECT = None, False, None
        gc.unfreeze()


def _leave_interrupts_to_the_parent() -> None:
    """A worker ignores Ctrl-C: the terminal sends it to the whole process group, and the parent alone
    decides what an interrupt ends (it ends the workers)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def plan_fingerprint(plan: LintPlan) -> str:
    """Everything that can change a per-record result: the tool, the rules in force and their options."""
    import dataclasses
    import hashlib
    import json

    from ccus_records.engine.cache import code_stamp

    options = plan.options
    custom = [dataclasses.asdict(rule.spec) for rule in plan.rules if hasattr(rule, "spec")]
    material = {
        "code": code_stamp(),
        "rules": [rule.code for rule in plan.rules],
        "severities": plan.severities,
        "today": options.today.isoformat(),
        "max_audit_age_days": options.max_audit_age_days,
        "absence_labels": sorted(options.absence_labels),
        "absence_score_ceiling": options.absence_score_ceiling,
        "machine_authors": options.machine_authors.pattern,
        "categories": sorted(options.categories),
        "legal_weights": sorted(options.legal_weights),
        "custom": custom,
        "max_file_bytes": plan.max_file_bytes,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def _encode_findings(findings: list[Finding]) -> str:
    import json

    return json.dumps([[f.code, f.line, f.column, f.field, f.message] for f in findings], ensure_ascii=False)


def _decode_findings(text: str, display: str, record: str | None, plan: LintPlan) -> list[Finding]:
    import json

    rules = plan.rule_by_code
    decoded = []
    for code, line, column, dotted, message in json.loads(text):
        rule = rules.get(code)
        if rule is not None:
            decoded.append(_finding(rule, plan, display, line, column, record, dotted, message))
    return decoded


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run a corpus-sized loop with the cyclic garbage collector woken 70 times less often.

    The loop allocates a few objects a finding and keeps most of them, which is what sets the collector
    off, over and over, to find nothing: a run with every field wrong spent a sixth of its time there.
    Reference counting still frees everything at once; only cycles wait longer.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def lint_corpus(
    corpus: Corpus,
    plan: LintPlan,
    cache: LintCache | None = None,
    consume: Callable[[list[Finding]], None] | None = None,
    collect: Collect | None = None,
    texts: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    state: CorpusState | None = None,
) -> LintResult:
    """Per-record rules on the corpus's targets, corpus rules on every file; cached results where valid.

    With `consume`, findings are handed to it instead of kept in the result: each file's own findings as
    soon as the file is checked, the cross-record ones once every file is known. A caller that only counts
    them (`report`) then never holds a corpus of findings in memory. With `collect`, every target is read
    (once) and what `collect` makes of it is kept in `result.collected`, by path. `texts` holds unsaved
    versions of files (by absolute path), read instead of the files on disk and never cached. A `state`
    (engine/state.py; not with `consume` or `collect`) serves what it holds of earlier runs and keeps
    what this run reads.
    """
    if state is not None and (consume is not None or collect is not None):
        raise ValueError("a corpus state keeps findings: it cannot be used with consume or collect")
    with fewer_collections():
        return _lint_corpus(corpus, plan, cache, consume, collect, texts or {}, progress, state)


def _lint_corpus(
    corpus: Corpus,
    plan: LintPlan,
    cache: LintCache | None,
    consume: Callable[[list[Finding]], None] | None,
    collect: Collect | None,
    texts: Mapping[str, str],
    progress: Progress | None = None,
    state: CorpusState | None = None,
) -> LintResult:
    result = LintResult(corpus_files=len(corpus.paths))
    cwd_prefix = os.path.join(str(plan.cwd), "")
    outcomes: list[FileOutcome | None] = []
    pending: list[int] = []
    jobs: list[Job] = []
    # Files that are only members of the corpus are read for the cross-record rules alone.
    members_needed = bool(plan.corpus_rules)

    def settle(index: int, outcome: FileOutcome) -> FileOutcome:
        if consume is None or not outcome.findings:
            return outcome
        own = _not_ignored(outcome.findings, corpus.paths[index], plan)
        if own:
            consume(own)
        # An empty list still marks the file as reported on; the digest was for the cache, which has it.
        return outcome._replace(findings=_HANDED_OVER, encoded=None, digest="")

    # What a state holds of the files on disk that are only members of the corpus, in corpus order.
    served = state.members(corpus.paths, corpus.target_paths | texts.keys()) if state is not None else None
    for index, path in enumerate(corpus.paths):
        if served is not None and served[index] is not None:
            outcomes.append(served[index])  # nothing to settle: a run with a state consumes nothing
            result.cache_hits += 1
            continue
        # Most files lie under the current folder: their display path is a slice, not a path computation.
        display = path[len(cwd_prefix) :] if path.startswith(cwd_prefix) else display_path(Path(path), plan.cwd)
        is_target = path in corpus.target_paths
        text = texts.get(path)
        hit = None
        known = None
        if state is not None:
            hit = _state_outcome(state, path, text, is_target)
        if hit is None and not is_target and not members_needed:
            hit = FileOutcome(RecordSummary(display, None, "", (), ""), False, None, 0, 0, "")
        elif hit is None and cache is not None and text is None:
            position = cache.position(path)
            if position is not None and not is_target:
                # The common case of a hook run: a file only the corpus rules need, unchanged since cached.
                try:
                    info = os.stat(path)
                except OSError:
                    info = None
                if info is not None and cache.fresh_at(position, info):
                    summary, parsed = cache.summary_at(position, display)
                    hit = FileOutcome(summary, parsed, None, info.st_mtime_ns, info.st_size, "")
            if hit is None and position is not None:
                if collect is not None and is_target:
                    # The file is read for `collect` anyway: its cached findings stand if its content does.
                    known = _known_findings(cache, path)
                else:
                    hit = _cached_outcome(path, cache, is_target, display, plan)
            if hit is not None and state is not None:
                state.keep(path, None, hit)
        if hit is None:
            pending.append(index)
            jobs.append((path, display, is_target, text, known))
        else:
            hit = settle(index, hit)
            result.cache_hits += 1
        outcomes.append(hit)
    checked = _check_many(jobs, plan, encode=cache is not None, collect=collect)
    total = len(jobs)
    for count, (index, outcome) in enumerate(zip(pending, checked, strict=True), 1):
        if progress is not None and (count % PROGRESS_EVERY == 0 or count == total):
            progress(count, total)
        if cache is not None and outcome.digest:
            _remember(cache, corpus.paths[index], outcome)
        if outcome.encoded is not None:
            outcome = outcome._replace(encoded=None)  # the cache has it now, and nothing else needs it
        if state is not None:
            state.keep(corpus.paths[index], texts.get(corpus.paths[index]), outcome)
        if collect is not None and outcome.collected is not None:
            if outcome.collected is not SKIP:
                result.collected[corpus.paths[index]] = outcome.collected
            outcome = outcome._replace(collected=None)
        outcomes[index] = settle(index, outcome)
    if cache is not None:
        cache.forget_missing(set(corpus.paths))
        cache.save()
    summaries = [done.summary for done in outcomes if done is not None]
    assert len(summaries) == len(outcomes)
    extra: dict[str, list[Finding]] = {}
    reported = {path for path in result.collected} if collect is not None else corpus.target_paths
    for finding in _corpus_findings(plan, summaries, corpus.paths, reported, texts, state):
        extra.setdefault(finding.path, []).append(finding)
    # Each file's findings are sorted on their own and files come in corpus order: no corpus-wide sort
    # (its keys alone would cost a tuple a finding) unless the order of display paths needs one.
    ordered = True
    previous = ""
    for index, path in enumerate(corpus.paths):
        done = outcomes[index]
        outcomes[index] = None  # the findings move to the result; nothing keeps a second reference
        assert done is not None
        if done.findings is None:
            continue
        result.files += 1
        result.records += done.parsed
        own = _not_ignored(done.findings, path, plan) if done.findings else []
        extras = extra.pop(done.summary.display, None)
        if extras:
            own = [*own, *extras]
            sort_findings(own)
        if own:
            if consume is not None:
                consume(own)
                continue
            ordered = ordered and own[0].path >= previous
            previous = own[0].path
            result.findings.extend(own)
    for leftovers in extra.values():  # findings on files the loop did not see (none, normally)
        if consume is not None:
            consume(leftovers)
            continue
        result.findings.extend(leftovers)
        ordered = False
    if not ordered:
        sort_findings(result.findings)
    return result


def _state_outcome(state: CorpusState, path: str, text: str | None, is_target: bool) -> FileOutcome | None:
    """What the state holds of a file, where it stands for what this run would read: a file on disk only
    as a member of the corpus (the state keeps no findings of it), an unsaved text whatever its role."""
    kept = state.kept(path, text)
    if kept is None:
        return None
    if is_target:
        return kept if kept.findings is not None else None
    return kept if kept.findings is None else kept._replace(findings=None)


def _known_findings(cache: LintCache, path: str) -> tuple[str, str] | None:
    entry = cache.entry(path)
    if entry is None or not entry.has_findings:
        return None
    encoded = cache.findings_of(path, entry)
    return (entry.digest, encoded) if encoded is not None else None


# The findings of a file handed to `consume` (shared, never changed).
_HANDED_OVER: list[Finding] = []


def _not_ignored(findings: list[Finding], path: str, plan: LintPlan) -> list[Finding]:
    """The findings that `per-file-ignores` keeps for this file (the list itself when it keeps them all)."""
    ignored = ignored_codes(Path(path), plan) if plan.per_file_ignores else ()
    if not ignored:
        return findings
    return [finding for finding in findings if kept(finding.code, ignored)]


def _remember(cache: LintCache, path: str, outcome: FileOutcome) -> None:
    from ccus_records.engine.cache import CacheEntry

    findings = outcome.encoded
    if findings is None and outcome.findings is not None:
        findings = _encode_findings(outcome.findings)
    if findings is None:
        previous = cache.entry(path)
        if previous is not None and previous.digest == outcome.digest:
            findings = cache.findings_of(path, previous)  # the file is unchanged: keep what was known of it
    summary = outcome.summary
    cache.put(
        path,
        CacheEntry(
            outcome.mtime_ns,
            outcome.size,
            outcome.digest,
            summary.record_id,
            summary.superseded_by,
            summary.supersedes,
            summary.status,
            outcome.parsed,
            findings is not None,
            findings,
        ),
    )


def _cached_outcome(path: str, cache: LintCache, is_target: bool, display: str, plan: LintPlan) -> FileOutcome | None:
    """The outcome stored for a file if the file is unchanged, else None."""
    from ccus_records.engine.cache import content_digest

    entry = cache.entry(path)
    if entry is None or (is_target and not entry.has_findings):
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not cache.fresh(entry.mtime_ns, entry.size, stat):
        from ccus_records.recordfile.reader import read_regular_file

        try:
            raw = read_regular_file(path, plan.max_file_bytes)[1]
        except OSError:
            return None
        if raw is None or content_digest(raw) != entry.digest:
            return None
        entry.mtime_ns, entry.size = stat.st_mtime_ns, stat.st_size
        cache.touch(path, entry)
    summary = RecordSummary(display, entry.record_id, entry.superseded_by, entry.supersedes, entry.status)
    findings = None
    if is_target:
        encoded = cache.findings_of(path, entry)
        if encoded is None:
            return None
        findings = _decode_findings(encoded, display, summary.record_id, plan)
    return FileOutcome(summary, entry.parsed, findings, entry.mtime_ns, entry.size, entry.digest)


def _corpus_violations(plan: LintPlan, summaries: list[RecordSummary]) -> Iterator[tuple[CorpusRule, int, Violation]]:
    for rule in plan.corpus_rules:
        for index, violation in rule.check_corpus(summaries):
            yield rule, index, violation


def _corpus_findings(
    plan: LintPlan,
    summaries: list[RecordSummary],
    paths: Sequence[str],
    reported: AbstractSet[str],
    texts: Mapping[str, str],
    state: CorpusState | None = None,
) -> list[Finding]:
    found: list[Finding] = []
    reread: dict[int, RecordFile] = {}
    violations: Iterable[tuple[CorpusRule, int, Violation]] = (
        _corpus_violations(plan, summaries)
        if state is None
        else state.verdict(summaries, lambda: list(_corpus_violations(plan, summaries)))
    )
    for rule, index, violation in violations:
        path = Path(paths[index])
        if paths[index] not in reported:
            continue
        if not kept(rule.code, ignored_codes(path, plan)):
            continue
        # Only files with a cross-record finding are read again, to place it.
        if index not in reread:
            reread[index] = _reread(path, summaries[index].display, plan, texts.get(paths[index]))
        found.append(to_finding(rule, violation, reread[index], plan))
    return found


def _reread(path: Path, display: str, plan: LintPlan, text: str | None) -> RecordFile:
    from ccus_records.recordfile.reader import parse_unsaved_text

    if text is not None:
        return parse_unsaved_text(text, path, display, plan.max_file_bytes)
    try:
        return read_record_file(path, display, plan.max_file_bytes)
    except OSError as error:
        return _unreadable(path, display, error)


def open_cache(config: Config, plan: LintPlan, wanted: int = 0) -> LintCache | None:
    """The cache for this corpus and plan, or None where the corpus has no root to keep one under."""
    from ccus_records.engine.cache import LintCache, cache_folder

    folder = cache_folder(config.root, config.source is not None)
    return LintCache(folder, plan_fingerprint(plan), wanted) if folder is not None else None


@dataclass
class LintRun:
    """One run of the rules: the findings, the plan they were found with, and the corpus they were found in."""

    result: LintResult
    plan: LintPlan
    corpus: Corpus | None  # None when every given file lay outside the records folders
    cwd: Path
    today: dt.date
    roots: tuple[Path, ...] = ()  # the files and folders linted whole (absolute)
    outside: int = 0  # given files left out by `records_only`: they lie outside the records folders

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings

    @property
    def codes_in_force(self) -> frozenset[str]:
        return frozenset(rule.code for rule in (*self.plan.rules, *self.plan.corpus_rules))

    @property
    def target_displays(self) -> list[str]:
        if self.corpus is None:
            return []
        return [display_path(path, self.cwd) for path in self.corpus.files if self.corpus.is_target(path)]


def lint(
    config: Config,
    paths: Sequence[Path],
    today: dt.date,
    cwd: Path,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    git_tracked: bool = False,
    records_only: bool = False,
    use_cache: bool = False,
    consume: Callable[[list[Finding]], None] | None = None,
    collect: Collect | None = None,
    texts: Mapping[Path, str] | None = None,
    progress: Progress | None = None,
    changed_since: str | None = None,
    state: CorpusState | None = None,
) -> LintRun:
    """The one way every command runs the rules: over `paths` (or the configured corpus), their unsaved
    `texts` laid over the files on disk, with the run's selection, per-file-ignores and severities.

    The cross-record index is always the corpus (configured records ∪ paths ∪ texts), whatever subset of
    files is reported on. `records_only` drops given files outside the records folders; `git_tracked`
    files git does not track. Each file is read once; with `collect`, what it makes of each file reported
    on is in `run.result.collected`. With `changed_since` (a revision), only the records changed between
    its merge base with HEAD and the work tree (committed, staged, unstaged, untracked but not ignored)
    are reported on; a run where none changed checks nothing and finds nothing.

    A `state` (engine/state.py) is what a long-lived caller keeps of the corpus between runs: the
    walk of the folders, each file's summary, each unsaved text's findings, the cross-record verdict. The
    run then reads only what the state does not hold (the lint cache is opened only when that is much)
    and finds what a run without it finds.
    """
    from ccus_records.engine.corpus import CorpusError
    from ccus_records.engine.scope import changed_only, inside_records, tracked_only

    plan = make_plan(config, today, cwd, select, ignore)
    overlay = {os.path.abspath(cwd / path): text for path, text in (texts or {}).items()}
    if records_only and not config.records:
        # Without records folders every given file would count as a record (a README included).
        raise CorpusError(f"--records-only: {config.no_records_message()}")
    given = inside_records(paths, config, cwd) if records_only else list(paths)
    if paths and not given:
        # Files were named and none is a record: nothing to report on (not "lint the whole corpus").
        return LintRun(LintResult(), plan, None, cwd, today, outside=len(paths))
    corpus = resolve_corpus(config, given, cwd, unsaved=overlay, state=state)
    if git_tracked:
        corpus = tracked_only(corpus, cwd)
    if changed_since is not None:
        had_targets = bool(corpus.target_paths)
        corpus = changed_only(corpus, changed_since, cwd)
        if had_targets and not corpus.target_paths:
            return LintRun(LintResult(), plan, corpus, cwd, today)
    if not corpus.target_paths:
        # A run that checks nothing must not pass as if it had checked something.
        if given and git_tracked:
            raise CorpusError(f"none of the {len(given)} record path(s) given holds a record file git tracks")
        if given:
            raise CorpusError(f"no record files in {', '.join(display_path(Path(p), cwd) for p in given)}")
        folders = ", ".join(display_path(Path(os.path.abspath(path)), cwd) for path in config.records)
        raise CorpusError(f"no record files in {folders or 'the records folders'}: a run over none checks nothing")
    if given:
        roots = tuple(Path(os.path.abspath(cwd / path)) for path in given)
    else:
        roots = tuple(Path(os.path.abspath(path)) for path in corpus.roots)
    if state is not None:
        state.begin(plan_fingerprint(plan), str(cwd), plan.max_file_bytes)
        # A few files the state lacks are read directly: loading the cache's index costs more.
        use_cache = use_cache and state.missing(corpus.paths, overlay) > STATE_READS
    cache = open_cache(config, plan, len(corpus.target_paths)) if use_cache else None
    result = lint_corpus(corpus, plan, cache, consume, collect, overlay, progress, state)
    return LintRun(result, plan, corpus, cwd, today, roots)
