"""Fixes visible as in ruff: marks on findings, a fixable count, honest `fixable`, `--fix --diff`, errors."""

from __future__ import annotations

import json
from pathlib import Path

from ccus_records.features.fix import FIXES
from ccus_records.rules import BUILTIN_RULES
from tests.helpers import CLEAN_BODY, TODAY, clean_record, record_text, write_record

TRUNCATED = clean_record(description="The Example Storage Act sets up a licensing regime for the permanent geolo")


def crlf_truncated(folder: Path) -> Path:
    path = folder / "us-example-act-2020.md"
    path.write_bytes(record_text(TRUNCATED, CLEAN_BODY).replace("\n", "\r\n").encode())
    return path


def test_every_rule_says_the_fix_the_fix_table_offers() -> None:
    offered = {fix.code: ("safe" if fix.safe else "unsafe") for fix in FIXES}
    for rule in BUILTIN_RULES:
        assert rule.fix == offered.get(rule.code, "none"), rule.code
        assert rule.fixable == (rule.code in offered)


def test_lint_text_marks_safe_and_unsafe_fixes_and_counts_them(cli, workdir: Path) -> None:
    crlf_truncated(workdir)
    result = cli("lint", ".", "--today", TODAY, "--isolated")
    lines = result.stdout.splitlines()
    assert any(": F002 [*] [warning]" in line for line in lines), result.stdout
    assert any(": C005 [-] [warning]" in line for line in lines), result.stdout
    assert lines[-1] == "[*] 1 fixable with --fix (1 more with --unsafe-fixes)."


def test_lint_text_has_no_fixable_line_when_nothing_can_be_fixed(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(**{"analysis.mrv.citation": ""}))
    result = cli("lint", ".", "--today", TODAY, "--isolated")
    assert "fixable with --fix" not in result.stdout
    assert "[*]" not in result.stdout


def test_json_and_sarif_say_which_fix_a_finding_has(cli, workdir: Path) -> None:
    crlf_truncated(workdir)
    findings = json.loads(cli("lint", ".", "--today", TODAY, "--isolated", "--format", "json").stdout)["findings"]
    by_code = {finding["code"]: finding for finding in findings}
    assert (by_code["C005"]["fixable"], by_code["C005"]["fix"]) == (True, "unsafe")
    assert (by_code["F002"]["fixable"], by_code["F002"]["fix"]) == (True, "safe")
    sarif = json.loads(cli("lint", ".", "--today", TODAY, "--isolated", "--format", "sarif").stdout)
    properties = {result["ruleId"]: result["properties"] for result in sarif["runs"][0]["results"]}
    assert properties["C005"]["fix"] == "unsafe" and properties["C005"]["fixable"] is True


def test_rules_listing_and_rule_explanation_name_the_unsafe_fix(cli, workdir: Path) -> None:
    rows = {row["code"]: row for row in json.loads(cli("rules", "--isolated", "--format", "json").stdout)}
    assert (rows["C005"]["fixable"], rows["C005"]["fix"]) == (True, "unsafe")
    assert (rows["F001"]["fixable"], rows["F001"]["fix"]) == (True, "safe")
    assert (rows["A001"]["fixable"], rows["A001"]["fix"]) == (False, "none")
    text = cli("rules", "--isolated").stdout
    assert next(line for line in text.splitlines() if line.startswith("C005")).split()[3] == "unsafe"
    header = cli("rule", "C005", "--isolated").stdout.splitlines()[0]
    assert header == "C005 truncated-description [warning] (fixable with --unsafe-fixes)"


def test_lint_fix_diff_previews_the_fixes_and_writes_nothing(cli, workdir: Path) -> None:
    path = crlf_truncated(workdir)
    before = path.read_bytes()
    result = cli("lint", ".", "--fix", "--diff", "--today", TODAY, "--isolated")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- us-example-act-2020.md (before)\n+++ us-example-act-2020.md (fixed)\n")
    assert "\n----\\x0d\n" in result.stdout and "\n+---\n" in result.stdout
    assert "would fix us-example-act-2020.md: F002" in result.stderr
    assert path.read_bytes() == before


def test_lint_fix_diff_with_unsafe_fixes_shows_the_new_description(cli, workdir: Path) -> None:
    path = write_record(workdir, TRUNCATED)
    before = path.read_bytes()
    result = cli("lint", ".", "--fix", "--unsafe-fixes", "--diff", "--today", TODAY, "--isolated")
    assert result.exit_code == 1
    assert '+  "description": "The Example Storage Act sets up a licensing regime' in result.stdout
    assert path.read_bytes() == before


def test_lint_fix_diff_with_nothing_to_fix_is_empty_and_passes(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    result = cli("lint", ".", "--fix", "--diff", "--today", TODAY, "--isolated")
    assert (result.exit_code, result.stdout) == (0, "")


def test_diff_without_fix_is_an_error(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    result = cli("lint", ".", "--diff", "--today", TODAY, "--isolated")
    assert result.exit_code == 2
    assert "--fix" in result.stderr


def test_lint_fix_with_nothing_to_fix_says_nothing_about_fixing(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    result = cli("lint", ".", "--fix", "--today", TODAY, "--isolated")
    assert result.exit_code == 0
    assert "Fixed" not in result.stderr and result.stderr == ""
