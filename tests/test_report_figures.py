"""`report` figures against a four-record corpus whose every number is worked out in tests/report_corpus.py
from the schema's coverage fields (so none is a number the schema decides)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ccus_records.schema.fields import record_fields
from ccus_records.schema.vocabulary import ANALYSIS_DIMENSIONS
from tests.helpers import TODAY, clean_record, write_record
from tests.report_corpus import (
    CHINA,
    COVERAGE,
    FISCAL,
    RECORDS,
    REGULATORY,
    UNITED_STATES,
    coverage,
    filled,
    share,
    write_corpus,
)

CITATION_FIELDS = [f"analysis.{name}.citation" for name in ANALYSIS_DIMENSIONS]


@pytest.fixture
def corpus(workdir: Path) -> Path:
    write_corpus(workdir)
    return workdir


def report_json(cli, *extra: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = cli("report", ".", "--today", TODAY, "--isolated", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_the_default_coverage_fields_are_the_top_level_strings_then_each_dimensions_evidence_and_citation() -> None:
    kinds = record_fields()
    top = [name for name, kind in kinds.items() if "." not in name and kind.kind == "string"]
    proof = [f"analysis.{name}.{part}" for name in ANALYSIS_DIMENSIONS for part in ("evidence", "citation")]
    assert list(COVERAGE) == [*top, *proof]
    assert set(COVERAGE) <= set(kinds)


def test_totals_and_overall_coverage(cli, corpus: Path) -> None:
    document = report_json(cli)
    assert document["corpus"] == {"files": 4, "records": 4, "unparsed": []}
    assert document["coverage"] == {"fields": list(COVERAGE), **coverage()}
    assert document["totals"]["status"] == {
        "Active": 4,
        "Draft": 0,
        "Proposed": 0,
        "Superseded": 0,
        "Repealed": 0,
        "Expired": 0,
    }
    assert document["totals"]["reviewStatus"] == {"draft": 0, "pending": 1, "verified": 3, "rejected": 0}
    # alpha (B. Reviewer) and delta (C. Checker); gamma is reviewed by its own author, beta is pending.
    assert document["totals"]["humanVerified"] == share(2, 4)
    verified = {row["id"]: row["humanVerified"] for row in document["records"]}
    assert verified == {"us-alpha-2020": True, "us-beta-2020": False, "cn-gamma-2020": False, "cn-delta-2020": True}


def test_machine_author_without_reviewer_is_not_human_verified(cli, workdir: Path) -> None:
    write_record(workdir, clean_record("us-a-2020", **{"provenance.author": "GPT-4o", "provenance.reviewer": ""}))
    write_record(workdir, clean_record("us-b-2020", **{"provenance.author": "GPT-4o"}))
    rows = {row["id"]: row["humanVerified"] for row in report_json(cli)["records"]}
    assert rows == {"us-a-2020": False, "us-b-2020": True}


def test_completeness_per_field(cli, corpus: Path) -> None:
    fields = report_json(cli)["fields"]
    assert {k: fields["interpretation"][k] for k in ("filled", "total", "percent")} == share(1, 4)
    assert fields["source"]["percent"] == 75.0
    assert fields["analysis.mrv.citation"]["filled"] == 2  # beta and delta leave it empty
    assert fields["analysis.mrv.evidence"]["filled"] == 3
    assert fields["analysis.incentive.citation"]["filled"] == 3
    assert fields["title"]["percent"] == 100.0
    assert fields["analysis.mrv.auditNote"]["filled"] == 0  # not a coverage field, but counted
    assert fields["analysis.mrv.auditNote"]["coverage"] is False
    assert fields["analysis.mrv.citation"]["coverage"] is True
    assert fields["sectors"]["kind"] == "string-list" and fields["sectors"]["filled"] == 4


def test_matrix_by_country_and_category(cli, corpus: Path) -> None:
    document = report_json(cli)
    country = document["matrix"]["country"]
    assert set(country) == {"China", "United States"}
    assert country["United States"]["records"] == 2
    assert country["United States"]["coverage"] == coverage(UNITED_STATES)
    assert country["China"]["coverage"] == coverage(CHINA)
    assert country["China"]["fields"]["analysis.mrv.citation"] == share(1, 2)
    assert country["China"]["fields"]["source"] == share(1, 2)
    assert country["United States"]["fields"]["source"] == share(2, 2)
    category = document["matrix"]["category"]
    assert category["Regulatory"]["coverage"] == coverage(REGULATORY)
    assert category["Fiscal"]["coverage"] == coverage(FISCAL)
    assert document["matrix"]["reviewStatus"]["pending"]["coverage"] == coverage(FISCAL)  # beta
    assert document["groupCoverage"]["country:China"] == coverage(CHINA)
    assert document["groupCoverage"]["field:interpretation"] == share(1, 4)


def test_show_missing_names_the_records_behind_a_gap(cli, corpus: Path) -> None:
    result = cli("report", ".", "--today", TODAY, "--isolated", "--show-missing", "--by", "country")
    gaps = [line.split() for line in result.stdout.splitlines() if line.startswith("analysis.mrv.citation  ")]
    # Rows of the gaps table: field, country, count, ids. China's gap is delta, the United States' is beta.
    assert ["analysis.mrv.citation", "China", "1", "cn-delta-2020"] in gaps
    assert ["analysis.mrv.citation", "United", "States", "1", "us-beta-2020"] in gaps
    interpretation = [line for line in result.stdout.splitlines() if line.startswith("interpretation  ")]
    assert any(line.endswith("us-alpha-2020, us-beta-2020") for line in interpretation)
    assert "Records behind each gap" not in cli("report", ".", "--today", TODAY, "--isolated").stdout


def test_by_option_chooses_the_matrices(cli, corpus: Path) -> None:
    result = cli("report", ".", "--today", TODAY, "--isolated", "--by", "legalWeight", "--by", "status")
    assert "== Completeness: field × legal weight ==" in result.stdout
    assert "== Completeness: field × status ==" in result.stdout
    assert "field × country" not in result.stdout
    colour = cli("report", ".", "--by", "colour", "--isolated")
    assert colour.exit_code == 2 and colour.stdout == ""
    assert "ccus-records: error: --by: 'colour' is not one of 'country'" in colour.stderr


def test_evidence_per_dimension_and_contradictions(cli, corpus: Path) -> None:
    evidence = report_json(cli)["evidence"]
    assert evidence["mrv"] == {
        "citation": share(2, 4),
        "evidence": share(3, 4),
        "both": share(2, 4),  # alpha and gamma
        "contradictions": 0,
    }
    assert evidence["incentive"]["citation"] == share(3, 4)
    assert evidence["incentive"]["contradictions"] == 1  # gamma: "Not specified" scored 40
    assert sum(item["contradictions"] for item in evidence.values()) == 1


def test_contradictions_are_counted_even_when_lint_ignores_a007(cli, corpus: Path) -> None:
    (corpus / "ccus-records.toml").write_text('ignore = ["A007"]\n', encoding="utf-8")
    result = cli("report", ".", "--today", TODAY, "--format", "json")
    document = json.loads(result.stdout)
    assert document["evidence"]["incentive"]["contradictions"] == 1
    assert "A007" not in {rule["code"] for rule in document["lint"]["rules"]}


def test_audit_age_buckets(cli, corpus: Path) -> None:
    audit = report_json(cli)["auditAge"]
    # alpha 61 days (under 90), beta 548 days (over a year), gamma never, delta in the future.
    assert audit["total"] == {"under-90": 1, "90-365": 0, "over-365": 1, "never": 1, "future": 1}
    assert audit["byCountry"]["United States"] == {"under-90": 1, "90-365": 0, "over-365": 1, "never": 0, "future": 0}
    assert audit["byCountry"]["China"] == {"under-90": 0, "90-365": 0, "over-365": 0, "never": 1, "future": 1}
    assert audit["byReviewer"]["(none)"]["over-365"] == 1
    assert audit["byReviewer"]["C. Checker"]["future"] == 1
    assert audit["byReviewer"]["a. curator"]["never"] == 1
    ages = {row["id"]: row["auditAgeDays"] for row in report_json(cli)["records"]}
    assert ages == {"us-alpha-2020": 61, "us-beta-2020": 548, "cn-gamma-2020": None, "cn-delta-2020": -31}


@pytest.mark.parametrize(
    ("audited", "bucket"),
    [("2026-09-03", "under-90"), ("2026-09-02", "90-365"), ("2025-12-01", "90-365"), ("2025-11-30", "over-365")],
)
def test_audit_bucket_edges(cli, workdir: Path, audited: str, bucket: str) -> None:
    # 2026-09-03 is 89 days before 2026-12-01; 2025-12-01 is 365 days before; 2025-11-30 is 366.
    write_record(workdir, clean_record(**{"provenance.lastAuditDate": audited, "pubDate": "2020-03-01"}))
    assert report_json(cli)["records"][0]["auditBucket"] == bucket


def test_lint_findings_per_rule_and_top_records(cli, corpus: Path) -> None:
    lint = report_json(cli)["lint"]
    counts = {rule["code"]: (rule["findings"], rule["records"]) for rule in lint["rules"]}
    # delta: A002, A005, a C003 per dimension; gamma: A004, A006, A007, C001; beta: A006, C002, C003.
    dimensions = len(ANALYSIS_DIMENSIONS)
    assert counts == {
        "A002": (1, 1),
        "A004": (1, 1),
        "A005": (1, 1),
        "A006": (2, 2),
        "A007": (1, 1),
        "C001": (1, 1),
        "C002": (1, 1),
        "C003": (dimensions + 1, 2),
    }
    assert lint["findings"] == 9 + dimensions
    top = [(item["id"], item["findings"]) for item in lint["topRecords"]]
    assert top == [("cn-delta-2020", 2 + dimensions), ("cn-gamma-2020", 4), ("us-beta-2020", 3)]
    lint_document = json.loads(cli("lint", ".", "--today", TODAY, "--isolated", "--format", "json").stdout)
    assert len(lint_document["findings"]) == lint["findings"]


def test_configured_coverage_fields(cli, corpus: Path) -> None:
    (corpus / "ccus-records.toml").write_text('coverage-fields = ["analysis.*.citation"]\n', encoding="utf-8")
    document = json.loads(cli("report", ".", "--today", TODAY, "--format", "json").stdout)
    assert document["coverage"] == {"fields": CITATION_FIELDS, **coverage(fields=CITATION_FIELDS)}


def test_an_unreadable_file_is_named_and_counted_as_a_record_with_nothing_filled(cli, corpus: Path) -> None:
    before = report_json(cli)["coverage"]
    (corpus / "broken.md").write_text("no front matter here\n", encoding="utf-8")
    document = report_json(cli)
    assert document["corpus"] == {"files": 5, "records": 5, "unparsed": ["broken.md"]}
    assert document["coverage"]["total"] == (len(RECORDS) + 1) * len(COVERAGE)
    assert document["coverage"]["filled"] == before["filled"]
    assert any(item["path"] == "broken.md" and item["index"] is not None for item in document["lint"]["topRecords"])


def test_paths_narrow_the_report(cli, corpus: Path) -> None:
    document = json.loads(cli("report", "us-alpha-2020.md", "--today", TODAY, "--isolated", "--format", "json").stdout)
    assert [row["id"] for row in document["records"]] == ["us-alpha-2020"]
    assert document["coverage"]["filled"] == filled(["us-alpha-2020"])


def test_an_empty_corpus_is_an_error_never_an_empty_report_that_passes(cli, workdir: Path) -> None:
    (workdir / "records").mkdir()
    for arguments in (("records",), ()):
        result = cli("report", *arguments, "--today", TODAY, "--isolated", "--format", "json")
        assert result.exit_code == 2 and result.stdout == ""
        assert "no record files in records" in result.stderr


def test_bad_inputs_are_usage_errors(cli, workdir: Path) -> None:
    write_record(workdir / "records", clean_record())
    missing = cli("report", "missing-folder", "--isolated")
    assert missing.exit_code == 2 and missing.stderr.endswith("missing-folder: no such file or folder\n")
    result = cli("report", "--today", "2026-13-01", "--isolated")
    assert result.exit_code == 2 and "--today" in result.stderr
    result = cli("report", "--seed", "3", "--isolated")
    assert result.exit_code == 2 and "--sample" in result.stderr
    result = cli("report", "--sample", "0", "--isolated")
    assert result.exit_code == 2 and "ccus-records: error: --sample: 0 is not in the range x>=1\n" in result.stderr
    result = cli("report", "--isolated", "--output", str(workdir / "no" / "such" / "dir" / "r.html"))
    assert result.exit_code == 2 and "cannot be written" in result.stderr


def test_an_unreadable_record_counts_as_a_record_with_nothing_filled_and_is_named(cli, workdir: Path) -> None:
    write_record(workdir / "records", clean_record("us-one-act-2020"))
    second = write_record(workdir / "records", clean_record("us-two-act-2020"))

    def figures() -> dict:
        result = cli("report", "--today", TODAY, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    before = figures()
    text = second.read_text(encoding="utf-8")
    second.write_text(
        text.replace('  "year": 2020\n', '<<<<<<< HEAD\n  "year": 2020\n=======\n  "year": 2021\n>>>>>>> b\n')
    )
    after = figures()
    assert len(after["records"]) == len(before["records"]) == 2
    assert after["coverage"]["percent"] < before["coverage"]["percent"]
    assert after["coverage"]["filled"] == before["coverage"]["filled"] / 2
    assert "records/us-two-act-2020.md" in json.dumps(after)
    shown = cli("report", "--today", TODAY)
    assert "records/us-two-act-2020.md" in shown.stdout
