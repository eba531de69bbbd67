"""The audit coverage report: how far the corpus is from audit-ready, as typed data.

Renderers (render/report_*.py) only lay these figures out; the JSON renderer writes every one of them, so a
figure in the text, Markdown or HTML report can always be found in the JSON report of the same run.

A field is *filled* when it holds something: a string with a non-space character, a non-empty list, or a
number. A missing field, or one holding a value of the wrong type, is not filled. Overall coverage is the
filled share of the (record, field) cells over the coverage fields — every record counts each coverage
field once — so it is also the mean of the coverage fields' completeness.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any, NamedTuple

from ccus_records.engine.config import REPORT_GROUPS, Config
from ccus_records.engine.findings import Finding
from ccus_records.errors import CcusRecordsError
from ccus_records.recordfile.reader import RecordFile
from ccus_records.rules.patterns import MAX_SUBJECT
from ccus_records.schema.dates import date_or_none
from ccus_records.schema.fields import FieldKind, get_path, record_fields
from ccus_records.schema.vocabulary import ANALYSIS_DIMENSIONS

FORMAT_NAME = "ccus-records-report"
FORMAT_VERSION = 1
NONE_VALUE = "(none)"  # the group of records whose grouping field is blank
AUDIT_BUCKETS: tuple[str, ...] = ("under-90", "90-365", "over-365", "never", "future")
AUDIT_BUCKET_LABELS: dict[str, str] = {
    "under-90": "under 90 days",
    "90-365": "90–365 days",
    "over-365": "over a year",
    "never": "never audited",
    "future": "dated in the future",
}
DEFAULT_BY: tuple[str, ...] = ("country", "category")
TOP_RECORDS = 10
# A phase name, the files done and the files in the phase.
Progress = Callable[[str, int, int], None]


class ReportError(CcusRecordsError):
    """The report cannot be made as asked: a bad baseline file or option (exit 2)."""


@dataclass(frozen=True, slots=True)
class Share:
    """`filled` of `total`; the percentage is rounded to one decimal, and None when there is nothing to count."""

    filled: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.filled / self.total, 1) if self.total else None

    def below(self, threshold: float) -> bool:
        # Compared on the exact ratio, not the rounded percentage: 79.96% is below 80.
        return self.total > 0 and self.filled * 100 < threshold * self.total

    def to_json(self) -> dict[str, Any]:
        return {"filled": self.filled, "total": self.total, "percent": self.percent}


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One record as the report sees it."""

    index: int  # position in the report's record list: a stable anchor even when ids repeat
    id: str  # the record's id, or its path when it has none
    path: str
    title: str
    groups: dict[str, str]  # grouping field -> value (NONE_VALUE when blank)
    author: str
    reviewer: str
    last_audit: str
    audit_age_days: int | None
    audit_bucket: str
    human_verified: bool
    missing: tuple[str, ...]  # every field that is not filled, in model order
    coverage: Share  # over the coverage fields
    findings: int

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "groups": dict(self.groups),
            "author": self.author,
            "reviewer": self.reviewer,
            "lastAuditDate": self.last_audit,
            "auditAgeDays": self.audit_age_days,
            "auditBucket": self.audit_bucket,
            "humanVerified": self.human_verified,
            "missing": list(self.missing),
            "coverage": self.coverage.to_json(),
            "findings": self.findings,
        }


@dataclass(frozen=True)
class GroupStats:
    """The records sharing one value of a grouping field: their coverage and each field's completeness."""

    records: int
    coverage: Share
    fields: dict[str, Share]


@dataclass(frozen=True)
class DimensionEvidence:
    citation: Share
    evidence: Share
    both: Share
    contradictions: int  # A007: labelled absent, scored above the ceiling


@dataclass(frozen=True)
class RuleCount:
    code: str
    name: str
    severity: str
    findings: int
    records: int


@dataclass(frozen=True)
class RecordFindings:
    id: str
    path: str
    index: int | None  # the record's row, None for a file whose front matter did not parse
    findings: int
    codes: dict[str, int]


