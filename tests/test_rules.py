"""Every per-record rule: a record that trips it, and the clean record that must not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CLEAN_BODY, DELETE, TODAY, clean_record, json_findings, record_text, write_record


def lint_json(cli: Any, *paths: str, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    result = cli("lint", *paths, "--today", TODAY, "--format", "json", "--isolated", *extra)
    assert result.exit_code in (0, 1), result.stderr
    return json_findings(result.stdout)


def codes_of(findings: list[dict[str, Any]]) -> list[str]:
    return sorted(finding["code"] for finding in findings)


def test_clean_record_has_no_findings(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    result = cli("lint", ".", "--today", TODAY, "--isolated")
    assert result.exit_code == 0, result.stdout
    assert "no findings" in result.stdout


# (code, dotted overrides, field expected on the finding)
TRIPS: list[tuple[str, dict[str, Any], str | None]] = [
    ("S003", {"analysis.mrv.score": "40"}, "analysis.mrv.score"),
    ("S003", {"analysis.mrv.score": 101}, "analysis.mrv.score"),
    ("S003", {"reviewStatus": "approved"}, "reviewStatus"),
    ("S003", {"pubDate": "15/01/2020"}, "pubDate"),
    ("S003", {"pubDate": "2024-02-30", "year": 2024}, "pubDate"),
    ("S003", {"title": DELETE}, "title"),
    ("S003", {"analysis.mrv": DELETE}, "analysis.mrv"),
    ("S003", {"year": True}, "year"),
    ("S003", {"provenance.lastAuditDate": "soon"}, "provenance.lastAuditDate"),
    ("S005", {"provenance.reviwer": "J. Doe"}, "provenance.reviwer"),
    ("S005", {"extra": 1}, "extra"),
    ("I001", {"id": "US_Example Act"}, "id"),
    ("I002", {"country": "Canada"}, "id"),
    ("C001", {"source": "  "}, "source"),
    ("C002", {"analysis.market.evidence": ""}, "analysis.market.evidence"),
    ("C003", {"analysis.market.citation": ""}, "analysis.market.citation"),
    ("C004", {"regulatory.liability_period": ""}, "regulatory"),
    ("A001", {"provenance.reviewer": ""}, "provenance.reviewer"),
    ("A002", {"analysis.mrv.citation": ""}, "analysis"),
    ("A003", {"provenance.author": "GPT-4o", "provenance.reviewer": "", "reviewStatus": "draft"}, "provenance.author"),
    ("A004", {"provenance.reviewer": " a. curator "}, "provenance.reviewer"),
    ("A005", {"provenance.lastAuditDate": "2027-01-01"}, "provenance.lastAuditDate"),
    ("A005", {"provenance.lastAuditDate": "2019-12-31"}, "provenance.lastAuditDate"),
    ("A006", {"provenance.lastAuditDate": "2025-01-01"}, "provenance.lastAuditDate"),
    ("A006", {"provenance.lastAuditDate": ""}, "provenance.lastAuditDate"),
    ("A007", {"analysis.market.label": "Not specified"}, "analysis.market.label"),
    ("A007", {"analysis.market.label": "n/a"}, "analysis.market.label"),
    ("D001", {"year": 2021}, "year"),
    ("D003", {"pubDate": "2027-03-01", "year": 2027}, "pubDate"),
    ("V001", {"country": "Atlantis"}, "country"),
    ("V001", {"category": "Tax"}, "category"),
    ("V001", {"legalWeight": "Decree"}, "legalWeight"),
    ("I008", {"status": "Superseded"}, "status"),
    ("I008", {"evolution.supersededBy": "us-example-act-2020"}, "status"),
]


@pytest.mark.parametrize(("code", "overrides", "field"), TRIPS, ids=[f"{t[0]}-{i}" for i, t in enumerate(TRIPS)])
def test_rule_trips(cli, workdir: Path, code: str, overrides: dict[str, Any], field: str | None) -> None:
    write_record(workdir, clean_record(**overrides))
    findings = [finding for finding in lint_json(cli, ".") if finding["code"] == code]
    assert findings, f"{code} did not fire"
    assert field in [finding["field"] for finding in findings]
    for finding in findings:
        assert finding["line"] is not None and finding["line"] >= 1
        assert finding["column"] is not None and finding["column"] >= 1


NOT_TRIPS: list[tuple[str, dict[str, Any]]] = [
    ("I002", {"country": "United Kingdom", "id": "uk-example-act-2020"}),
    ("I002", {"country": "United Kingdom", "id": "gb-example-act-2020"}),
    ("I002", {"country": "European Union", "id": "eu-example-act-2020"}),
    ("I002", {"country": "International", "id": "int-example-act-2020"}),
    ("V001", {"country": "united states of america", "id": "us-example-act-2020"}),
    ("V001", {"country": "South Korea", "id": "kr-example-act-2020"}),
    ("A003", {"provenance.author": "Kai Aiden"}),
    ("A003", {"provenance.author": "Gemini Intelligence"}),  # a reviewer is named
    ("A007", {"analysis.market.label": "Not specified", "analysis.market.score": 20}),
    ("A001", {"reviewStatus": "pending", "provenance.reviewer": ""}),
    ("A002", {"reviewStatus": "pending", "analysis.mrv.citation": ""}),
    ("A006", {"reviewStatus": "pending", "provenance.lastAuditDate": ""}),
]


@pytest.mark.parametrize(("code", "overrides"), NOT_TRIPS, ids=[f"{t[0]}-{i}" for i, t in enumerate(NOT_TRIPS)])
def test_rule_does_not_trip(cli, workdir: Path, code: str, overrides: dict[str, Any]) -> None:
    data = clean_record(**overrides)
    write_record(workdir, data)
    assert code not in codes_of(lint_json(cli, "."))


def test_s001_no_front_matter_and_unclosed(cli, workdir: Path) -> None:
    (workdir / "a.md").write_text("# Just a heading\n", encoding="utf-8")
    (workdir / "b.md").write_text("---\n{}\n", encoding="utf-8")
    findings = lint_json(cli, ".")
    assert [(f["path"], f["code"]) for f in findings] == [("a.md", "S001"), ("b.md", "S001")]


def test_s002_json_syntax_position_is_counted_in_the_file(cli, workdir: Path) -> None:
    (workdir / "a.md").write_text('---\n{\n  "id": "us-x",\n  "title": ,\n}\n---\n\nBody.\n', encoding="utf-8")
    [finding] = lint_json(cli, ".")
    assert finding["code"] == "S002"
    assert (finding["line"], finding["column"]) == (4, 12)


def test_s002_yaml_syntax(cli, workdir: Path) -> None:
    (workdir / "a.md").write_text("---\nid: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    [finding] = lint_json(cli, ".")
    assert finding["code"] == "S002"
    assert finding["line"] >= 2


def test_s004_duplicate_key_in_json(cli, workdir: Path) -> None:
    text = record_text(clean_record()).replace(
        '"reviewStatus": "verified",', '"reviewStatus": "draft",\n  "reviewStatus": "verified",'
    )
    (workdir / "us-example-act-2020.md").write_text(text, encoding="utf-8")
    findings = [f for f in lint_json(cli, ".") if f["code"] == "S004"]
    assert [f["field"] for f in findings] == ["reviewStatus"]
    assert findings[0]["line"] == text.splitlines().index('  "reviewStatus": "verified",') + 1


def test_s006_encoding_problems(cli, workdir: Path) -> None:
    good = record_text(clean_record()).encode()
    (workdir / "bom.md").write_bytes(b"\xef\xbb\xbf" + good)
    (workdir / "latin1.md").write_bytes(good.replace(b"Example Storage Act", "Exámple".encode("latin-1"), 1))
    (workdir / "control.md").write_bytes(good.replace(b"Operators", b"Oper\x1b[2Jators"))
    findings = lint_json(cli, ".")
    s006 = {f["path"] for f in findings if f["code"] == "S006"}
    assert s006 == {"bom.md", "latin1.md", "control.md"}


def test_c005_truncated_description(cli, workdir: Path) -> None:
    body = "Alpha beta gamma delta. Epsilon zeta."
    write_record(workdir, clean_record(description="Alpha beta gam"), body=body)
    write_record(workdir / "b", clean_record(description="Alpha beta gamma delta"), body=body)
    write_record(workdir / "c", clean_record(description="Alpha beta gamma delta."), body=body)
    write_record(workdir / "d", clean_record(description="Something else entirely"), body=body)
    findings = [f["path"] for f in lint_json(cli, ".", extra=("--select", "C005"))]
    assert findings == ["b/us-example-act-2020.md", "us-example-act-2020.md"]


def test_c005_accepts_cjk_and_quoted_sentence_ends(cli, workdir: Path) -> None:
    body = "他说：“碳捕集很重要。” 后续内容。"
    write_record(workdir, clean_record(description="他说：“碳捕集很重要。”"), body=body)
    assert lint_json(cli, ".", extra=("--select", "C005")) == []


def test_c007_empty_body(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(), body="")
    assert "C007" in codes_of(lint_json(cli, "."))


def test_d002_anachronism_and_forward_references(cli, workdir: Path) -> None:
    body = "Adopted in 2020. It was amended in 2023 and again in 2024. Emissions fall by 2025 and the target 2026."
    write_record(workdir, clean_record(description="Adopted in 2020."), body=body)
    [finding] = [f for f in lint_json(cli, ".") if f["code"] == "D002"]
    assert "2023, 2024" in finding["message"]
    assert "2025" not in finding["message"] and "2026" not in finding["message"]
    assert finding["field"] == "body"
    assert finding["line"] == record_text(clean_record(), body).splitlines().index(body) + 1


def test_d002_ignores_years_after_today(cli, workdir: Path) -> None:
    body = "Adopted in 2020. A review is planned for 2030."
    write_record(workdir, clean_record(description="Adopted in 2020."), body=body)
    assert "D002" not in codes_of(lint_json(cli, "."))


def test_f001_and_f002(cli, workdir: Path) -> None:
    text = record_text(clean_record())
    (workdir / "us-example-act-2020.md").write_text(text.replace("\n  ", "\n    "), encoding="utf-8")
    (workdir / "b").mkdir()
    (workdir / "b" / "us-example-act-2020.md").write_bytes(text.replace("\n", "\r\n").encode())
    (workdir / "c").mkdir()
    (workdir / "c" / "us-example-act-2020.md").write_text(
        text.replace("report leaks.", "report leaks.  "), encoding="utf-8"
    )
    findings = lint_json(cli, ".", extra=("--select", "F"))
    assert sorted((f["path"], f["code"]) for f in findings) == [
        ("b/us-example-act-2020.md", "F002"),
        ("c/us-example-act-2020.md", "F002"),
        ("us-example-act-2020.md", "F001"),
    ]
    assert all(f["fixable"] for f in findings)
    messages = {f["path"]: f["message"] for f in findings}
    assert messages["b/us-example-act-2020.md"].startswith("CRLF line endings (first on line 1)")


def test_f002_names_bare_cr_line_endings_as_cr(cli, workdir: Path) -> None:
    (workdir / "a.md").write_bytes(record_text(clean_record()).replace("\n", "\r").encode())
    findings = [f for f in lint_json(cli, ".", extra=("--select", "F002"))]
    assert [f["message"].split(" (")[0] for f in findings] == ["CR line endings"]


def test_f001_framing_of_yaml_front_matter(cli, workdir: Path) -> None:
    (workdir / "a.md").write_text("---\nid: us-a\n---\nBody right after.\n\n\n", encoding="utf-8")
    findings = lint_json(cli, ".", extra=("--select", "F001"))
    assert [f["code"] for f in findings] == ["F001"]
    (workdir / "a.md").write_text("---\nid: us-a\n---\n\nBody.\n", encoding="utf-8")
    assert lint_json(cli, ".", extra=("--select", "F001")) == []


def test_yaml_record_with_unquoted_dates_is_valid(cli, workdir: Path) -> None:
    import io

    from ruamel.yaml import YAML

    data = clean_record()
    stream = io.StringIO()
    yaml = YAML()
    yaml.width = 4096
    yaml.dump(data, stream)
    yaml_text = stream.getvalue().replace("'2020-03-01'", "2020-03-01").replace("'2026-10-01'", "2026-10-01")
    assert "pubDate: 2020-03-01" in yaml_text
    (workdir / "us-example-act-2020.md").write_text(f"---\n{yaml_text}---\n\n{CLEAN_BODY}\n", encoding="utf-8")
    assert lint_json(cli, ".") == []


def test_yaml_positions_point_at_the_key(cli, workdir: Path) -> None:
    (workdir / "a.md").write_text("---\nid: us-a\nextra: 1\n---\n\nBody.\n", encoding="utf-8")
    [finding] = [f for f in lint_json(cli, ".") if f["code"] == "S005"]
    assert (finding["line"], finding["column"]) == (3, 1)
