"""`lint --format github|sarif|junit|gitlab|json-lines|concise`: each format as its consumer reads it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ccus_records.engine.findings import Finding
from ccus_records.render.lint_github import annotation, escape_data, escape_property
from tests.helpers import TODAY, clean_record, write_record

SARIF_SCHEMA = Path(__file__).resolve().parent / "fixtures" / "sarif-schema-2.1.0.json"

# A custom rule whose message (configuration text) holds a line break, a comma, a colon and a percent sign.
AWKWARD_RULE = (
    'records = ["corpus"]\n'
    "[[rule]]\n"
    'code = "X001"\nname = "needs-transfer"\nseverity = "error"\n'
    'message = "first line\\nsecond, with: 100% of it\\r"\n'
    "require = { properties = { regulatory = { properties = { liability_transfer = { minLength = 1 } } } } }\n"
)


def a_corpus(workdir: Path) -> None:
    """Errors, warnings, infos, a file-level finding without a line, and a clean record."""
    corpus = workdir / "corpus"
    (workdir / "ccus-records.toml").write_text('records = ["corpus"]\n', encoding="utf-8")
    write_record(corpus, clean_record("us-bad-act", **{"provenance.reviewer": "", "analysis.mrv.citation": ""}))
    write_record(corpus, clean_record("us-clean-act"))
    write_record(corpus, clean_record("us-gaps-act", **{"regulatory.co2_definition": ""}))
    (corpus / "broken.md").write_text("no front matter here\n", encoding="utf-8")


def lint(cli, *arguments: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return cli("lint", "--today", TODAY, *arguments, env=env)


# --- github ---------------------------------------------------------------------------------------------


def test_github_escaping_follows_the_runner_rules() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"
    assert escape_data("\x1b[31mred") == "\\x1b[31mred"  # no terminal sequences into the log


def test_github_annotation_shape() -> None:
    finding = Finding("A001", "verified-without-reviewer", "error", "seeds/a,b.md", 61, 5, "us-a", "x", "m", False)
    assert annotation(finding) == (
        "::error file=seeds/a%2Cb.md,line=61,col=5,title=A001 verified-without-reviewer::m (x)"
    )
    level_less = finding._replace(severity="info", line=None, column=None, field=None)
    assert annotation(level_less) == "::notice file=seeds/a%2Cb.md,title=A001 verified-without-reviewer::m"


def test_github_format_escapes_newlines_and_commas_end_to_end(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text(AWKWARD_RULE, encoding="utf-8")
    write_record(workdir / "corpus", clean_record(**{"regulatory.liability_transfer": ""}), name="odd,name: here.md")
    result = lint(cli, "--format", "github", "--select", "X001")
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 1  # one finding, one line, whatever the message holds
    line = result.stdout.rstrip("\n")
    assert line.startswith("::error file=corpus/odd%2Cname%3A here.md,line=")
    assert ",title=X001 needs-transfer::" in line
    message = line.split("::", 2)[2]
    assert message == "first line%0Asecond, with: 100%25 of it%0D (regulatory.liability_transfer)"


def test_github_levels(cli, workdir: Path) -> None:
    a_corpus(workdir)
    lines = lint(cli, "--format", "github").stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any(line.startswith("::notice ") and "title=C004 " in line for line in lines)
    assert any(line.startswith("::error file=corpus/broken.md,") and "title=S001 " in line for line in lines)


# --- sarif ----------------------------------------------------------------------------------------------


def sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def test_sarif_validates_against_the_official_schema(cli, workdir: Path) -> None:
    a_corpus(workdir)
    result = lint(cli, "--format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    errors = sorted(sarif_validator().iter_errors(document), key=str)
    assert not errors, [error.message for error in errors[:5]]
    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    assert len(run["results"]) >= 5


def test_sarif_rules_and_results(cli, workdir: Path) -> None:
    a_corpus(workdir)
    (workdir / "ccus-records.toml").write_text(
        'records = ["corpus"]\nseverity = { C003 = "error" }\n', encoding="utf-8"
    )
    run = json.loads(lint(cli, "--format", "sarif").stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["A001"]["defaultConfiguration"]["level"] == "error"
    assert by_id["C004"]["defaultConfiguration"]["level"] == "note"
    assert by_id["C003"]["defaultConfiguration"]["level"] == "error"  # the level in force, not the built-in one
    from ccus_records.rules.audit import VerifiedWithoutReviewer

    assert by_id["A001"]["help"]["text"] == VerifiedWithoutReviewer.explanation()
    assert "Why an auditor cares" in by_id["A001"]["help"]["text"]
    results = run["results"]
    reviewer = next(r for r in results if r["ruleId"] == "A001")
    assert rules[reviewer["ruleIndex"]]["id"] == "A001"
    location = reviewer["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "corpus/us-bad-act.md", "uriBaseId": "%SRCROOT%"}
    text = (workdir / "corpus" / "us-bad-act.md").read_text(encoding="utf-8").splitlines()
    assert '"reviewer"' in text[location["region"]["startLine"] - 1]
    assert location["region"]["startColumn"] >= 1
    broken = next(r for r in results if r["ruleId"] == "S001")
    assert broken["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert len({r["partialFingerprints"]["ccusRecordsIdentity/v1"] for r in results}) == len(results)


def test_sarif_with_no_findings_is_valid(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    result = lint(cli, ".", "--isolated", "--format", "sarif")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["runs"][0]["results"] == []
    assert not list(sarif_validator().iter_errors(document))


# --- junit ----------------------------------------------------------------------------------------------


def test_junit_one_case_per_record_failing_on_errors(cli, workdir: Path) -> None:
    a_corpus(workdir)
    result = lint(cli, "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    [suite] = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {
        "corpus/broken.md",
        "corpus/us-bad-act.md",
        "corpus/us-clean-act.md",
        "corpus/us-gaps-act.md",
    }
    assert suite.get("tests") == "4" and suite.get("failures") == "2"
    bad = cases["corpus/us-bad-act.md"].find("failure")
    assert bad is not None and "A001" in (bad.get("type") or "") and "A001" in (bad.text or "")
    assert "C003" not in (bad.text or "")  # a warning: in system-out, not the failure
    assert "C003" in (cases["corpus/us-bad-act.md"].findtext("system-out") or "")
    assert cases["corpus/us-bad-act.md"].get("classname") == "us-bad-act"
    assert cases["corpus/us-clean-act.md"].find("failure") is None
    gaps = cases["corpus/us-gaps-act.md"]
    assert gaps.find("failure") is None and "C004" in (gaps.findtext("system-out") or "")


def test_junit_escapes_record_text(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(country="<Atlantis> & \x1b[31m"), name="us-example-act-2020.md")
    result = lint(cli, ".", "--isolated", "--format", "junit")
    root = ET.fromstring(result.stdout)  # well-formed XML, control characters included
    assert "\x1b" not in result.stdout
    assert "<Atlantis>" in "".join(root.itertext())


# --- gitlab ---------------------------------------------------------------------------------------------


def test_gitlab_code_quality(cli, workdir: Path) -> None:
    a_corpus(workdir)
    issues = json.loads(lint(cli, "--format", "gitlab").stdout)
    assert issues
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    reviewer = next(issue for issue in issues if issue["check_name"] == "A001")
    assert reviewer["severity"] == "major" and reviewer["location"]["path"] == "corpus/us-bad-act.md"
    # The fingerprint follows the gap, not the line: a moved finding keeps it.
    again = json.loads(lint(cli, "--format", "gitlab").stdout)
    assert [issue["fingerprint"] for issue in again] == [issue["fingerprint"] for issue in issues]


# --- json-lines and concise -----------------------------------------------------------------------------


def test_json_lines_one_object_a_finding(cli, workdir: Path) -> None:
    a_corpus(workdir)
    lines_output = lint(cli, "--format", "json-lines").stdout
    document = json.loads(lint(cli, "--format", "json").stdout)
    objects = [json.loads(line) for line in lines_output.splitlines()]
    assert objects == document["findings"]


@pytest.mark.parametrize("output_format", ["concise", "json-lines"])
def test_line_formats_keep_a_finding_on_one_line(cli, workdir: Path, output_format: str) -> None:
    (workdir / "ccus-records.toml").write_text(AWKWARD_RULE, encoding="utf-8")
    write_record(workdir / "corpus", clean_record(**{"regulatory.liability_transfer": ""}))
    result = lint(cli, "--format", output_format, "--select", "X001")
    assert result.stdout.count("\n") == 1


def test_concise_has_no_summary_and_no_colour(cli, workdir: Path) -> None:
    a_corpus(workdir)
    result = lint(cli, "--format", "concise", env={"FORCE_COLOR": "1"})
    lines = result.stdout.splitlines()
    assert "\x1b" not in result.stdout
    assert "corpus/us-bad-act.md:" in result.stdout
    assert not any(line.startswith(("Found ", "All clear")) for line in lines)
    text_lines = [line for line in lint(cli, "--format", "text").stdout.splitlines() if line.startswith("corpus/")]
    assert lines == text_lines
    assert any(line.startswith("corpus/broken.md:1:1: S001 [error] ") for line in lines)


def test_every_ci_format_is_offered_and_others_refused(cli, workdir: Path) -> None:
    help_text = cli("lint", "--help", env={"COLUMNS": "250"}).stdout
    for name in ("github", "sarif", "junit", "gitlab", "json-lines", "concise"):
        assert name in help_text
    refused = cli("lint", ".", "--isolated", "--format", "xml")
    assert refused.exit_code == 2 and "xml" in refused.stderr and refused.stdout == ""
