"""`report` thresholds, `--compare` against a baseline, and `--sample`: outcomes and exit codes.

Figures of the corpus are worked out in tests/report_corpus.py from the schema's coverage fields; thresholds
are set just above or below them.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from ccus_records.schema.vocabulary import ANALYSIS_DIMENSIONS
from tests.helpers import TODAY, clean_record, record_text, write_record
from tests.report_corpus import (
    CHINA,
    COVERAGE,
    FISCAL,
    RECORDS,
    UNITED_STATES,
    coverage,
    filled,
    share,
    shown,
    write_corpus,
)

CITATION_FIELDS = [f"analysis.{name}.citation" for name in ANALYSIS_DIMENSIONS]
OVERALL = coverage()


def exact(figure: dict[str, object]) -> float:
    """A figure's percentage unrounded, as thresholds are compared."""
    return 100 * float(figure["filled"]) / float(figure["total"])  # type: ignore[arg-type]


def below(figure: dict[str, object]) -> int:
    """A whole threshold the figure meets."""
    return math.floor(exact(figure)) - 1


def above(figure: dict[str, object]) -> int:
    """A whole threshold the figure is below."""
    return math.floor(exact(figure)) + 1


@pytest.fixture
def corpus(workdir: Path) -> Path:
    write_corpus(workdir)
    return workdir


def report(cli, *extra: str):  # type: ignore[no-untyped-def]
    return cli("report", ".", "--today", TODAY, *extra)


def configure(folder: Path, table: str) -> None:
    (folder / "pyproject.toml").write_text(f"[tool.ccus-records.report.fail-under]\n{table}\n", encoding="utf-8")


# Thresholds


def test_fail_under_on_overall_coverage(cli, corpus: Path) -> None:
    met = math.floor(exact(OVERALL) * 10) / 10  # 84.72% is not below 84.7
    missed = round(met + 0.1, 1)
    assert report(cli, "--isolated", "--fail-under", f"{met:.1f}").exit_code == 0
    result = report(cli, "--isolated", "--fail-under", f"{missed:.1f}")
    assert result.exit_code == 1
    assert f"overall: coverage {shown(OVERALL)} is below the threshold {missed:g}%" in result.stdout
    assert "BREACH" in result.stdout
    assert report(cli, "--isolated", "--fail-under", "0").exit_code == 0


def test_fail_under_out_of_range_is_a_usage_error(cli, corpus: Path) -> None:
    for value in ("101", "-1"):
        result = report(cli, "--isolated", "--fail-under", value)
        assert result.exit_code == 2 and result.stdout == ""
        assert f"ccus-records: error: --fail-under: {float(value)} is not in the range 0<=x<=100\n" in result.stderr


def test_configured_group_thresholds_each_breach_listed(cli, corpus: Path) -> None:
    china, citations = coverage(CHINA), coverage(fields=CITATION_FIELDS)
    configure(
        corpus,
        f'overall = {below(OVERALL)}\n"country:China" = {above(china)}\n'
        f'"country:United States" = {below(coverage(UNITED_STATES))}\n'
        f'"field:analysis.*.citation" = {above(citations)}\n"category:Fiscal" = {below(coverage(FISCAL))}',
    )
    result = report(cli)
    assert result.exit_code == 1
    assert f"country:China: coverage {shown(china)} is below the threshold {above(china)}%" in result.stdout
    assert (
        f"field:analysis.*.citation: coverage {shown(citations)} is below the threshold {above(citations)}%"
    ) in result.stdout
    assert "overall: coverage" not in result.stdout.split("== Thresholds ==")[1].split("\n\n")[0]
    assert "Thresholds: 2 breaches (5 thresholds)." in result.stdout
    document = json.loads(report(cli, "--format", "json").stdout)
    breached = {item["key"]: item["breached"] for item in document["thresholds"]}
    assert breached == {
        "overall": False,
        "category:Fiscal": False,
        "country:China": True,
        "country:United States": False,
        "field:analysis.*.citation": True,
    }
    assert document["failed"] is True


def test_command_line_fail_under_replaces_the_configured_overall(cli, corpus: Path) -> None:
    configure(corpus, f"overall = {above(OVERALL)}")
    configured = report(cli)
    assert configured.exit_code == 1
    assert f"overall: coverage {shown(OVERALL)} is below the threshold {above(OVERALL)}%" in configured.stdout
    assert report(cli, "--fail-under", str(below(OVERALL))).exit_code == 0


