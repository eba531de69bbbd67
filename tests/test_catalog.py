"""`rules`, `rule CODE` and `schema`: the catalog explains itself from the code."""

from __future__ import annotations

import json
from pathlib import Path

from ccus_records.rules import BUILTIN_RULES

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "record.schema.json"
SECTIONS = ("What it checks", "Why an auditor cares", "Example", "How to fix")


def test_every_rule_documents_itself() -> None:
    for rule in BUILTIN_RULES:
        doc = rule.explanation()
        for section in SECTIONS:
            assert section in doc, f"{rule.code} lacks {section!r}"


def test_rules_lists_every_code(cli, workdir: Path) -> None:
    result = cli("rules", "--isolated")
    assert result.exit_code == 0
    for rule in BUILTIN_RULES:
        assert f"{rule.code}  {rule.name}" in result.stdout
    rows = json.loads(cli("rules", "--format", "json", "--isolated").stdout)
    assert {row["code"] for row in rows} == {rule.code for rule in BUILTIN_RULES}
    f001 = next(row for row in rows if row["code"] == "F001")
    assert f001["fixable"] is True and f001["severity"] == "warning"


def test_rule_explains_one(cli, workdir: Path) -> None:
    result = cli("rule", "a001", "--isolated")
    assert result.exit_code == 0
    assert result.stdout.startswith("A001 verified-without-reviewer [error]")
    assert "Why an auditor cares" in result.stdout
    missing = cli("rule", "Q999", "--isolated")
    assert missing.exit_code == 2 and "Q999" in missing.stderr


def test_checked_in_schema_equals_schema_command(cli) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert SCHEMA_FILE.read_text(encoding="utf-8") == result.stdout
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