@dataclass(frozen=True)
class ThresholdResult:
    key: str  # overall, field:GLOB or GROUP:VALUE
    threshold: float
    share: Share | None  # None: no records (or fields) in the group
    breached: bool


@dataclass(frozen=True)
class GroupChange:
    key: str
    baseline: Share | None
    current: Share | None

    @property
    def status(self) -> str:
        if self.baseline is None or self.baseline.total == 0:
            return "new"
        if self.current is None or self.current.total == 0:
            return "removed"
        before = self.baseline.filled * self.current.total
        after = self.current.filled * self.baseline.total
        return "dropped" if after < before else "rose" if after > before else "same"

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        if self.baseline.percent is None or self.current.percent is None:
            return None
        return round(self.current.percent - self.baseline.percent, 1)


@dataclass(frozen=True)
class Comparison:
    baseline: str  # the file, as given
    baseline_today: str
    changes: tuple[GroupChange, ...]
    notes: tuple[str, ...]

    @property
    def dropped(self) -> tuple[GroupChange, ...]:
        return tuple(change for change in self.changes if change.status == "dropped")


@dataclass(frozen=True)
class Sample:
    size: int  # asked for
    seed: int
    population: int  # verified records
    strata: dict[str, int]  # "country / category" -> records drawn
    records: tuple[int, ...]  # row indices, by stratum then id


@dataclass(frozen=True)
class Report:
    today: dt.date
    files: int
    unparsed: tuple[str, ...]  # paths of files whose front matter did not parse to a mapping
    records: tuple[RecordRow, ...]
    field_kinds: dict[str, FieldKind]
    coverage_fields: tuple[str, ...]
    coverage: Share
    by_status: dict[str, int]
    by_review_status: dict[str, int]
    human_verified: Share
    fields: dict[str, Share]  # every field's completeness over all records
    groups: dict[str, dict[str, GroupStats]]  # grouping field -> value -> stats
    evidence: dict[str, DimensionEvidence]
    audit_total: dict[str, int]
    audit_by_country: dict[str, dict[str, int]]
    audit_by_reviewer: dict[str, dict[str, int]]
    lint_findings: int
    lint_rules: tuple[RuleCount, ...]
    top_records: tuple[RecordFindings, ...]
    by: tuple[str, ...]  # the groupings a reader asked to see
    thresholds: tuple[ThresholdResult, ...] = ()
    comparison: Comparison | None = None
    sample: Sample | None = None

    @property
    def breaches(self) -> tuple[ThresholdResult, ...]:
        return tuple(result for result in self.thresholds if result.breached)

    @property
    def failed(self) -> bool:
        return bool(self.breaches) or bool(self.comparison and self.comparison.dropped)

    def gap_records(self, grouping: str) -> dict[tuple[str, str], list[RecordRow]]:
        """(value, field) -> the records with that value of `grouping` that leave the field empty: the ids
        behind each cell of the grouping's matrix (a cell with none is absent)."""
        gaps: dict[tuple[str, str], list[RecordRow]] = defaultdict(list)
        for row in self.records:
            value = row.groups[grouping]
            for name in row.missing:
                gaps[(value, name)].append(row)
        return dict(gaps)


def is_filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(not isinstance(item, str) or item.strip() for item in value)
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float))


def default_coverage_fields() -> tuple[str, ...]:
    """Every top-level string field of the record, then each analysis dimension's evidence and citation."""
    kinds = record_fields()
    top = [name for name, kind in kinds.items() if "." not in name and kind.kind == "string"]
    analysis = [
        f"analysis.{dimension}.{part}" for dimension in ANALYSIS_DIMENSIONS for part in ("evidence", "citation")
    ]
    return (*top, *analysis)


def expand_fields(patterns: Iterable[str]) -> tuple[str, ...]:
    """The record fields the patterns (names or globs) name, in model order, each once."""
    chosen = list(patterns)
    return tuple(name for name in record_fields() if any(fnmatch.fnmatchcase(name, p) for p in chosen))