def test_threshold_for_a_group_without_records_is_listed_not_failed(cli, corpus: Path) -> None:
    configure(corpus, '"country:Atlantis" = 50')
    result = report(cli)
    assert result.exit_code == 0
    assert "country:Atlantis" in result.stdout and "no records" in result.stdout


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('"colour:red" = 50', "colour:red"),
        ('"field:nothing.*" = 50', "matches no record field"),
        ("overall = 150", "not a percentage"),
        ('overall = "high"', "fail-under"),
    ],
)
def test_bad_threshold_configuration_is_exit_2(cli, corpus: Path, table: str, message: str) -> None:
    configure(corpus, table)
    result = report(cli)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("ccus-records: error: ")


def test_bad_coverage_fields_is_exit_2(cli, corpus: Path) -> None:
    (corpus / "ccus-records.toml").write_text('coverage-fields = ["titel"]\n', encoding="utf-8")
    result = report(cli)
    assert result.exit_code == 2 and "coverage-fields" in result.stderr and "titel" in result.stderr
    (corpus / "ccus-records.toml").write_text("coverage-fields = []\n", encoding="utf-8")
    empty = report(cli)
    assert empty.exit_code == 2 and "coverage-fields" in empty.stderr


def test_breaches_reach_stderr_when_the_report_goes_to_a_file(cli, corpus: Path) -> None:
    result = report(cli, "--isolated", "--fail-under", str(above(OVERALL)), "--output", "r.html")
    assert result.exit_code == 1
    assert f"overall: coverage {shown(OVERALL)} is below the threshold {above(OVERALL)}%" in result.stderr
    assert "1 breached" in (corpus / "r.html").read_text(encoding="utf-8")


# --compare


def baseline(cli, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    path = folder.parent / f"{folder.name}-baseline.json"
    path.write_text(report(cli, "--isolated", "--format", "json").stdout, encoding="utf-8")
    return path


def test_compare_unchanged_passes(cli, corpus: Path) -> None:
    base = baseline(cli, corpus)
    result = report(cli, "--isolated", "--compare", str(base))
    assert result.exit_code == 0
    assert "no group's coverage dropped" in result.stdout
    assert "No group's coverage changed." in result.stdout


def test_compare_fails_where_coverage_dropped(cli, corpus: Path) -> None:
    base = baseline(cli, corpus)
    # cn-gamma loses its interpretation: one cell fewer for China and overall.
    write_record(corpus, clean_record("cn-gamma-2020", **{"country": "China", "source": ""}))
    result = report(cli, "--isolated", "--compare", str(base))
    assert result.exit_code == 1
    overall, china = OVERALL, coverage(CHINA)
    after, china_after = (share(item["filled"] - 1, item["total"]) for item in (overall, china))
    assert f"overall: coverage dropped from {shown(overall)} to {shown(after)}" in result.stdout
    assert f"country:China: coverage dropped from {shown(china)} to {shown(china_after)}" in result.stdout
    document = json.loads(report(cli, "--isolated", "--compare", str(base), "--format", "json").stdout)
    dropped = set(document["comparison"]["dropped"])
    assert {"overall", "country:China", "field:interpretation", "category:Regulatory"} <= dropped
    assert "country:United States" not in dropped
    change = next(item for item in document["comparison"]["changes"] if item["key"] == "overall")
    assert change["delta"] == round(after["percent"] - overall["percent"], 1) and change["status"] == "dropped"


def test_compare_a_rise_and_a_new_group_pass(cli, corpus: Path) -> None:
    base = baseline(cli, corpus)
    write_record(corpus, clean_record("us-beta-2020", **{"category": "Fiscal", "interpretation": "Read so."}))
    write_record(corpus, clean_record("no-new-2020", **{"country": "Norway", "interpretation": "x"}))
    result = report(cli, "--isolated", "--compare", str(base), "--format", "json")
    assert result.exit_code == 0
    statuses = {item["key"]: item["status"] for item in json.loads(result.stdout)["comparison"]["changes"]}
    assert statuses["overall"] == "rose"
    assert statuses["country:Norway"] == "new"
    assert statuses["country:China"] == "same"


def test_compare_a_removed_group_is_not_a_drop(cli, corpus: Path) -> None:
    base = baseline(cli, corpus)
    (corpus / "us-beta-2020.md").unlink()
    result = report(cli, "--isolated", "--compare", str(base), "--format", "json")
    comparison = json.loads(result.stdout)["comparison"]
    statuses = {item["key"]: item["status"] for item in comparison["changes"]}
    assert statuses["category:Fiscal"] == "removed"  # a group that is gone is not a drop
    assert statuses["country:United States"] == "rose"  # beta filled fewer than alpha
    # A field drops where beta filled it and its share over the other three is lower than over all four (the
    # citations but mrv's, and source: three of four filled, now two of three).
    rest = [record for record in RECORDS if record != "us-beta-2020"]
    assert set(comparison["dropped"]) == {
        f"field:{name}"
        for name in COVERAGE
        if filled(rest, [name]) * len(RECORDS) < filled(RECORDS, [name]) * len(rest)
    }
    assert "field:analysis.incentive.citation" in comparison["dropped"] and "field:source" in comparison["dropped"]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a JSON report"),
        ('{"version": 1, "findings": []}', "not a ccus-records JSON report"),
        ('{"format": "ccus-records-report", "version": 99}', "version 99"),
        ('{"format": "ccus-records-report", "version": 1}', "groupCoverage"),
        (
            '{"format": "ccus-records-report", "version": 1, "groupCoverage": {"overall": {"filled": 5}}}',
            "not a coverage figure",
        ),
    ],
)
def test_compare_with_a_bad_baseline_is_exit_2(cli, corpus: Path, content: str, message: str) -> None:
    (corpus / "base.json").write_text(content, encoding="utf-8")
    result = report(cli, "--isolated", "--compare", "base.json")
    assert result.exit_code == 2
    assert message in result.stderr


