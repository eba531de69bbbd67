"""The report's headline figures at every commit of the first-parent line: `report --history` / `--since`.

No checkout: the record files of the first commit asked for are listed with `git ls-tree`, and from one commit
to the next only the files that changed are (one `git diff-tree --stdin` for every step); their contents
stream out of one `git cat-file --batch` kept open for the whole walk and go to the lint API as texts, as an
editor's unsaved buffers do.

A commit costs the records it changed, not the corpus. What the report counts of a record file — whether it
parsed, its filled coverage cells, whether it is human-verified, its groups, its own findings per severity —
is made once for each content (blob) the file takes, through the one lint API, and kept while the file keeps
that content; each commit's figures are running totals, less what the changed records counted before, plus
what they count now. The cross-record rules (duplicate ids, supersession) are run again only on the records
linked through an id, held or named, to a record that changed: a corpus rule's findings on a record depend
on those records alone (rules/base.py `CorpusRule`).

Each commit is judged on its own date (the committer date) unless `--today` says otherwise, with the
configuration in force now. A rule that reads the date says over which days its verdict on a record stands
(`Rule.steady_days`); a record is checked again only on a commit whose date lies outside that span.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ccus_records.engine import git
from ccus_records.engine.config import REPORT_GROUPS, Config
from ccus_records.engine.findings import Finding
from ccus_records.engine.lint import Collect, LintPlan, ignored_codes, kept, lint, make_plan, summarise
from ccus_records.errors import CcusRecordsError
from ccus_records.features.diff_git import (
    check_revision_text,
    parse_revision_range,
    repository_root,
    resolve_commit,
    run_git,
    tree_changes,
    tree_entries,
)
from ccus_records.features.report import RecordFacts, Share, coverage_fields_of, fact_maker
from ccus_records.recordfile.reader import RecordFile
from ccus_records.rules.base import ALWAYS, DaySpan, RecordContext, RecordSummary, Rule
from ccus_records.schema.dates import parse_iso_date

SEVERITIES = ("error", "warning", "info")
_SEVERITY_INDEX = {name: index for index, name in enumerate(SEVERITIES)}
_NONE = (0, 0, 0)
# Whatever the repository's configuration says: no colour, no signature checks (gpg), no diff drivers.
_LOG_OPTIONS = ("--no-color", "--no-show-signature", *git.NO_DRIVERS, "--encoding=UTF-8")


class HistoryRangeError(CcusRecordsError):
    """The commits asked for cannot be walked: a bad range or date, or none in it (exit 2)."""


@dataclass(frozen=True)
class HistoryPoint:
    commit: str
    date: str  # committer date, ISO 8601
    subject: str
    records: int
    coverage: Share  # overall coverage: filled cells of all
    human_verified: Share  # human-verified records of all
    findings: dict[str, int]  # per severity
    changed: int  # record files written or removed since the previous point
    groups: dict[str, dict[str, Share]] = field(default_factory=dict)  # `--by`: coverage per value


@dataclass(frozen=True)
class HistorySeries:
    points: tuple[HistoryPoint, ...]
    range: str
    by: tuple[str, ...] = ()
    today: dt.date | None = None  # `--today`: every commit judged on this day, not its own


def _commits(history: str | None, since: str | None, cwd: Path) -> list[tuple[str, str, str]]:
    """(commit, committer date, subject) on the first-parent line, oldest first."""
    tip = "HEAD"
    exclude: list[str] = []
    if history is not None:
        check_revision_text(history)
        wanted = parse_revision_range(history)
        if wanted.new is None:
            tip = resolve_commit(wanted.old, cwd)
        else:
            tip = resolve_commit(wanted.new, cwd)
            old = resolve_commit(wanted.old, cwd)
            if wanted.symmetric:
                old = run_git(["merge-base", old, tip], cwd).decode("ascii").strip()
            exclude = [f"^{old}"]
    else:
        tip = resolve_commit("HEAD", cwd)
    limits: list[str] = []
    if since is not None:
        try:
            day = parse_iso_date(since)
        except ValueError:
            raise HistoryRangeError(f"--since {since!r}: not a date YYYY-MM-DD") from None
        limits.append(f"--since={day.isoformat()}T00:00:00")
    output = run_git(
        ["log", "--first-parent", "--reverse", *_LOG_OPTIONS, "--format=%H%x1f%cI%x1f%s%x1e", *limits, tip, *exclude],
        cwd,
    )
    found: list[tuple[str, str, str]] = []
    for chunk in output.decode("utf-8", "replace").split("\x1e"):
        parts = chunk.strip("\n").split("\x1f")
        if len(parts) == 3:
            found.append((parts[0], parts[1], parts[2]))
    if not found:
        asked = f"since {since}" if since else (history or "HEAD")
        raise HistoryRangeError(f"no commits on the first-parent line {asked}")
    return found


class _Kept(NamedTuple):
    """What the history keeps of one record file while the file keeps its content."""

    blob: str
    filled: int  # coverage cells
    verified: bool  # human-verified
    groups: dict[str, str]  # grouping field -> value
    own: tuple[int, int, int]  # its own findings per severity (not the cross-record ones)
    summary: RecordSummary  # what the cross-record rules read
    span: DaySpan  # the days on which `own` stands


def _links(summary: RecordSummary) -> set[str]:
    """The ids a record holds or names: the cross-record rules relate records through these alone."""
    found = {summary.superseded_by, *summary.supersedes}
    if summary.record_id:
        found.add(summary.record_id)
    found.discard("")
    return found


def _overlap(first: DaySpan, second: DaySpan) -> DaySpan:
    """The days in both spans."""
    starts = [day for day in (first[0], second[0]) if day is not None]
    ends = [day for day in (first[1], second[1]) if day is not None]
    return (max(starts) if starts else None, min(ends) if ends else None)


def _outside(day: dt.date, span: DaySpan) -> bool:
    return (span[0] is not None and day < span[0]) or (span[1] is not None and day > span[1])


class _Walk:
    """The corpus as it stands at the current commit, with its running totals.

    The record files are read from git as text and handed to the lint API as unsaved texts of files under
    `mirror` (a private temporary folder); only a file whose bytes are no UTF-8 text, or are above the size
    limit, is written there, for the reader to judge as it would judge it on disk.
    """

    def __init__(
        self,
        config: Config,
        cwd: Path,
        mirror: Path,
        scopes: Sequence[str],
        by: Sequence[str],
        blobs: git.BlobReader,
    ) -> None:
        self.config = config
        self.cwd = cwd
        self.mirror = mirror
        self.scopes = scopes
        self.blobs = blobs
        self.on_disk: set[str] = set()  # the repository paths written to the mirror
        self.by = tuple(by)
        self.coverage = coverage_fields_of(config)
        self.plans: dict[dt.date, LintPlan] = {}
        self.files: dict[str, _Kept] = {}  # repository path -> what it counts
        self.cross: dict[str, tuple[int, int, int]] = {}  # repository path -> cross-record findings
        self.holders: dict[str, set[str]] = {}  # id -> the paths that hold or name it
        self.memo: dict[tuple[str, str], _Kept] = {}  # (path, blob) -> what it counted, for a content seen again
        # The days inside every record's span: on those, no verdict needs checking again.
        self.steady: DaySpan = ALWAYS
        self.filled = 0
        self.verified = 0
        self.findings: Counter[str] = Counter()
        self.groups: dict[str, dict[str, list[int]]] = {name: {} for name in self.by}  # value -> [records, filled]

    # ------------------------------------------------------------------ the rules, as of a day

    def plan(self, day: dt.date) -> LintPlan:
        if day not in self.plans:
            self.plans[day] = make_plan(self.config, day, self.cwd)
        return self.plans[day]

    def collector(self, plan: LintPlan) -> Collect:
        """What each record file checked counts: the report's facts, the summary, the span of its verdicts."""
        facts = fact_maker(self.config, plan.options.today, self.coverage)
        # Only the rules that read the date narrow the span (the others keep the base class's method).
        dated = [rule for rule in plan.rules if type(rule).steady_days is not Rule.steady_days]

        def collect(file: RecordFile) -> tuple[RecordFacts, RecordSummary, DaySpan]:
            context = RecordContext(file, plan.options)
            span = ALWAYS
            for rule in dated:
                if not rule.needs_data or file.data is not None:
                    span = _overlap(span, rule.steady_days(context))
            return facts(file), summarise(file), span

        return collect

    def check(self, wanted: dict[str, str], day: dt.date) -> dict[str, _Kept]:
        """What each file (repository path -> blob) counts as of `day`, through the one lint API."""
        found: dict[str, _Kept] = {}
        missing: dict[str, str] = {}
        for path, blob in wanted.items():
            known = self.memo.get((path, blob))
            if known is not None and not _outside(day, known.span):
                found[path] = known
            else:
                missing[path] = blob
        if not missing:
            return found
        plan = self.plan(day)
        own: dict[str, list[int]] = {}

        def consume(findings: list[Finding]) -> None:
            for finding in findings:
                own.setdefault(finding.path, [0, 0, 0])[_SEVERITY_INDEX[finding.severity]] += 1

        located = {os.path.join(self.mirror, path): path for path in missing}
        run = lint(
            self.config,
            [Path(absolute) for absolute in located],
            day,
            self.cwd,
            # The cross-record rules are run apart, on the records linked to a change (`recount_cross`).
            ignore=[rule.code for rule in plan.corpus_rules],
            consume=consume,
            collect=self.collector(plan),
            texts={Path(absolute): text for absolute, text in self._texts(missing).items()},
        )
        for absolute, (facts, summary, span) in run.result.collected.items():
            path = located[absolute]
            row = facts.row
            counts = own.get(facts.display)
            made = _Kept(
                missing[path],
                row.coverage.filled,
                row.human_verified,
                row.groups,
                (counts[0], counts[1], counts[2]) if counts else _NONE,
                summary,
                span,
            )
            self.memo[(path, made.blob)] = made
            found[path] = made
        return found

    def _texts(self, wanted: dict[str, str]) -> dict[str, str]:
        """The files' texts (by absolute path on the mirror), streamed from git; the odd ones written there."""
        paths_of: dict[str, list[str]] = {}
        for path, blob in wanted.items():
            paths_of.setdefault(blob, []).append(path)
            self._forget_file(path)
        texts: dict[str, str] = {}
        for blob, size, content in self.blobs.read(list(paths_of), self.config.settings.max_file_bytes):
            try:
                text = content.decode("utf-8") if content is not None else None
            except UnicodeDecodeError:
                text = None
            for path in paths_of[blob]:
                if text is not None:
                    texts[os.path.join(self.mirror, path)] = text
                    continue
                target = self.mirror / path
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as stream:
                    if content is None:
                        # Above the size limit: the reader only reads its size (S007), so it holds nothing.
                        stream.truncate(size)
                    else:
                        stream.write(content)
                self.on_disk.add(path)
        return texts

    def _forget_file(self, path: str) -> None:
        if path in self.on_disk:
            self.on_disk.discard(path)
            (self.mirror / path).unlink(missing_ok=True)

    # ------------------------------------------------------------------ the running totals

    def _count(self, item: _Kept, sign: int) -> None:
        self.filled += sign * item.filled
        self.verified += sign * item.verified
        for severity, count in zip(SEVERITIES, item.own, strict=True):
            self.findings[severity] += sign * count
        for grouping in self.by:
            cell = self.groups[grouping].setdefault(item.groups[grouping], [0, 0])
            cell[0] += sign
            cell[1] += sign * item.filled

    def _count_cross(self, counts: tuple[int, int, int], sign: int) -> None:
        for severity, count in zip(SEVERITIES, counts, strict=True):
            self.findings[severity] += sign * count

    def _unlink(self, path: str, item: _Kept) -> None:
        self._count(item, -1)
        for name in _links(item.summary):
            holders = self.holders[name]
            holders.discard(path)
            if not holders:
                del self.holders[name]

    def remove(self, path: str) -> None:
        """A record file gone: what it counted, its own findings and the cross-record ones, leave the totals."""
        old = self.files.pop(path, None)
        if old is not None:
            self._unlink(path, old)
            self._count_cross(self.cross.pop(path, _NONE), -1)
        self._forget_file(path)

    def put(self, path: str, item: _Kept) -> None:
        """A record file as it is now (its cross-record findings are recounted apart, see `recount_cross`)."""
        old = self.files.get(path)
        if old is not None:
            self._unlink(path, old)
        self.files[path] = item
        self._count(item, 1)
        for name in _links(item.summary):
            self.holders.setdefault(name, set()).add(path)
        self.steady = _overlap(self.steady, item.span)

    def stale(self, day: dt.date) -> dict[str, str]:
        """The files whose verdicts may not stand on `day` (path -> blob)."""
        if not _outside(day, self.steady):
            return {}
        found = {path: item.blob for path, item in self.files.items() if _outside(day, item.span)}
        # The bounds again, from the files that stand; the stale ones narrow them anew once checked again.
        self.steady = ALWAYS
        for path, item in self.files.items():
            if path not in found:
                self.steady = _overlap(self.steady, item.span)
        return found

    # ------------------------------------------------------------------ the cross-record rules

    def _order(self, path: str) -> tuple[int, str]:
        """The corpus's order: by records folder as configured, then by path (as the corpus walk lists them)."""
        for number, scope in enumerate(self.scopes):
            if scope in ("", ".") or path == scope or path.startswith(f"{scope}/"):
                return number, path
        return len(self.scopes), path

    def linked(self, names: Iterable[str]) -> set[str]:
        """Every record file linked to these ids through ids held or named, transitively."""
        pending = list(names)
        seen: set[str] = set()
        found: set[str] = set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            for path in self.holders.get(name, ()):
                if path not in found:
                    found.add(path)
                    pending.extend(_links(self.files[path].summary))
        return found

    def recount_cross(self, paths: Iterable[str], plan: LintPlan) -> None:
        """The cross-record findings on these records, afresh: the corpus rules run on them alone."""
        ordered = sorted(paths, key=self._order)
        if not ordered:
            return
        summaries = [self.files[path].summary for path in ordered]
        counts = [[0, 0, 0] for _ in ordered]
        for rule in plan.corpus_rules:
            severity = _SEVERITY_INDEX[plan.severities[rule.code]]
            for index, _ in rule.check_corpus(summaries):
                location = Path(os.path.join(self.mirror, ordered[index]))
                if kept(rule.code, ignored_codes(location, plan)):
                    counts[index][severity] += 1
        for path, new in zip(ordered, counts, strict=True):
            self._count_cross(self.cross.get(path, _NONE), -1)
            self.cross[path] = (new[0], new[1], new[2])
            self._count_cross(self.cross[path], 1)

    def point(self, commit: str, date: str, subject: str, changed: int) -> HistoryPoint:
        """The figures as they stand."""
        records = len(self.files)
        size = len(self.coverage)
        groups = {
            grouping: {
                value: Share(filled, count * size)
                for value, (count, filled) in sorted(self.groups[grouping].items())
                if count
            }
            for grouping in self.by
        }
        return HistoryPoint(
            commit,
            date,
            subject,
            records,
            Share(self.filled, records * size),
            Share(self.verified, records),
            {name: self.findings.get(name, 0) for name in SEVERITIES},
            changed,
            groups,
        )