def coverage_fields_of(config: Config) -> tuple[str, ...]:
    configured = config.settings.coverage_fields
    return expand_fields(configured) if configured is not None else default_coverage_fields()


def _missing(data: Mapping[str, Any], paths: Sequence[tuple[str, tuple[str, ...]]]) -> tuple[str, ...]:
    """The fields (given with their parts) that are not filled: the one loop run per field per record."""
    gaps = []
    for name, parts in paths:
        current: Any = data
        for part in parts:
            current = current.get(part) if isinstance(current, dict) else None
        if not is_filled(current):
            gaps.append(name)
    return tuple(gaps)


def _text(data: Mapping[str, Any], dotted: str) -> str:
    value = get_path(data, dotted)
    return value.strip() if isinstance(value, str) else ""


def _audit(text: str, today: dt.date) -> tuple[int | None, str]:
    """The audit's age in days and its bucket; a blank or unreadable date counts as never audited."""
    audited = date_or_none(text)
    if audited is None:
        return None, "never"
    age = (today - audited).days
    if age < 0:
        return age, "future"
    return age, "under-90" if age < 90 else "90-365" if age <= 365 else "over-365"


def is_human_verified(data: Mapping[str, Any], machine_author: Callable[[str], bool]) -> bool:
    """Verified, by a named reviewer who is not the author (so no machine author goes unreviewed)."""
    from ccus_records.rules.audit import same_person

    reviewer = _text(data, "provenance.reviewer")
    author = _text(data, "provenance.author")
    if _text(data, "reviewStatus") != "verified" or not reviewer or same_person(reviewer, author):
        return False
    # A named reviewer already answers A003; a machine reviewer does not.
    return not machine_author(reviewer)


def _counts(values: Iterable[str], order: Sequence[str] = ()) -> dict[str, int]:
    counted = Counter(values)
    known = {name: counted[name] for name in order}
    rest = {name: counted[name] for name in sorted(counted) if name not in known}
    return {**known, **rest}


class _Facts(NamedTuple):
    """What the report keeps of one record file, made where lint reads it (in a worker on a large corpus)."""

    display: str
    row: RecordRow  # index and findings filled in later
    parsed: bool  # False: the file holds no readable record, and counts as a record with nothing filled
    contradictions: tuple[str, ...]  # the analysis dimensions with an A007 finding


def _fact_maker(config: Config, today: dt.date, coverage: tuple[str, ...]) -> Callable[[RecordFile], _Facts]:
    """What the report makes of each record file as lint reads it: the file is read once for both."""
    from ccus_records.engine.lint import rule_options
    from ccus_records.rules.audit import AbsenceLabelScore
    from ccus_records.rules.base import RecordContext

    options = rule_options(config, today)
    paths = [(name, tuple(name.split("."))) for name in record_fields()]
    coverage_set = frozenset(coverage)
    # A007 counted by the rule itself, whatever the run's selection.
    contradiction = AbsenceLabelScore()

    def facts(file: RecordFile) -> _Facts:
        # A file that cannot be read is a record with nothing filled: dropping it would raise coverage.
        data = file.data if file.data is not None else {}
        missing = _missing(data, paths)
        missing_covered = sum(1 for name in missing if name in coverage_set)
        age, bucket = _audit(_text(data, "provenance.lastAuditDate"), today)
        record_id = file.record_id.strip() if file.data and file.record_id and file.record_id.strip() else file.display
        row = RecordRow(
            index=0,
            id=record_id,
            path=file.display,
            title=_text(data, "title"),
            # Interned: a few countries, statuses, authors and dates recur across a corpus of records.
            groups={name: intern(_text(data, name) or NONE_VALUE) for name in REPORT_GROUPS},
            author=intern(_text(data, "provenance.author")),
            reviewer=intern(_text(data, "provenance.reviewer")),
            last_audit=intern(_text(data, "provenance.lastAuditDate")),
            audit_age_days=age,
            audit_bucket=bucket,
            human_verified=is_human_verified(
                data, lambda name: bool(options.machine_authors.search(name[:MAX_SUBJECT]))
            ),
            missing=missing,
            coverage=Share(len(coverage) - missing_covered, len(coverage)),
            findings=0,
        )
        dimensions = tuple(
            (violation.field or "").split(".")[1] if violation.field else ""
            for violation in (contradiction.check(RecordContext(file, options)) if file.data is not None else ())
        )
        return _Facts(file.display, row, file.data is not None, dimensions)

    return facts