def test_compare_with_a_missing_baseline_is_exit_2(cli, corpus: Path) -> None:
    result = report(cli, "--isolated", "--compare", "nowhere.json")
    assert result.exit_code == 2 and "nowhere.json" in result.stderr


def test_compare_notes_other_coverage_fields(cli, corpus: Path) -> None:
    base = baseline(cli, corpus)
    (corpus / "ccus-records.toml").write_text('coverage-fields = ["title"]\n', encoding="utf-8")
    result = report(cli, "--compare", str(base))
    assert "other coverage fields" in result.stdout


# --sample


def sample_corpus(folder: Path) -> None:
    for number in range(6):
        write_record(folder, clean_record(f"us-act{number}-2020"))
    for number in range(2):
        write_record(folder, clean_record(f"cn-act{number}-2020", **{"country": "China", "category": "Fiscal"}))
    for number in range(3):
        write_record(folder, clean_record(f"us-draft{number}-2020", reviewStatus="pending"))


def sample_of(cli, *extra: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    result = report(cli, "--isolated", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return list(json.loads(result.stdout)["sample"]["records"])


def test_sample_is_stratified_verified_and_reproducible(cli, workdir: Path) -> None:
    sample_corpus(workdir)
    drawn = sample_of(cli, "--sample", "4", "--seed", "7")
    # 8 verified: 6 United States/Regulatory, 2 China/Fiscal; 4 drawn in proportion: 3 and 1.
    assert Counter((row["country"], row["category"]) for row in drawn) == {
        ("United States", "Regulatory"): 3,
        ("China", "Fiscal"): 1,
    }
    assert not any("draft" in row["id"] for row in drawn)
    assert drawn == sample_of(cli, "--sample", "4", "--seed", "7")
    seeds = {tuple(row["id"] for row in sample_of(cli, "--sample", "4", "--seed", str(seed))) for seed in range(6)}
    assert len(seeds) > 1  # the seed chooses the records


def test_sample_in_one_stratum_keeps_when_another_grows(cli, workdir: Path) -> None:
    sample_corpus(workdir)
    before = [row["id"] for row in sample_of(cli, "--sample", "4", "--seed", "3") if row["country"] == "China"]
    (workdir / "us-draft0-2020.md").unlink()
    after = [row["id"] for row in sample_of(cli, "--sample", "4", "--seed", "3") if row["country"] == "China"]
    assert before == after


def test_sample_larger_than_the_verified_records(cli, workdir: Path) -> None:
    sample_corpus(workdir)
    drawn = sample_of(cli, "--sample", "50")
    assert len(drawn) == 8
    text = report(cli, "--isolated", "--sample", "50").stdout
    assert "8 of 8 verified records drawn (asked for 50, seed 0)" in text


def test_sample_with_nothing_verified(cli, workdir: Path) -> None:
    (workdir / "a.md").write_text(record_text(clean_record(reviewStatus="pending")), encoding="utf-8")
    assert sample_of(cli, "--sample", "3") == []
