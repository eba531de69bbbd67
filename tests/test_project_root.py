"""Every command works on the project's corpus, found from any folder inside the project as git finds its top."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import ccus_records
from tests.helpers import TODAY, clean_record, write_record


def git_repository(folder: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def lint_json(cli, *args: str) -> dict:
    result = cli("lint", "--today", TODAY, "--format", "json", "--no-cache", *args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("folder", ["records", "seeds"])
def test_a_subfolder_of_a_repository_lints_the_repositorys_records(cli, workdir: Path, folder: str) -> None:
    git_repository(workdir)
    write_record(workdir / folder, clean_record("us-one-act-2020"))
    write_record(workdir / folder, clean_record("us-two-act-2020", **{"provenance.reviewer": ""}))
    (workdir / "docs" / "deep").mkdir(parents=True)
    for where in (workdir, workdir / folder, workdir / "docs" / "deep"):
        os.chdir(where)
        document = lint_json(cli)
        assert document["summary"]["files"] == 2
        assert {finding["record"] for finding in document["findings"]} == {"us-two-act-2020"}
        assert all("site-packages" not in finding["path"] for finding in document["findings"])
        listed = cli("list", "--format", "ids", "--today", TODAY)
        assert listed.stdout.split() == ["us-one-act-2020", "us-two-act-2020"]
        shown = cli("show", "us-two-act-2020", "--today", TODAY)
        assert shown.exit_code == 0, shown.stderr
        edited = cli("edit", "us-one-act-2020", "--set", "year=2020", "--today", TODAY)
        assert edited.exit_code == 0, edited.stderr


def test_the_configuration_at_the_root_applies_from_a_subfolder(cli, workdir: Path) -> None:
    git_repository(workdir)
    (workdir / "ccus-records.toml").write_text('records = ["policy/records"]\nignore = ["A001"]\n', encoding="utf-8")
    write_record(workdir / "policy" / "records", clean_record("us-one-act-2020", **{"provenance.reviewer": ""}))
    write_record(workdir / "seeds", clean_record("us-decoy-act-2020"))  # not the configured folder
    os.chdir(workdir / "policy")
    document = lint_json(cli)
    assert document["summary"]["files"] == 1 and document["findings"] == []


def test_no_records_folder_is_an_error_that_says_how_to_set_one_up(cli, workdir: Path) -> None:
    git_repository(workdir)
    (workdir / "notes.md").write_text("# not a record\n", encoding="utf-8")
    commands = (("lint",), ("list",), ("show", "us-x-2020"), ("report",), ("fmt",), ("edit", "us-x", "--set", "year=1"))
    for command in commands:
        result = cli(*command)
        assert result.exit_code == 2, command
        assert "no records folder" in result.stderr and "ccus-records init" in result.stderr, command
        assert result.stdout == "", command


def test_the_demo_corpus_is_never_written(cli, workdir: Path) -> None:
    refused = cli("lint", "--demo", "--fix", "--unsafe-fixes", "--select", "C005")
    assert refused.exit_code == 2 and "read-only" in refused.stderr
    # A record inside the installed tool (where the demo corpus of an installed copy lies) is never rewritten.
    inside = Path(ccus_records.__file__).resolve().parent / "tool-owned-record.md"
    write_record(inside.parent, clean_record("us-tool-act-2020"), name=inside.name)
    text = inside.read_text(encoding="utf-8").replace('"year": 2020', '"year":2020')
    inside.write_text(text, encoding="utf-8")
    try:
        result = cli("fmt", str(inside), "--isolated")
        assert result.exit_code == 2 and "part of the installed tool" in result.stderr
        assert inside.read_text(encoding="utf-8") == text
    finally:
        inside.unlink()


def test_init_finds_the_records_writes_the_configuration_and_never_overwrites_unasked(cli, workdir: Path) -> None:
    git_repository(workdir)
    write_record(workdir / "policy" / "records", clean_record("us-one-act-2020"))
    write_record(workdir / "policy" / "records", clean_record("us-two-act-2020"))
    (workdir / "docs").mkdir()
    (workdir / "docs" / "index.md").write_text("# Docs\n", encoding="utf-8")
    os.chdir(workdir / "docs")
    dry = cli("init", "--dry-run")
    assert dry.exit_code == 0 and "policy/records (2 record files)" in dry.stdout
    assert not (workdir / "ccus-records.toml").exists()
    made = cli("init")
    assert made.exit_code == 0, made.stderr
    assert (workdir / "ccus-records.toml").read_text(encoding="utf-8").endswith('records = ["policy/records"]\n')
    assert "id: ccus-records-lint" in made.stdout and "diff=ccus-records" in made.stdout
    assert lint_json(cli)["summary"]["files"] == 2  # every command now finds the corpus
    (workdir / "ccus-records.toml").write_text('records = ["policy/records"]\nignore = ["A"]\n', encoding="utf-8")
    again = cli("init", input="")
    assert again.exit_code == 1 and "left as it is" in again.stdout
    assert "ignore" in (workdir / "ccus-records.toml").read_text(encoding="utf-8")
    forced = cli("init", "--force", "--records", "../policy/records")
    assert forced.exit_code == 0 and "ignore" not in (workdir / "ccus-records.toml").read_text(encoding="utf-8")


def test_init_with_no_records_says_what_to_do(cli, workdir: Path) -> None:
    git_repository(workdir)
    result = cli("init")
    assert result.exit_code == 2 and "no record files" in result.stderr and "--records" in result.stderr
    missing = cli("init", "--records", "missing")
    assert missing.exit_code == 2 and missing.stderr == "ccus-records: error: --records: missing is not a folder\n"
    assert not (workdir / "ccus-records.toml").exists()
