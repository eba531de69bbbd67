"""`review`, `fmt` and `lint --fix`: the audit step, the canonical form, fixes only when they hold."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import CLEAN_BODY, TODAY, clean_record, record_text, write_record


def data_of(path: Path) -> dict[str, object]:
    return dict(json.loads(path.read_text(encoding="utf-8").split("---\n")[1]))


def unreviewed(**overrides: object) -> dict[str, object]:
    fields = {"provenance.reviewer": "", "reviewStatus": "draft", "provenance.lastAuditDate": ""}
    return clean_record(**{**fields, **overrides})


# --- review ---------------------------------------------------------------------------------------------


def test_review_sets_reviewer_status_and_audit_date(cli, workdir: Path) -> None:
    path = write_record(workdir / "records", unreviewed())
    result = cli("review", "us-example-act-2020", "--reviewer", "J. Doe", "--today", TODAY, "--isolated")
    assert result.exit_code == 0, result.stderr
    data = data_of(path)
    assert data["reviewStatus"] == "verified"
    assert data["provenance"] == {"author": "A. Curator", "lastAuditDate": TODAY, "reviewer": "J. Doe"}
    assert '~ reviewStatus: "draft" → "verified"' in result.stdout


def test_review_refuses_verified_with_error_findings_and_names_them(cli, workdir: Path) -> None:
    path = write_record(workdir, unreviewed(**{"analysis.mrv.citation": ""}))  # A002 once verified
    before = path.read_bytes()
    result = cli("review", path.name, "--reviewer", "J. Doe", "--today", TODAY, "--isolated")
    assert result.exit_code == 1
    assert "A002" in result.stderr and "mrv" in result.stderr
    assert "--force" in result.stderr
    assert path.read_bytes() == before


def test_review_refuses_a_self_review(cli, workdir: Path) -> None:
    path = write_record(workdir, unreviewed())
    before = path.read_bytes()
    result = cli("review", path.name, "--reviewer", " a. curator ", "--today", TODAY, "--isolated")
    assert result.exit_code == 1
    assert "is the record's author" in result.stderr
    assert path.read_bytes() == before


def test_review_force_overrides_and_says_so(cli, workdir: Path) -> None:
    path = write_record(workdir, unreviewed(**{"analysis.mrv.citation": ""}))
    result = cli("review", path.name, "--reviewer", "A. Curator", "--today", TODAY, "--force", "--isolated")
    assert result.exit_code == 0, result.stderr
    assert "forced: marked verified despite 2 blocker(s)" in result.stdout
    assert "A002" in result.stdout
    assert data_of(path)["reviewStatus"] == "verified"


def test_review_rejected_is_not_blocked_and_note_is_kept(cli, workdir: Path) -> None:
    path = write_record(workdir, unreviewed(**{"analysis.mrv.citation": ""}))
    result = cli(
        "review", path.name, "--reviewer", "J. Doe", "--status", "rejected", "--note", "Citations missing.",
        "--today", TODAY, "--isolated",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = data_of(path)
    assert data["reviewStatus"] == "rejected"
    assert data["analysis"]["statutory"]["auditNote"] == f"{TODAY} J. Doe: Citations missing."  # type: ignore[index]


def test_review_sees_cross_record_errors(cli, workdir: Path) -> None:
    write_record(workdir / "records", unreviewed())
    write_record(workdir / "records", unreviewed(), name="twin.md")  # the same id twice: an identity error
    result = cli("review", "records/twin.md", "--reviewer", "J. Doe", "--today", TODAY, "--isolated")
    assert result.exit_code == 1
    assert "blocks it: I" in result.stderr


def test_review_bad_input(cli, workdir: Path) -> None:
    write_record(workdir / "records", unreviewed())
    missing = cli("review", "nope", "--reviewer", "J. Doe", "--isolated")
    assert missing.exit_code == 2 and "no record with id 'nope'" in missing.stderr
    blank = cli("review", "us-example-act-2020", "--reviewer", "  ", "--isolated")
    assert blank.exit_code == 2 and "reviewer" in blank.stderr
    day = cli("review", "us-example-act-2020", "--reviewer", "J. Doe", "--today", "01/12/2026", "--isolated")
    assert day.exit_code == 2 and "--today" in day.stderr


# --- fmt ------------------------------------------------------------------------------------------------

UNTIDY = '---\n{"id": "x", "title": "y",\n "year": 2020}\n---\n\n\nBody line.   \r\nSecond.\n\n'


def test_fmt_check_diff_and_write(cli, workdir: Path) -> None:
    tidy = write_record(workdir, clean_record())
    untidy = workdir / "untidy.md"
    untidy.write_bytes(UNTIDY.encode("utf-8"))
    tidy_bytes = tidy.read_bytes()

    check = cli("fmt", ".", "--check", "--isolated")
    assert check.exit_code == 1
    assert "would reformat untidy.md" in check.stdout
    assert "1 file(s) would be reformatted, 1 already formatted" in check.stdout
    assert untidy.read_bytes() == UNTIDY.encode("utf-8")

    diff = cli("fmt", "untidy.md", "--diff", "--isolated")
    assert diff.exit_code == 1
    assert '+  "title": "y",' in diff.stdout
    assert "-Body line.   \\x0d" in diff.stdout  # a CR is shown, never sent to the terminal
    assert untidy.read_bytes() == UNTIDY.encode("utf-8")

    write = cli("fmt", ".", "--isolated")
    assert write.exit_code == 0
    assert "reformatted untidy.md" in write.stdout
    assert (
        untidy.read_text(encoding="utf-8")
        == '---\n{\n  "id": "x",\n  "title": "y",\n  "year": 2020\n}\n---\n\nBody line.\nSecond.\n'
    )
    assert tidy.read_bytes() == tidy_bytes
    assert cli("fmt", ".", "--check", "--isolated").exit_code == 0


def test_fmt_reports_unparseable_files_and_goes_on(cli, workdir: Path) -> None:
    (workdir / "broken.md").write_text('---\n{"id": "x",}\n---\n', encoding="utf-8")
    (workdir / "untidy.md").write_bytes(UNTIDY.encode("utf-8"))
    result = cli("fmt", ".", "--isolated")
    assert result.exit_code == 2
    assert "broken.md: cannot format" in result.stderr
    assert "reformatted untidy.md" in result.stdout


def test_fmt_yaml_only_tidies_framing_and_line_endings(cli, workdir: Path) -> None:
    from tests.test_edit_yaml import yaml_record_text

    path = workdir / "r.md"
    path.write_bytes(yaml_record_text("\r\n").encode("utf-8"))
    assert cli("fmt", "r.md", "--isolated").exit_code == 0
    assert path.read_text(encoding="utf-8") == yaml_record_text()


def test_fmt_missing_path(cli, workdir: Path) -> None:
    result = cli("fmt", "nope.md", "--isolated")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


# --- lint --fix -----------------------------------------------------------------------------------------

TRUNCATED = clean_record(description="The Example Storage Act sets up a licensing regime for the permanent geolo")


def test_lint_fix_applies_safe_fixes_and_reports_the_rest(cli, workdir: Path) -> None:
    path = workdir / "us-example-act-2020.md"
    path.write_bytes(record_text(TRUNCATED, CLEAN_BODY).replace("\n", "\r\n").replace('"year"', '"year" ').encode())
    result = cli("lint", ".", "--fix", "--today", TODAY, "--isolated", "--format", "json")
    assert "fixed us-example-act-2020.md: F001, F002" in result.stderr
    assert "1 more fixable with --unsafe-fixes (C005)" in result.stderr
    codes = [finding["code"] for finding in json.loads(result.stdout)["findings"]]
    assert codes == ["C005"]
    assert path.read_text(encoding="utf-8") == record_text(TRUNCATED, CLEAN_BODY)


def test_unsafe_fix_completes_a_truncated_description(cli, workdir: Path) -> None:
    path = write_record(workdir, TRUNCATED)
    before = path.read_text(encoding="utf-8")
    result = cli("lint", ".", "--fix", "--unsafe-fixes", "--today", TODAY, "--isolated")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "fixed us-example-act-2020.md: C005" in result.stderr
    description = data_of(path)["description"]
    assert description == (
        "The Example Storage Act sets up a licensing regime for the permanent geological storage of carbon dioxide."
    )
    changed = [line for line in path.read_text(encoding="utf-8").splitlines() if line not in before.splitlines()]
    assert len(changed) == 1 and changed[0].startswith('  "description": ')


def test_unsafe_fix_cut_at_the_last_whole_sentence(cli, workdir: Path) -> None:
    body = "First sentence here. Second one is longer and it goes on. Third."
    data = clean_record(description="First sentence here. Second one is lon")
    path = write_record(workdir, data, body=body)
    cli("lint", ".", "--fix", "--unsafe-fixes", "--today", TODAY, "--isolated")
    assert data_of(path)["description"] == "First sentence here."


def test_a_fix_is_not_written_on_an_invalid_record(cli, workdir: Path) -> None:
    path = workdir / "us-example-act-2020.md"
    text = record_text(clean_record(**{"analysis.mrv.score": "60"}), CLEAN_BODY).replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-8"))
    result = cli("lint", ".", "--fix", "--today", TODAY, "--isolated")
    assert result.exit_code == 1
    assert "not fixed us-example-act-2020.md: F002: the record is not valid" in result.stderr
    assert path.read_bytes() == text.encode("utf-8")


def test_lint_fix_respects_select(cli, workdir: Path) -> None:
    path = workdir / "us-example-act-2020.md"
    text = record_text(clean_record(), CLEAN_BODY).replace('"year"', '"year" ')
    path.write_text(text, encoding="utf-8")
    cli("lint", ".", "--fix", "--select", "C", "--today", TODAY, "--isolated")
    assert path.read_text(encoding="utf-8") == text


def test_review_refuses_a_self_review_whatever_the_status(cli, workdir: Path) -> None:
    path = write_record(workdir, unreviewed())
    before = path.read_bytes()
    result = cli("review", path.name, "--reviewer", "A. Curator", "--status", "pending", "--today", TODAY, "--isolated")
    assert result.exit_code == 1
    assert "is the record's author" in result.stderr
    assert "not marked pending" in result.stderr
    assert path.read_bytes() == before
    assert "A004" not in cli("lint", path.name, "--today", TODAY, "--isolated").stdout
