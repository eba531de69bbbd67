"""`lint --write-baseline` / `--baseline`: known findings hidden, new ones reported, fixed ones named."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.helpers import CLEAN_BODY, TODAY, clean_record, write_record

# A verified record without a citation for mrv: A002 (error, field `analysis`) and C003 (warning).
GAPS = {"analysis.mrv.citation": ""}


def lint(cli, *arguments: str):  # type: ignore[no-untyped-def]
    return cli("lint", "--today", TODAY, "--isolated", *arguments)


def yaml_record_text(data: dict[str, Any], body: str) -> str:
    """The same record as YAML front matter with its keys in reverse order: every line moves."""

    def reverse(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: reverse(value[key]) for key in sorted(value, reverse=True)}
        return value

    yaml = YAML()
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(reverse(data), stream)
    return f"---\n{stream.getvalue()}---\n\n{body}\n"


def codes(output: str) -> list[str]:
    return sorted(finding["code"] for finding in json.loads(output)["findings"])


def test_write_baseline_then_lint_is_clean(cli, workdir: Path) -> None:
    write_record(workdir / "records", clean_record(**GAPS))
    written = lint(cli, "records", "--write-baseline", "baseline.json")
    assert written.exit_code == 0, written.stderr
    assert written.stdout == "Wrote baseline baseline.json: 2 findings as 2 entries (judged on 2026-12-01).\n"
    document = json.loads((workdir / "baseline.json").read_text(encoding="utf-8"))
    assert document["version"] == 1 and document["today"] == TODAY
    assert [(e["record"], e["code"], e["field"], e["count"]) for e in document["findings"]] == [
        ("us-example-act-2020", "A002", "analysis", 1),
        ("us-example-act-2020", "C003", "analysis.mrv.citation", 1),
    ]
    assert document["findings"][0]["path"] == "records/us-example-act-2020.md"
    assert "line" not in document["findings"][0]

    result = lint(cli, "records", "--baseline", "baseline.json")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "All clear: 1 file checked, no findings.",
        "Baseline baseline.json: 2 known findings hidden.",
    ]


def test_baseline_survives_a_reformat_and_an_unrelated_edit(cli, workdir: Path) -> None:
    data = clean_record(**GAPS)
    path = write_record(workdir, data)
    assert lint(cli, ".", "--write-baseline", "baseline.json").exit_code == 0
    before = json.loads(lint(cli, ".", "--format", "json").stdout)["findings"]

    path.write_text(yaml_record_text(data, CLEAN_BODY), encoding="utf-8")  # reformatted: JSON to YAML
    after = json.loads(lint(cli, ".", "--format", "json").stdout)["findings"]
    assert [f["code"] for f in after] == [f["code"] for f in before] or sorted(f["code"] for f in after) == sorted(
        f["code"] for f in before
    )
    assert {f["line"] for f in after} != {f["line"] for f in before}  # the findings really moved
    result = lint(cli, ".", "--baseline", "baseline.json")
    assert result.exit_code == 0, result.stdout
    assert "2 known findings hidden." in result.stdout and "fixed" not in result.stdout

    data["title"] = "Example Storage Act (as amended)"  # an unrelated edit, and a longer body
    path.write_text(yaml_record_text(data, "A new opening paragraph.\n\n" + CLEAN_BODY), encoding="utf-8")
    result = lint(cli, ".", "--baseline", "baseline.json", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []
    assert "2 known findings hidden." in result.stderr  # beside a JSON document, notes go to stderr


def test_new_finding_is_reported_known_ones_hidden(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record(**GAPS))
    lint(cli, ".", "--write-baseline", "baseline.json")
    path.write_text(
        path.read_text(encoding="utf-8").replace('"reviewer": "B. Reviewer"', '"reviewer": ""'), encoding="utf-8"
    )
    result = lint(cli, ".", "--baseline", "baseline.json", "--format", "json")
    assert result.exit_code == 1  # A001 is new
    assert codes(result.stdout) == ["A001"]
    assert "Baseline baseline.json: 2 known findings hidden." in result.stderr


def test_a_second_occurrence_of_a_known_gap_is_new(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(**GAPS))
    lint(cli, ".", "--write-baseline", "baseline.json")
    write_record(workdir, clean_record("us-other-act", **GAPS))  # the same codes and fields, another record
    result = lint(cli, ".", "--baseline", "baseline.json", "--format", "json")
    assert result.exit_code == 1
    assert {f["record"] for f in json.loads(result.stdout)["findings"]} == {"us-other-act"}


def test_fixed_finding_is_reported_as_stale_entry(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record(**GAPS))
    lint(cli, ".", "--write-baseline", "baseline.json")
    path.write_text(
        path.read_text(encoding="utf-8").replace('"citation": ""', '"citation": "Act, s. 9"'), encoding="utf-8"
    )
    result = lint(cli, ".", "--baseline", "baseline.json")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "All clear: 1 file checked, no findings.",
        "Baseline baseline.json: 0 known findings hidden.",
        "Baseline: 2 entries are fixed and can be dropped (regenerate with --write-baseline):",
        "  fixed: us-example-act-2020 A002 (analysis)",
        "  fixed: us-example-act-2020 C003 (analysis.mrv.citation)",
    ]
    sarif = json.loads(lint(cli, ".", "--baseline", "baseline.json", "--format", "sarif").stdout)
    properties = sarif["runs"][0]["properties"]["baseline"]
    assert properties["hidden"] == 0
    assert {(entry["code"], entry["field"]) for entry in properties["fixed"]} == {
        ("A002", "analysis"),
        ("C003", "analysis.mrv.citation"),
    }


def test_a_deleted_record_makes_its_entries_stale(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    gone = write_record(workdir, clean_record("us-gone-act", **{"provenance.reviewer": ""}))
    lint(cli, ".", "--write-baseline", "baseline.json")
    gone.unlink()
    result = lint(cli, ".", "--baseline", "baseline.json")
    assert "  fixed: us-gone-act A001 (provenance.reviewer)" in result.stdout


def test_only_linted_files_and_rules_in_force_can_make_entries_stale(cli, workdir: Path) -> None:
    """A hook that lints one staged file must not call the rest of the baseline fixed."""
    fixed = write_record(workdir, clean_record("us-fixed-act", **GAPS))
    write_record(workdir, clean_record("us-still-act", **GAPS))
    lint(cli, ".", "--write-baseline", "baseline.json")
    fixed.write_text(
        fixed.read_text(encoding="utf-8").replace('"citation": ""', '"citation": "Act, s. 9"'), encoding="utf-8"
    )
    other = lint(cli, "us-still-act.md", "--baseline", "baseline.json")
    assert other.exit_code == 0 and "fixed" not in other.stdout
    assert "2 known findings hidden." in other.stdout
    same = lint(cli, "us-fixed-act.md", "--baseline", "baseline.json")
    assert "  fixed: us-fixed-act C003 (analysis.mrv.citation)" in same.stdout
    assert "us-still-act" not in same.stdout
    only_c = lint(cli, ".", "--baseline", "baseline.json", "--select", "C")
    assert "  fixed: us-fixed-act C003 (analysis.mrv.citation)" in only_c.stdout
    assert "A002" not in only_c.stdout  # A002 did not run: it cannot be called fixed


def test_record_without_id_is_known_by_path(cli, workdir: Path) -> None:
    (workdir / "records").mkdir()
    (workdir / "records" / "broken.md").write_text("no front matter\n", encoding="utf-8")
    lint(cli, "records", "--write-baseline", "records/baseline.json")
    [entry] = json.loads((workdir / "records" / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert entry["record"] is None and entry["path"] == "broken.md" and entry["code"] == "S001"
    assert lint(cli, "records", "--baseline", "records/baseline.json").exit_code == 0
    (workdir / "records" / "broken.md").rename(workdir / "records" / "renamed.md")
    renamed = lint(cli, "records", "--baseline", "records/baseline.json")
    assert renamed.exit_code == 1  # a new broken file
    assert "renamed.md:" in renamed.stdout and " S001 " in renamed.stdout


def test_baseline_from_configuration_and_no_baseline(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text('records = ["corpus"]\nbaseline = "known.json"\n', encoding="utf-8")
    write_record(workdir / "corpus", clean_record(**GAPS))
    assert cli("lint", "--today", TODAY, "--write-baseline", "known.json").exit_code == 0
    (workdir / "corpus" / "deeper").mkdir()
    import os

    os.chdir(workdir / "corpus" / "deeper")  # the configured path is relative to the configuration file
    result = cli("lint", "--today", TODAY)
    assert result.exit_code == 0 and "2 known findings hidden." in result.stdout
    shown = cli("lint", "--today", TODAY, "--no-baseline")
    assert shown.exit_code == 1
    assert "Found 2 findings in 1 file" in shown.stdout and "known findings hidden" not in shown.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such baseline file"),
        ("{not json", "not valid JSON"),
        ('{"version": 1}', "no `findings` list"),
        ('{"version": 7, "findings": []}', "version 7"),
        ('{"version": 1, "findings": [{"record": "x"}]}', "findings[0]: `code`"),
        ('{"version": 1, "findings": [{"code": "A001", "record": "x", "count": 0}]}', "`count`"),
        ('{"version": 1, "findings": [{"code": "A001", "record": null}]}', "needs its `path`"),
        ('{"version": 1, "findings": ["A001"]}', "not an object"),
    ],
)
def test_bad_baseline_is_a_one_line_error(cli, workdir: Path, content: str | None, message: str) -> None:
    write_record(workdir, clean_record())
    if content is not None:
        (workdir / "baseline.json").write_text(content, encoding="utf-8")
    result = lint(cli, ".", "--baseline", "baseline.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ccus-records: error: baseline.json")
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_baseline_in_a_missing_folder_is_refused(cli, workdir: Path) -> None:
    write_record(workdir, clean_record())
    result = lint(cli, ".", "--write-baseline", "nowhere/baseline.json")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_baseline_of_the_project_seeds_keeps_the_gate_green(cli) -> None:
    """The repository's own gate, as .ci/run and .pre-commit-config.yaml run it."""
    import os

    root = Path(__file__).resolve().parent.parent
    old = Path.cwd()
    os.chdir(root)
    try:
        result = cli("lint", "seeds", "--baseline", "seeds.baseline.json", "--ignore", "A006,D002")
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.stdout
    assert "known findings hidden." in result.stdout
