"""`ccus-records show ID|PATH`: one record for a person, its findings, and its data as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import TODAY, clean_record, write_record


def test_show_by_id_has_fields_analysis_provenance_body_findings(cli, workdir: Path) -> None:
    data = clean_record(
        **{
            "provenance.reviewer": "",
            "analysis.mrv.score": 45,
            "analysis.mrv.label": "Monitoring plan",
            "analysis.mrv.auditNote": "Checked against s. 9.",
        }
    )
    write_record(workdir / "seeds", data, body="## Scope\n\nThe Act covers **storage** permits.")
    result = cli("show", "us-example-act-2020", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    lines = out.splitlines()
    assert lines[0] == "Example Storage Act" and lines[1] == "seeds/us-example-act-2020.md"
    assert any(line.split() == ["country", "United", "States"] for line in lines)
    assert any(line.split()[:2] == ["mrv", "45"] and "Monitoring" in line for line in lines)
    assert "audit note (mrv): Checked against s. 9." in out
    assert any(line.split() == ["author", "A.", "Curator"] for line in lines)
    assert any(line.split() == ["reviewer", "—"] for line in lines)
    # The body is rendered as Markdown, not printed as source.
    assert "Scope" in out and "## Scope" not in out and "**storage**" not in out and "storage permits" in out
    assert "Findings (1)" in out
    assert "A001 [error] the record is verified but names no reviewer (provenance.reviewer)" in out


def test_show_by_path_and_no_findings(cli, workdir: Path) -> None:
    path = write_record(workdir / "elsewhere", clean_record("us-clean-2020"))
    result = cli("show", str(path.relative_to(workdir)), "--today", TODAY, "--isolated")
    assert result.exit_code == 0, result.stderr
    assert "No findings." in result.stdout and "Findings (0)" in result.stdout


def test_show_includes_cross_record_findings(cli, workdir: Path) -> None:
    write_record(workdir / "seeds", clean_record("us-twin-2020"), name="one.md")
    write_record(workdir / "seeds", clean_record("us-twin-2020"), name="two.md")
    result = cli("show", "seeds/one.md", "--today", TODAY)
    assert result.exit_code == 0 and "I00" in result.stdout


def test_show_json_prints_the_record_data(cli, workdir: Path) -> None:
    data = clean_record()
    write_record(workdir / "seeds", data)
    result = cli("show", "us-example-act-2020", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == data


def test_show_keeps_record_text_inert(cli, workdir: Path) -> None:
    evil = clean_record(
        title="[bold]Not bold[/bold] \x1b[2J",
        description="[link=https://evil.example]click[/link]",
        **{"analysis.mrv.evidence": "[red]x[/red]"},
    )
    write_record(workdir / "seeds", evil, body="Body with [blink]markup[/blink] and \x1b]8;;https://x\x07link.")
    out = cli("show", "us-example-act-2020", "--today", TODAY).stdout
    assert "[bold]Not bold[/bold]" in out and "\\x1b[2J" in out
    assert "[link=https://evil.example]click[/link]" in out and "[red]x[/red]" in out
    assert "[blink]markup[/blink]" in out
    assert "\x1b" not in out and "\x07" not in out


def test_show_unknown_id_is_exit_2_with_a_hint(cli, workdir: Path) -> None:
    write_record(workdir / "seeds", clean_record())
    result = cli("show", "example-act")
    assert result.exit_code == 2
    assert "no record with id" in result.stderr and "us-example-act-2020" in result.stderr


def test_show_unparseable_or_ambiguous_is_exit_2(cli, workdir: Path) -> None:
    (workdir / "broken.md").write_text("---\n{oops\n---\n", encoding="utf-8")
    result = cli("show", "broken.md")
    assert result.exit_code == 2 and "broken.md: not a record: invalid JSON" in result.stderr
    write_record(workdir / "seeds", clean_record(), name="a.md")
    write_record(workdir / "seeds", clean_record(), name="b.md")
    twice = cli("show", "us-example-act-2020")
    assert twice.exit_code == 2 and "2 records have that id" in twice.stderr
    folder = cli("show", "seeds")
    assert folder.exit_code == 2 and "a folder" in folder.stderr


def test_show_a_seed(cli, workdir: Path) -> None:
    result = cli("show", "us-45q-2008", "--today", TODAY, "--demo")
    assert result.exit_code == 0
    assert result.stdout.startswith("Energy Improvement and Extension Act of 2008")
    assert "A003 [warning]" in result.stdout