def history_series(
    config: Config,
    cwd: Path,
    history: str | None = None,
    since: str | None = None,
    every: int = 1,
    today: dt.date | None = None,
    by: Sequence[str] = (),
) -> HistorySeries:
    """The headline figures at each commit (every `every`-th, and always the last), oldest first."""
    if every < 1:
        raise HistoryRangeError("--every: must be 1 or more")
    for name in by:
        if name not in REPORT_GROUPS:
            raise HistoryRangeError(f"--by: {name!r} is not one of {', '.join(REPORT_GROUPS)}")
    by = tuple(dict.fromkeys(by))
    root = repository_root(cwd).resolve()
    commits = _commits(history, since, cwd)
    chosen = [item for index, item in enumerate(commits) if index % every == 0 or index == len(commits) - 1]
    scopes: list[str] = []
    for folder in config.records:
        try:
            scopes.append(Path(os.path.abspath(folder)).resolve().relative_to(root).as_posix())
        except ValueError:
            raise HistoryRangeError(f"{folder}: the records folder is outside the git repository at {root}") from None
    try:
        config_root = config.root.resolve().relative_to(root)
    except ValueError:
        raise HistoryRangeError(f"{config.root}: the project is outside the git repository at {root}") from None
    try:
        inside = Path(os.path.abspath(cwd)).resolve().relative_to(root)
    except ValueError:
        inside = config_root
    steps = tree_changes([(older[0], newer[0]) for older, newer in itertools.pairwise(chosen)], root, scopes)
    points: list[HistoryPoint] = []
    with tempfile.TemporaryDirectory(prefix="ccus-records-history-") as temporary, git.BlobReader(root) as blobs:
        mirror = Path(temporary)
        # The corpus of each lint run is the files handed to it, nothing walked.
        settings = dataclasses.replace(config.settings, records=())
        mirrored = dataclasses.replace(config, settings=settings, root=mirror / config_root)
        walk = _Walk(mirrored, mirror / inside, mirror, scopes, by, blobs)
        for number, (commit, date, subject) in enumerate(chosen):
            if number == 0:
                written = {entry.path: entry.blob for entry in tree_entries(commit, root, scopes)}
                removed: list[str] = []
            else:
                written = {change.path: change.blob for change in steps[commit] if change.blob is not None}
                removed = [change.path for change in steps[commit] if change.blob is None]
            links: set[str] = set()
            for path in [*removed, *written]:
                if path in walk.files:
                    links |= _links(walk.files[path].summary)
            for path in removed:
                walk.remove(path)
            day = today or dt.date.fromisoformat(date[:10])
            wanted = {**walk.stale(day), **written}
            for path, item in walk.check(wanted, day).items():
                walk.put(path, item)
                if path in written:
                    links |= _links(item.summary)
            plan = walk.plan(day)
            # A changed record no longer linked to any other has no cross-record findings left: counted too.
            walk.recount_cross(walk.files if number == 0 else walk.linked(links) | written.keys(), plan)
            points.append(walk.point(commit, date, subject, len(written) + len(removed)))
    return HistorySeries(tuple(points), history or (f"since {since}" if since else "HEAD"), by, today)
