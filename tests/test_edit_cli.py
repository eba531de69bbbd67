"""`edit` as a curator drives it: minimal diffs, typed values, refusals that leave files untouched."""

from __future__ import annotations

import difflib
import json
import os
import stat
from pathlib import Path

import pytest

from tests.helpers import CLEAN_BODY, clean_record, record_text, write_record

ISOLATED = ("--isolated",)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_one_field_edit_of_a_canonical_record_changes_exactly_one_line(cli, workdir: Path) -> None:
    path = write_record(workdir / "records", clean_record())
    before = path.read_text(encoding="utf-8")
    result = cli("edit", "us-example-act-2020", "--set", "analysis.mrv.score=55", *ISOLATED)
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == ['-      "score": 60', '+      "score": 55']
    assert "~ analysis.mrv.score: 60 → 55" in result.stdout
    assert json.loads(after.split("---\n")[1])["analysis"]["mrv"]["score"] == 55


def test_edit_by_path_and_string_value(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record())
    before = path.read_text(encoding="utf-8")
    result = cli("edit", str(path.name), "--set", "provenance.reviewer=J. Doe", *ISOLATED)
    assert result.exit_code == 0, result.stderr
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        '-    "reviewer": "B. Reviewer"',
        '+    "reviewer": "J. Doe"',
    ]


def test_body_is_kept_byte_for_byte(cli, workdir: Path) -> None:
    body = "Line one with trailing space   \n\n\n# Heading\r\n\nlast line without newline"
    path = workdir / "us-example-act-2020.md"
    path.write_bytes(record_text(clean_record(), "x").replace("x\n", body).encode("utf-8"))
    tail = path.read_bytes().split(b"\n---\n", 1)[1]
    assert cli("edit", path.name, "--set", "year=2021", *ISOLATED).exit_code == 0
    assert path.read_bytes().split(b"\n---\n", 1)[1] == tail


def test_list_operations_apply_in_the_order_given(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record(sectors=["Power", "Cement"]))
    result = cli(
        "edit",
        path.name,
        "--append",
        "sectors=Steel",
        "--remove",
        "sectors=Power",
        "--unset",
        "relatedFacilities",
        *ISOLATED,
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(path.read_text(encoding="utf-8").split("---\n")[1])
    assert data["sectors"] == ["Cement", "Steel"]
    # --unset then --append: the order across kinds is the order on the command line.
    assert cli("edit", path.name, "--unset", "sectors", "--append", "sectors=Hydrogen", *ISOLATED).exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8").split("---\n")[1])["sectors"] == ["Hydrogen"]
    assert cli("edit", path.name, "--append", "sectors=Iron", "--unset", "sectors", *ISOLATED).exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8").split("---\n")[1])["sectors"] == []


def test_json_sets_a_whole_value(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record())
    dimension = dict(clean_record()["analysis"]["mrv"], score=70, label="Strong MRV")
    result = cli("edit", path.name, "--json", f"analysis.mrv={json.dumps(dimension)}", *ISOLATED)
    assert result.exit_code == 0, result.stderr
    assert "~ analysis.mrv.score: 60 → 70" in result.stdout
    assert "~ analysis.mrv.label" in result.stdout


def test_dry_run_prints_the_field_diff_and_writes_nothing(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record())
    before = path.read_bytes()
    result = cli(
        "edit", path.name, "--set", "provenance.reviewer=", "--append", "sectors=Steel", "--dry-run", *ISOLATED
    )
    assert result.exit_code == 0, result.stderr
    assert '~ provenance.reviewer: "B. Reviewer" → ""' in result.stdout
    assert '+ sectors[1]: "Steel"' in result.stdout
    assert "nothing written" in result.stdout
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "analysis.mrv.scor=5"), "unknown field 'analysis.mrv.scor'; did you mean analysis.mrv.score?"),
        (("--set", "analysis.mrv.score=high"), "'high' is not an integer"),
        (("--set", "pubDate=15/01/2024"), "is not a date YYYY-MM-DD"),
        (("--set", "reviewStatus=approved"), "is not one of draft, pending, verified, rejected"),
        (("--set", "sectors=Power"), "sectors is a list"),
        (("--append", "title=x"), "title is not a list"),
        (("--set", "title"), "expected FIELD=VALUE"),
        (("--json", "analysis.mrv={not json"), "not valid JSON"),
        (("--set", "analysis.mrv.score=101"), "refused, the record would be invalid: `analysis.mrv.score`"),
        (("--json", 'analysis.mrv.score="40"'), "`analysis.mrv.score`: input should be a valid integer"),
        (("--unset", "pubDate"), "`pubDate`"),
        (("--json", 'provenance={"author": "A"}'), "`provenance.reviewer` is required"),
    ],
)
def test_bad_input_is_one_clear_line_exit_2_and_the_file_is_untouched(
    cli, workdir: Path, args: tuple[str, ...], message: str
) -> None:
    path = write_record(workdir, clean_record())
    before = path.read_bytes()
    result = cli("edit", path.name, *args, *ISOLATED)
    assert result.exit_code == 2
    assert result.stderr.startswith("ccus-records: error: ")
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_missing_record_is_a_clear_error(cli, workdir: Path) -> None:
    write_record(workdir / "records", clean_record())
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    result = cli("edit", "no-such-id", "--set", "title=x")
    assert result.exit_code == 2
    assert "no record with id 'no-such-id'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_duplicate_ids_ask_for_the_path(cli, workdir: Path) -> None:
    write_record(workdir / "records", clean_record())
    write_record(workdir / "records", clean_record(), name="copy.md")
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    result = cli("edit", "us-example-act-2020", "--set", "title=x")
    assert result.exit_code == 2
    assert "2 records have that id" in result.stderr


