"""The coverage report laid out as sections of sentences and tables of plain strings.

The text and Markdown renderers print these; each escapes the strings for its own medium (record text is
data). Figures are formatted here only, from the typed report, so that every format shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ccus_records.features.report import AUDIT_BUCKET_LABELS, AUDIT_BUCKETS, Report, Share

GROUP_TITLES = {
    "country": "country",
    "category": "category",
    "legalWeight": "legal weight",
    "status": "status",
    "reviewStatus": "review status",
}


@dataclass
class Table:
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    title: str = ""


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def pct(share: Share | None) -> str:
    """A share as `74.9%`, or `–` when there was nothing to count."""
    if share is None or share.percent is None:
        return "–"
    return f"{share.percent:.1f}%"


def plural(count: int, word: str) -> str:
    """`1 record`, `2 records`; words ending in a hissing sound take -es (`2 breaches`)."""
    if count == 1:
        return f"{count:,} {word}"
    return f"{count:,} {word}{'es' if word.endswith(('ch', 'sh', 's', 'x', 'z')) else 's'}"


def threshold_text(value: float) -> str:
    return f"{value:g}%"


def summary_lines(report: Report) -> list[str]:
    records = len(report.records)
    lines = [
        f"As of {report.today.isoformat()}: {plural(records, 'record')} in {plural(report.files, 'file')}"
        + (f" ({len(report.unparsed):,} could not be read as records)." if report.unparsed else "."),
        f"Overall coverage: {pct(report.coverage)} ({report.coverage.filled:,} of {report.coverage.total:,} "
        f"cells: {plural(records, 'record')} × {plural(len(report.coverage_fields), 'coverage field')}).",
        f"Human-verified: {pct(report.human_verified)} ({report.human_verified.filled:,} of "
        f"{plural(report.human_verified.total, 'record')}).",
        f"Lint findings: {report.lint_findings:,}.",
    ]
    if report.thresholds:
        breaches = len(report.breaches)
        lines.append(
            f"Thresholds: {plural(breaches, 'breach') if breaches else 'all met'} "
            f"({plural(len(report.thresholds), 'threshold')})."
        )
    if report.comparison is not None:
        dropped = len(report.comparison.dropped)
        lines.append(
            f"Against {report.comparison.baseline}: "
            + (f"coverage dropped in {plural(dropped, 'group')}." if dropped else "no group's coverage dropped.")
        )
    return lines


def summary_section(report: Report) -> Section:
    section = Section("Summary", summary_lines(report))
    section.tables.append(
        Table(("status", "records"), [(name, f"{count:,}") for name, count in report.by_status.items()], frozenset({1}))
    )
    section.tables.append(
        Table(
            ("reviewStatus", "records"),
            [(name, f"{count:,}") for name, count in report.by_review_status.items()],
            frozenset({1}),
        )
    )
    if report.unparsed:
        section.tables.append(Table(("files that could not be read as records",), [(p,) for p in report.unparsed]))
    return section


def threshold_section(report: Report) -> Section | None:
    if not report.thresholds:
        return None
    rows = []
    for item in report.thresholds:
        result = "no records" if item.share is None else "BREACH" if item.breached else "ok"
        rows.append((item.key, threshold_text(item.threshold), pct(item.share), result))
    lines = [
        f"{item.key}: coverage {pct(item.share)} is below the threshold {threshold_text(item.threshold)}"
        for item in report.breaches
    ]
    return Section("Thresholds", lines, [Table(("group", "threshold", "coverage", "result"), rows, frozenset({1, 2}))])


def comparison_section(report: Report) -> Section | None:
    comparison = report.comparison
    if comparison is None:
        return None
    changed = [change for change in comparison.changes if change.status != "same"]
    lines = [
        f"Baseline: {comparison.baseline}"
        + (f" (as of {comparison.baseline_today})." if comparison.baseline_today else ".")
    ]
    lines.extend(f"Note: {note}." for note in comparison.notes)
    lines.extend(
        f"{change.key}: coverage dropped from {pct(change.baseline)} to {pct(change.current)}"
        for change in comparison.dropped
    )
    if not changed:
        lines.append("No group's coverage changed.")
    rows = [
        (
            change.key,
            pct(change.baseline),
            pct(change.current),
            "–" if change.delta is None else f"{change.delta:+.1f}",
            change.status,
        )
        for change in changed
    ]
    tables = [Table(("group", "baseline", "current", "change", "status"), rows, frozenset({1, 2, 3}))] if rows else []
    return Section("Change against the baseline", lines, tables)


def field_section(report: Report) -> Section:
    rows = [
        (
            name,
            report.field_kinds[name].kind,
            "yes" if name in report.coverage_fields else "",
            f"{share.filled:,}",
            f"{share.total:,}",
            pct(share),
        )
        for name, share in report.fields.items()
    ]
    lines = ["The share of records in which each field is filled; coverage fields count towards overall coverage."]
    return Section(
        "Completeness per field",
        lines,
        [Table(("field", "kind", "coverage", "filled", "records", "share"), rows, frozenset({3, 4, 5}))],
    )


def matrix_table(report: Report, grouping: str) -> Table:
    values = report.groups[grouping]
    headers = ("field", *values)
    rows = [
        ("records", *(f"{stats.records:,}" for stats in values.values())),
        ("coverage", *(pct(stats.coverage) for stats in values.values())),
    ]
    for name in report.fields:
        rows.append((name, *(pct(stats.fields[name]) for stats in values.values())))
    return Table(headers, rows, frozenset(range(1, len(headers))))


def gaps_table(report: Report, grouping: str) -> Table:
    rows = []
    gaps = report.gap_records(grouping)
    for name in report.fields:
        for value in report.groups[grouping]:
            missing = gaps.get((value, name))
            if missing:
                rows.append((name, value, f"{len(missing):,}", ", ".join(row.id for row in missing)))
    return Table(("field", GROUP_TITLES[grouping], "missing", "records"), rows, frozenset({2}))


def matrix_sections(report: Report, show_missing: bool) -> list[Section]:
    sections = []
    for grouping in report.by:
        title = GROUP_TITLES[grouping]
        section = Section(
            f"Completeness: field × {title}",
            [f"Each cell: the share of the {title}'s records in which the field is filled."],
            [matrix_table(report, grouping)],
        )
        if show_missing:
            gaps = gaps_table(report, grouping)
            gaps.title = f"Records behind each gap (field × {title})"
            section.tables.append(gaps)
        sections.append(section)
    return sections


def evidence_section(report: Report) -> Section:
    rows = [
        (name, pct(item.citation), pct(item.evidence), pct(item.both), f"{item.contradictions:,}")
        for name, item in report.evidence.items()
    ]
    total = sum(item.contradictions for item in report.evidence.values())
    lines = [
        "Citation and evidence coverage per analysis dimension; contradictions are A007 "
        f"(labelled absent, scored above the ceiling): {total:,} in all."
    ]
    return Section(
        "Evidence and citations",
        lines,
        [Table(("dimension", "citation", "evidence", "both", "contradictions"), rows, frozenset({1, 2, 3, 4}))],
    )


def _audit_rows(table: dict[str, dict[str, int]]) -> list[tuple[str, ...]]:
    return [
        (name, *(f"{counts[bucket]:,}" for bucket in AUDIT_BUCKETS), f"{sum(counts.values()):,}")
        for name, counts in table.items()
    ]


def audit_section(report: Report) -> Section:
    labels = tuple(AUDIT_BUCKET_LABELS[bucket] for bucket in AUDIT_BUCKETS)
    numeric = frozenset(range(1, len(AUDIT_BUCKETS) + 2))
    total = Table(("", *labels, "records"), _audit_rows({"all records": report.audit_total}), numeric)
    by_country = Table(("country", *labels, "records"), _audit_rows(report.audit_by_country), numeric, "By country")
    by_reviewer = Table(("reviewer", *labels, "records"), _audit_rows(report.audit_by_reviewer), numeric, "By reviewer")
    lines = [f"The age of each record's last audit on {report.today.isoformat()}."]
    return Section("Audit age", lines, [total, by_country, by_reviewer])


def lint_section(report: Report) -> Section:
    rules = Table(
        ("code", "rule", "severity", "findings", "records"),
        [(r.code, r.name, r.severity, f"{r.findings:,}", f"{r.records:,}") for r in report.lint_rules],
        frozenset({3, 4}),
        "Findings per rule",
    )
    top = Table(
        ("record", "path", "findings", "codes"),
        [
            (item.id, item.path, f"{item.findings:,}", ", ".join(f"{code}×{n}" for code, n in item.codes.items()))
            for item in report.top_records
        ],
        frozenset({2}),
        "Records with the most findings",
    )
    lines = [f"{plural(report.lint_findings, 'finding')} from ccus-records lint with the configured rules."]
    return Section("Lint findings", lines, [rules, top] if report.lint_findings else [])


def sample_section(report: Report) -> Section | None:
    sample = report.sample
    if sample is None:
        return None
    lines = [
        f"{len(sample.records):,} of {plural(sample.population, 'verified record')} drawn "
        f"(asked for {sample.size:,}, seed {sample.seed}), stratified by country and category."
    ]
    rows = []
    for index in sample.records:
        row = report.records[index]
        rows.append((row.id, row.groups["country"], row.groups["category"], row.reviewer, row.path))
    tables = [Table(("record", "country", "category", "reviewer", "path"), rows)] if rows else []
    return Section("Sample for blind re-review", lines, tables)


def report_sections(report: Report, show_missing: bool = False) -> list[Section]:
    sections: list[Section | None] = [
        summary_section(report),
        threshold_section(report),
        comparison_section(report),
        field_section(report),
        *matrix_sections(report, show_missing),
        evidence_section(report),
        audit_section(report),
        lint_section(report),
        sample_section(report),
    ]
    return [section for section in sections if section is not None]
