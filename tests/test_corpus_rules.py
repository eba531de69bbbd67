"""Cross-record rules on small corpora: they always see the whole corpus, even when one file is linted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import TODAY, clean_record, json_findings, write_record


def lint(cli: Any, *args: str) -> list[dict[str, Any]]:
    result = cli("lint", *args, "--today", TODAY, "--format", "json", "--select", "I")
    assert result.exit_code in (0, 1), result.stderr
    return json_findings(result.stdout)


def configure(root: Path, records: str = "records") -> None:
    (root / "ccus-records.toml").write_text(f'records = ["{records}"]\n', encoding="utf-8")


def chain(root: Path, links: dict[str, tuple[str, list[str], str]]) -> None:
    """links: id -> (supersededBy, supersedes, status)."""
    for record_id, (successor, older, status) in links.items():
        data = clean_record(
            record_id, **{"evolution.supersededBy": successor, "evolution.supersedes": older, "status": status}
        )
        write_record(root / "records", data)


def test_i004_duplicate_id_reported_on_each_and_seen_from_one_file(cli, workdir: Path) -> None:
    configure(workdir)
    write_record(workdir / "records", clean_record("us-a"))
    write_record(workdir / "records" / "old", clean_record("us-a"))
    findings = lint(cli)
    assert sorted((f["path"], f["code"]) for f in findings) == [
        ("records/old/us-a.md", "I004"),
        ("records/us-a.md", "I004"),
    ]
    only_one = lint(cli, "records/us-a.md")
    assert [(f["path"], f["code"]) for f in only_one] == [("records/us-a.md", "I004")]
    assert "records/old/us-a.md" in only_one[0]["message"]


def test_i005_dangling_reference(cli, workdir: Path) -> None:
    configure(workdir)
    chain(workdir, {"us-new": ("", ["us-gone"], "Active")})
    [finding] = lint(cli, "records/us-new.md")
    assert (finding["code"], finding["field"]) == ("I005", "evolution.supersedes[0]")
    assert finding["line"] is not None


def test_i006_asymmetric_is_reported_where_the_reference_is_not_returned(cli, workdir: Path) -> None:
    configure(workdir)
    chain(workdir, {"us-old": ("us-new", [], "Superseded"), "us-new": ("", [], "Active")})
    findings = lint(cli)
    assert [(f["record"], f["code"], f["field"]) for f in findings] == [("us-old", "I006", "evolution.supersededBy")]
    chain(workdir, {"us-old": ("", [], "Active"), "us-new": ("", ["us-old"], "Active")})
    findings = lint(cli)
    assert [(f["record"], f["code"], f["field"]) for f in findings] == [("us-new", "I006", "evolution.supersedes[0]")]


def test_symmetric_chain_is_clean(cli, workdir: Path) -> None:
    configure(workdir)
    chain(
        workdir,
        {
            "us-a": ("us-b", [], "Superseded"),
            "us-b": ("us-c", ["us-a"], "Superseded"),
            "us-c": ("", ["us-b"], "Active"),
        },
    )
    assert lint(cli) == []


def test_i007_cycle(cli, workdir: Path) -> None:
    configure(workdir)
    chain(workdir, {"us-a": ("us-b", ["us-b"], "Superseded"), "us-b": ("us-a", ["us-a"], "Superseded")})
    findings = [f for f in lint(cli) if f["code"] == "I007"]
    assert sorted(f["record"] for f in findings) == ["us-a", "us-b"]
    assert "us-a → us-b → us-a" in findings[0]["message"]


def test_i007_self_supersession(cli, workdir: Path) -> None:
    configure(workdir)
    chain(workdir, {"us-a": ("us-a", ["us-a"], "Superseded")})
    assert "I007" in [f["code"] for f in lint(cli)]


def test_i003_filename(cli, workdir: Path) -> None:
    configure(workdir)
    write_record(workdir / "records", clean_record("us-a"), name="something.md")
    assert [f["code"] for f in lint(cli)] == ["I003"]