def test_unparseable_record_cannot_be_edited_with_options(cli, workdir: Path) -> None:
    path = workdir / "broken.md"
    path.write_text('---\n{"id": "x",}\n---\n', encoding="utf-8")
    result = cli("edit", path.name, "--set", "title=x", *ISOLATED)
    assert result.exit_code == 2
    assert "does not parse" in result.stderr
    assert path.read_text(encoding="utf-8") == '---\n{"id": "x",}\n---\n'


def test_batch_edit_with_where(cli, workdir: Path) -> None:
    records = workdir / "records"
    china = [write_record(records, clean_record(f"cn-act-{n}-2020", country="China")) for n in range(3)]
    other = write_record(records, clean_record("us-other-act-2020"))
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    before_other = other.read_bytes()
    result = cli("edit", "--where", "country=China", "--where", "year>=2020", "--set", "reviewStatus=pending")
    assert result.exit_code == 0, result.stderr
    assert "3 of 3 record(s) changed" in result.stdout
    for path in china:
        assert json.loads(path.read_text(encoding="utf-8").split("---\n")[1])["reviewStatus"] == "pending"
    assert other.read_bytes() == before_other


def test_batch_edit_refuses_all_when_one_would_be_invalid(cli, workdir: Path) -> None:
    records = workdir / "records"
    good = write_record(records, clean_record("cn-a-2020", country="China"))
    bad_data = clean_record("cn-b-2020", country="China")
    bad_data["notes"] = "a key the model does not know"
    bad = write_record(records, bad_data)
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    before = (good.read_bytes(), bad.read_bytes())
    result = cli("edit", "--where", "country=China", "--set", "reviewStatus=pending")
    assert result.exit_code == 2
    assert "cn-b-2020.md: refused" in result.stderr and "`notes` is not a field of a record" in result.stderr
    assert (good.read_bytes(), bad.read_bytes()) == before


def test_batch_edit_with_has(cli, workdir: Path) -> None:
    records = workdir / "records"
    unreviewed = write_record(records, clean_record("us-a-2020", **{"provenance.reviewer": ""}))  # A001
    fine = write_record(records, clean_record("us-b-2020"))
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    before = fine.read_bytes()
    result = cli("edit", "--has", "A001", "--set", "reviewStatus=pending", "--today", "2026-12-01")
    assert result.exit_code == 0, result.stderr
    assert json.loads(unreviewed.read_text(encoding="utf-8").split("---\n")[1])["reviewStatus"] == "pending"
    assert fine.read_bytes() == before


def test_where_matching_nothing_is_not_an_error(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    result = cli("edit", ".", "--where", "country=France", "--set", "title=x", *ISOLATED)
    assert result.exit_code == 0
    assert "no record matches" in result.stderr


def test_where_compares_countries_as_the_linter_reads_them(cli, workdir: Path) -> None:
    records = workdir / "records"
    china = write_record(records, clean_record("cn-act-2020", country="China"))
    other = write_record(records, clean_record("us-other-act-2020"))
    before = other.read_bytes()
    result = cli("edit", "--where", "country==CN", "--set", "reviewStatus=pending", *ISOLATED)
    assert result.exit_code == 0, result.stderr
    assert json.loads(china.read_text(encoding="utf-8").split("---\n")[1])["reviewStatus"] == "pending"
    assert other.read_bytes() == before


def test_where_with_a_value_no_record_can_have_edits_nothing(cli, workdir: Path) -> None:
    records = workdir / "records"
    paths = [write_record(records, clean_record("cn-act-2020", country="China"))]
    paths.append(write_record(records, clean_record("us-other-act-2020")))
    before = [path.read_bytes() for path in paths]
    for where in ("country=Chna", "country!=Chna"):
        result = cli("edit", "--where", where, "--set", "reviewStatus=pending", *ISOLATED)
        assert result.exit_code == 2
        assert result.stderr.endswith("is not a country name, nor the country of any record; did you mean China?\n")
        assert [path.read_bytes() for path in paths] == before


def test_bad_where_is_a_usage_error(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    result = cli("edit", "--where", "nosuch=1", "--set", "title=x", *ISOLATED)
    assert result.exit_code == 2
    assert "unknown field 'nosuch'" in result.stderr


def test_file_mode_is_kept(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record())
    path.chmod(0o640)
    assert cli("edit", path.name, "--set", "year=2021", *ISOLATED).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [name for name in os.listdir(workdir) if name.endswith(".tmp")]


def test_symlink_inside_the_corpus_is_written_through(cli, workdir: Path) -> None:
    target = write_record(workdir / "records", clean_record())
    link = workdir / "records" / "alias.md"
    link.symlink_to(target.name)
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    assert cli("edit", "records/alias.md", "--set", "year=2021").exit_code == 0
    assert link.is_symlink()
    assert '"year": 2021' in target.read_text(encoding="utf-8")


def test_crlf_json_record_keeps_its_line_endings(cli, workdir: Path) -> None:
    path = workdir / "us-example-act-2020.md"
    path.write_bytes(record_text(clean_record(), CLEAN_BODY).replace("\n", "\r\n").encode("utf-8"))
    before = path.read_bytes()
    assert cli("edit", path.name, "--set", "year=2021", *ISOLATED).exit_code == 0
    after = path.read_bytes()
    assert after.count(b"\r\n") == before.count(b"\r\n")
    assert after.replace(b'"year": 2021', b'"year": 2020') == before


def test_edit_changing_nothing_writes_nothing(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record())
    os.utime(path, (1_000_000_000, 1_000_000_000))
    result = cli("edit", path.name, "--set", "year=2020", *ISOLATED)
    assert result.exit_code == 0
    assert "0 of 1 record(s) changed" in result.stdout
    assert path.stat().st_mtime == 1_000_000_000
