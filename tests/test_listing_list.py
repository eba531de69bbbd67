"""`ccus-records list`: filters, lint-finding selection, columns, sorting, limits and every output format."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from tests.helpers import TODAY, clean_record, write_record


@pytest.fixture
def corpus(workdir: Path) -> Path:
    """Four records chosen so that typed comparisons differ from text ones (9 < 50, but "9" > "50")."""
    write_record(
        workdir / "seeds",
        clean_record(
            "us-nine-2009",
            **{"analysis.mrv.score": 9, "pubDate": "2009-05-01", "year": 2009, "title": "Carbon Storage Act"},
        ),
    )
    write_record(
        workdir / "seeds",
        clean_record(
            "cn-fifty-2021",
            **{
                "analysis.mrv.score": 50,
                "pubDate": "2021-01-15",
                "year": 2021,
                "country": "China",
                "title": "Dual CARBON Opinions",
                "sectors": ["Power", "Cement"],
                "provenance.reviewer": "",
                "reviewStatus": "pending",
            },
        ),
    )
    write_record(
        workdir / "seeds",
        clean_record(
            "no-hundred-1990",
            **{
                "analysis.mrv.score": 100,
                "pubDate": "1990-12-31",
                "year": 1990,
                "country": "Norway",
                "sectors": [],
                "title": "CO2 Tax",
            },
        ),
    )
    # Verified, with no reviewer: lint's A001.
    write_record(
        workdir / "seeds",
        clean_record(
            "eu-unreviewed-2024",
            **{"analysis.mrv.score": 60, "pubDate": "2024-06-01", "year": 2024, "country": "European Union"},
            **{"provenance.reviewer": "", "title": "Net-Zero Industry Act"},
        ),
    )
    return workdir


def ids(cli, *arguments: str) -> list[str]:
    result = cli("list", "--format", "ids", "--today", TODAY, *arguments)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("analysis.mrv.score=50", ["cn-fifty-2021"]),
        ("analysis.mrv.score!=50", ["eu-unreviewed-2024", "no-hundred-1990", "us-nine-2009"]),
        ("analysis.mrv.score<50", ["us-nine-2009"]),
        ("analysis.mrv.score<=50", ["cn-fifty-2021", "us-nine-2009"]),
        ("analysis.mrv.score>50", ["eu-unreviewed-2024", "no-hundred-1990"]),
        ("analysis.mrv.score>=50", ["cn-fifty-2021", "eu-unreviewed-2024", "no-hundred-1990"]),
        ("title~carbon", ["cn-fifty-2021", "us-nine-2009"]),
        ("country=China", ["cn-fifty-2021"]),
        ("country!=China", ["eu-unreviewed-2024", "no-hundred-1990", "us-nine-2009"]),
        ("pubDate<2010-01-01", ["no-hundred-1990", "us-nine-2009"]),
        ("pubDate>=2021-01-15", ["cn-fifty-2021", "eu-unreviewed-2024"]),
        ("year>2000", ["cn-fifty-2021", "eu-unreviewed-2024", "us-nine-2009"]),
        ("provenance.reviewer=", ["cn-fifty-2021", "eu-unreviewed-2024"]),
        ("provenance.reviewer!=", ["no-hundred-1990", "us-nine-2009"]),
        ("sectors=Cement", ["cn-fifty-2021"]),
        ("sectors~cem", ["cn-fifty-2021"]),
        ("sectors=", ["no-hundred-1990"]),
        ("reviewStatus=pending", ["cn-fifty-2021"]),
    ],
)
def test_each_filter_operator(cli, corpus: Path, expression: str, expected: list[str]) -> None:
    assert sorted(ids(cli, "--where", expression)) == expected


def test_where_conditions_all_hold(cli, corpus: Path) -> None:
    assert ids(cli, "--where", "analysis.mrv.score>=50", "--where", "provenance.reviewer=") == [
        "cn-fifty-2021",
        "eu-unreviewed-2024",
    ]
    assert ids(cli, "-w", "analysis.mrv.score>=50", "-w", "country=China", "-w", "title~opinions") == ["cn-fifty-2021"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("nosuchfield=1", "unknown field 'nosuchfield'"),
        ("score>=50", "did you mean"),
        ("analysis.mrv.score=>50", "is a number"),
        ("title", "expected FIELD OP VALUE"),
        ("pubDate>last-year", "is a date"),
        ("sectors>Power", "is a list"),
        ("reviewStatus=approved", "is not one of draft, pending, verified, rejected"),
        ("year^2000", "expected FIELD OP VALUE"),
    ],
)
def test_bad_where_is_exit_2(cli, corpus: Path, expression: str, message: str) -> None:
    result = cli("list", "--where", expression)
    assert result.exit_code == 2
    assert result.stderr.startswith("ccus-records: error: --where") and message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("country==China", ["cn-fifty-2021"]),  # `==` is `=`
        ("country=china", ["cn-fifty-2021"]),
        ("country=CN", ["cn-fifty-2021"]),
        ("country=CHN", ["cn-fifty-2021"]),
        ("country=People's Republic of China", ["cn-fifty-2021"]),
        ("country=EU", ["eu-unreviewed-2024"]),
        ("country!=CN", ["eu-unreviewed-2024", "no-hundred-1990", "us-nine-2009"]),
        ("country=France", []),  # a country no record is about matches nothing, and says nothing
        ("status=active", ["cn-fifty-2021", "eu-unreviewed-2024", "no-hundred-1990", "us-nine-2009"]),
        ("reviewStatus==PENDING", ["cn-fifty-2021"]),
        ("category=regulatory", ["cn-fifty-2021", "eu-unreviewed-2024", "no-hundred-1990", "us-nine-2009"]),
        ("legalWeight=STATUTE/LAW", ["cn-fifty-2021", "eu-unreviewed-2024", "no-hundred-1990", "us-nine-2009"]),
    ],
)
def test_vocabulary_values_compare_as_the_linter_reads_them(
    cli, corpus: Path, expression: str, expected: list[str]
) -> None:
    assert sorted(ids(cli, "--where", expression)) == expected


@pytest.mark.parametrize(
    ("expression", "stderr"),
    [
        (
            "country==Chna",
            "--where 'country==Chna': no record can match: 'Chna' is not a country name, nor the country of any "
            "record; did you mean China?",
        ),
        (
            "country!=Norwya",
            "--where 'country!=Norwya': every record matches: 'Norwya' is not a country name, nor the country of "
            "any record; did you mean Norway?",
        ),
        (
            "status=Actve",
            "--where 'status=Actve': no record can match: 'Actve' is not one of Active, Draft, Proposed, Superseded, "
            "Repealed, Expired, nor the status of any record; did you mean Active?",
        ),
        (
            "reviewStatus=verifed",
            "--where 'reviewStatus=verifed': no record can match: 'verifed' is not one of draft, pending, verified, "
            "rejected, nor the reviewStatus of any record; did you mean verified?",
        ),
        (
            "category=Regulatroy",
            "--where 'category=Regulatroy': no record can match: 'Regulatroy' is not one of Regulatory, Fiscal, "
            "Legislative, Market, Strategic, Standard, Funding, nor the category of any record; did you mean "
            "Regulatory?",
        ),
        (
            "legalWeight=Regulaton",
            "--where 'legalWeight=Regulaton': no record can match: 'Regulaton' is not one of Statute/Law, "
            "Regulation, Guideline/Policy, Strategy/Plan, Standard, Executive Order, International Agreement, nor "
            "the legalWeight of any record; did you mean Regulation?",
        ),
        (
            "country=Atlantis",
            "--where 'country=Atlantis': no record can match: 'Atlantis' is not a country name, nor "
            "the country of any record",
        ),
    ],
)
def test_a_vocabulary_value_no_record_can_have_is_exit_2(cli, corpus: Path, expression: str, stderr: str) -> None:
    result = cli("list", "--where", expression)
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"ccus-records: error: {stderr}\n", "")


def test_a_value_outside_the_vocabulary_that_a_record_has_is_found(cli, corpus: Path) -> None:
    # The linter warns about it (V001, S003); the filter is how its records are found.
    write_record(corpus / "seeds", clean_record("xx-odd-2020", country="Atlantis", category="Tax", status="active"))
    assert ids(cli, "--where", "country=atlantis") == ["xx-odd-2020"]
    assert ids(cli, "--where", "category=Tax") == ["xx-odd-2020"]
    assert ids(cli, "--has", "A001", "--where", "category=Tax") == []  # a value of a record --has leaves out
    assert len(ids(cli, "--where", "status=Active")) == 5
    # The configured vocabulary is the one the filter knows: a value of the default one no record has is refused.
    (corpus / "ccus-records.toml").write_text('[vocabulary]\ncategory = ["Tax", "Levy"]\n', encoding="utf-8")
    assert ids(cli, "--where", "category=tax") == ["xx-odd-2020"]
    assert ids(cli, "--where", "category=Levy") == []
    refused = cli("list", "--where", "category=Funding")
    assert refused.exit_code == 2
    assert refused.stderr.endswith("'Funding' is not one of Tax, Levy, nor the category of any record\n")


def test_a_pipe_gets_one_record_a_line_with_every_value_whole(corpus: Path) -> None:
    import subprocess
    import sys

    long_title = "Regulations on the Geological Storage of Carbon Dioxide in Deep Saline Formations " * 3
    write_record(corpus / "seeds", clean_record("us-long-title-2020", title=long_title.strip()))
    listed = subprocess.run(
        [sys.executable, "-m", "ccus_records", "list", "--sort", "id"],
        cwd=corpus,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "60"},
        check=True,
    )
    lines = listed.stdout.splitlines()
    assert len(lines) == 1 + 5 + 1  # the header, a line a record, the count
    assert lines[0].split() == ["id", "title", "country", "category", "status", "reviewStatus", "year"]
    row = next(line for line in lines if line.startswith("us-long-title-2020"))
    assert long_title.strip() in row and row.endswith("2020")
    assert lines[-1] == "5 records"
    # Columns stay aligned: every record's id column is as wide as the header's.
    title_at = lines[0].index("title")
    assert all(line[title_at - 2 : title_at] == "  " for line in lines[1:-1])


def test_has_selects_records_with_a_finding(cli, corpus: Path) -> None:
    # Every verified record that lacks a reviewer.
    assert ids(cli, "--has", "A001") == ["eu-unreviewed-2024"]
    assert ids(cli, "--has", "a0") == ["eu-unreviewed-2024"]
    assert ids(cli, "--has", "A001", "--where", "country=China") == []
    assert ids(cli, "--has", "A001,D") == ids(cli, "--has", "A001")
    bad = cli("list", "--has", "Z9")
    assert bad.exit_code == 2 and "--has: 'Z9' matches no rule" in bad.stderr


def test_has_lists_unparseable_files_by_their_structure_finding(cli, corpus: Path) -> None:
    (corpus / "seeds" / "broken.md").write_text("---\n{oops\n---\n", encoding="utf-8")
    result = cli("list", "--has", "S002", "--columns", "path,id", "--format", "json", "--today", TODAY)
    assert json.loads(result.stdout) == [{"path": "seeds/broken.md", "id": None}]
    plain = cli("list", "--format", "ids")
    assert plain.exit_code == 0 and "1 file left out" in plain.stderr and len(plain.stdout.splitlines()) == 4


def test_sort_typed_ascending_and_descending(cli, corpus: Path) -> None:
    assert ids(cli, "--sort", "analysis.mrv.score") == [
        "us-nine-2009",
        "cn-fifty-2021",
        "eu-unreviewed-2024",
        "no-hundred-1990",
    ]
    assert ids(cli, "--sort", "-analysis.mrv.score") == [
        "no-hundred-1990",
        "eu-unreviewed-2024",
        "cn-fifty-2021",
        "us-nine-2009",
    ]
    assert ids(cli, "--sort=-pubDate", "--limit", "2") == ["eu-unreviewed-2024", "cn-fifty-2021"]
    assert ids(cli, "--sort", "title") == ["us-nine-2009", "no-hundred-1990", "cn-fifty-2021", "eu-unreviewed-2024"]
    bad = cli("list", "--sort", "nope")
    assert bad.exit_code == 2 and "--sort: unknown field 'nope'" in bad.stderr


def test_limit_caps_the_listing_and_a_negative_limit_is_refused(cli, corpus: Path) -> None:
    assert len(ids(cli, "--limit", "3")) == 3
    assert ids(cli, "--limit", "0") == []
    negative = cli("list", "--limit", "-1")
    assert negative.exit_code == 2 and negative.stdout == ""
    assert negative.stderr.startswith("ccus-records: error: --limit: -1 is not in the range x>=0\n")
    table = cli("list", "--limit", "1").stdout
    assert table.rstrip().endswith("1 record of 4 (--limit)")


def test_table_default_columns(cli, corpus: Path) -> None:
    result = cli("list", "--sort", "id")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "title", "country", "category", "status", "reviewStatus", "year"]
    assert lines[1].split()[0] == "cn-fifty-2021" and lines[1].split()[-1] == "2021"
    assert lines[-1] == "4 records"


def test_table_keeps_record_text_inert(cli, workdir: Path) -> None:
    write_record(workdir / "seeds", clean_record(title="[bold red]Loud[/] [link=https://x.example]x[/link] \x1b[2J"))
    out = cli("list").stdout
    assert "[bold red]Loud[/]" in out and "[link=https://x.example]x[/link]" in out
    assert "\x1b" not in out and "\\x1b[2J" in out


def test_json_and_jsonl_carry_full_dotted_values(cli, corpus: Path) -> None:
    columns = "id,analysis.mrv.score,sectors,provenance,analysis.mrv.evidence"
    result = cli("list", "--columns", columns, "--format", "json", "--where", "country=China")
    (row,) = json.loads(result.stdout)
    assert list(row) == columns.split(",")
    assert row["analysis.mrv.score"] == 50 and row["sectors"] == ["Power", "Cement"]
    assert row["provenance"] == {"author": "A. Curator", "lastAuditDate": "2026-10-01", "reviewer": ""}
    assert row["analysis.mrv.evidence"] == "Section 3 requires a storage permit."
    lines = cli("list", "--columns", columns, "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 4 and all(set(json.loads(line)) == set(columns.split(",")) for line in lines)


def test_csv_full_values_and_formula_injection_guard(cli, workdir: Path) -> None:
    write_record(
        workdir / "seeds",
        clean_record(
            "us-evil-2020",
            **{
                "title": '=HYPERLINK("https://evil.example","x")',
                "source": "+cmd|' /C calc'!A0",
                "description": "-2+3",
                "provenance.author": "@SUM(1+1)",
                "sectors": ["Power", "Cement"],
                "analysis.mrv.evidence": "A long evidence text, with a comma, kept whole; " * 4,
            },
        ),
    )
    columns = "id,title,source,description,provenance.author,sectors,analysis.mrv.score,analysis.mrv.evidence"
    result = cli("list", "--columns", columns, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == columns.split(",")
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == '\'=HYPERLINK("https://evil.example","x")'
    assert row["source"] == "'+cmd|' /C calc'!A0"
    assert row["description"] == "'-2+3"
    assert row["provenance.author"] == "'@SUM(1+1)"
    assert row["sectors"] == "Power; Cement"
    assert row["analysis.mrv.score"] == "60"
    assert row["analysis.mrv.evidence"] == "A long evidence text, with a comma, kept whole; " * 4


def test_ids_for_pipelines(cli, corpus: Path) -> None:
    result = cli("list", "--format", "ids", "--where", "year<2010", "--sort", "year")
    assert result.stdout == "no-hundred-1990\nus-nine-2009\n"


def test_unknown_column_is_exit_2(cli, corpus: Path) -> None:
    result = cli("list", "--columns", "id,mrv")
    assert result.exit_code == 2 and "--columns: unknown field 'mrv'" in result.stderr
    empty = cli("list", "--columns", ",")
    assert empty.exit_code == 2 and "--columns: name at least one field" in empty.stderr


def test_paths_narrow_the_listing(cli, corpus: Path) -> None:
    assert ids(cli, "seeds/us-nine-2009.md") == ["us-nine-2009"]
    missing = cli("list", "nowhere")
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr


def test_the_demo_corpus_only_when_asked_for(cli, workdir: Path) -> None:
    # No records folder here and no configuration: an error that says how to set one up, or --demo.
    refused = cli("list")
    assert refused.exit_code == 2 and "no records folder" in refused.stderr and refused.stdout == ""
    listed = ids(cli, "--demo", "--where", "country=United States")
    assert "us-45q-2008" in listed and all(record_id.startswith("us-") for record_id in listed)


def test_json_escapes_c1_controls_without_changing_the_value(cli, workdir: Path) -> None:
    title = "CSI \x9b2J and DEL \x7f"
    write_record(workdir / "seeds", clean_record(title=title))
    for output_format in ("json", "jsonl"):
        out = cli("list", "--columns", "title", "--format", output_format).stdout
        assert "\x9b" not in out and "\x7f" not in out and "\\u009b" in out
        rows = json.loads(out) if output_format == "json" else [json.loads(line) for line in out.splitlines()]
        assert rows == [{"title": title}]
    shown = cli("show", "us-example-act-2020", "--format", "json").stdout
    assert "\x9b" not in shown and json.loads(shown)["title"] == title
    csv_out = cli("list", "--columns", "title", "--format", "csv").stdout
    assert "\x9b" not in csv_out and "\\x9b" in csv_out