# What the report makes of one record file, for `report --history`, which counts the corpus from these
# commit by commit (features/report_history.py).
RecordFacts = _Facts
fact_maker = _fact_maker


def _share_of_fields(rows: Sequence[RecordRow], names: Sequence[str]) -> Share:
    wanted = frozenset(names)
    gaps = sum(1 for row in rows for name in row.missing if name in wanted)
    total = len(rows) * len(names)
    return Share(total - gaps, total)


def _field_shares(rows: Sequence[RecordRow], names: Iterable[str]) -> dict[str, Share]:
    gaps: Counter[str] = Counter(name for row in rows for name in row.missing)
    return {name: Share(len(rows) - gaps[name], len(rows)) for name in names}


def _audit_table(rows: Iterable[RecordRow], key: Callable[[RecordRow], str]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        table[key(row)][row.audit_bucket] += 1
    return {name: {bucket: table[name][bucket] for bucket in AUDIT_BUCKETS} for name in sorted(table)}


@dataclass
class _LintCounts:
    """What the report keeps of lint's findings: counts, not the findings themselves (a corpus of them)."""

    # code -> [name, severity, findings]
    per_rule: dict[str, list[Any]] = field(default_factory=dict)
    # path -> the code of each of its findings
    per_path: dict[str, list[str]] = field(default_factory=dict)
    record_of: dict[str, str | None] = field(default_factory=dict)

    def add(self, findings: Iterable[Finding]) -> None:
        """Count findings as lint hands them over (a file's at a time, in any order of files)."""
        for finding in findings:
            entry = self.per_rule.setdefault(finding.code, [finding.name, finding.severity, 0])
            entry[2] += 1
            self.per_path.setdefault(finding.path, []).append(finding.code)
            self.record_of.setdefault(finding.path, finding.record)

    def records_per_rule(self) -> Counter[str]:
        """How many records each rule has findings on."""
        return Counter(code for codes in self.per_path.values() for code in set(codes))


def _lint_summary(
    counts: _LintCounts, rows: Sequence[RecordRow]
) -> tuple[tuple[RuleCount, ...], tuple[RecordFindings, ...]]:
    records = counts.records_per_rule()
    rules = tuple(
        RuleCount(code, name, severity, count, records[code])
        for code, (name, severity, count) in sorted(counts.per_rule.items())
    )
    row_of = {row.path: row for row in rows}
    totals = {path: len(codes) for path, codes in counts.per_path.items()}
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:TOP_RECORDS]
    top = []
    for path, total in ranked:
        row = row_of.get(path)
        top.append(
            RecordFindings(
                id=row.id if row else (counts.record_of.get(path) or path),
                path=path,
                index=row.index if row else None,
                findings=total,
                codes=dict(sorted(Counter(counts.per_path[path]).items())),
            )
        )
    return rules, tuple(top)


