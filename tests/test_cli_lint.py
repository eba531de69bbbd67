"""`lint` as a user drives it: exit codes, output shapes, selection, configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccus_records.engine.findings import Finding
from ccus_records.engine.lint import LintResult
from tests.helpers import FINDINGS, TODAY, clean_record, write_record

FINDING_KEYS = {"code", "name", "severity", "path", "line", "column", "record", "field", "message", "fixable", "fix"}


def test_json_shape(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(**{"analysis.mrv.citation": ""}))
    result = cli("lint", ".", "--today", TODAY, "--format", "json", "--isolated")
    assert result.exit_code == 1  # A002 is an error
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert set(document["summary"]) == {"files", "records", "errors", "warnings", "infos"}
    assert document["summary"] == {"files": 1, "records": 1, "errors": 1, "warnings": 1, "infos": 0}
    for finding in document["findings"]:
        assert set(finding) == FINDING_KEYS
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["record"] == "us-example-act-2020"


def test_records_counts_only_files_that_parsed(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    (workdir / "broken.md").write_text("no front matter\n", encoding="utf-8")
    document = json.loads(cli("lint", ".", "--today", TODAY, "--format", "json", "--isolated").stdout)
    assert document["summary"]["files"] == 2
    assert document["summary"]["records"] == 1


def test_text_format_line_and_summary(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(**{"analysis.mrv.citation": ""}))
    result = cli("lint", ".", "--today", TODAY, "--isolated")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("us-example-act-2020.md:")
    assert " C003 [warning] analysis dimension `mrv` has no citation (analysis.mrv.citation)" in result.stdout
    assert lines[-1] == "Found 2 findings in 1 file: 1 error, 1 warning, 0 info."
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_a_warning_fails_only_with_strict_and_an_error_passes_only_with_exit_zero(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(**{"analysis.mrv.evidence": ""}))  # C002: a warning only
    warned = cli("lint", ".", "--today", TODAY, "--isolated")
    assert warned.exit_code == 0 and " C002 [warning] " in warned.stdout
    strict = cli("lint", ".", "--today", TODAY, "--isolated", "--strict")
    assert strict.exit_code == 1 and strict.stdout == warned.stdout
    write_record(workdir, clean_record(**{"provenance.reviewer": ""}))  # A001: an error
    failed = cli("lint", ".", "--today", TODAY, "--isolated")
    assert failed.exit_code == 1 and " A001 [error] " in failed.stdout
    passed = cli("lint", ".", "--today", TODAY, "--isolated", "--exit-zero")
    assert passed.exit_code == 0 and passed.stdout == failed.stdout


def test_select_ignore_and_prefixes(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(**{"provenance.reviewer": "", "analysis.mrv.citation": ""}))

    def codes(*extra: str) -> list[str]:
        output = cli("lint", ".", "--today", TODAY, "--isolated", "--format", "json", *extra).stdout
        return sorted({f["code"] for f in json.loads(output)["findings"]})

    assert codes() == ["A001", "A002", "A003", "C003"] or codes() == ["A001", "A002", "C003"]
    assert codes("--select", "C") == ["C003"]
    assert codes("--select", "ALL", "--ignore", "A") == ["C003"]
    assert codes("--select", "A", "--ignore", "A00") == []
    assert codes("--select", "A001,C003") == ["A001", "C003"]
    assert codes("--ignore", "A", "--select", "A001") == ["A001"]  # the more specific selector wins


def test_unknown_selector_is_a_usage_error(cli, workdir: Path) -> None:
    result = cli("lint", ".", "--select", "Z9", "--isolated")
    assert result.exit_code == 2
    assert "Z9" in result.stderr


def test_statistics(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(**{"analysis.mrv.citation": "", "analysis.market.citation": ""}))
    result = cli("lint", ".", "--today", TODAY, "--isolated", "--statistics")
    assert "     2  C003  missing-citation [warning]" in result.stdout
    document = json.loads(cli("lint", ".", "--today", TODAY, "--isolated", "--statistics", "--format", "json").stdout)
    assert document["statistics"]["C003"] == 2


def test_bad_today_and_missing_path(cli, workdir: Path) -> None:
    result = cli("lint", ".", "--today", "2026-13-01", "--isolated")
    assert result.exit_code == 2 and "--today" in result.stderr
    result = cli("lint", "nowhere.md", "--isolated")
    assert result.exit_code == 2 and "nowhere.md" in result.stderr


def test_unparseable_record_is_a_finding_not_a_traceback(cli, workdir: Path) -> None:
    (workdir / "a.md").write_bytes(b"---\n{\x00\xff\n---\n")
    result = cli("lint", ".", "--isolated", "--format", "json")
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["S006"]


def test_configuration_in_pyproject(cli, workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ccus-records]\nrecords = ["corpus"]\nignore = ["C003"]\n'
        'severity = { A002 = "warning" }\nmax-audit-age-days = 30\n',
        encoding="utf-8",
    )
    write_record(workdir / "corpus", clean_record(**{"analysis.mrv.citation": ""}))
    result = cli("lint", "--today", TODAY, "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert {(f["code"], f["severity"]) for f in findings} == {("A002", "warning"), ("A006", "warning")}
    assert result.exit_code == 0
    isolated = json.loads(cli("lint", "corpus", "--today", TODAY, "--format", "json", "--isolated").stdout)
    assert {f["code"] for f in isolated["findings"]} == {"A002", "C003"}


def test_configuration_found_from_a_subfolder(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text('records = ["corpus"]\nselect = ["A001"]\n', encoding="utf-8")
    write_record(workdir / "corpus", clean_record(**{"provenance.reviewer": ""}))
    (workdir / "deep" / "er").mkdir(parents=True)
    os.chdir(workdir / "deep" / "er")
    result = cli("lint", "--today", TODAY, "--format", "json")
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["path"] == "../../corpus/us-example-act-2020.md"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("recordz = []\n", "recordz"),
        ("max-audit-age-days = -1\n", "max-audit-age-days"),
        ('machine-authors = ["(unclosed"]\n', "machine-authors"),
        ('machine-authors = ["(?=a)b"]\n', "lookahead"),
        ('machine-authors = ["(?>(a|ab)*)c"]\n', "atomic"),
        ('machine-authors = ["(\\\\w)\\\\1"]\n', "backreferences"),
        ('severity = { A001 = "fatal" }\n', "severity.A001"),
        ("records = [\n", "not valid TOML"),
        ('[[rule]]\ncode = "Y1"\nname = "n"\nmessage = "m"\nrequire = {}\n', "rule.0.code"),
        ('per-file-ignores = { "x/*" = ["NOPE"] }\n', "NOPE"),
    ],
)
def test_bad_configuration_names_the_key(cli, workdir: Path, text: str, named: str) -> None:
    (workdir / "ccus-records.toml").write_text(text, encoding="utf-8")
    write_record(workdir / "seeds", clean_record())
    result = cli("lint")
    assert result.exit_code == 2, result.stdout
    assert named in result.stderr


def test_an_explicit_config_file_is_used_and_a_missing_one_is_refused(cli, workdir: Path) -> None:
    (workdir / "conf.toml").write_text('select = ["C003"]\n', encoding="utf-8")
    write_record(workdir, clean_record(**{"analysis.mrv.citation": "", "provenance.reviewer": ""}))
    result = cli("lint", ".", "--config", "conf.toml", "--today", TODAY, "--format", "json")
    assert {f["code"] for f in json.loads(result.stdout)["findings"]} == {"C003"}
    missing = cli("lint", ".", "--config", "missing.toml")
    assert missing.exit_code == 2 and missing.stdout == ""
    assert missing.stderr == "ccus-records: error: missing.toml: no such configuration file\n"


def test_per_file_ignores(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text(
        'records = ["corpus"]\n[per-file-ignores]\n"corpus/legacy/*" = ["C", "A001"]\n', encoding="utf-8"
    )
    bad = clean_record(**{"analysis.mrv.citation": "", "provenance.reviewer": ""})
    write_record(workdir / "corpus", bad)
    write_record(workdir / "corpus" / "legacy", dict(bad, id="us-legacy"))
    document = json.loads(cli("lint", "--today", TODAY, "--format", "json", "--select", "A001,C").stdout)
    assert {(f["path"], f["code"]) for f in document["findings"]} == {
        ("corpus/us-example-act-2020.md", "A001"),
        ("corpus/us-example-act-2020.md", "C003"),
    }


def test_custom_rule_from_configuration(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text(
        'records = ["corpus"]\n'
        "[[rule]]\n"
        'code = "X001"\nname = "regulatory-needs-transfer"\nseverity = "error"\n'
        'message = "regulatory records must say how liability transfers"\n'
        'when = { properties = { category = { const = "Regulatory" } } }\n'
        "require = { properties = { regulatory = { properties = { liability_transfer = { minLength = 1 } } } } }\n",
        encoding="utf-8",
    )
    write_record(workdir / "corpus", clean_record(**{"regulatory.liability_transfer": ""}))
    write_record(
        workdir / "corpus", clean_record("us-fiscal", category="Fiscal", **{"regulatory.liability_transfer": ""})
    )
    result = cli("lint", "--today", TODAY, "--format", "json", "--select", "X")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["record"], f["code"], f["field"], f["severity"]) for f in findings] == [
        ("us-example-act-2020", "X001", "regulatory.liability_transfer", "error")
    ]
    assert result.exit_code == 1
    assert "X001  regulatory-needs-transfer" in cli("rules").stdout
    explained = cli("rule", "X001").stdout
    assert "regulatory records must say how liability transfers" in explained


def test_custom_rule_with_invalid_schema(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text(
        '[[rule]]\ncode = "X1"\nname = "n"\nmessage = "m"\nrequire = { type = 12 }\n', encoding="utf-8"
    )
    result = cli("lint", ".")
    assert result.exit_code == 2 and "X1" in result.stderr


def test_no_colour_on_terminal_with_no_color(monkeypatch) -> None:
    from ccus_records.cli.common import use_colour

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(Tty())


def test_colour_codes_only_when_asked() -> None:
    from ccus_records.engine.findings import Finding
    from ccus_records.render.lint_text import finding_line

    finding = Finding("A001", "n", "error", "a.md", 1, 1, "us-a", "id", "msg", False)
    assert "\x1b[31m" in finding_line(finding, colour=True)
    assert "\x1b" not in finding_line(finding, colour=False)


def test_installed_command_runs_outside_the_source_folder(tmp_path: Path) -> None:
    """The console script and `python -m` work from any folder: on no corpus at all they say how to set one up,
    and with --demo they run on the demo corpus shipped with the tool."""
    env = {**os.environ, "NO_COLOR": "1"}
    nothing = subprocess.run(
        [sys.executable, "-m", "ccus_records", "lint", "--today", TODAY],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert nothing.returncode == 2 and nothing.stdout == ""
    assert nothing.stderr.startswith("ccus-records: error: no records folder: no configuration names one and ")
    assert "ccus-records init" in nothing.stderr and "--demo" in nothing.stderr
    module = subprocess.run(
        [sys.executable, "-m", "ccus_records", "lint", "--demo", "--today", TODAY, "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert module.returncode == 1, module.stderr
    document = json.loads(module.stdout)
    assert document["summary"]["files"] >= 1
    assert any(f["record"] == "cn-zero-carbon-parks" for f in document["findings"])
    rules = subprocess.run(
        [sys.executable, "-m", "ccus_records", "rule", "A001"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert rules.returncode == 0 and "verified-without-reviewer" in rules.stdout


@given(FINDINGS, st.sampled_from([1, 700]), st.booleans())
def test_text_output_is_its_findings_lines_however_they_are_chunked(
    findings: list[Finding], copies: int, colour: bool
) -> None:
    """The chunked renderer (each chunk made inert in one pass) writes what line by line does."""
    from ccus_records.render import lint_text

    result = LintResult(findings=findings * copies, files=1)
    expected = "".join(lint_text.finding_line(finding, colour) + "\n" for finding in result.findings)
    assert lint_text.render_text(result, colour) == expected + lint_text.summary_line(result) + "\n"
