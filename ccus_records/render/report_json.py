"""The coverage report as one JSON document: every figure of the report, keys sorted, format versioned.

`--compare` reads `groupCoverage` of an earlier document; the other renderers show figures from the same
typed report this document is written from, so each of their figures is in here too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ccus_records.features.report import (
    AUDIT_BUCKET_LABELS,
    AUDIT_BUCKETS,
    FORMAT_NAME,
    FORMAT_VERSION,
    Report,
    Share,
    comparable_groups,
)
from ccus_records.render.encode import json_safe
from ccus_records.render.registry import RenderOptions


def _share(share: Share | None) -> dict[str, Any] | None:
    return share.to_json() if share is not None else None


def report_document(report: Report, include_records: bool = True) -> dict[str, Any]:
    comparison = report.comparison
    sample = report.sample
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "today": report.today.isoformat(),
        "by": list(report.by),
        "corpus": {"files": report.files, "records": len(report.records), "unparsed": list(report.unparsed)},
        "coverage": {"fields": list(report.coverage_fields), **report.coverage.to_json()},
        "groupCoverage": {key: share.to_json() for key, share in comparable_groups(report).items()},
        "totals": {
            "records": len(report.records),
            "status": dict(report.by_status),
            "reviewStatus": dict(report.by_review_status),
            "humanVerified": report.human_verified.to_json(),
        },
        "fields": {
            name: {
                "kind": report.field_kinds[name].kind,
                "coverage": name in report.coverage_fields,
                **share.to_json(),
            }
            for name, share in report.fields.items()
        },
        "matrix": {
            grouping: {
                value: {
                    "records": stats.records,
                    "coverage": stats.coverage.to_json(),
                    "fields": {name: share.to_json() for name, share in stats.fields.items()},
                }
                for value, stats in values.items()
            }
            for grouping, values in report.groups.items()
        },
        "evidence": {
            dimension: {
                "citation": item.citation.to_json(),
                "evidence": item.evidence.to_json(),
                "both": item.both.to_json(),
                "contradictions": item.contradictions,
            }
            for dimension, item in report.evidence.items()
        },
        "auditAge": {
            "buckets": list(AUDIT_BUCKETS),
            "labels": dict(AUDIT_BUCKET_LABELS),
            "total": dict(report.audit_total),
            "byCountry": report.audit_by_country,
            "byReviewer": report.audit_by_reviewer,
        },
        "lint": {
            "findings": report.lint_findings,
            "rules": [
                {
                    "code": rule.code,
                    "name": rule.name,
                    "severity": rule.severity,
                    "findings": rule.findings,
                    "records": rule.records,
                }
                for rule in report.lint_rules
            ],
            "topRecords": [
                {"id": item.id, "path": item.path, "index": item.index, "findings": item.findings, "codes": item.codes}
                for item in report.top_records
            ],
        },
        "thresholds": [
            {"key": item.key, "threshold": item.threshold, "coverage": _share(item.share), "breached": item.breached}
            for item in report.thresholds
        ],
        "comparison": None
        if comparison is None
        else {
            "baseline": comparison.baseline,
            "baselineToday": comparison.baseline_today,
            "notes": list(comparison.notes),
            "dropped": [change.key for change in comparison.dropped],
            "changes": [
                {
                    "key": change.key,
                    "baseline": _share(change.baseline),
                    "current": _share(change.current),
                    "delta": change.delta,
                    "status": change.status,
                }
                for change in comparison.changes
            ],
        },
        "sample": None
        if sample is None
        else {
            "size": sample.size,
            "seed": sample.seed,
            "population": sample.population,
            "strata": dict(sample.strata),
            "records": [
                {
                    "index": index,
                    "id": report.records[index].id,
                    "path": report.records[index].path,
                    "country": report.records[index].groups["country"],
                    "category": report.records[index].groups["category"],
                    "reviewer": report.records[index].reviewer,
                }
                for index in sample.records
            ],
        },
        "failed": report.failed,
        "records": [row.to_json() for row in report.records] if include_records else [],
    }


_RECORDS_PLACE = "\x00records\x00"


def json_chunks(report: Report) -> Iterator[str]:
    """The document of `report_document`, written in pieces: one record a line.

    The record list is by far the largest part (a row a record); each row is encoded on its own by the
    C encoder, so a report of 100,000 records is never held in memory as one indented object tree.
    """
    document = report_document(report, include_records=False)
    document["records"] = _RECORDS_PLACE
    head, tail = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True).split(json.dumps(_RECORDS_PLACE))
    yield json_safe(head)
    if not report.records:
        yield "[]"
    else:
        batch: list[str] = []
        separator = "[\n    "
        for row in report.records:
            batch.append(separator + json.dumps(row.to_json(), ensure_ascii=False, sort_keys=True))
            separator = ",\n    "
            if len(batch) >= 1000:
                yield json_safe("".join(batch))
                batch = []
        batch.append("\n  ]")
        yield json_safe("".join(batch))
    yield json_safe(tail) + "\n"


def render_json(report: Report) -> str:
    return "".join(json_chunks(report))


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    return json_chunks(report)