def build_report(
    config: Config,
    paths: Sequence[Path],
    today: dt.date,
    cwd: Path,
    by: Sequence[str] = DEFAULT_BY,
    progress: Progress | None = None,
    changed_since: str | None = None,
) -> Report:
    """Run lint over the corpus and count everything the report shows, reading each record file once."""
    import dataclasses

    from ccus_records.engine.lint import lint

    for name in by:
        if name not in REPORT_GROUPS:
            raise ReportError(f"--by: {name!r} is not one of {', '.join(REPORT_GROUPS)}")
    coverage = coverage_fields_of(config)
    lint_counts = _LintCounts()
    # Only the counts are reported: lint hands its findings over file by file, and none are kept.
    run = lint(
        config,
        paths,
        today,
        cwd,
        consume=lint_counts.add,
        collect=_fact_maker(config, today, coverage),
        use_cache=True,
        progress=(lambda done, total: progress("checking records", done, total)) if progress is not None else None,
        changed_since=changed_since,
    )
    findings_by_path = {path: len(codes) for path, codes in lint_counts.per_path.items()}
    rows: list[RecordRow] = []
    unparsed: list[str] = []
    contradictions: Counter[str] = Counter()
    for facts in run.result.collected.values():
        if not facts.parsed:
            unparsed.append(facts.display)
        rows.append(dataclasses.replace(facts.row, index=len(rows), findings=findings_by_path.get(facts.display, 0)))
        contradictions.update(facts.contradictions)
    kinds = record_fields()

    groups: dict[str, dict[str, GroupStats]] = {}
    for grouping in REPORT_GROUPS:
        members: dict[str, list[RecordRow]] = defaultdict(list)
        for row in rows:
            members[row.groups[grouping]].append(row)
        groups[grouping] = {
            value: GroupStats(len(group), _share_of_fields(group, coverage), _field_shares(group, kinds))
            for value, group in sorted(members.items())
        }

    fields = _field_shares(rows, kinds)
    evidence = {}
    for dimension in ANALYSIS_DIMENSIONS:
        citation, proof = f"analysis.{dimension}.citation", f"analysis.{dimension}.evidence"
        both = sum(1 for row in rows if citation not in row.missing and proof not in row.missing)
        evidence[dimension] = DimensionEvidence(
            fields[citation], fields[proof], Share(both, len(rows)), contradictions[dimension]
        )

    from ccus_records.schema.vocabulary import REVIEW_STATUSES, STATUSES

    rules, top = _lint_summary(lint_counts, rows)
    return Report(
        today=today,
        files=len(run.result.collected),
        unparsed=tuple(unparsed),
        records=tuple(rows),
        field_kinds=dict(kinds),
        coverage_fields=coverage,
        coverage=_share_of_fields(rows, coverage),
        by_status=_counts((row.groups["status"] for row in rows), STATUSES),
        by_review_status=_counts((row.groups["reviewStatus"] for row in rows), REVIEW_STATUSES),
        human_verified=Share(sum(row.human_verified for row in rows), len(rows)),
        fields=fields,
        groups=groups,
        evidence=evidence,
        audit_total={bucket: sum(row.audit_bucket == bucket for row in rows) for bucket in AUDIT_BUCKETS},
        audit_by_country=_audit_table(rows, lambda row: row.groups["country"]),
        audit_by_reviewer=_audit_table(rows, lambda row: row.reviewer or NONE_VALUE),
        lint_findings=sum(entry[2] for entry in lint_counts.per_rule.values()),
        lint_rules=rules,
        top_records=top,
        by=tuple(dict.fromkeys(by)),
    )


# Thresholds and the comparison with a baseline read groups by key: `overall`, `field:NAME`, `GROUP:VALUE`.


def group_share(report: Report, key: str) -> Share | None:
    """The coverage of one group of the report, or None when it has no records."""
    if key == "overall":
        return report.coverage if report.coverage.total else None
    kind, _, rest = key.partition(":")
    if kind == "field":
        names = expand_fields([rest])
        share = _share_of_fields(report.records, names)
        return share if share.total else None
    stats = report.groups.get(kind, {}).get(rest)
    return stats.coverage if stats is not None and stats.records else None


def check_thresholds(report: Report, thresholds: Mapping[str, float]) -> Report:
    """The report with each threshold judged: a group below its threshold is a breach."""
    from dataclasses import replace

    results = []
    for key in sorted(thresholds, key=lambda name: (name != "overall", name)):
        share = group_share(report, key)
        results.append(ThresholdResult(key, thresholds[key], share, share is not None and share.below(thresholds[key])))
    return replace(report, thresholds=tuple(results))


def comparable_groups(report: Report) -> dict[str, Share]:
    """Every group whose coverage the JSON report records and `--compare` guards."""
    shares = {"overall": report.coverage}
    for name in report.coverage_fields:
        shares[f"field:{name}"] = report.fields[name]
    for grouping, values in report.groups.items():
        for value, stats in values.items():
            shares[f"{grouping}:{value}"] = stats.coverage
    return shares


def _share_from(item: Any, where: str) -> Share:
    if (
        not isinstance(item, dict)
        or not all(
            isinstance(item.get(key), int) and not isinstance(item.get(key), bool) for key in ("filled", "total")
        )
        or not 0 <= item["filled"] <= item["total"]
    ):
        raise ReportError(f"{where}: not a coverage figure {{filled, total}}")
    return Share(item["filled"], item["total"])


def read_baseline(path: Path, shown: str) -> tuple[dict[str, Share], dict[str, Any]]:
    """The group coverages of an earlier JSON report; a file that is not one is a `ReportError`."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportError(f"--compare: {shown}: cannot be read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportError(f"--compare: {shown}: not a JSON report: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ReportError(f"--compare: {shown}: not a ccus-records JSON report (run `report --format json`)")
    if document.get("version") != FORMAT_VERSION:
        raise ReportError(
            f"--compare: {shown}: report format version {document.get('version')!r}, expected {FORMAT_VERSION}"
        )
    groups = document.get("groupCoverage")
    if not isinstance(groups, dict):
        raise ReportError(f"--compare: {shown}: has no groupCoverage")
    return {str(key): _share_from(value, f"--compare: {shown}: {key}") for key, value in groups.items()}, document


def compare_with(report: Report, path: Path, shown: str) -> Report:
    """The report with its change against a baseline JSON report: a group whose coverage fell has dropped."""
    from dataclasses import replace

    baseline, document = read_baseline(path, shown)
    current = comparable_groups(report)
    keys = sorted(set(baseline) | set(current), key=lambda name: (name != "overall", name))
    changes = tuple(GroupChange(key, baseline.get(key), current.get(key)) for key in keys)
    notes = []
    coverage = document.get("coverage", {})
    if isinstance(coverage, dict) and coverage.get("fields") != list(report.coverage_fields):
        notes.append("the baseline was made with other coverage fields; overall figures are not like for like")
    baseline_today = document.get("today")
    return replace(
        report,
        comparison=Comparison(shown, baseline_today if isinstance(baseline_today, str) else "", changes, tuple(notes)),
    )


def draw_sample(report: Report, size: int, seed: int) -> Report:
    """A reproducible sample of verified records, stratified by country and category.

    Each stratum gets its proportional share of `size` (largest remainders first, ties broken by the seed);
    inside a stratum the records are drawn by a generator seeded with the seed and the stratum, so the
    draw in one stratum does not change when records are added to another.
    """
    from dataclasses import replace

    if size < 1:
        raise ReportError("--sample: the sample size must be at least 1")
    verified = [row for row in report.records if row.groups["reviewStatus"] == "verified"]
    strata: dict[tuple[str, str], list[RecordRow]] = defaultdict(list)
    for row in verified:
        strata[(row.groups["country"], row.groups["category"])].append(row)
    keys = sorted(strata)
    take = min(size, len(verified))
    quotas = {key: take * len(strata[key]) // len(verified) for key in keys} if verified else {}
    tie = random.Random(f"{seed}:ties")
    tiebreak = {key: tie.random() for key in keys}
    remainders = sorted(keys, key=lambda key: (-(take * len(strata[key]) % len(verified)), tiebreak[key]))
    for key in remainders[: take - sum(quotas.values())]:
        quotas[key] += 1
    chosen: list[int] = []
    drawn: dict[str, int] = {}
    for key in keys:
        if not quotas[key]:
            continue
        members = sorted(strata[key], key=lambda row: (row.id, row.path))
        picked = random.Random(f"{seed}:{key[0]}:{key[1]}").sample(members, quotas[key])
        chosen.extend(row.index for row in sorted(picked, key=lambda row: (row.id, row.path)))
        drawn[f"{key[0]} / {key[1]}"] = quotas[key]
    sample = Sample(size, seed, len(verified), drawn, tuple(chosen))
    return replace(report, sample=sample)
